/**
 * The distribution screen: a plan as the background jobs the API runs (docs/distribution-jobs.md).
 * While a job runs (computing the plan, scheduling the approved payments, writing the payment
 * file, checking or applying a results file) the screen shows its phase and a progress bar and
 * asks the API again every second; when the job is done the screen is drawn again with what it
 * produced. Money moves only under dual control: approving and releasing each need an admin other
 * than the plan's creator, and the API's answer (403 SECOND_ADMIN_REQUIRED) is shown as written.
 */
import { api } from './api.ts';
import { failed, go, needsAdmin, type Route } from './screens.ts';
import { currentToken } from './session.ts';
import {
  alertBox,
  button,
  facts,
  h,
  link,
  money,
  on,
  pager,
  problemBox,
  show,
  table,
  time,
  withQuery,
} from './ui.ts';

// biome-ignore lint/suspicious/noExplicitAny: API answers are read field by field for display
type Json = Record<string, any>;

const enc = encodeURIComponent;
/** Lines per page of the plan's tables. */
const PAGE = 50;
/** How often a running job is asked about. */
const POLL_MS = 1000;
/** The largest results file the API takes in the request itself (Lambda's payload limit). */
const DIRECT_RESULTS_BYTES = 5_500_000;

/** Each drawing of the screen; a poll of an earlier drawing stops when it sees a newer one. */
let drawing = 0;

interface Progress {
  readonly kind: string;
  readonly title: string;
  readonly phase: string;
  readonly percent: number;
  readonly facts: readonly (readonly [string, string])[];
  readonly errors: readonly string[];
}

const n = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('en-US') : '0');

const PLAN_PHASES: Readonly<Record<string, string>> = {
  COUNT: 'Counting the programme’s claims',
  READ: 'Reading the claims',
  COMPUTE: 'Computing each payment',
  DONE: 'Done',
};

/** The job running on this plan, if any, as a progress report. */
function runningJob(d: Json): Progress | undefined {
  if (d.status === 'COMPUTING') {
    const j = d.job ?? {};
    return {
      kind: 'plan',
      title: 'Computing the plan',
      phase: j.state === 'QUEUED' ? 'Waiting to start' : (PLAN_PHASES[j.phase] ?? String(j.phase)),
      percent: j.percent ?? 0,
      facts: [
        [
          'Claims read',
          j.claimsTotal === undefined ? n(j.claimsRead) : `${n(j.claimsRead)} of ${n(j.claimsTotal)}`,
        ],
        ['Plan lines written', n(j.linesWritten)],
        ['Errors', j.errors?.length ? String(j.errors.length) : 'none'],
      ],
      errors: j.errors ?? [],
    };
  }
  const s = d.scheduling;
  if (d.status === 'APPROVED' && s && s.state !== 'DONE') {
    return {
      kind: 'approve',
      title: 'Scheduling the approved payments',
      phase: s.state === 'QUEUED' ? 'Waiting to start' : 'Moving each claim to “payment scheduled”',
      percent: s.percent ?? 0,
      facts: [
        ['Plan lines done', `${n(s.linesDone)} of ${n(s.linesTotal)}`],
        ['Payments scheduled', n(s.scheduled + (s.reissued ?? 0))],
        ['Claims closed (below the minimum)', n(s.closed)],
        ['Held (changed since the plan)', n(s.held)],
      ],
      errors: [],
    };
  }
  const f = d.paymentFile;
  if (d.status === 'RELEASED' && f && f.state !== 'READY') {
    return {
      kind: 'payment-file',
      title: 'Writing the payment file',
      phase: 'Writing each payee’s row, then the file with its checksum',
      percent: f.percent ?? 0,
      facts: [['Rows written', n(f.rows)]],
      errors: [],
    };
  }
  if (d.resultsUpload?.state === 'CHECKING') {
    return {
      kind: 'results-check',
      title: 'Checking the uploaded results file',
      phase: 'Checking every line against the released payment file',
      percent: 0,
      facts: [['File size', `${n(d.resultsUpload.bytes)} bytes`]],
      errors: [],
    };
  }
  const r = d.results;
  if (r?.state === 'APPLYING') {
    return {
      kind: 'results',
      title: `Applying results file ${r.files}`,
      phase: 'Marking each claim paid or returned',
      percent: r.total ? Math.floor((100 * r.applied) / r.total) : 0,
      facts: [['Payments applied', `${n(r.applied)} of ${n(r.total)}`]],
      errors: [],
    };
  }
  return undefined;
}

let progressIds = 0;

