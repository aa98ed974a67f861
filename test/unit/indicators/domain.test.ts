import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseDomain } from '#shared/domain/indicators/index.ts';
import { accepted, expectWellFormed, rejected } from './support.ts';

describe('normaliseDomain', () => {
  it.each([
    ['https://www.login.evil.co.uk/path?x', 'evil.co.uk'],
    ['scam.github.io', 'scam.github.io'],
    ['https://scam.github.io/login', 'scam.github.io'],
    ['shop.scam.blogspot.com', 'scam.blogspot.com'],
    ['EVIL.COM', 'evil.com'],
    ['evil.com.', 'evil.com'],
    ['www.evil.com', 'evil.com'],
    ['evil.com:8443', 'evil.com'],
    ['http://evil.com:8080/a/b?c=d#e', 'evil.com'],
    ['https://user:pass@secure.evil.com/', 'evil.com'],
    ['https://paypal.com@evil.com/login', 'evil.com'],
    ['//evil.com/x', 'evil.com'],
    ['ftp://files.evil.com', 'evil.com'],
    ['hxxps://evil[.]com/x', 'evil.com'],
    ['evil(.)co(.)uk', 'evil.co.uk'],
    ['http://bücher.de', 'xn--bcher-kva.de'],
    ['xn--bcher-kva.de', 'xn--bcher-kva.de'],
    ['аpple.com', 'xn--pple-43d.com'],
    ['пример.рф', 'xn--e1afmkfd.xn--p1ai'],
    ['https://refund-center.irs.gov.example.com', 'example.com'],
  ])('reduces %j to %s', (raw, value) => {
    expect(accepted(normaliseDomain(raw))).toEqual({ type: 'domain', value, display: value });
  });

  it.each([
    ['93.184.216.34', '93.184.216.34'],
    ['http://93.184.216.34:8080/login', '93.184.216.34'],
    ['http://0x5d.184.216.34/', '93.184.216.34'],
    ['2606:4700::1111', '[2606:4700::1111]'],
    ['http://[2606:4700:0::1111]:443/x', '[2606:4700::1111]'],
  ])('keeps the public IP host %j as %s', (raw, value) => {
    expect(accepted(normaliseDomain(raw)).value).toBe(value);
  });

  it.each([
    [' 5', /a number, not a web address/],
    ['250000', /a number, not a web address/],
    ['3232235777', /a number, not a web address/],
    ['127.0.0.1', /private or local network/],
    ['http://10.0.0.8/admin', /private or local network/],
    ['192.168.1.1', /private or local network/],
    ['169.254.169.254', /private or local network/],
    ['0.0.0.0', /private or local network/],
    ['203.0.113.7', /private or local network/],
    ['[::1]', /private or local network/],
    ['::ffff:10.0.0.1', /private or local network/],
    ['fd00::1', /private or local network/],
    ['2001:db8::1', /private or local network/],
    ['shop.localhost', /private or local network/],
  ])('refuses %j as a scammer website', (raw, reason) => {
    expect(rejected(normaliseDomain(raw))).toMatch(reason);
  });

  it.each([
    ['empty', '', /Enter a website/],
    ['a shared ending (private)', 'github.io', /ending that many sites share/],
    ['a shared ending (ICANN)', 'co.uk', /ending that many sites share/],
    ['an unknown ending', 'evil.notarealtld', /known ending/],
    ['a single label', 'intranet', /not a valid web address/],
    ['localhost', 'localhost', /private or local network/],
    ['an empty label', 'evil..com', /not a valid web address/],
    ['spaces', 'evil .com', /no spaces/],
    ['a scheme only', 'https://', /not a valid web address/],
    ['a label starting with a hyphen', '-evil.com', /not a valid web address/],
    ['a huge input', `${'a'.repeat(9000)}.com`, /too long/],
  ])('rejects %s', (_label, raw, reason) => {
    expect(rejected(normaliseDomain(raw))).toMatch(reason);
  });

  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,12}[a-z0-9])?$/);
  // Prefixed so the name is never itself a public suffix (`cn.com`, `ltd.co.uk` are on the list).
  const site = fc.record({
    name: label.map((l) => `scam${l}`),
    suffix: fc.constantFrom('com', 'org', 'net', 'co.uk', 'com.au', 'de', 'io', 'github.io', 'pages.dev'),
    subdomains: fc.array(label, { maxLength: 3 }),
  });
  const decorated = fc.record({
    scheme: fc.constantFrom('', 'http://', 'https://', 'HTTPS://', '//'),
    www: fc.boolean(),
    port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    path: fc.constantFrom('', '/', '/login', '/a/b.html?next=/c#top', '?x=1'),
    trailingDot: fc.boolean(),
    upper: fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }),
  });

  it('gives the registrable domain for any spelling of a link to the site', () => {
    fc.assert(
      fc.property(site, decorated, (s, d) => {
        const host = [...(d.www ? ['www'] : []), ...s.subdomains, s.name, s.suffix].join('.');
        const cased = [...host].map((c, i) => (d.upper[i % d.upper.length] ? c.toUpperCase() : c)).join('');
        const raw = `${d.scheme}${cased}${d.trailingDot ? '.' : ''}${d.port ? `:${d.port}` : ''}${d.path}`;
        expect(accepted(normaliseDomain(raw)).value).toBe(`${s.name}.${s.suffix}`);
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(site, (s) => {
        const value = accepted(normaliseDomain([...s.subdomains, s.name, s.suffix].join('.'))).value;
        expect(accepted(normaliseDomain(value)).value).toBe(value);
      }),
    );
    for (const raw of ['93.184.216.34', '2606:4700::1111', 'bücher.de']) {
      const value = accepted(normaliseDomain(raw)).value;
      expect(accepted(normaliseDomain(value)).value).toBe(value);
    }
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (raw) =>
        expectWellFormed(normaliseDomain(raw)),
      ),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9.:/@[\]%-]{0,40}$/), (raw) =>
        expectWellFormed(normaliseDomain(raw)),
      ),
    );
  });
});
