/**
 * Demo data for the local runtime (`npm run seed`, docs/demo-data.md): about 2,000 reports in
 * English and Spanish drawn from the FTC 2024 distributions (bench/synthetic-reports.ts), spread
 * over the last twelve weeks; two programmes seizing the most-reported scammers' accounts; claims
 * in every state of their life, a few of them flagged for reviewers; a plan made, approved and
 * released by two admins, its lines in S3, and a bank's results file reconciled.
 *
 * It runs the use cases the handlers and the distribution worker run (validate, enrich with
 * matching and the dashboard's counters, create pools, file and decide claims, plan, approve,
 * release, reconcile), with ids, codes and times drawn from a fixed seed. Nothing goes through
 * HTTP or the queues: reports must carry past receipt dates for the dashboard's weeks, which the
 * API rightly never accepts, and the plan job's steps run here in order.
 *
 * Re-runnable: every id is deterministic and every step first looks at what is stored, so a
 * second run (or one after a crash) adds nothing that is already there.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Claim } from '#shared/domain/claim.ts';
import { checkCharacter, parseReference } from '#shared/domain/ids.ts';
import { formatAmount } from '#shared/domain/payment-results.ts';
import type { DistributionJobV1 } from '#shared/messages/distribution-job.ts';
import { reportReceivedMessage } from '#shared/messages/report-received.ts';
import { ClaimRepository } from '#shared/storage/claim-repository.ts';
import { ClaimantIndex } from '#shared/storage/claimant-index.ts';
import { DistributionRepository } from '#shared/storage/distribution-repository.ts';
import { PoolRepository } from '#shared/storage/pool-repository.ts';
import { RateLimitRepository } from '#shared/storage/rate-limit-repository.ts';
import { ReportRepository } from '#shared/storage/report-repository.ts';
import { StatsRepository } from '#shared/storage/stats-repository.ts';
import { runApprovalStep } from '#shared/use-cases/approval-job.ts';
import { requestReconsideration } from '#shared/use-cases/claim-status.ts';
import { countClaimChanges } from '#shared/use-cases/dashboard.ts';
import {
  type ArtefactStore,
  approvePlan,
  type DistributionDeps,
  jobMessage,
  releasePlan,
  startPlan,
} from '#shared/use-cases/distribute.ts';
import { enrichReport } from '#shared/use-cases/enrich-report.ts';
import { fileClaim } from '#shared/use-cases/file-claim.ts';
import { createPool, updatePool } from '#shared/use-cases/manage-pools.ts';
import { mapLimit, matchSubject } from '#shared/use-cases/match-pools.ts';
import { runPaymentFileStep } from '#shared/use-cases/payment-file-job.ts';
import { applyResultsStep, releasedPayments, submitResults } from '#shared/use-cases/payment-results.ts';
import type { PayoutVault } from '#shared/use-cases/payout-vault.ts';
import { runPlanStep } from '#shared/use-cases/plan-job.ts';
import { decideClaim } from '#shared/use-cases/review-claims.ts';
import { validateReport } from '#shared/use-cases/submit-report.ts';
import { rng, scammerAccounts, scammerOf, syntheticReport } from '../bench/synthetic-reports.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** How many scammers the reports are spread over: few enough that identifiers repeat a lot. */
const SCAMMERS = 40;
const WEEKS = 12;

/** A reference like the real ones (prefix, 15 characters, check character), from a seed. */
export function seededReference(prefix: string, seed: number): string {
  const r = rng(seed);
  let payload = '';
  for (let i = 0; i < 15; i++) payload += ALPHABET[Math.floor(r() * 32)];
  return parseReference(prefix, `${prefix}${payload}${checkCharacter(payload)}`)!;
}

function seededAccessCode(seed: number): string {
  const r = rng(seed);
  let out = '';
  for (let i = 0; i < 28; i++) out += ALPHABET[Math.floor(r() * 32)];
  return out.match(/.{4}/g)!.join('-');
}

