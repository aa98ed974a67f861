/**
 * What Restore shares about one scammer identifier with partner agencies: a summary of the
 * reports that named it, built only from reports whose filers agreed to share with law
 * enforcement. The summary holds counts, dates, categories and banded totals, never anything
 * about a victim (docs/sharing.md lists what is and is not shared).
 */
import type { IndicatorType } from '../indicators/types.ts';

/** Identifiers that name the scammer. Gift-card and money-transfer numbers identify the victim's own purchase or transfer, so they stay home. */
export const shareableTypes = [
  'phone',
  'email',
  'domain',
  'crypto-wallet',
  'bank-account',
  'payment-app',
  'social-handle',
] as const satisfies readonly IndicatorType[];

export type ShareableType = (typeof shareableTypes)[number];

export const isShareableType = (type: string): type is ShareableType =>
  (shareableTypes as readonly string[]).includes(type);

/** One report's link to the identifier, reduced to what a summary may use. */
export interface ShareableLink {
  readonly receivedAt: string;
  readonly category: string;
  readonly paid: readonly { readonly currency: string; readonly amountCents: number }[];
  readonly shareWithLawEnforcement: boolean;
}

/** The stored summary of one shared identifier; `modified` is also when partners see it change. */
export interface SharedIndicator {
  readonly type: ShareableType;
  /** The canonical value from the indicator index (bank accounts: the keyed token). */
  readonly value: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly reportCount: number;
  /** Total reported paid to the identifier, per ISO 4217 currency, in minor units. */
  readonly lossByCurrency: Readonly<Record<string, number>>;
  /** Scam categories, sorted. */
  readonly categories: readonly string[];
  readonly created: string;
  readonly modified: string;
}

export type SharedSummary = Omit<SharedIndicator, 'created' | 'modified'>;

/**
 * Summarises the links of consenting reports; undefined when no filer agreed to share.
 * Pure and order-independent, so recomputing it from the index gives the same answer.
 */
export function summarise(
  type: ShareableType,
  value: string,
  links: readonly ShareableLink[],
): SharedSummary | undefined {
  const shared = links.filter((l) => l.shareWithLawEnforcement);
  if (shared.length === 0) return undefined;
  const times = shared.map((l) => l.receivedAt).sort();
  const lossByCurrency: Record<string, number> = {};
  for (const link of shared) {
    for (const p of link.paid) lossByCurrency[p.currency] = (lossByCurrency[p.currency] ?? 0) + p.amountCents;
  }
  return {
    type,
    value,
    firstSeen: times[0] as string,
    lastSeen: times[times.length - 1] as string,
    reportCount: shared.length,
    lossByCurrency,
    categories: [...new Set(shared.map((l) => l.category))].sort(),
  };
}

/**
 * Loss bands in major units of the currency. Exact sums are withheld: with one or two reports an
 * exact figure is the victim's own loss, which can identify them to anyone they told.
 */
export const lossBands = [
  { band: 'under-1k', below: 1_000 },
  { band: '1k-10k', below: 10_000 },
  { band: '10k-50k', below: 50_000 },
  { band: '50k-100k', below: 100_000 },
  { band: '100k-1m', below: 1_000_000 },
  { band: '1m-plus', below: Number.POSITIVE_INFINITY },
] as const;

export type LossBand = (typeof lossBands)[number]['band'];

/** Minor units per major unit of an ISO 4217 currency (2 for USD, 0 for JPY). */
function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

export function lossBand(currency: string, minorUnits: number): LossBand {
  const major = minorUnits / 10 ** minorDigits(currency);
  return lossBands.find((b) => major < b.below)?.band ?? '1m-plus';
}

/**
 * STIX confidence on the None/Low/Med/High scale of the STIX 2.1 specification's appendix
 * (Low 15, Med 50, High 85): one victim's word is low, independent reports raise it.
 */
export function confidenceFor(reportCount: number): number {
  if (reportCount >= 5) return 85;
  if (reportCount >= 2) return 50;
  return 15;
}
