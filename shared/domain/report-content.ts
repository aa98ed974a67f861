/**
 * The stored shape of a report and the indicator links derived from it. Kept apart from the
 * normalisation code (report.ts) so the enrichment consumer and the read API load no parsing
 * libraries they do not use.
 */
import type {
  AgeRange,
  Category,
  ContactMethod,
  FilerRole,
  PaymentMethod,
  ReportStatus,
  UsState,
} from './enums.ts';
import type { IndicatorType } from './indicators/types.ts';

export type StoredRecipient =
  | {
      kind: 'bank-account';
      bankName?: string;
      routingNumber?: string;
      accountLast4?: string;
      ibanCountry?: string;
      swift?: string;
      accountHolderName?: string;
    }
  | { kind: 'crypto-wallet'; asset?: string; address: string; txHash?: string; exchange?: string }
  | { kind: 'payment-app'; service?: string; handle: string }
  | { kind: 'gift-card'; brand?: string; cardLast4?: string }
  | {
      kind: 'money-transfer';
      provider?: string;
      mtcn?: string;
      receiverName?: string;
      receiverCountry?: string;
    }
  | { kind: 'other'; description: string };

export interface IndicatorRef {
  type: IndicatorType;
  value: string;
  display: string;
}

export interface StoredPayment {
  amountCents: number;
  currency: string;
  date?: string;
  method: PaymentMethod;
  recipient?: StoredRecipient;
  /** The normalised identifier that received this payment, when there is one. */
  indicator?: IndicatorRef;
}

export interface ReportContent {
  filer?: {
    role?: FilerRole;
    ageRange?: AgeRange;
    state?: UsState;
    zip?: string;
    language?: string;
    contact?: { name?: string; email?: string; phone?: string };
    onBehalfOf?: { name?: string; relationship?: string };
  };
  incident: {
    category: Category;
    contactMethod?: ContactMethod;
    firstContactDate?: string;
    narrative: string;
  };
  payments: StoredPayment[];
  scammer: {
    phones: IndicatorRef[];
    emails: IndicatorRef[];
    websites: IndicatorRef[];
    socialHandles: IndicatorRef[];
    namesUsed: string[];
    impersonated?: string;
  };
  consents: { shareWithLawEnforcement: boolean; contactAboutRecovery: boolean };
  /** Filed by agency staff for a caller (the helpline): the staff member's id and e-mail. */
  assisted?: { by: string; email?: string };
}

/** One identifier in one report, with the money that went to it (what linking and matching use). */
export interface IndicatorLink extends IndicatorRef {
  /** `payment`: money was sent to it; `contact`: the scammer used it to reach the victim. */
  roles: ('payment' | 'contact')[];
  /** Sum of payments to this identifier, per currency (integer cents). */
  paid: { currency: string; amountCents: number }[];
  paymentIndexes: number[];
}

/** One link per distinct identifier (type + value), merging roles and summing payments. */
export function linksOf(content: ReportContent): IndicatorLink[] {
  const links = paymentLinkMap(content.payments);
  const get = linkGetter(links);
  const s = content.scammer;
  for (const ref of [...s.phones, ...s.emails, ...s.websites, ...s.socialHandles]) {
    const link = get(ref);
    if (!link.roles.includes('contact')) link.roles.push('contact');
  }
  return [...links.values()];
}

/** The links of payments alone (a claim's identifiers: claims list payments, not contacts). */
export function paymentLinksOf(payments: readonly StoredPayment[]): IndicatorLink[] {
  return [...paymentLinkMap(payments).values()];
}

function linkGetter(links: Map<string, IndicatorLink>) {
  return (ref: IndicatorRef): IndicatorLink => {
    const k = `${ref.type}\u0000${ref.value}`;
    let link = links.get(k);
    if (!link) {
      link = {
        type: ref.type,
        value: ref.value,
        display: ref.display,
        roles: [],
        paid: [],
        paymentIndexes: [],
      };
      links.set(k, link);
    }
    return link;
  };
}

function paymentLinkMap(payments: readonly StoredPayment[]): Map<string, IndicatorLink> {
  const links = new Map<string, IndicatorLink>();
  const get = linkGetter(links);
  payments.forEach((p, i) => {
    if (!p.indicator) return;
    const link = get(p.indicator);
    if (!link.roles.includes('payment')) link.roles.push('payment');
    link.paymentIndexes.push(i);
    const bucket = link.paid.find((x) => x.currency === p.currency);
    if (bucket) bucket.amountCents += p.amountCents;
    else link.paid.push({ currency: p.currency, amountCents: p.amountCents });
  });
  return links;
}

/** Total reported loss per currency: what the report says was paid, in integer cents. */
export function totalsByCurrency(payments: readonly { currency: string; amountCents: number }[]) {
  const totals: Record<string, number> = {};
  for (const p of payments) totals[p.currency] = (totals[p.currency] ?? 0) + p.amountCents;
  return totals;
}

/** A report as stored: the content plus where it is in intake and enrichment. */
export interface StoredReport {
  reportId: string;
  status: ReportStatus;
  receivedAt: string;
  enrichedAt?: string;
  content: ReportContent;
  lossByCurrency: Record<string, number>;
}

/** A report as seen from one identifier it names (what staff see when looking the identifier up). */
export interface LinkedReport {
  reportId: string;
  receivedAt: string;
  category: string;
  roles: IndicatorLink['roles'];
  paid: IndicatorLink['paid'];
  contactAboutRecovery: boolean;
  shareWithLawEnforcement: boolean;
}
