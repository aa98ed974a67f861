import { cleanInput, compactKey } from './text.ts';

// Brand, provider and service names typed as free text, mapped to stable slugs.
// Not re-exported from index.ts.

export interface Named {
  slug: string;
  label: string;
  aliases: readonly string[];
}

export interface SlugTable {
  bySlug: ReadonlyMap<string, Named>;
  byKey: ReadonlyMap<string, Named>;
}

export const slugTable = (entries: readonly Named[]): SlugTable => {
  const byKey = new Map<string, Named>();
  for (const entry of entries) {
    byKey.set(compactKey(entry.slug), entry);
    for (const alias of entry.aliases) byKey.set(compactKey(alias), entry);
  }
  return { bySlug: new Map(entries.map((entry) => [entry.slug, entry])), byKey };
};

/** Words that say nothing about who the money went to. */
const NOTHING = new Set(['', 'other', 'unknown', 'none', 'na', 'notsure', 'idontknow', 'dontknow']);

/**
 * The slug for a free-text name: a known entry's slug, else the compact key of the text (so
 * `Joe's Store` and `JoesStore` agree), else `unknown`. `trailing` matches words at the end of the
 * text such as "gift card", so `Target gift card` finds `target`.
 */
export const lookupSlug = (
  table: SlugTable,
  raw: string | undefined,
  trailing?: RegExp,
): { slug: string; known?: Named } => {
  const text = cleanInput(raw ?? '', 128) ?? '';
  const key = compactKey(text).slice(0, 40);
  const stripped = trailing ? compactKey(text.replace(trailing, '')).slice(0, 40) : key;
  const known = table.byKey.get(key) ?? (stripped.length >= 2 ? table.byKey.get(stripped) : undefined);
  if (known) return { slug: known.slug, known };
  const slug = stripped.length >= 2 ? stripped : key;
  return NOTHING.has(slug) ? { slug: 'unknown' } : { slug };
};
