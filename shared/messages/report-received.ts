/**
 * The enrichment queue's message, version 1. Intake sends it after validating and normalising a
 * report; the enrichment consumer validates it again before storing anything, so a malformed or
 * foreign message fails loudly (and ends in the dead-letter queue) instead of writing junk.
 *
 * Versioning: `version` is bumped for any change a v1 consumer could misread; consumers keep
 * accepting the versions still in flight. The body never carries a full bank or card number:
 * those were replaced by keyed tokens before the message was built.
 */
import * as z from 'zod/mini';
import {
  ageRanges,
  categories,
  contactMethods,
  filerRoles,
  paymentMethods,
  usStates,
} from '../domain/enums.ts';
import { indicatorTypes } from '../domain/indicators/types.ts';
import type { ReportContent } from '../domain/report-content.ts';

export const REPORT_RECEIVED = 'restore.report.received';

const opt = <T extends z.ZodMiniType>(t: T) => z.optional(t);
const str = z.string();
const indicatorRef = z.object({ type: z.enum(indicatorTypes), value: str, display: str });

const storedRecipient = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('bank-account'),
    bankName: opt(str),
    routingNumber: opt(str),
    accountLast4: opt(str),
    ibanCountry: opt(str),
    swift: opt(str),
    accountHolderName: opt(str),
  }),
  z.object({
    kind: z.literal('crypto-wallet'),
    asset: opt(str),
    address: str,
    txHash: opt(str),
    exchange: opt(str),
  }),
  z.object({ kind: z.literal('payment-app'), service: opt(str), handle: str }),
  z.object({ kind: z.literal('gift-card'), brand: opt(str), cardLast4: opt(str) }),
  z.object({
    kind: z.literal('money-transfer'),
    provider: opt(str),
    mtcn: opt(str),
    receiverName: opt(str),
    receiverCountry: opt(str),
  }),
  z.object({ kind: z.literal('other'), description: str }),
]);

const reportContent = z.object({
  filer: opt(
    z.object({
      role: opt(z.enum(filerRoles)),
      ageRange: opt(z.enum(ageRanges)),
      state: opt(z.enum(usStates)),
      zip: opt(str),
      language: opt(str),
      contact: opt(z.object({ name: opt(str), email: opt(str), phone: opt(str) })),
      onBehalfOf: opt(z.object({ name: opt(str), relationship: opt(str) })),
    }),
  ),
  incident: z.object({
    category: z.enum(categories),
    contactMethod: opt(z.enum(contactMethods)),
    firstContactDate: opt(str),
    narrative: str,
  }),
  payments: z.array(
    z.object({
      amountCents: z.int().check(z.positive()),
      currency: str,
      date: opt(str),
      method: z.enum(paymentMethods),
      recipient: opt(storedRecipient),
      indicator: opt(indicatorRef),
    }),
  ),
  scammer: z.object({
    phones: z.array(indicatorRef),
    emails: z.array(indicatorRef),
    websites: z.array(indicatorRef),
    socialHandles: z.array(indicatorRef),
    namesUsed: z.array(str),
    impersonated: opt(str),
  }),
  consents: z.object({ shareWithLawEnforcement: z.boolean(), contactAboutRecovery: z.boolean() }),
  assisted: opt(z.object({ by: str, email: opt(str) })),
});

export const reportReceivedV1 = z.object({
  type: z.literal(REPORT_RECEIVED),
  version: z.literal(1),
  reportId: z.string().check(z.regex(/^RPT-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)),
  receivedAt: z.iso.datetime(),
  content: reportContent,
});

export type ReportReceivedV1 = z.output<typeof reportReceivedV1>;

// Compile-time guard: the message's content and the domain's ReportContent must stay the same shape.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _contentMatchesDomain: Same<ReportReceivedV1['content'], ReportContent> = true;
void _contentMatchesDomain;

export function reportReceivedMessage(
  reportId: string,
  receivedAt: string,
  content: ReportContent,
): ReportReceivedV1 {
  return { type: REPORT_RECEIVED, version: 1, reportId, receivedAt, content };
}
