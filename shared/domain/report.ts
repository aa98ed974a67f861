/**
 * From a validated report input to what Restore stores and indexes.
 *
 * 1. Check and normalise every identifier (phones to E.164, websites to registrable domains,
 *    wallets per chain, bank and gift-card numbers to keyed HMAC tokens + last four digits).
 *    Every one that does not parse becomes a field problem naming where it is, e.g.
 *    `scammer.phones.2` or `payments.0.recipient.address`.
 * 2. Build the stored report field by field from the parsed value (never by spreading input),
 *    so unknown fields are dropped and full account or card numbers are never kept.
 * 3. List the indicator links: one per distinct identifier, with what was paid to it.
 */

import { type FieldProblem, ValidationError } from './errors.ts';
import type { NormaliseResult } from './indicators/index.ts';
import {
  normaliseBankAccount,
  normaliseBic,
  normaliseDomain,
  normaliseEmail,
  normaliseGiftCard,
  normaliseIban,
  normaliseMoneyTransfer,
  normalisePaymentApp,
  normalisePhone,
  normaliseRoutingNumber,
  normaliseSocialHandle,
  normaliseTxHash,
  normaliseWallet,
} from './indicators/index.ts';
import {
  type IndicatorLink,
  type IndicatorRef,
  linksOf,
  type ReportContent,
  type StoredPayment,
  type StoredRecipient,
} from './report-content.ts';
import type { PaymentInput, RecipientInput, ReportInput } from './report-schema.ts';

export type {
  IndicatorLink,
  IndicatorRef,
  ReportContent,
  StoredPayment,
  StoredRecipient,
} from './report-content.ts';
export { linksOf, totalsByCurrency } from './report-content.ts';

export interface NormalisedReport {
  content: ReportContent;
  links: IndicatorLink[];
}

/** Removes undefined members so stored items hold only what was given. */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

export const blankToUndefined = (s: string | undefined): string | undefined =>
  s === undefined || s.trim() === '' ? undefined : s;

const taker =
  (problems: FieldProblem[]): Take =>
  (path, r) => {
    if (r.ok) return { type: r.indicator.type, value: r.indicator.value, display: r.indicator.display };
    problems.push({ path, message: r.reason });
    return undefined;
  };

/**
 * Payments as stored, for reports and claims alike: recipients checked and normalised, bank and
 * card numbers replaced by keyed tokens. Problems are added to `problems` under `payments.<i>`.
 */
export function normalisePayments(
  payments: readonly PaymentInput[] | undefined,
  indicatorKey: Uint8Array,
  problems: FieldProblem[],
): StoredPayment[] {
  const take = taker(problems);
  return (payments ?? []).map((p, i) => {
    const base = `payments.${i}.recipient`;
    const { recipient, indicator } = p.recipient
      ? normaliseRecipient(p.recipient, base, indicatorKey, take, problems)
      : { recipient: undefined, indicator: undefined };
    return compact<StoredPayment>({
      amountCents: p.amountCents,
      currency: p.currency,
      date: p.date,
      method: p.method,
      recipient,
      indicator,
    });
  });
}

export function normaliseReport(input: ReportInput, indicatorKey: Uint8Array): NormalisedReport {
  const problems: FieldProblem[] = [];
  const take = taker(problems);
  const payments = normalisePayments(input.payments, indicatorKey, problems);

  const s = input.scammer;
  const many = (
    list: string[] | undefined,
    path: string,
    fn: (raw: string) => NormaliseResult,
  ): IndicatorRef[] => {
    const out: IndicatorRef[] = [];
    (list ?? []).forEach((raw, i) => {
      if (raw.trim() === '') return; // an empty box on a form is not an identifier
      const ref = take(`${path}.${i}`, fn(raw));
      if (ref && !out.some((o) => o.value === ref.value)) out.push(ref);
    });
    return out;
  };
  const scammer: ReportContent['scammer'] = compact({
    phones: many(s?.phones, 'scammer.phones', (r) => normalisePhone(r)),
    emails: many(s?.emails, 'scammer.emails', normaliseEmail),
    websites: many(s?.websites, 'scammer.websites', normaliseDomain),
    socialHandles: many(s?.socialHandles, 'scammer.socialHandles', normaliseSocialHandle),
    namesUsed: (s?.namesUsed ?? []).filter((n) => n.trim() !== ''),
    impersonated: blankToUndefined(s?.impersonated),
  });

  let filer: ReportContent['filer'];
  if (input.filer) {
    const f = input.filer;
    let contact: NonNullable<ReportContent['filer']>['contact'];
    if (f.contact) {
      const email = blankToUndefined(f.contact.email);
      const phone = blankToUndefined(f.contact.phone);
      contact = compact({
        name: blankToUndefined(f.contact.name),
        email: email === undefined ? undefined : take('filer.contact.email', normaliseEmail(email))?.value,
        phone: phone === undefined ? undefined : take('filer.contact.phone', normalisePhone(phone))?.value,
      });
    }
    filer = compact({
      role: f.role,
      ageRange: f.ageRange,
      state: f.state,
      zip: f.zip,
      language: f.language,
      contact,
      onBehalfOf: f.onBehalfOf
        ? compact({
            name: blankToUndefined(f.onBehalfOf.name),
            relationship: blankToUndefined(f.onBehalfOf.relationship),
          })
        : undefined,
    });
  }

  if (problems.length > 0) throw new ValidationError(problems);

  const content: ReportContent = compact({
    filer,
    incident: compact({
      category: input.incident.category,
      contactMethod: input.incident.contactMethod,
      firstContactDate: input.incident.firstContactDate,
      narrative: input.incident.narrative,
    }),
    payments,
    scammer,
    consents: {
      shareWithLawEnforcement: input.consents.shareWithLawEnforcement,
      contactAboutRecovery: input.consents.contactAboutRecovery,
    },
  });
  return { content, links: linksOf(content) };
}