/** A labelled progress bar with the job's figures; text only, so it reads the same to everyone. */
function progressView(p: Progress): HTMLElement {
  const id = `job-progress-${++progressIds}`;
  return h(
    'div',
    { class: 'console-progress' },
    h('p', null, h('strong', null, 'Phase: '), p.phase),
    h('label', { class: 'usa-label', for: id }, `${p.title}: ${p.percent}% done`),
    h('progress', { id, max: 100, value: p.percent }, `${p.percent}%`),
    facts(p.facts),
    p.errors.length
      ? h(
          'ul',
          { class: 'usa-list' },
          p.errors.map((e) => h('li', null, e)),
        )
      : null,
  );
}

const DONE_NOTICES: Readonly<Record<string, readonly [string, string]>> = {
  plan: ['The plan is ready', 'Check its summary and lines below, then ask a second admin to approve it.'],
  approve: ['The payments are scheduled', 'A second admin can now release the payment file.'],
  'payment-file': [
    'The payment file is ready',
    'Download it below and check its SHA-256 before sending it on.',
  ],
  'results-check': ['The results file was checked', 'See below what was applied or why it was refused.'],
  results: ['The results file is applied', 'Each claim now shows whether it was paid or returned.'],
};

/** Asks about the running job every second, updating the bar, until it is done; then redraws. */
async function follow(root: HTMLElement, route: Route, base: string, region: HTMLElement, kind: string) {
  const mine = drawing;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    if (drawing !== mine || !region.isConnected) return;
    const now = await api<Json>('GET', withQuery(base, { limit: '1' }));
    if (drawing !== mine || !region.isConnected) return;
    if (!now.ok) {
      if (now.status !== 401) region.replaceChildren(problemBox(now));
      return;
    }
    const p = runningJob(now.data);
    if (p?.kind === kind) {
      region.replaceChildren(progressView(p));
      continue;
    }
    const [title, text] = DONE_NOTICES[kind] ?? ['Done', ''];
    const failedPlan = now.data.status === 'FAILED';
    await distributionScreen(
      root,
      route,
      failedPlan
        ? alertBox('error', 'The plan could not be computed', (now.data.job?.errors ?? []).join(' '))
        : alertBox('success', title, text),
    );
    return;
  }
}

/** A sign-off button: approve or release. 200: recorded, more needed; 202: done, a job starts. */
function signOffButton(
  root: HTMLElement,
  route: Route,
  base: string,
  what: 'approve' | 'release',
  out: HTMLElement,
) {
  const label = what === 'approve' ? 'Approve this plan' : 'Release the payment file';
  return button(label, async () => {
    const r = await api<Json>('POST', `${base}/${what}`);
    if (!r.ok) {
      // 403 is dual control: the API says, in its words, that another admin must do this.
      if (r.status !== 401) out.replaceChildren(problemBox(r));
      return;
    }
    const missing = what === 'approve' ? r.data.approvalsMissing : r.data.releaseApprovalsMissing;
    await distributionScreen(
      root,
      route,
      r.status === 202
        ? alertBox(
            'success',
            what === 'approve' ? 'Plan approved' : 'Payment file released',
            what === 'approve'
              ? 'The payments are being scheduled; progress shows below.'
              : 'The payment file is being written; progress shows below.',
          )
        : alertBox('info', 'Your sign-off is recorded', `${missing} more admin sign-off(s) are needed.`),
    );
  });
}

function paymentFileSection(base: string, d: Json): HTMLElement {
  const f = d.paymentFile;
  const out = h('div', { 'aria-live': 'polite' });
  return h(
    'section',
    { 'aria-labelledby': 'payment-file-title' },
    h('h2', { id: 'payment-file-title' }, 'Payment file'),
    facts([
      ['Rows', n(f.rows)],
      ['Size', `${n(f.bytes)} bytes`],
      ['SHA-256', h('code', { class: 'console-checksum' }, f.sha256)],
      ['Released', `${time(d.releasedAt)} by ${d.releasedBy ?? '—'}`],
    ]),
    h(
      'p',
      null,
      'The file was written once when the plan was released; every download is that same file. Its SHA-256 is also in the audit trail.',
    ),
    h(
      'div',
      { class: 'console-actions' },
      button(
        'Download the payment file',
        async () => {
          const r = await api<Json>('GET', `${base}/payment-file`);
          if (!r.ok) {
            if (r.status !== 401) out.replaceChildren(problemBox(r));
            return;
          }
          const a = h('a', { href: r.data.url, download: r.data.fileName }, r.data.fileName);
          out.replaceChildren(
            alertBox(
              'success',
              'Download started',
              h('p', null, 'If it did not start, save ', a, ' (the link works for five minutes).'),
              h(
                'p',
                null,
                'Its SHA-256 must be ',
                h('code', { class: 'console-checksum' }, r.data.sha256),
                '.',
              ),
            ),
          );
          a.click();
        },
        'secondary',
      ),
    ),
    out,
  );
}

