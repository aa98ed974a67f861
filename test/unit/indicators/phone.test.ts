import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalisePhone } from '#shared/domain/indicators/index.ts';
import { accepted, expectWellFormed, rejected } from './support.ts';

describe('normalisePhone', () => {
  it.each([
    '(202) 555-0143',
    '202.555.0143',
    '202-555-0143',
    '2025550143',
    '+1 202 555 0143',
    '+12025550143',
    '1-202-555-0143',
    '1 (202) 555-0143',
    '  202 555 0143  ',
    '001 202 555 0143',
    'tel:+1-202-555-0143',
    'tel:+1-202-555-0143;ext=5',
    '202-555-0143 ext. 12',
    '202-555-0143 x12',
    '２０２-５５５-０１４３',
    '202\u200B555\u200B0143',
  ])('reads %j as +12025550143', (raw) => {
    const phone = accepted(normalisePhone(raw));
    expect(phone).toEqual({ type: 'phone', value: '+12025550143', display: '+1 202 555 0143' });
  });

  it.each([
    ['+44 20 7946 0958', '+442079460958'],
    ['0044 20 7946 0958', '+442079460958'],
    ['011 44 20 7946 0958', '+442079460958'],
    ['+234 803 123 4567', '+2348031234567'],
    ['+63 917 123 4567', '+639171234567'],
    ['+91 98765 43210', '+919876543210'],
    ['+1 876 555 0123', '+18765550123'],
  ])('reads the international number %j as %s', (raw, value) => {
    expect(accepted(normalisePhone(raw)).value).toBe(value);
  });

  it('reads numbers without a country code in the given default region', () => {
    expect(accepted(normalisePhone('020 7946 0958', 'GB')).value).toBe('+442079460958');
    expect(accepted(normalisePhone('020 7946 0958', 'gb')).value).toBe('+442079460958');
    expect(accepted(normalisePhone('+1 202 555 0143', 'GB')).value).toBe('+12025550143');
  });

  it('asks for the area code when the number is too short', () => {
    expect(rejected(normalisePhone('555-0143'))).toMatch(/area code/);
    expect(rejected(normalisePhone('12345'))).toMatch(/area code/);
  });

  it('rejects letters and explains how to type a vanity number', () => {
    expect(rejected(normalisePhone('CALL-NOW'))).toMatch(/digits/);
    expect(rejected(normalisePhone('1-800-FLOWERS'))).toMatch(/keypad/);
    expect(rejected(normalisePhone('call 202 555 0143 now'))).toMatch(/digits/);
  });

  it.each([
    ['empty', ''],
    ['spaces only', '   '],
    ['too long', '202 555 0143 202 555 0143'],
    ['area code starting with 1', '+1 123 456 7890'],
    ['area code 555', '(555) 555-5555'],
    ['unassigned country code', '+999 1234 5678'],
    ['stars', '202*555*0143'],
    ['huge input', '1'.repeat(10_000)],
  ])('rejects %s with a reason', (_label, raw) => {
    rejected(normalisePhone(raw));
  });

  it('names the problem: too many digits', () => {
    expect(rejected(normalisePhone('+1 202 555 0143 99'))).toMatch(/too many digits/);
  });

  const areaCodes = ['202', '212', '305', '312', '415', '512', '617', '702', '713', '808', '907'];
  const usNumber = fc.record({
    area: fc.constantFrom(...areaCodes),
    exchange: fc.integer({ min: 200, max: 999 }).filter((n) => n % 100 !== 11),
    line: fc.integer({ min: 0, max: 9999 }),
  });
  const formats: readonly ((a: string, b: string, c: string) => string)[] = [
    (a, b, c) => `(${a}) ${b}-${c}`,
    (a, b, c) => `${a}.${b}.${c}`,
    (a, b, c) => `${a}-${b}-${c}`,
    (a, b, c) => `${a}${b}${c}`,
    (a, b, c) => `+1 ${a} ${b} ${c}`,
    (a, b, c) => `+1${a}${b}${c}`,
    (a, b, c) => `1-${a}-${b}-${c}`,
    (a, b, c) => `1 (${a}) ${b}-${c}`,
    (a, b, c) => `+1 (${a}) ${b}.${c}`,
    (a, b, c) => `001 ${a} ${b} ${c}`,
    (a, b, c) => ` ${a} - ${b} - ${c} `,
  ];

  it('gives one value for every spelling of the same US number', () => {
    fc.assert(
      fc.property(usNumber, fc.constantFrom(...formats), fc.constantFrom(...formats), (n, f, g) => {
        const [a, b, c] = [n.area, String(n.exchange), String(n.line).padStart(4, '0')];
        const first = accepted(normalisePhone(f(a, b, c)));
        expect(first.value).toBe(`+1${a}${b}${c}`);
        expect(accepted(normalisePhone(g(a, b, c))).value).toBe(first.value);
      }),
    );
  });

  it('is idempotent: normalising the value again gives the value', () => {
    fc.assert(
      fc.property(usNumber, (n) => {
        const value = accepted(
          normalisePhone(`${n.area}${n.exchange}${String(n.line).padStart(4, '0')}`),
        ).value;
        expect(accepted(normalisePhone(value)).value).toBe(value);
        expect(accepted(normalisePhone(value, 'FR')).value).toBe(value);
      }),
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 80 }),
        fc.string({ maxLength: 3 }),
        (raw, region) => {
          expectWellFormed(normalisePhone(raw, region));
        },
      ),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[+(]?[\d ().\-+x#]{0,30}$/), (raw) => {
        expectWellFormed(normalisePhone(raw));
      }),
    );
  });
});
