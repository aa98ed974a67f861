/** The kinds of scammer identifier that Restore indexes so that reports paying the same scammer link up. */
export const indicatorTypes = [
  'phone',
  'email',
  'domain',
  'crypto-wallet',
  'bank-account',
  'payment-app',
  'gift-card',
  'money-transfer',
  'social-handle',
] as const;

export type IndicatorType = (typeof indicatorTypes)[number];

export interface Indicator {
  type: IndicatorType;
  /**
   * Canonical form used as the index key: any spelling of the same identifier gives the same value.
   * Never contains a full bank or card number (those are keyed hashes).
   */
  value: string;
  /** What agency staff see; safe to show (e.g. '+1 202 555 0143', 'Bank acct ••••6789'). */
  display: string;
}

/** `reason` is one plain-language sentence a senior can act on. */
export type NormaliseResult = { ok: true; indicator: Indicator } | { ok: false; reason: string };

export const isIndicatorType = (value: unknown): value is IndicatorType =>
  typeof value === 'string' && (indicatorTypes as readonly string[]).includes(value);