const refusedTable = (lines: Json[]) =>
  table<Json>(
    'Lines that do not reconcile',
    [
      { label: 'Line', cell: (l) => String(l.line) },
      { label: 'Claim', cell: (l) => l.claimId ?? '—' },
      { label: 'Why', cell: (l) => l.reason },
    ],
    lines,
  );

/** Problems of a 422 (RFC 9457 `errors` at /lines/N) as table rows. */
const linesOf = (body: Json): Json[] =>
  (Array.isArray(body.errors) ? body.errors : []).map((e: Json) => ({
    line: Number(
      String(e.pointer ?? '')
        .split('/')
        .pop(),
    ),
    claimId: e.claimId,
    reason: e.detail ?? e.reason ?? '',
  }));

/**
 * Sends a body with XMLHttpRequest, whose upload reports progress (fetch does not): the results
 * file itself to the API (text/csv), or a pre-signed POST form to S3.
 */
function sendWithProgress(
  url: string,
  body: Blob | FormData,
  headers: Record<string, string>,
  onProgress: (percent: number) => void,
): Promise<{ status: number; body: Json }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(Math.floor((100 * e.loaded) / e.total));
    });
    const done = () => {
      let body: Json = {};
      try {
        body = JSON.parse(xhr.responseText) as Json;
      } catch {
        // not JSON: the status says enough
      }
      resolve({ status: xhr.status, body });
    };
    xhr.addEventListener('load', done);
    xhr.addEventListener('error', done);
    xhr.send(body);
  });
}

/**
 * A results file of any size: an upload slot from the API, the file straight to S3 with its
 * progress, then the API is told to check it (202: the worker checks it, the screen follows).
 */
async function sendThroughS3(
  base: string,
  file: File,
  onProgress: (percent: number) => void,
): Promise<{ status: number; body: Json }> {
  const slot = await api<Json>('POST', `${base}/payment-results/uploads`);
  if (!slot.ok) return { status: slot.status, body: { title: slot.title, detail: slot.detail } };
  const form = new FormData();
  for (const [k, v] of Object.entries(slot.data.upload.fields as Record<string, string>)) form.append(k, v);
  form.append('file', file);
  const posted = await sendWithProgress(slot.data.upload.url, form, {}, onProgress);
  if (posted.status < 200 || posted.status >= 300) {
    return {
      status: posted.status,
      body: {
        title: 'The file did not reach the bucket',
        detail: `The upload answered ${posted.status || 'nothing'}. Try again.`,
      },
    };
  }
  const sent = await api<Json>('POST', `${base}/payment-results`, { uploadId: slot.data.uploadId });
  return sent.ok
    ? { status: sent.status, body: sent.data }
    : { status: sent.status, body: { title: sent.title, detail: sent.detail } };
}

