/**
 * From a validated claim to what is stored: payments normalised exactly as a report's (bank and
 * card numbers become keyed tokens), the claimant's contact details checked, recoveries no more
 * than what was paid, and the stored claim built field by field.
 */
import type { Claimant, ClaimContent } from './claim.ts';
import { formatCents } from './claim.ts';
import type { ClaimInput } from './claim-schema.ts';
import { usStates } from './enums.ts';
import { type FieldProblem, ValidationError } from './errors.ts';
import { last4, normaliseBankAccount, normaliseRoutingNumber } from './indicators/bank-account.ts';
import { normaliseEmail } from './indicators/email.ts';
import { normalisePhone } from './indicators/phone.ts';
import { blankToUndefined, compact, normalisePayments } from './report.ts';
import type { StoredPayment } from './report-content.ts';

/**
 * From a validated claim to what is stored. Payments are normalised exactly as a report's are.
 * `poolCurrency`: the currency of the pool claimed against, when there is one.
 */
export function normaliseClaim(
  input: ClaimInput,
  opts: { key: Uint8Array; now: Date; poolCurrency?: string; payments?: StoredPayment[] },
): ClaimContent {
  const problems: FieldProblem[] = [];
  const payments = opts.payments ?? normalisePayments(input.payments, opts.key, problems);
  if (payments.length === 0) {
    problems.push({ path: 'payments', message: 'List at least one payment you made to the scheme.' });
  }

  const c = input.claimant;
  const email = blankToUndefined(c.email);
  const phone = blankToUndefined(c.phone);
  let emailValue: string | undefined;
  let phoneValue: string | undefined;
  if (email !== undefined) {
    const r = normaliseEmail(email);
    if (r.ok) emailValue = r.indicator.value;
    else problems.push({ path: 'claimant.email', message: r.reason });
  }
  if (phone !== undefined) {
    const r = normalisePhone(phone);
    if (r.ok) phoneValue = r.indicator.value;
    else problems.push({ path: 'claimant.phone', message: r.reason });
  }
  let payoutAccount: Claimant['payoutAccount'];
  if (c.payoutAccount) {
    const r = normaliseBankAccount(c.payoutAccount, opts.key);
    // Routing number and last 4 as after a returned payment, so the payment file can pay it;
    // the full number is sealed by the use case once the claim has its id (file-claim.ts).
    const routing = normaliseRoutingNumber(c.payoutAccount.routingNumber);
    if (r.ok) {
      payoutAccount = compact({
        token: r.indicator.value,
        display: r.indicator.display,
        routingNumber: routing.ok ? routing.routingNumber : undefined,
        last4: last4(c.payoutAccount.accountNumber),
      });
    } else problems.push({ path: 'claimant.payoutAccount', message: r.reason });
  }
  const a = c.address;
  const country = a.country.toUpperCase();
  let state = blankToUndefined(a.state)?.trim();
  const zip = blankToUndefined(a.zip)?.trim();
  if (country === 'US') {
    state = state?.toUpperCase();
    if (!state || !(usStates as readonly string[]).includes(state)) {
      problems.push({ path: 'claimant.address.state', message: 'Choose a state (2-letter code, like FL).' });
    }
    if (!zip || !/^\d{5}(-?\d{4})?$/.test(zip)) {
      problems.push({ path: 'claimant.address.zip', message: 'Enter a 5-digit ZIP code, like 33101.' });
    }
  }

  const currencies = [...new Set(payments.map((p) => p.currency))];
  const currency = opts.poolCurrency ?? (currencies.length === 1 ? currencies[0]! : 'USD');
  const claimedCents = payments.filter((p) => p.currency === currency).reduce((s, p) => s + p.amountCents, 0);
  if (payments.length > 0 && claimedCents === 0) {
    problems.push({
      path: 'payments',
      message: `This programme counts losses in ${currency}. List what you paid in ${currency}.`,
    });
  } else if (input.recoveriesCents > claimedCents) {
    problems.push({
      path: 'recoveriesCents',
      message: `Recoveries (${formatCents(input.recoveriesCents, currency)}) cannot be more than you paid (${formatCents(claimedCents, currency)}). Check both amounts.`,
    });
  }
  if (problems.length > 0) throw new ValidationError(problems);

  return compact<ClaimContent>({
    poolId: input.poolId,
    reportIds: [],
    invitationCode: undefined,
    claimant: compact<Claimant>({
      name: c.name.trim(),
      email: emailValue,
      phone: phoneValue,
      address: compact({
        line1: a.line1.trim(),
        line2: blankToUndefined(a.line2)?.trim(),
        city: a.city.trim(),
        state,
        zip,
        country,
      }),
      payoutAccount,
      payoutMethod: payoutAccount ? 'direct-deposit' : undefined,
    }),
    language: input.language,
    payments,
    currency,
    claimedCents,
    recoveriesCents: input.recoveriesCents,
    attestation: {
      underPenaltyOfPerjury: true,
      notInvolvedInOffense: true,
      signedName: input.attestation.signedName.trim(),
      signedAt: opts.now.toISOString(),
    },
  });
}