const NARRATIVES = {
  en: [
    'Someone called saying they were from the government and that I owed money. They told me to pay right away or be arrested.',
    'I ordered something online from a site I found in an ad. I paid and nothing ever arrived; the site is gone now.',
    'A man I met online said he loved me and needed money for a plane ticket. I sent money several times.',
    'They promised big returns on an investment app. I could see my balance grow but could never withdraw.',
    'A pop-up said my computer had a virus and to call a number. The technician asked me to pay for the repair.',
    'I was told I had won a prize but had to pay taxes and fees first. I paid and never received anything.',
  ],
  es: [
    'Me llamaron diciendo que eran del gobierno y que yo debía dinero. Me dijeron que pagara enseguida o me arrestarían.',
    'Compré algo en una página que vi en un anuncio. Pagué y nunca llegó nada; la página ya no existe.',
    'Un hombre que conocí por internet dijo que me amaba y necesitaba dinero para un boleto de avión. Le envié dinero varias veces.',
    'Me prometieron grandes ganancias en una aplicación de inversiones. Veía crecer mi saldo pero nunca pude retirarlo.',
    'Un aviso en la pantalla decía que mi computadora tenía un virus y que llamara a un número. El técnico me pidió pagar la reparación.',
    'Me dijeron que había ganado un premio pero que primero debía pagar impuestos y cargos. Pagué y nunca recibí nada.',
  ],
} as const;

const NAMES = {
  en: [
    'Margaret Ellis',
    'Robert Chen',
    'Linda Johnson',
    'James Carter',
    'Patricia Moore',
    'Walter Brooks',
    'Dorothy Hayes',
    'George Miller',
    'Helen Price',
    'Frank Turner',
  ],
  es: [
    'María González',
    'José Ramírez',
    'Carmen López',
    'Luis Hernández',
    'Rosa Martínez',
    'Jorge Castillo',
    'Ana Torres',
    'Miguel Flores',
    'Lucía Vargas',
    'Pedro Morales',
  ],
} as const;

const STREETS = ['Oak Street', 'Maple Avenue', 'Pine Road', 'Cedar Lane', 'Elm Drive', 'Palm Boulevard'];
const CITIES: readonly [string, string, string][] = [
  ['Miami', 'FL', '33101'],
  ['Phoenix', 'AZ', '85001'],
  ['San Antonio', 'TX', '78205'],
  ['Chicago', 'IL', '60601'],
  ['Tampa', 'FL', '33602'],
  ['Los Angeles', 'CA', '90012'],
];

/** Report i of the demo: the synthetic FTC-shaped body, in Spanish for about a quarter. */
export function demoReport(i: number): { body: Record<string, unknown>; lang: 'en' | 'es'; scammer: number } {
  const seed = 10_000 + i;
  const body = syntheticReport(seed, SCAMMERS);
  const r = rng(seed * 7 + 1);
  const lang = r() < 0.25 ? 'es' : 'en';
  const narratives = NARRATIVES[lang];
  const filer: Record<string, unknown> = { ...(body['filer'] as object), language: lang };
  // About half give their name and e-mail for follow-up.
  if (r() < 0.5) {
    const names = NAMES[lang];
    filer['contact'] = { name: names[Math.floor(r() * names.length)], email: `demo${i}@example.org` };
  }
  body['filer'] = filer;
  body['incident'] = {
    ...(body['incident'] as object),
    narrative: narratives[Math.floor(r() * narratives.length)],
  };
  return { body, lang, scammer: scammerOf(seed, SCAMMERS) };
}

/** When report i arrived: within the last twelve weeks, more of them recently (reports grow). */
function receivedAt(i: number, now: Date): string {
  const r = rng(i * 13 + 5);
  const daysAgo = Math.floor(WEEKS * 7 * r() ** 1.3);
  const seconds = Math.floor(r() * 86_400);
  return new Date(now.getTime() - daysAgo * 86_400_000 - seconds * 1000).toISOString();
}

export interface SeedOptions {
  doc: DynamoDBDocumentClient;
  table: string;
  key: Uint8Array;
  /** Seals the demo claimants' account numbers as the claims function does; opens them for the payment file. */
  payoutVault: PayoutVault;
  /** The runtime's artefact bucket (s3rver): plans' lines and payment results live there. */
  artefacts: ArtefactStore;
  reports?: number;
  now?: Date;
  log?: (line: string) => void;
}