function resultsSection(root: HTMLElement, route: Route, base: string, d: Json): HTMLElement {
  const out = h('div', { 'aria-live': 'polite' });
  const input = h('input', {
    class: 'usa-file-input__input console-file',
    type: 'file',
    id: 'results-file',
    name: 'results',
    accept: '.csv,text/csv',
    'aria-describedby': 'results-file-hint',
  });
  const form = h(
    'form',
    { class: 'usa-form console-results', novalidate: true },
    h(
      'div',
      { class: 'usa-form-group' },
      h('label', { class: 'usa-label', for: 'results-file' }, 'Results file from the bank (CSV)'),
      h(
        'div',
        { class: 'usa-hint', id: 'results-file-hint' },
        'Columns: claim_id, amount, status (PAID, RETURNED or VOID), date, payment_reference. The whole file is checked: if any line does not match the released payment file, nothing is applied and every such line is listed. Any size up to 200 MB; a file over 5.5 MB goes straight to the bucket and is checked in the background.',
      ),
      input,
    ),
    button('Send the results file', undefined, 'primary', 'submit'),
  );
  on(form, {
    submit: async (event) => {
      event.preventDefault();
      const file = input.files?.[0];
      if (!file) {
        out.replaceChildren(
          alertBox('error', 'Choose a file', 'Choose the bank’s results file (CSV) first.'),
        );
        return;
      }
      const bar = h('progress', { id: 'results-upload-progress', max: 100, value: 0 }, '0%');
      const label = h(
        'label',
        { class: 'usa-label', for: 'results-upload-progress' },
        'Sending the file: 0%',
      );
      out.replaceChildren(h('div', { class: 'console-progress' }, label, bar));
      const progress = (percent: number) => {
        bar.value = percent;
        bar.textContent = `${percent}%`;
        label.textContent = `Sending the file: ${percent}%`;
      };
      const sent =
        file.size > DIRECT_RESULTS_BYTES
          ? await sendThroughS3(base, file, progress)
          : await sendWithProgress(
              `${base}/payment-results`,
              file,
              { authorization: `Bearer ${currentToken() ?? ''}`, 'content-type': 'text/csv' },
              progress,
            );
      if (sent.status === 202 && sent.body.state === 'CHECKING') {
        await distributionScreen(
          root,
          route,
          alertBox(
            'info',
            'Results file received',
            'Every line is being checked against the released payment file.',
          ),
        );
      } else if (sent.status === 202) {
        const t = sent.body;
        await distributionScreen(
          root,
          route,
          alertBox(
            'success',
            'Results file accepted',
            `${n(t.lines)} lines: ${n(t.paid)} paid (${money(t.paidCents, d.currency)}), ${n(t.returned)} returned or void (${money(t.returnedCents, d.currency)}). The claims are being updated.`,
          ),
        );
      } else if (sent.status === 422) {
        out.replaceChildren(
          alertBox('error', 'Nothing from this file was applied', String(sent.body.detail ?? '')),
          refusedTable(linesOf(sent.body)),
        );
      } else {
        out.replaceChildren(
          alertBox(
            'error',
            String(sent.body.title ?? 'The file was not accepted'),
            String(sent.body.detail ?? `The server answered ${sent.status}.`),
          ),
        );
      }
    },
  });
  const r = d.results;
  const u = d.resultsUpload;
  return h(
    'section',
    { 'aria-labelledby': 'results-title' },
    h('h2', { id: 'results-title' }, 'Payment results'),
    r
      ? facts([
          ['Files applied', String(r.files)],
          ['Paid', `${n(r.paid)} (${money(r.paidCents, d.currency)})`],
          ['Returned or void', `${n(r.returned)} (${money(r.returnedCents, d.currency)})`],
        ])
      : h('p', null, 'No results file yet.'),
    u?.state === 'REFUSED'
      ? [
          alertBox(
            'error',
            'The last uploaded results file was refused',
            `${u.message ?? ''}${u.problemCount ? ` (${n(u.problemCount)} lines)` : ''}`,
          ),
          d.refusedLines?.length ? refusedTable(d.refusedLines) : null,
        ]
      : null,
    form,
    out,
  );
}

function linesTables(route: Route, d: Json): HTMLElement[] {
  const q = route.query;
  const here = (o: { cursor?: string; excludedCursor?: string }) =>
    go(withQuery(route.hash.split('?')[0] ?? '', o));
  const payouts = table<Json>(
    'Payouts',
    [
      { label: 'Claim', cell: (p) => link(`#/claims/${enc(p.claimId)}`, p.claimId) },
      { label: 'Recognised loss', cell: (p) => money(p.recognizedLossCents, d.currency) },
      { label: 'Payout', cell: (p) => money(p.payoutCents, d.currency) },
      { label: 'Reissue of', cell: (p) => p.reissueOf ?? '—' },
    ],
    d.payouts ?? [],
  );
  const excluded = table<Json>(
    'Excluded claims',
    [
      { label: 'Claim', cell: (p) => link(`#/claims/${enc(p.claimId)}`, p.claimId) },
      { label: 'Reason', cell: (p) => p.reason },
      { label: 'Exact share', cell: (p) => `${p.exactShareCents} cents` },
    ],
    d.excluded ?? [],
  );
  return [
    h('h2', null, 'Plan lines'),
    payouts,
    pager(d.payoutsCursor, q.has('cursor'), (cursor) =>
      here({ ...(cursor ? { cursor } : {}), excludedCursor: q.get('excludedCursor') ?? undefined }),
    ),
    excluded,
    pager(d.excludedCursor, q.has('excludedCursor'), (excludedCursor) =>
      here({ cursor: q.get('cursor') ?? undefined, ...(excludedCursor ? { excludedCursor } : {}) }),
    ),
  ];
}

const signOffs = (list: Json[] | undefined) =>
  list?.length ? list.map((s) => `${s.by} (${time(s.at)})`).join(', ') : 'none yet';