type Take = (path: string, r: NormaliseResult) => IndicatorRef | undefined;

function normaliseRecipient(
  r: RecipientInput,
  base: string,
  key: Uint8Array,
  take: Take,
  problems: FieldProblem[],
): { recipient: StoredRecipient; indicator?: IndicatorRef } {
  switch (r.kind) {
    case 'bank-account': {
      const accountNumber = blankToUndefined(r.accountNumber);
      const iban = blankToUndefined(r.iban);
      const routingNumber = blankToUndefined(r.routingNumber);
      const swift = blankToUndefined(r.swift);
      let indicator: IndicatorRef | undefined;
      if (accountNumber !== undefined || iban !== undefined) {
        const path =
          iban !== undefined && accountNumber === undefined ? `${base}.iban` : `${base}.accountNumber`;
        indicator = take(path, normaliseBankAccount({ routingNumber, accountNumber, iban, swift }, key));
      } else if (routingNumber !== undefined) {
        const checked = normaliseRoutingNumber(routingNumber);
        if (!checked.ok) problems.push({ path: `${base}.routingNumber`, message: checked.reason });
      }
      const bic = swift === undefined ? undefined : normaliseBic(swift);
      if (swift !== undefined && bic === undefined) {
        problems.push({
          path: `${base}.swift`,
          message: 'A SWIFT (BIC) code has 8 or 11 letters and digits, for example DEUTDEFF. Check it again.',
        });
      }
      // Only what the domain needs beside the keyed account token: the last four characters to
      // show staff, the IBAN's country once the IBAN passed its check, and a well-formed BIC. The
      // routing number is not kept: with the last four digits it narrows the account down.
      const checkedIban = iban === undefined ? undefined : normaliseIban(iban);
      const digits = (accountNumber ?? iban ?? '').replace(/[^0-9A-Za-z]/g, '');
      return {
        recipient: compact({
          kind: 'bank-account',
          bankName: blankToUndefined(r.bankName),
          accountLast4: indicator && digits.length >= 4 ? digits.slice(-4).toUpperCase() : undefined,
          ibanCountry: checkedIban?.ok ? checkedIban.iban.slice(0, 2) : undefined,
          swift: bic,
          accountHolderName: blankToUndefined(r.accountHolderName),
        }),
        indicator,
      };
    }
    case 'crypto-wallet': {
      const indicator = take(`${base}.address`, normaliseWallet(r.asset, r.address));
      const tx = blankToUndefined(r.txHash);
      let txHash: string | undefined;
      if (tx !== undefined) {
        const t = normaliseTxHash(r.asset, tx);
        if (t.ok) txHash = t.txHash;
        else problems.push({ path: `${base}.txHash`, message: t.reason });
      }
      return {
        recipient: compact({
          kind: 'crypto-wallet',
          asset: blankToUndefined(r.asset),
          address: indicator?.display ?? r.address.trim(),
          txHash,
          exchange: blankToUndefined(r.exchange),
        }),
        indicator,
      };
    }
    case 'payment-app': {
      const indicator = take(`${base}.handle`, normalisePaymentApp(r.service, r.handle));
      return {
        recipient: compact({
          kind: 'payment-app',
          service: blankToUndefined(r.service),
          handle: indicator?.display ?? r.handle.trim(),
        }),
        indicator,
      };
    }
    case 'gift-card': {
      const cardNumber = blankToUndefined(r.cardNumber);
      const indicator =
        cardNumber === undefined
          ? undefined
          : take(`${base}.cardNumber`, normaliseGiftCard(r.brand, cardNumber, key));
      const digits = (cardNumber ?? '').replace(/[^0-9A-Za-z]/g, '');
      return {
        recipient: compact({
          kind: 'gift-card',
          brand: blankToUndefined(r.brand),
          cardLast4: digits.length >= 4 ? digits.slice(-4) : undefined,
        }),
        indicator,
      };
    }
    case 'money-transfer': {
      const mtcn = blankToUndefined(r.mtcn);
      const indicator =
        mtcn === undefined ? undefined : take(`${base}.mtcn`, normaliseMoneyTransfer(r.provider, mtcn));
      return {
        recipient: compact({
          kind: 'money-transfer',
          provider: blankToUndefined(r.provider),
          mtcn: indicator ? indicator.value.split(':').pop() : undefined,
          receiverName: blankToUndefined(r.receiverName),
          receiverCountry: blankToUndefined(r.receiverCountry),
        }),
        indicator,
      };
    }
    case 'other':
      return { recipient: { kind: 'other', description: r.description } };
  }
}
