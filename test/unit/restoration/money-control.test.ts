import { describe, expect, it } from 'vitest';
import { signOff } from '#shared/domain/dual-control.ts';
import { ConflictError, ForbiddenError } from '#shared/domain/errors.ts';
import { parseAmount, parseResultsCsv, reconcileResults } from '#shared/domain/payment-results.ts';

describe('dual control', () => {
  const plan = { createdBy: 'ann', requiredApprovers: 2 };

  it("refuses the creator's own sign-off and the pool amount's last changer, saying a second admin must approve", () => {
    expect(() => signOff(plan, [], 'ann', 't', 'approve')).toThrow(ForbiddenError);
    expect(() => signOff(plan, [], 'ann', 't', 'approve')).toThrow('a second admin must approve');
    expect(() => signOff({ ...plan, poolAmountChangedBy: 'bo' }, [], 'bo', 't', 'release')).toThrow(
      ForbiddenError,
    );
  });

  it('completes with one other admin when two people are required, and needs two others for three', () => {
    expect(signOff(plan, [], 'bo', 't', 'approve')).toMatchObject({ complete: true, missing: 0 });
    const three = { ...plan, requiredApprovers: 3 };
    const first = signOff(three, [], 'bo', 't1', 'approve');
    expect(first).toMatchObject({ complete: false, missing: 1 });
    expect(() => signOff(three, first.signOffs, 'bo', 't2', 'approve')).toThrow(ConflictError);
    expect(signOff(three, first.signOffs, 'cy', 't2', 'approve')).toMatchObject({
      complete: true,
      signOffs: [
        { by: 'bo', at: 't1' },
        { by: 'cy', at: 't2' },
      ],
    });
  });

  it('never lets a configuration below two people through', () => {
    expect(signOff({ createdBy: 'ann', requiredApprovers: 1 }, [], 'bo', 't', 'approve').complete).toBe(true);
    expect(() => signOff({ createdBy: 'ann', requiredApprovers: 1 }, [], 'ann', 't', 'approve')).toThrow(
      ForbiddenError,
    );
  });
});

describe('payment results', () => {
  const released = new Map([
    ['CLM-A', { payoutCents: 62_780 }],
    ['CLM-B', { payoutCents: 35_875, reported: 'PAID' as const }],
    ['CLM-C', { payoutCents: 1_345 }],
  ]);

  it('reads amounts only with exactly two decimals', () => {
    expect(parseAmount('627.80')).toBe(62_780);
    expect(parseAmount('0.05')).toBe(5);
    for (const bad of ['627.8', '627', '-1.00', '1,000.00', '6.275', ' 1.00', '1e3'])
      expect(parseAmount(bad)).toBeUndefined();
  });

  it('accepts a file that reconciles to the cent, columns in any order and case, with a BOM', () => {
    const csv =
      '\uFEFFPayment_Reference,Claim_ID,Status,Amount,Date\r\nR1,CLM-A,paid,627.80,2027-01-15\r\nR3,CLM-C,VOID,13.45,2027-02-01\r\n';
    const out = reconcileResults(parseResultsCsv(csv), released);
    expect(out.problems).toEqual([]);
    expect(out.accepted.map((l) => [l.line, l.claimId, l.status])).toEqual([
      [2, 'CLM-A', 'PAID'],
      [3, 'CLM-C', 'VOID'],
    ]);
    expect(out.totals).toEqual({ paidCents: 62_780, paid: 1, returnedCents: 1_345, returned: 1 });
  });

  it('refuses the whole file, naming each line and why: unknown, other amount, already paid, twice, malformed', () => {
    const csv = [
      'claim_id,amount,status,date,payment_reference',
      'CLM-A,627.80,PAID,2027-01-15,R1',
      'CLM-X,1.00,PAID,2027-01-15,R2',
      'CLM-C,13.44,RETURNED,2027-01-15,R3',
      'CLM-B,358.75,PAID,2027-01-15,R4',
      'CLM-A,627.80,PAID,2027-01-15,R5',
      'CLM-C,13.45,RETURNED,2027-02-30,R6',
      'CLM-C,13.45,RETURNED,2027-02-03,',
    ].join('\n');
    const out = reconcileResults(parseResultsCsv(csv), released);
    expect(out.accepted).toEqual([]);
    expect(out.problems.map((p) => [p.line, p.reason])).toEqual([
      [3, 'This claim has no payment in the released payment file of this plan.'],
      [4, 'The amount 13.44 is not the 13.45 released for this claim.'],
      [5, 'This payment was already reported as paid.'],
      [6, 'This claim is already on line 2 of this file.'],
      [7, 'The date "2027-02-30" is not a date like 2027-01-31.'],
      [8, 'The payment reference must be 1 to 64 characters.'],
    ]);
  });

  it('says what is wrong with a file that is not the expected CSV at all', () => {
    expect(parseResultsCsv('').problems[0]!.reason).toContain('no payment lines');
    expect(parseResultsCsv('claim,amount\nA,1.00\n').problems[0]!.reason).toContain(
      'lacks claim_id, status, date, payment_reference',
    );
    expect(
      parseResultsCsv('claim_id,amount,status,date,payment_reference\nA,1.00\n').problems[0],
    ).toMatchObject({
      line: 2,
    });
  });
});