export async function distributionScreen(
  root: HTMLElement,
  route: Route,
  notice?: HTMLElement,
): Promise<void> {
  if (needsAdmin(root, 'Distribution plan')) return;
  const mine = ++drawing;
  const poolId = route.path[1] ?? '';
  const distributionId = route.path[3] ?? '';
  const base = `/v1/admin/pools/${enc(poolId)}/distributions/${enc(distributionId)}`;
  const q = route.query;
  const result = await api<Json>(
    'GET',
    withQuery(base, {
      limit: String(PAGE),
      cursor: q.get('cursor') ?? undefined,
      excludedCursor: q.get('excludedCursor') ?? undefined,
    }),
  );
  if (mine !== drawing) return;
  if (failed(root, 'Distribution plan', result)) return;
  const d = result.data;
  const job = runningJob(d);
  const region = h(
    'section',
    { class: 'console-job', 'aria-labelledby': 'job-title' },
    h('h2', { id: 'job-title' }, job?.title ?? ''),
    job ? progressView(job) : null,
  );
  const out = h('div', { 'aria-live': 'polite' });
  const actions = h('div', { class: 'console-actions' });
  if (d.status === 'PLANNED') actions.append(signOffButton(root, route, base, 'approve', out));
  if (d.status === 'APPROVED' && d.scheduledAt)
    actions.append(signOffButton(root, route, base, 'release', out));
  if (d.status === 'RELEASED' || d.status === 'FAILED') {
    actions.append(
      button(
        d.status === 'FAILED' ? 'Compute a new plan' : 'Start the next round',
        async () => {
          const plan = await api<Json>('POST', `/v1/admin/pools/${enc(poolId)}/distributions`);
          if (plan.ok) go(`#/programmes/${enc(poolId)}/distributions/${enc(plan.data.distributionId)}`);
          else if (plan.status !== 401) out.replaceChildren(problemBox(plan));
        },
        'outline',
      ),
    );
  }
  const computed = d.status !== 'COMPUTING' && d.status !== 'FAILED';
  show(
    root,
    `Distribution plan ${d.distributionId}`,
    notice,
    h('p', null, link(`#/programmes/${enc(poolId)}`, 'Back to the programme')),
    facts([
      ['Status', d.status],
      ['Round', String(d.roundNumber ?? 1)],
      ['Created', `${time(d.createdAt)} by ${d.createdBy}`],
      [
        'Approvals',
        `${signOffs(d.approvals)}${d.status === 'PLANNED' ? `; ${d.approvalsMissing} more needed` : ''}`,
      ],
      [
        'Release sign-offs',
        `${signOffs(d.releaseApprovals)}${d.status === 'APPROVED' ? `; ${d.releaseApprovalsMissing} more needed` : ''}`,
      ],
    ]),
    d.status === 'FAILED'
      ? alertBox(
          'error',
          'The plan could not be computed',
          (d.job?.errors ?? []).join(' ') || 'See the job errors.',
        )
      : null,
    job ? region : null,
    computed
      ? [
          h('h2', null, 'Summary'),
          facts([
            ['Money shared', money(d.poolAmountCents, d.currency)],
            [
              'Basis',
              d.basis === 'PRO_RATA' ? 'Pro rata (losses exceed the money)' : 'Full (every loss paid)',
            ],
            ['Recognised losses', money(d.totalRecognizedLossCents, d.currency)],
            ['Paid out', money(d.totalPayoutCents, d.currency)],
            ['Left over', money(d.leftoverCents, d.currency)],
            ['Payments', n(d.payoutCount)],
            [
              'Reissued returned payments',
              `${n(d.reissueCount)} (${money(d.reissueCents ?? 0, d.currency)})`,
            ],
            ['Excluded (below the minimum)', n(d.excludedCount)],
            ['Approved', d.approvedAt ? `${time(d.approvedAt)} by ${d.approvedBy}` : 'not yet'],
            [
              'Payments scheduled',
              d.scheduling?.state === 'DONE'
                ? `${n(d.scheduling.scheduled + d.scheduling.reissued)}; ${n(d.scheduling.held)} held`
                : 'not yet',
            ],
          ]),
        ]
      : null,
    actions,
    out,
    d.status === 'RELEASED' && d.paymentFile?.state === 'READY' ? paymentFileSection(base, d) : null,
    d.status === 'RELEASED' ? resultsSection(root, route, base, d) : null,
    computed ? linesTables(route, d) : null,
  );
  if (job) void follow(root, route, base, region, job.kind);
}
