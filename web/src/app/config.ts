/**
 * The deployment's settings, from `/config.json` (written at deploy time, so one build serves any
 * agency): where the API is, the agency's name and a phone number people can call instead.
 */
import type { Lang } from '../i18n/types.ts';

export interface SiteConfig {
  /** Absolute (`https://api.example.gov`) or empty for the site's own origin. No trailing slash. */
  readonly apiBaseUrl: string;
  readonly agencyName?: string;
  readonly phone?: string;
  readonly phoneHours?: string;
}

type Raw = Record<string, unknown>;

/** A setting given as text, or per language as `{ "en": "...", "es": "..." }`. */
function localised(value: unknown, lang: Lang): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'object' && value !== null) {
    const byLang = value as Raw;
    const text = byLang[lang] ?? byLang['en'];
    return typeof text === 'string' ? text.trim() || undefined : undefined;
  }
  return undefined;
}

export function parseConfig(raw: unknown, lang: Lang): SiteConfig {
  const o: Raw = typeof raw === 'object' && raw !== null ? (raw as Raw) : {};
  let apiBaseUrl = typeof o['apiBaseUrl'] === 'string' ? o['apiBaseUrl'].trim() : '';
  // Only our own origin or an https (or local http) address: never a javascript: or data: URL.
  if (
    apiBaseUrl !== '' &&
    !/^https:\/\/|^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?(\/|$)|^\//.test(apiBaseUrl)
  )
    apiBaseUrl = '';
  return {
    apiBaseUrl: apiBaseUrl.replace(/\/+$/, ''),
    agencyName: localised(o['agencyName'], lang),
    phone: localised(o['phone'], lang),
    phoneHours: localised(o['phoneHours'], lang),
  };
}

let loading: Promise<SiteConfig> | undefined;

export function loadConfig(lang: Lang): Promise<SiteConfig> {
  loading ??= fetch('/config.json', { cache: 'no-cache', credentials: 'omit' })
    .then((response) => (response.ok ? response.json() : {}))
    .catch(() => ({}))
    .then((raw: unknown) => parseConfig(raw, lang));
  return loading;
}

/** `tel:` address for a phone number as people write it (`1-800-555-0100`). */
export function telHref(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, '');
  return `tel:${digits.startsWith('+') ? digits : `+${digits.length === 10 ? `1${digits}` : digits}`}`;
}
