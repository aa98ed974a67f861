import type { Indicator, IndicatorType, NormaliseResult } from './types.ts';

// Helpers shared by the normalisers. Not re-exported from index.ts.

export const ok = (type: IndicatorType, value: string, display: string = value): NormaliseResult => ({
  ok: true,
  indicator: { type, value, display } satisfies Indicator,
});

export const fail = (reason: string): NormaliseResult => ({ ok: false, reason });

/** Zero-width and other invisible format characters that ride along when text is copied from apps. */
const INVISIBLE = /\p{Cf}/gu;
/** Tabs, line breaks and other control characters: a wrapped line pasted back together. */
const CONTROL = /\p{Cc}/gu;

/**
 * Typed or pasted text made comparable: NFKC folds full-width digits and letters (common with
 * phone keyboards in CJK locales) to ASCII, invisible characters go, ends are trimmed.
 * Returns undefined for non-strings (JavaScript callers) and for text far longer than `maxLength`,
 * checked before any regular expression runs on it.
 */
export const cleanInput = (raw: unknown, maxLength: number): string | undefined => {
  if (typeof raw !== 'string' || raw.length > maxLength * 4) return undefined;
  const cleaned = raw.normalize('NFKC').replace(INVISIBLE, '').replace(CONTROL, ' ').trim();
  return cleaned.length > maxLength ? undefined : cleaned;
};

/** Lower-case letters and digits only: `Google Play`, `google-play` and `GooglePlay` all give `googleplay`. */
export const compactKey = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]/g, '');

/** `••••6789`: the conventional way banks show a masked number. */
export const masked = (lastFour: string): string => `••••${lastFour}`;
