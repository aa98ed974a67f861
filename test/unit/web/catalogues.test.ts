/**
 * The website's message catalogues: both languages say the same things (same keys, same
 * placeholders), nothing is empty or left untranslated, no message carries HTML, every value of
 * the API's vocabularies has words, and the English stays plain (a 6th-grade reading level).
 */
import { describe, expect, it } from 'vitest';
import {
  ageRanges,
  categories,
  contactMethods,
  filerRoles,
  paymentMethods,
  usStates,
} from '#shared/domain/enums.ts';
import { claimStatuses } from '../../../shared/domain/claim-schema.ts';
import { en } from '../../../web/src/i18n/en.ts';
import { es } from '../../../web/src/i18n/es.ts';
import { format } from '../../../web/src/i18n/types.ts';

type Tree = { readonly [key: string]: Tree | string };

function entries(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string'
      ? [[`${prefix}${key}`, value] as [string, string]]
      : entries(value, `${prefix}${key}.`),
  );
}

const enEntries = entries(en as unknown as Tree);
const esEntries = entries(es as unknown as Tree);
const esByKey = new Map(esEntries);
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  it('have exactly the same keys in English and Spanish', () => {
    expect(esEntries.map(([k]) => k).sort()).toEqual(enEntries.map(([k]) => k).sort());
    expect(enEntries.length).toBeGreaterThan(300);
  });

  it('have no empty messages and no stray spaces', () => {
    for (const [key, value] of [...enEntries, ...esEntries]) {
      expect(value.trim(), key).not.toBe('');
      expect(value, key).toBe(value.trim());
      expect(value, key).not.toMatch(/ {2}/);
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const [key, value] of enEntries)
      expect(placeholders(esByKey.get(key) ?? ''), key).toEqual(placeholders(value));
  });

  it('never contain markup: messages are shown as text', () => {
    for (const [key, value] of [...enEntries, ...esEntries]) expect(value, key).not.toMatch(/[<>]/);
  });

  it('translate every sentence (only names and numbers may read the same)', () => {
    const same = enEntries
      .filter(([key, value]) => esByKey.get(key) === value && value.split(/\s+/).length > 2)
      .filter(([key]) => !key.startsWith('vocab.states.'))
      .map(([key]) => key);
    expect(same).toEqual([]);
  });

  it('give words to every value of the API vocabularies', () => {
    for (const t of [en, es]) {
      for (const c of categories) {
        expect(t.vocab.categories[c].label).toBeTruthy();
        expect(t.vocab.categories[c].example).toBeTruthy();
      }
      for (const m of contactMethods) expect(t.vocab.contactMethods[m]).toBeTruthy();
      for (const m of paymentMethods) expect(t.vocab.paymentMethods[m]).toBeTruthy();
      for (const a of ageRanges) expect(t.vocab.ageRanges[a]).toBeTruthy();
      for (const r of filerRoles) expect(t.vocab.roles[r]).toBeTruthy();
      for (const s of usStates) expect(t.vocab.states[s]).toBeTruthy();
      expect(Object.keys(t.vocab.claimStatuses).sort()).toEqual([...claimStatuses].sort());
    }
  });

  it('keep English sentences short and plain (Flesch-Kincaid grade 6 or lower for the sentences)', () => {
    const text = enEntries
      .filter(([key]) => !key.startsWith('vocab.states.'))
      .map(([, value]) => value.replace(/\{\w+\}/g, 'it'))
      .filter((value) => /[.?!)]$/.test(value) && value.split(/\s+/).length >= 6);
    const sentences = text.flatMap((m) => m.split(/(?<=[.?!])\s+/)).filter((s) => /\w/.test(s));
    const words = sentences.flatMap((s) => s.match(/[A-Za-z’']+/g) ?? []);
    const syllables = words.reduce((sum, word) => sum + syllableCount(word), 0);
    const grade = 0.39 * (words.length / sentences.length) + 11.8 * (syllables / words.length) - 15.59;
    console.info(`Flesch-Kincaid grade of the English catalogue: ${grade.toFixed(1)}`);
    expect(grade).toBeLessThanOrEqual(6);
    for (const sentence of sentences) expect(sentence.split(/\s+/).length, sentence).toBeLessThanOrEqual(30);
  });

  it('fill placeholders as text', () => {
    expect(format(en.payments.paymentHeading, { n: 2 })).toBe('Payment 2');
    expect(format('{a} and {b}', { a: '<b>' })).toBe('<b> and {b}');
  });
});

/** A rough English syllable count: vowel groups, less a silent final e. */
function syllableCount(word: string): number {
  const w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (w.length <= 3) return 1;
  const groups = w
    .replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, '')
    .replace(/^y/, '')
    .match(/[aeiouy]{1,2}/g);
  return Math.max(1, groups?.length ?? 1);
}
