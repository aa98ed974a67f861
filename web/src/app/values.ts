/** Reading what people type (amounts, dates) and showing money and dates in their language. */
import type { Lang } from '../i18n/types.ts';
import type { DateParts } from './forms.ts';

/** $1 billion in cents, as the API's limit. */
export const MAX_AMOUNT_CENTS = 100_000_000_000;

export type MoneyResult =
  | { readonly ok: true; readonly cents: number }
  | { readonly ok: false; readonly error: 'required' | 'invalid' | 'zero' | 'tooBig' };

/** "$2,500.00", "2500", "2 500.5" → cents. */
export function parseDollars(text: string): MoneyResult {
  const cleaned = text.replace(/[\s$,]/g, '').replace(/^US?D?/i, '');
  if (cleaned === '') return { ok: false, error: 'required' };
  const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(cleaned) ?? /^()\.(\d{1,2})$/.exec(cleaned);
  if (!match) return { ok: false, error: 'invalid' };
  const cents = Number(match[1] || '0') * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (cents <= 0) return { ok: false, error: 'zero' };
  if (cents > MAX_AMOUNT_CENTS) return { ok: false, error: 'tooBig' };
  return { ok: true, cents };
}

export function formatCents(cents: number, lang: Lang, currency = 'USD'): string {
  return new Intl.NumberFormat(lang === 'es' ? 'es-US' : 'en-US', { style: 'currency', currency }).format(
    cents / 100,
  );
}

export type DateResult =
  | { readonly ok: true; readonly iso: string | undefined }
  | { readonly ok: false; readonly error: 'incomplete' | 'shortYear' | 'invalid' | 'future' | 'tooOld' };

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function localToday(now: Date = new Date()): string {
  return `${pad(now.getFullYear(), 4)}-${pad(now.getMonth() + 1, 2)}-${pad(now.getDate(), 2)}`;
}

/** Three boxes → `YYYY-MM-DD`; all empty is "no answer" (`iso: undefined`). */
export function readDate(parts: DateParts, now: Date = new Date()): DateResult {
  const month = parts.month.trim();
  const day = parts.day.trim();
  const year = parts.year.trim();
  if (month === '' && day === '' && year === '') return { ok: true, iso: undefined };
  if (month === '' || day === '' || year === '') return { ok: false, error: 'incomplete' };
  // "26" for 2026 is the commonest slip: say exactly what to change.
  if (/^\d{1,3}$/.test(year)) return { ok: false, error: 'shortYear' };
  if (!/^\d{1,2}$/.test(month) || !/^\d{1,2}$/.test(day) || !/^\d{4}$/.test(year))
    return { ok: false, error: 'invalid' };
  const m = Number(month);
  const d = Number(day);
  const y = Number(year);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (m < 1 || m > 12 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return { ok: false, error: 'invalid' };
  const iso = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
  if (y < 1970) return { ok: false, error: 'tooOld' };
  if (iso > localToday(now)) return { ok: false, error: 'future' };
  return { ok: true, iso };
}

/** `2026-10-02` (or a full timestamp) as "October 2, 2026" / "2 de octubre de 2026". */
export function formatDate(isoDate: string, lang: Lang): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(isoDate);
  const date = new Date(dateOnly ? `${isoDate}T12:00:00Z` : isoDate);
  if (Number.isNaN(date.getTime())) return isoDate;
  return new Intl.DateTimeFormat(lang === 'es' ? 'es-US' : 'en-US', {
    dateStyle: 'long',
    ...(dateOnly ? { timeZone: 'UTC' } : {}),
  }).format(date);
}

export function datePartsText(parts: DateParts, lang: Lang): string | undefined {
  const result = readDate(parts);
  return result.ok && result.iso ? formatDate(result.iso, lang) : undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const looksLikeEmail = (text: string): boolean => EMAIL.test(text.trim());
export const ZIP = /^\d{5}(-?\d{4})?$/;