export interface SeedSummary {
  reports: { total: number; created: number; spanish: number };
  pools: string[];
  /** Programme A's plan: created by one admin, approved and released by another, reconciled. */
  distribution: { distributionId: string; status: string; resultsFiles: number };
  claims: { total: number; created: number; byStatus: Record<string, number> };
  millis: number;
}

export async function seedDemoData(o: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const now = o.now ?? new Date();
  const log = o.log ?? (() => {});
  const total = o.reports ?? 2000;
  const stats = new StatsRepository(o.doc, o.table);
  const reports = new ReportRepository(o.doc, o.table);
  const pools = new PoolRepository(o.doc, o.table);
  const claims = countClaimChanges(new ClaimRepository(o.doc, o.table), stats, (e) => {
    throw e;
  });
  const contacts = new ClaimantIndex(o.doc, o.table);
  let codes = 0;
  // One at a time and seeded, so the same report always gets the same invitation code.
  const matchDeps = {
    pools,
    claims,
    concurrency: 1,
    newCode: () => seededReference('INV', 3_000_000 + codes++),
  };

  // 1. Reports, enriched (links, matching, dashboard counters) as the queue consumer does.
  let created = 0;
  let spanish = 0;
  const byScammer = new Map<number, number>();
  await mapLimit(
    Array.from({ length: total }, (_, i) => i),
    8,
    async (i) => {
      const { body, lang, scammer } = demoReport(i);
      if (lang === 'es') spanish++;
      byScammer.set(scammer, (byScammer.get(scammer) ?? 0) + 1);
      const reportId = seededReference('RPT', 1_000_000 + i);
      let at = receivedAt(i, now);
      let { content } = validateReport(body, o.key);
      if (await reports.putReceived(reportId, at, content)) created++;
      else {
        const stored = await reports.get(reportId);
        if (!stored || stored.status === 'ENRICHED') return;
        ({ receivedAt: at, content } = stored);
      }
      await enrichReport(reportReceivedMessage(reportId, at, content), {
        store: reports,
        match: (s) => matchSubject(s, matchDeps),
        counter: stats,
        now: () => new Date(Date.parse(at) + 3000),
      });
    },
  );
  log(`reports: ${total} (${created} new, ${spanish} in Spanish)`);

  // 2. Two programmes seizing the most-reported scammers' accounts.
  const top = [...byScammer.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([s]) => s);
  const deadline = new Date(now.getTime() + 120 * 86_400_000).toISOString().slice(0, 10);
  const programmes = [
    {
      poolId: seededReference('POOL', 4_000_001),
      body: {
        name: 'Operation Lighthouse remission',
        caseNumber: '1:26-cv-00417',
        court: 'U.S. District Court for the District of Columbia',
        description:
          'Money seized from a ring that ran fake investment and romance schemes paid in crypto and wires.',
        es: {
          name: 'Remisión de la Operación Faro',
          description:
            'Dinero incautado a una red que operaba falsas inversiones y estafas románticas pagadas en criptomonedas y transferencias.',
          eligibility:
            'Puede calificar si pagó a una de las cuentas o billeteras incautadas en este caso y no participó en el delito. Presentar un reclamo es gratis.',
        },
        // Set to 60% of the approved losses before the plan (step 4), so the plan pays pro rata.
        amountCents: 2_500_000,
        minimumPayoutCents: 2_500,
        claimDeadline: deadline,
        seizedIndicators: top.slice(0, 8).flatMap((s) => {
          const a = scammerAccounts(s);
          return [
            { type: 'crypto-wallet', value: a.wallet },
            { type: 'bank-account', value: `${a.bank.routingNumber}:${a.bank.accountNumber}` },
          ];
        }),
      },
    },
    {
      poolId: seededReference('POOL', 4_000_002),
      body: {
        name: 'Gift card and payment app recovery fund',
        caseNumber: '2:26-cr-00088',
        court: 'U.S. District Court for the District of Arizona',
        description: 'Funds frozen in payment app accounts used by an imposter call centre.',
        amountCents: 40_000_000,
        claimDeadline: deadline,
        seizedIndicators: top
          .slice(8, 16)
          .map((s) => ({ type: 'payment-app', value: scammerAccounts(s).handle })),
      },
    },
  ];
  for (const p of programmes) {
    if (await pools.get(p.poolId)) continue;
    await createPool(p.body, 'seed-admin', {
      ...matchDeps,
      key: o.key,
      newId: () => p.poolId,
      now: () => new Date(now.getTime() - 30 * 86_400_000),
    });
  }
  log(`pools: ${programmes.map((p) => p.poolId).join(', ')}`);

  // 3. Claims from the invitations, each taken to a point of its life.
  const reviewDeps = { claims, pools, flags: { contacts, reports } };
  const counter = new RateLimitRepository(o.doc, o.table);
  let claimsCreated = 0;
  const claimIds: string[] = [];
  // Interleaved, so that even a small seed has claims in every state. PLANNED: approved, then
  // put in programme A's payment plan.
  const cycleA = [
    'PLANNED',
    'SUBMITTED',
    'PLANNED',
    'UNDER_REVIEW',
    'PLANNED',
    'NEEDS_INFO',
    'DENIED',
    'PLANNED',
    'RECONSIDERATION_REQUESTED',
  ];
  const cycleB = ['SUBMITTED', 'APPROVED', 'UNDER_REVIEW', 'APPROVED'];
  const lifecycleA = Array.from({ length: 60 }, (_, i) => cycleA[i % cycleA.length]!);
  const lifecycleB = Array.from({ length: 30 }, (_, i) => cycleB[i % cycleB.length]!);
  let n = 0;
  for (const [p, lifecycle] of [
    [programmes[0]!, lifecycleA],
    [programmes[1]!, lifecycleB],
  ] as const) {
    const invitations = (await pools.listInvitations(p.poolId)).sort((a, b) => a.code.localeCompare(b.code));
    for (const [j, target] of lifecycle.entries()) {
      const inv = invitations[j];
      if (!inv) break;
      const k = n++;
      const claimId = seededReference('CLM', 2_000_000 + k);
      const accessCode = seededAccessCode(5_000_000 + k);
      claimIds.push(claimId);
      if (!(await claims.get(claimId))) {
        const report = await reports.get(inv.reportId);
        const lang = report?.content.filer?.language === 'es' ? 'es' : 'en';
        const r = rng(6_000_000 + k);
        const name =
          k === 4
            ? 'Samuel Ortiz'
            : (report?.content.filer?.contact?.name ?? NAMES[lang][Math.floor(r() * 10)]!);
        const [city, state, zip] = CITIES[Math.floor(r() * CITIES.length)]!;
        // Claims 3 and 4 share a payout account under different names: the reviewers' flag.
        const account = k === 3 || k === 4 ? '55512340' : String(70_000_000 + k);
        await fileClaim(
          {
            invitationCode: inv.code,
            claimant: {
              name,
              email: `claimant${k}@example.org`,
              address: { line1: `${100 + k} ${STREETS[k % STREETS.length]}`, city, state, zip },
              payoutAccount: { routingNumber: '011000015', accountNumber: account },
            },
            attestation: { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: name },
          },
          {
            pools,
            claims,
            reports,
            contacts,
            key: o.key,
            payoutVault: o.payoutVault,
            match: (s) => matchSubject(s, matchDeps),
            guesses: { counter, clientHash: 'seed' },
            now: () => new Date(now.getTime() - (25 - (k % 25)) * 86_400_000),
            newClaimId: () => claimId,
            newAccessCode: () => accessCode,
          },
        );
        claimsCreated++;
      }
      // The first claim of the plan gets a loss below the minimum payment: the plan closes it.
      await advance(claimId, accessCode, target, k === 0 ? 1_000 : undefined);
    }
  }

  async function advance(claimId: string, accessCode: string, target: string, lossCents?: number) {
    const decide = (body: Record<string, unknown>) => decideClaim(claimId, body, 'seed-reviewer', reviewDeps);
    let claim = (await claims.get(claimId))!;
    const step = async (from: readonly string[], act: () => Promise<unknown>) => {
      if (from.includes(claim.status)) {
        await act();
        claim = (await claims.get(claimId))!;
      }
    };
    if (target === 'SUBMITTED') return;
    await step(['SUBMITTED'], () => decide({ decision: 'begin-review' }));
    if (target === 'UNDER_REVIEW') return;
    if (target === 'NEEDS_INFO') {
      await step(['UNDER_REVIEW'], () =>
        decide({ decision: 'request-info', message: 'Please send a bank statement showing the payment.' }),
      );
      return;
    }
    if (target === 'DENIED' || target === 'RECONSIDERATION_REQUESTED') {
      await step(['UNDER_REVIEW'], () =>
        decide({ decision: 'deny', reason: 'The payment listed does not match the seized accounts.' }),
      );
      if (target === 'RECONSIDERATION_REQUESTED') {
        await step(['DENIED'], () =>
          requestReconsideration(
            { claimId, accessCode, reason: 'I have the receipt from my bank showing the transfer.' },
            { claims, pools, counter, clientHash: 'seed' },
          ),
        );
      }
      return;
    }
    await step(['UNDER_REVIEW'], () =>
      decide({
        decision: 'approve',
        recognizedLossCents: Math.min(
          lossCents ?? Number.MAX_SAFE_INTEGER,
          claim.claimedCents - claim.recoveriesCents,
        ),
      }),
    );
  }

  // 4. Programme A's payment plan, as two admins and the distribution worker make it: admin A
  //    starts it, the worker's plan job computes it (lines in S3), admin B approves it and
  //    releases the payment file, and a bank's results file comes back: some payments PAID, one
  //    RETURNED, the rest still PAYMENT_SCHEDULED. The job's steps run here, one after the
  //    other, exactly as the worker runs them from its queue. Each step looks at the plan first,
  //    so a second run (or one after a crash) carries on where the plan stands.
  const distributionId = seededReference('DST', 7_000_001);
  const steps: DistributionJobV1[] = [];
  const at = (daysAgo: number) => () => new Date(now.getTime() - daysAgo * 86_400_000);
  const money: DistributionDeps = {
    pools,
    claims,
    distributions: new DistributionRepository(o.doc, o.table),
    artefacts: o.artefacts,
    jobs: { send: async (m) => void steps.push(m) },
    counts: stats,
    settings: { approvers: 2, returnedPaymentWaitDays: 90 },
    newId: () => distributionId,
  };
  // The seed is no staff request: the payment file job's audit entry (its checksum) is skipped.
  const withAudit = (deps: DistributionDeps) => ({
    ...deps,
    audit: { record: async () => {} },
    payoutVault: o.payoutVault,
  });
  const work = async (deps: DistributionDeps) => {
    for (let m = steps.shift(); m; m = steps.shift()) {
      if (m.kind === 'plan') await runPlanStep(m, 1, deps);
      else if (m.kind === 'approve') await runApprovalStep(m, 1, deps);
      else if (m.kind === 'payment-file') await runPaymentFileStep(m, 1, withAudit(deps));
      else await applyResultsStep(m, 1, deps);
    }
  };
  const poolA = programmes[0]!.poolId;
  const plan = () => money.distributions.getHeader(poolA, distributionId);
  let header = await plan();
  if (!header) {
    // The court released less than the approved losses (60% of them, whatever the seed's size),
    // so the plan pays pro rata and closes the claim whose share falls below the minimum.
    const approved = await claims.approvedForPool(poolA);
    const amountCents = Math.max(
      1,
      Math.floor(approved.reduce((t, c) => t + c.recognizedLossCents, 0) * 0.6),
    );
    if ((await pools.get(poolA))?.amountCents !== amountCents) {
      await updatePool(poolA, { amountCents }, 'seed-admin', { ...matchDeps, key: o.key, now: at(7) });
    }
    await startPlan(poolA, 'seed-admin', { ...money, now: at(6) });
    await work({ ...money, now: at(6) });
  } else if (header.status === 'COMPUTING') {
    // A run that stopped mid-job: send the step the plan is waiting for.
    steps.push(jobMessage(header, 'plan', header.job.step));
    await work({ ...money, now: at(6) });
  }
  // Approving and releasing start jobs too (moving the claims, writing the payment file); a run
  // that stopped mid-job presses the button again, which queues the step the job waits for.
  const before = await plan();
  if (
    before?.status === 'PLANNED' ||
    (before?.status === 'APPROVED' && before.scheduling && before.scheduling.state !== 'DONE')
  ) {
    await approvePlan(poolA, distributionId, 'seed-admin-2', { ...money, now: at(5) });
    await work({ ...money, now: at(5) });
  }
  if ((await plan())?.status === 'APPROVED') {
    await releasePlan(poolA, distributionId, 'seed-admin-2', { ...money, now: at(4) });
    await work({ ...money, now: at(4) });
  } else if ((await plan())?.paymentFile?.state === 'WRITING') {
    const h = (await plan())!;
    steps.push(jobMessage(h, 'payment-file', h.paymentFile!.step));
    await work({ ...money, now: at(4) });
  }
  header = await plan();
  const results = header?.results as { state?: string; step?: number; files?: number } | undefined;
  if (header?.status === 'RELEASED' && !results) {
    // The bank's file: the first payment (by claim id) came back, every other one after it was
    // paid, the rest are not reported yet.
    const released = [...(await releasedPayments(header, money)).entries()].sort((a, b) =>
      a[0].localeCompare(b[0]),
    );
    const date = at(1)().toISOString().slice(0, 10);
    const lines = released.flatMap(([claimId, p], i) =>
      i === 0 || i % 2 === 1
        ? [`${claimId},${formatAmount(p.payoutCents)},${i === 0 ? 'RETURNED' : 'PAID'},${date},SEED-${i}`]
        : [],
    );
    const csv = ['claim_id,amount,status,date,payment_reference', ...lines].join('\r\n');
    await submitResults(poolA, distributionId, csv, { ...money, now: at(1) });
    await work({ ...money, now: at(1) });
  } else if (header && results?.state === 'APPLYING') {
    steps.push(jobMessage(header, 'results', results.step ?? 0, results.files));
    await work({ ...money, now: at(1) });
  }
  header = await plan();
  log(`plan: ${distributionId} ${header?.status} (created by seed-admin, approved by seed-admin-2)`);

  // 5. Two flagged claims without invitations: an inflated loss, and a reused invitation code.
  const extra = [
    { claimId: seededReference('CLM', 2_900_001), code: seededAccessCode(5_900_001) },
    { claimId: seededReference('CLM', 2_900_002), code: seededAccessCode(5_900_002) },
  ];
  const firstInvitation = (await pools.listInvitations(programmes[0]!.poolId)).sort((a, b) =>
    a.code.localeCompare(b.code),
  )[0];
  for (const [x, e] of extra.entries()) {
    claimIds.push(e.claimId);
    if (await claims.get(e.claimId)) continue;
    // The first demo report with a payment: the claim says it lost far more.
    const withLoss = Array.from({ length: total }, (_, i) => i).find(
      (i) => (demoReport(i).body['payments'] as unknown[]).length > 0,
    );
    const reportId = seededReference('RPT', 1_000_000 + (withLoss ?? 0));
    const body: Record<string, unknown> = {
      claimant: {
        name: x === 0 ? 'Harold Benson' : 'Victor Lane',
        address: { line1: `${900 + x} Birch Court`, city: 'Phoenix', state: 'AZ', zip: '85001' },
      },
      attestation: { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: 'Demo claimant' },
      ...(x === 0
        ? {
            reportIds: [reportId],
            payments: [{ amountCents: 4_800_000, currency: 'USD', method: 'wire-transfer' }],
          }
        : { invitationCode: firstInvitation?.code }),
    };
    await fileClaim(body, {
      pools,
      claims,
      reports,
      contacts,
      key: o.key,
      payoutVault: o.payoutVault,
      match: (s) => matchSubject(s, matchDeps),
      guesses: { counter, clientHash: 'seed' },
      now: () => now,
      newClaimId: () => e.claimId,
      newAccessCode: () => e.code,
    });
    claimsCreated++;
  }

  const byStatus: Record<string, number> = {};
  for (const c of (await claims.getMany(claimIds)).values()) {
    byStatus[(c as Claim).status] = (byStatus[(c as Claim).status] ?? 0) + 1;
  }
  log(`claims: ${claimIds.length} (${claimsCreated} new): ${JSON.stringify(byStatus)}`);
  return {
    reports: { total, created, spanish },
    pools: programmes.map((p) => p.poolId),
    distribution: {
      distributionId,
      status: header?.status ?? 'none',
      resultsFiles: (header?.results as { files?: number } | undefined)?.files ?? 0,
    },
    claims: { total: claimIds.length, created: claimsCreated, byStatus },
    millis: Math.round(performance.now() - started),
  };
}
