/**
 * Payment reconciliation: the disbursing bank's (or Treasury's) results file against the payment
 * file that was released.
 *
 * The file is CSV (RFC 4180, parsed by csv-parse) with a header row naming the columns
 * `claim_id, amount, status, date, payment_reference` (any order, any case). `amount` is in the
 * plan's currency units with exactly two decimals (`123.45`); `status` is PAID, RETURNED or VOID
 * (a voided or uncashed check: its money goes back like a returned one); `date` is YYYY-MM-DD.
 *
 * reconcileResults checks every line and either accepts the whole file or refuses it, listing
 * every line that does not reconcile with its line number and reason: a claim not in the released
 * file, another amount than released, a payment already reported, a claim listed twice. Nothing
 * from a refused file is applied. Pure: the caller supplies what was released and what has been
 * reported so far.
 */
import { CsvError, parse } from 'csv-parse/sync';
import type { LineProblem } from './errors.ts';

export type ResultStatus = 'PAID' | 'RETURNED' | 'VOID';
export const RESULT_STATUSES: readonly ResultStatus[] = ['PAID', 'RETURNED', 'VOID'];

export interface ResultLine {
  readonly line: number;
  readonly claimId: string;
  readonly amountCents: number;
  readonly status: ResultStatus;
  readonly date: string;
  readonly reference: string;
}

/** What the released payment file holds for one claim, and what was reported for it so far. */
export interface ReleasedPayment {
  readonly payoutCents: number;
  /** Set once a results file reported this payment. */
  readonly reported?: ResultStatus;
}

export interface Reconciliation {
  readonly accepted: readonly ResultLine[];
  readonly problems: readonly LineProblem[];
  readonly totals: {
    readonly paidCents: number;
    readonly returnedCents: number;
    readonly paid: number;
    readonly returned: number;
  };
}

const COLUMNS = ['claim_id', 'amount', 'status', 'date', 'payment_reference'] as const;
const AMOUNT = /^\d{1,13}\.\d{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Enough for any bank's reference; longer text is not a reference. */
const MAX_REFERENCE = 64;

function validDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** `12.34` -> 1234; only exact two-decimal amounts, so a file never rounds anybody's money. */
export function parseAmount(s: string): number | undefined {
  if (!AMOUNT.test(s)) return undefined;
  const [whole, frac] = s.split('.') as [string, string];
  const cents = Number(whole) * 100 + Number(frac);
  return Number.isSafeInteger(cents) ? cents : undefined;
}

export const formatAmount = (cents: number) =>
  `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

/** Parses the file into lines, or problems for lines that are not even well formed. */
export function parseResultsCsv(text: string): { lines: ResultLine[]; problems: LineProblem[] } {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      info: true,
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
    }) as typeof records;
  } catch (e) {
    if (e instanceof CsvError) {
      const line = Number((e as CsvError & { lines?: number }).lines ?? 1);
      return { lines: [], problems: [{ line, reason: `The file is not valid CSV here: ${e.message}` }] };
    }
    throw e;
  }
  const first = records[0];
  const header = first ? Object.keys(first.record) : [];
  const missing = COLUMNS.filter((c) => !header.includes(c));
  if (records.length === 0 || missing.length > 0) {
    return {
      lines: [],
      problems: [
        {
          line: 1,
          reason:
            records.length === 0
              ? `The file has no payment lines. Send a header row (${COLUMNS.join(',')}) and one line per payment.`
              : `The header row lacks ${missing.join(', ')}. Expected columns: ${COLUMNS.join(', ')}.`,
        },
      ],
    };
  }
  const lines: ResultLine[] = [];
  const problems: LineProblem[] = [];
  for (const { record, info } of records) {
    const line = info.lines;
    const claimId = record['claim_id'] ?? '';
    const fail = (reason: string) => problems.push({ line, ...(claimId ? { claimId } : {}), reason });
    const amountCents = parseAmount(record['amount'] ?? '');
    const status = (record['status'] ?? '').toUpperCase() as ResultStatus;
    const date = record['date'] ?? '';
    const reference = record['payment_reference'] ?? '';
    if (!claimId) fail('The claim id is empty.');
    else if (amountCents === undefined)
      fail(`The amount "${record['amount'] ?? ''}" is not an amount with two decimals, like 123.45.`);
    else if (!RESULT_STATUSES.includes(status))
      fail(`The status "${record['status'] ?? ''}" is not one of PAID, RETURNED or VOID.`);
    else if (!validDate(date)) fail(`The date "${date}" is not a date like 2027-01-31.`);
    else if (!reference || reference.length > MAX_REFERENCE)
      fail(`The payment reference must be 1 to ${MAX_REFERENCE} characters.`);
    else lines.push({ line, claimId, amountCents, status, date, reference });
  }
  return { lines, problems };
}

/**
 * Checks parsed lines against the released payments. Problems from parsing are kept; the file is
 * accepted only when there are none at all.
 */
export function reconcileResults(
  parsed: { lines: readonly ResultLine[]; problems: readonly LineProblem[] },
  released: ReadonlyMap<string, ReleasedPayment>,
): Reconciliation {
  const problems: LineProblem[] = [...parsed.problems];
  const seen = new Map<string, number>();
  const totals = { paidCents: 0, returnedCents: 0, paid: 0, returned: 0 };
  for (const l of parsed.lines) {
    const fail = (reason: string) => problems.push({ line: l.line, claimId: l.claimId, reason });
    const payment = released.get(l.claimId);
    const earlier = seen.get(l.claimId);
    if (!payment) {
      fail('This claim has no payment in the released payment file of this plan.');
    } else if (earlier !== undefined) {
      fail(`This claim is already on line ${earlier} of this file.`);
    } else if (payment.reported === 'PAID') {
      fail('This payment was already reported as paid.');
    } else if (payment.reported !== undefined) {
      fail(`This payment was already reported as ${payment.reported.toLowerCase()}.`);
    } else if (l.amountCents !== payment.payoutCents) {
      fail(
        `The amount ${formatAmount(l.amountCents)} is not the ${formatAmount(payment.payoutCents)} released for this claim.`,
      );
    } else if (l.status === 'PAID') {
      totals.paidCents += l.amountCents;
      totals.paid++;
    } else {
      totals.returnedCents += l.amountCents;
      totals.returned++;
    }
    if (earlier === undefined) seen.set(l.claimId, l.line);
  }
  problems.sort((a, b) => a.line - b.line);
  return { accepted: problems.length === 0 ? parsed.lines : [], problems, totals };
}
