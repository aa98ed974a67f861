/**
 * The console's screens, one function each, drawn from the staff API's answers. Routes live in
 * the address's hash (`#/claims/CLM-...`), so the console is one static page on the site's
 * CloudFront distribution with no rewrite rules, and the browser's back button works.
 */
import { claimWizard } from '../app/claim.ts';
import { reportWizard } from '../app/report.ts';
import { postOnce } from '../app/send.ts';
import type { IdempotencyKey } from '../app/wizard.ts';
import { en } from '../i18n/en.ts';
import { es } from '../i18n/es.ts';
import type { Lang, Messages } from '../i18n/types.ts';
import { type ApiResult, api, sessionExpired } from './api.ts';
import { flagList } from './dashboard.ts';
import { restoreDraft } from './drafts.ts';
import { currentToken, currentUser, isAdmin } from './session.ts';
import {
  alertBox,
  button,
  type Column,
  day,
  facts,
  field,
  h,
  link,
  money,
  on,
  pagedTable,
  problemBox,
  show,
  table,
  time,
  withQuery,
} from './ui.ts';

// biome-ignore lint/suspicious/noExplicitAny: API answers are read field by field for display
type Json = Record<string, any>;

export interface Route {
  readonly path: string[];
  readonly query: URLSearchParams;
  readonly hash: string;
}

const CLAIM_STATUSES = [
  'SUBMITTED',
  'UNDER_REVIEW',
  'NEEDS_INFO',
  'APPROVED',
  'DENIED',
  'RECONSIDERATION_REQUESTED',
  'PAYMENT_SCHEDULED',
  'PAID',
  'PAYMENT_RETURNED',
  'CLOSED',
] as const;

const enc = encodeURIComponent;
export const go = (hash: string) => {
  location.hash = hash;
};

/** Shows the API's error in place of the screen; true when there was one. */
export function failed(
  root: HTMLElement,
  title: string,
  result: ApiResult<unknown>,
): result is Extract<ApiResult<unknown>, { ok: false }> {
  if (result.ok) return false;
  if (result.status === 401) return true; // the session banner takes over
  show(root, title, problemBox(result));
  return true;
}

/** Admin screens for a reviewer: a page that says why, instead of a blank or a raw 403. */
export function needsAdmin(root: HTMLElement, title: string): boolean {
  if (isAdmin()) return false;
  show(
    root,
    'You need the admin role',
    alertBox(
      'warning',
      `“${title}” is for programme administrators`,
      'Your account has the reviewer role. Ask your agency’s Restore administrator to add you to the admin group if your work needs this screen.',
    ),
    h('p', null, link('#/queue', 'Back to the claim queue')),
  );
  return true;
}

// ---------------------------------------------------------------------------------------------
// Queue and claim

export async function queueScreen(root: HTMLElement, route: Route): Promise<void> {
  const status = route.query.get('status') ?? 'SUBMITTED';
  const cursor = route.query.get('cursor') ?? undefined;
  const result = await api<{ items: Json[]; cursor?: string }>(
    'GET',
    withQuery('/v1/admin/claims', { status, cursor, limit: '25' }),
  );
  if (failed(root, 'Claim queue', result)) return;
  const filter = h(
    'form',
    { class: 'usa-form console-filter', role: 'search', 'aria-label': 'Filter the queue' },
    field({
      name: 'status',
      label: 'Status',
      value: status,
      options: CLAIM_STATUSES.map((s) => [s, s.replace(/_/g, ' ').toLowerCase()]),
    }),
    button('Show', undefined, 'primary', 'submit'),
  );
  on(filter, {
    submit: (e) => {
      e.preventDefault();
      go(withQuery('#/queue', { status: new FormData(filter).get('status') as string }));
    },
  });
  const columns: Column<Json>[] = [
    { label: 'Claim', cell: (c) => link(`#/claims/${enc(c.claimId)}`, c.claimId) },
    { label: 'Claimant', cell: (c) => c.claimant?.name },
    { label: 'Programme', cell: (c) => c.poolName ?? c.poolId ?? 'none named' },
    { label: 'Claimed', cell: (c) => money(c.claimedCents, c.currency) },
    { label: 'Filed', cell: (c) => day(c.filedAt) },
    { label: 'Flags', cell: (c) => String(c.flags?.length ?? 0) },
  ];
  show(
    root,
    'Claim queue',
    filter,
    pagedTable(`Claims with status ${status.replace(/_/g, ' ').toLowerCase()}`, columns, result.data, {
      route: '#/queue',
      query: { status },
      hasPrevious: cursor !== undefined,
    }),
  );
}

function decisionForm(root: HTMLElement, claim: Json, route: Route): HTMLFormElement {
  const problem = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'usa-form console-decision', id: 'decision-form', novalidate: true },
    h(
      'fieldset',
      { class: 'usa-fieldset' },
      h('legend', { class: 'usa-legend' }, 'Decision'),
      ...(
        [
          ['approve', 'Approve a recognised loss'],
          ['deny', 'Deny the claim'],
          ['request-info', 'Ask the claimant for information'],
        ] as const
      ).map(([value, label]) =>
        h(
          'div',
          { class: 'usa-radio' },
          h('input', {
            class: 'usa-radio__input',
            type: 'radio',
            name: 'decision',
            id: `decision-${value}`,
            value,
          }),
          h('label', { class: 'usa-radio__label', for: `decision-${value}` }, label),
        ),
      ),
    ),
    field({
      name: 'amount',
      label: 'Recognised loss in dollars (for an approval)',
      hint: `Paid minus recoveries: ${money(claim.defaultRecognizedLossCents, claim.currency)}`,
      value: (claim.defaultRecognizedLossCents / 100).toFixed(2),
      required: false,
    }),
    field({
      name: 'reason',
      label: 'Reason',
      hint: 'Required for every decision and kept with it. For a denial or a request, the claimant reads it.',
      multiline: true,
      required: true,
    }),
    problem,
    button('Record decision', undefined, 'primary', 'submit'),
  );
  on(form, {
    submit: async (e) => {
      e.preventDefault();
      const data = new FormData(form);
      const decision = String(data.get('decision') ?? '');
      const reason = String(data.get('reason') ?? '').trim();
      const missing: string[] = [];
      if (!decision) missing.push('Choose a decision.');
      if (!reason) missing.push('Write the reason for this decision.');
      const dollars = String(data.get('amount') ?? '').replace(/[$,\s]/g, '');
      const cents = Math.round(Number(dollars) * 100);
      if (decision === 'approve' && (!/^\d+(\.\d{1,2})?$/.test(dollars) || cents <= 0))
        missing.push('Enter the recognised loss in dollars and cents, like 1250.00.');
      if (missing.length > 0) {
        problem.replaceChildren(
          alertBox(
            'error',
            'Check the decision',
            h(
              'ul',
              { class: 'usa-list' },
              missing.map((m) => h('li', null, m)),
            ),
          ),
        );
        return;
      }
      const body: Json = { decision, version: claim.version };
      if (decision === 'approve') Object.assign(body, { recognizedLossCents: cents, reason });
      if (decision === 'deny') body['reason'] = reason;
      if (decision === 'request-info') Object.assign(body, { message: reason, reason });
      const result = await api<Json>('POST', `/v1/admin/claims/${enc(claim.claimId)}/decision`, body);
      if (result.ok) {
        await claimScreen(
          root,
          route,
          alertBox(
            'success',
            'Decision recorded',
            `The claim is now ${String(result.data['status']).replace(/_/g, ' ').toLowerCase()}.`,
          ),
        );
        return;
      }
      if (result.status === 401) return;
      if (result.status === 409 && result.decided) {
        // Someone decided first: the 409 itself says what they decided; nothing was overwritten.
        const last = result.decided as Json;
        problem.replaceChildren(
          alertBox(
            'warning',
            result.detail.startsWith('Another reviewer')
              ? 'Another reviewer decided this claim first'
              : 'This claim changed while you were working on it',
            result.detail,
            facts([
              ['Their decision', last.decision],
              ['By', last.by],
              ['At', time(last.at)],
              [
                'Recognised loss',
                last.recognizedLossCents !== undefined
                  ? money(last.recognizedLossCents, last.currency ?? claim.currency)
                  : '—',
              ],
              ['Reason', last.reason ?? last.message ?? '—'],
              ['Status now', String(last.status).replace(/_/g, ' ').toLowerCase()],
            ]),
            'Your decision was not recorded. Your reason is still in the form: reload the claim to decide again if needed.',
          ),
        );
        return;
      }
      problem.replaceChildren(problemBox(result));
    },
  });
  return form;
}

export async function claimScreen(root: HTMLElement, route: Route, notice?: HTMLElement): Promise<void> {
  const id = route.path[1] ?? '';
  const result = await api<Json>('GET', `/v1/admin/claims/${enc(id)}`);
  if (failed(root, 'Claim', result)) return;
  const c = result.data;
  const decidable = [
    'SUBMITTED',
    'UNDER_REVIEW',
    'NEEDS_INFO',
    'RECONSIDERATION_REQUESTED',
    'APPROVED',
    'DENIED',
  ].includes(c.status);
  const form = decidable ? decisionForm(root, c, route) : null;
  show(
    root,
    `Claim ${c.claimId}`,
    notice,
    facts([
      ['Status', String(c.status).replace(/_/g, ' ').toLowerCase()],
      ['Claimant', c.claimant?.name],
      ['E-mail', c.claimant?.email],
      ['Phone', c.claimant?.phone],
      ['Programme', c.poolId ? link(`#/programmes/${enc(c.poolId)}`, c.poolName ?? c.poolId) : 'none named'],
      ['Claimed', money(c.claimedCents, c.currency)],
      ['Recoveries', money(c.recoveriesCents, c.currency)],
      ['Filed', time(c.filedAt)],
      [
        'Filed by',
        c.assisted
          ? `staff for a caller (helpline): ${c.assisted.email ?? c.assisted.by}`
          : 'the claimant online',
      ],
      ['Version', String(c.version)],
    ]),
    flagList(c),
    h('h2', null, 'Payments'),
    table<Json>(
      'Payments the claimant made',
      [
        { label: 'Amount', cell: (p) => money(p.amountCents, p.currency) },
        { label: 'Method', cell: (p) => p.method },
        { label: 'Paid on', cell: (p) => p.paidOn ?? p.date ?? '—' },
      ],
      c.payments ?? [],
    ),
    h('h2', null, 'Matched reports'),
    (c.reports as Json[]).length > 0
      ? h(
          'ul',
          { class: 'usa-list' },
          (c.reports as Json[]).map((r) => h('li', null, link(`#/reports/${enc(r.reportId)}`, r.reportId))),
        )
      : h('p', null, 'No report is linked to this claim.'),
    h('h2', null, 'Decisions so far'),
    table<Json>(
      'Decisions on this claim',
      [
        { label: 'Decision', cell: (d) => d.decision },
        { label: 'By', cell: (d) => d.by },
        { label: 'At', cell: (d) => time(d.at) },
        { label: 'Reason', cell: (d) => d.reason ?? d.message ?? '—' },
      ],
      c.decisions ?? [],
    ),
    form ? [h('h2', null, 'Decide'), form] : h('p', null, 'This claim is past review.'),
  );
  if (form) restoreDraft(route.hash, form);
}

// ---------------------------------------------------------------------------------------------
// Reports and indicators

const CATEGORIES = [
  '',
  'imposter-government',
  'imposter-business',
  'romance',
  'investment',
  'online-shopping',
  'tech-support',
  'prize-lottery',
  'job-opportunity',
  'other',
];

export async function reportSearchScreen(root: HTMLElement, route: Route): Promise<void> {
  const q = route.query;
  const form = h(
    'form',
    { class: 'usa-form console-filter', role: 'search', 'aria-label': 'Search reports' },
    field({
      name: 'indicator',
      label: 'Identifier',
      hint: 'type:value, any spelling, e.g. phone:(202) 555-0143 or email:Name@Example.com',
      value: q.get('indicator') ?? '',
      required: false,
    }),
    field({
      name: 'category',
      label: 'Category',
      value: q.get('category') ?? '',
      options: CATEGORIES.map((c) => [c, c || 'any']),
    }),
    field({
      name: 'from',
      label: 'Received from',
      type: 'date',
      value: q.get('from') ?? '',
      required: false,
    }),
    field({ name: 'to', label: 'Received to', type: 'date', value: q.get('to') ?? '', required: false }),
    button('Search', undefined, 'primary', 'submit'),
  );
  on(form, {
    submit: (e) => {
      e.preventDefault();
      const d = new FormData(form);
      go(
        withQuery(
          '#/reports',
          Object.fromEntries(
            ['indicator', 'category', 'from', 'to'].map((k) => [
              k,
              String(d.get(k) ?? '').trim() || undefined,
            ]),
          ),
        ),
      );
    },
  });
  const params = Object.fromEntries(
    ['indicator', 'category', 'from', 'to', 'cursor'].map((k) => [k, q.get(k) ?? undefined]),
  );
  const result = await api<{ items: Json[]; cursor?: string }>(
    'GET',
    withQuery('/v1/admin/reports', { ...params, limit: '25' }),
  );
  if (!result.ok && result.status === 401) return;
  show(
    root,
    'Search reports',
    form,
    result.ok
      ? pagedTable<Json>(
          'Reports',
          [
            { label: 'Reference', cell: (r) => link(`#/reports/${enc(r.reportId)}`, r.reportId) },
            { label: 'Category', cell: (r) => r.incident?.category },
            { label: 'Received', cell: (r) => day(r.receivedAt) },
            {
              label: 'Lost',
              cell: (r) =>
                Object.entries(r.lossByCurrency ?? {})
                  .map(([cur, cents]) => money(cents as number, cur))
                  .join(', ') || '—',
            },
          ],
          result.data,
          { route: '#/reports', query: params, hasPrevious: q.has('cursor') },
        )
      : problemBox(result),
  );
}

const indicatorRoute = (type: string, value: string) => `#/indicators/${enc(type)}/${enc(value)}`;

export async function reportScreen(root: HTMLElement, route: Route): Promise<void> {
  const id = route.path[1] ?? '';
  const result = await api<Json>('GET', `/v1/admin/reports/${enc(id)}`);
  if (failed(root, 'Report', result)) return;
  const r = result.data;
  show(
    root,
    `Report ${r.reportId}`,
    facts([
      ['Status', r.status],
      ['Received', time(r.receivedAt)],
      ['Category', r.incident?.category],
      ['Language', r.lang ?? r.language],
      [
        'Filed by',
        r.assisted
          ? `staff for a caller (helpline): ${r.assisted.email ?? r.assisted.by}`
          : 'the victim online',
      ],
    ]),
    h('h2', null, 'What happened'),
    h('p', { class: 'console-narrative' }, r.incident?.narrative ?? '—'),
    h('h2', null, 'Identifiers'),
    table<Json>(
      'Identifiers in this report; open one to see every report that paid it',
      [
        {
          label: 'Identifier',
          cell: (i) => link(indicatorRoute(i.type, i.value), `${i.type}: ${i.display ?? i.value}`),
        },
        { label: 'Role', cell: (i) => (i.roles ?? []).join(', ') },
        {
          label: 'Paid',
          cell: (i) => (i.paid ?? []).map((p: Json) => money(p.amountCents, p.currency)).join(', ') || '—',
        },
      ],
      r.indicators ?? [],
    ),
  );
}

export async function indicatorScreen(root: HTMLElement, route: Route): Promise<void> {
  const [, type = '', value = ''] = route.path;
  const cursor = route.query.get('cursor') ?? undefined;
  const result = await api<Json>(
    'GET',
    withQuery(`/v1/admin/indicators/${enc(type)}/${enc(value)}`, { cursor }),
  );
  if (failed(root, 'Identifier', result)) return;
  const v = result.data;
  show(
    root,
    `Identifier ${v.type}: ${v.display ?? v.value}`,
    facts([
      ['Reports', String(v.summary?.reports ?? 0)],
      [
        'Paid',
        Object.entries(v.summary?.paidByCurrency ?? {})
          .map(([cur, cents]) => money(cents as number, cur))
          .join(', ') || '—',
      ],
      ['Claims', String(v.summary?.claims ?? 0)],
      ['Seized by', (v.seizedBy ?? []).map((s: Json) => s.poolId).join(', ') || 'no programme'],
    ]),
    pagedTable<Json>(
      'Reports that paid or named this identifier',
      [
        { label: 'Reference', cell: (r) => link(`#/reports/${enc(r.reportId)}`, r.reportId) },
        { label: 'Received', cell: (r) => day(r.receivedAt) },
        {
          label: 'Paid',
          cell: (r) => (r.paid ?? []).map((p: Json) => money(p.amountCents, p.currency)).join(', ') || '—',
        },
      ],
      { items: v.reports ?? [], cursor: v.cursor },
      { route: indicatorRoute(type, value), hasPrevious: cursor !== undefined },
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Programmes, matches, distributions

export async function programmesScreen(root: HTMLElement): Promise<void> {
  const result = await api<{ pools: Json[] }>('GET', '/v1/admin/pools');
  if (failed(root, 'Programmes', result)) return;
  show(
    root,
    'Programmes',
    isAdmin() ? h('p', null, link('#/programmes/new', 'Create a programme')) : null,
    table<Json>(
      'Restoration programmes',
      [
        { label: 'Programme', cell: (p) => link(`#/programmes/${enc(p.poolId)}`, p.name) },
        { label: 'Status', cell: (p) => p.status },
        { label: 'Amount', cell: (p) => money(p.amountCents, p.currency) },
        { label: 'Claim deadline', cell: (p) => p.claimDeadline },
      ],
      result.data.pools ?? [],
    ),
  );
}

function poolForm(
  pool: Json | undefined,
  submit: (body: Json, problem: HTMLElement) => Promise<void>,
): HTMLFormElement {
  const problem = h('div', { 'aria-live': 'polite' });
  const seized = ((pool?.seizedIndicators ?? []) as Json[])
    .map((s) => `${s.type}:${s.display ?? s.value}`)
    .join('\n');
  const form = h(
    'form',
    { class: 'usa-form console-pool', novalidate: true },
    field({ name: 'name', label: 'Name', value: pool?.name ?? '', required: true }),
    field({ name: 'caseNumber', label: 'Case number', value: pool?.caseNumber ?? '', required: true }),
    field({ name: 'court', label: 'Court', value: pool?.court ?? '', required: true }),
    field({
      name: 'description',
      label: 'Description',
      value: pool?.description ?? '',
      multiline: true,
      required: false,
    }),
    field({
      name: 'eligibility',
      label: 'Eligibility',
      value: pool?.eligibility ?? '',
      multiline: true,
      required: false,
    }),
    // The Spanish site shows these; any left blank shows the English text there.
    field({ name: 'esName', label: 'Name in Spanish', value: pool?.es?.name ?? '', required: false }),
    field({
      name: 'esDescription',
      label: 'Description in Spanish',
      value: pool?.es?.description ?? '',
      multiline: true,
      required: false,
    }),
    field({
      name: 'esEligibility',
      label: 'Who may claim, in Spanish',
      value: pool?.es?.eligibility ?? '',
      multiline: true,
      required: false,
    }),
    field({
      name: 'amount',
      label: 'Amount available, in dollars',
      value: pool ? (pool.amountCents / 100).toFixed(2) : '',
      required: true,
    }),
    field({
      name: 'claimDeadline',
      label: 'Claim deadline',
      type: 'date',
      value: pool?.claimDeadline ?? '',
      required: true,
    }),
    field({
      name: 'seized',
      label: 'Seized identifiers',
      hint: 'One per line, type:value, e.g. crypto-wallet:bc1q...',
      value: seized,
      multiline: true,
      required: false,
    }),
    problem,
    button(pool ? 'Save changes' : 'Create programme', undefined, 'primary', 'submit'),
  );
  on(form, {
    submit: async (e) => {
      e.preventDefault();
      const d = new FormData(form);
      const text = (k: string) => String(d.get(k) ?? '').trim();
      const dollars = text('amount').replace(/[$,\s]/g, '');
      const body: Json = {
        name: text('name'),
        caseNumber: text('caseNumber'),
        court: text('court'),
        description: text('description'),
        eligibility: text('eligibility'),
        es: { name: text('esName'), description: text('esDescription'), eligibility: text('esEligibility') },
        amountCents: /^\d+(\.\d{1,2})?$/.test(dollars) ? Math.round(Number(dollars) * 100) : dollars,
        claimDeadline: text('claimDeadline'),
        seizedIndicators: text('seized')
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
          .map((l) => ({ type: l.slice(0, l.indexOf(':')), value: l.slice(l.indexOf(':') + 1) })),
      };
      if (pool) body['version'] = pool.version;
      await submit(body, problem);
    },
  });
  return form;
}

export async function programmeScreen(root: HTMLElement, route: Route): Promise<void> {
  const id = route.path[1] ?? '';
  if (id === 'new') {
    if (needsAdmin(root, 'Create a programme')) return;
    show(
      root,
      'Create a programme',
      poolForm(undefined, async (body, problem) => {
        const result = await api<Json>('POST', '/v1/admin/pools', body);
        if (result.ok) go(`#/programmes/${enc(result.data['poolId'])}`);
        else if (result.status !== 401) problem.replaceChildren(problemBox(result));
      }),
    );
    return;
  }
  const result = await api<Json>('GET', `/v1/admin/pools/${enc(id)}`);
  if (failed(root, 'Programme', result)) return;
  const p = result.data;
  const planButton = isAdmin()
    ? button('Create a distribution plan', async () => {
        const plan = await api<Json>('POST', `/v1/admin/pools/${enc(p.poolId)}/distributions`);
        if (plan.ok) go(`#/programmes/${enc(p.poolId)}/distributions/${enc(plan.data['distributionId'])}`);
        else if (plan.status !== 401) root.append(problemBox(plan));
      })
    : null;
  show(
    root,
    p.name,
    facts([
      ['Programme id', p.poolId],
      ['Status', p.status],
      ['Amount', money(p.amountCents, p.currency)],
      ['Claim deadline', p.claimDeadline],
      ['Case', `${p.caseNumber ?? ''} ${p.court ? `(${p.court})` : ''}`],
      ['Description', p.description],
      ['Eligibility', p.eligibility],
      ['Name in Spanish', p.es?.name ?? 'not given: the Spanish site shows the English name'],
      [
        'Active plan',
        p.activeDistributionId
          ? link(
              `#/programmes/${enc(p.poolId)}/distributions/${enc(p.activeDistributionId)}`,
              p.activeDistributionId,
            )
          : 'none',
      ],
    ]),
    h('p', null, link(`#/programmes/${enc(p.poolId)}/matches`, 'Matches and invitations')),
    planButton,
    isAdmin()
      ? [
          h('h2', null, 'Edit'),
          poolForm(p, async (body, problem) => {
            const saved = await api<Json>('PATCH', `/v1/admin/pools/${enc(p.poolId)}`, body);
            if (saved.ok) await programmeScreen(root, route);
            else if (saved.status !== 401) problem.replaceChildren(problemBox(saved));
          }),
        ]
      : null,
  );
}

export async function matchesScreen(root: HTMLElement, route: Route): Promise<void> {
  const id = route.path[1] ?? '';
  const result = await api<Json>('GET', `/v1/admin/pools/${enc(id)}/matches`);
  if (failed(root, 'Matches', result)) return;
  const m = result.data;
  const ids = (list: Json[]) => list.map((i) => `${i.type}: ${i.display ?? i.value}`).join('; ');
  show(
    root,
    `Matches: ${m.poolName}`,
    h('h2', null, 'Claims'),
    table<Json>(
      'Claims that paid a seized identifier',
      [
        { label: 'Claim', cell: (c) => link(`#/claims/${enc(c.claimId)}`, c.claimId) },
        { label: 'Filed', cell: (c) => day(c.filedAt) },
        { label: 'Identifiers', cell: (c) => ids(c.identifiers ?? []) },
      ],
      m.claims ?? [],
    ),
    h('h2', null, 'Reports and invitations'),
    table<Json>(
      'Reports that paid a seized identifier, with their invitation',
      [
        { label: 'Report', cell: (r) => link(`#/reports/${enc(r.reportId)}`, r.reportId) },
        { label: 'Received', cell: (r) => day(r.receivedAt) },
        { label: 'Invitation', cell: (r) => r.invitation?.code ?? '—' },
        {
          label: 'Claimed by',
          cell: (r) =>
            r.invitation?.claimId ? link(`#/claims/${enc(r.invitation.claimId)}`, r.invitation.claimId) : '—',
        },
      ],
      m.reports ?? [],
    ),
    h(
      'p',
      null,
      `${m.reportsWithoutConsent ?? 0} matched reports are not listed: their filers did not agree to be contacted.`,
    ),
  );
}

// The distribution screen is in distributions.ts.

// ---------------------------------------------------------------------------------------------
// Helpline (assisted digital)

/**
 * Staff step a caller through the public site's own claim and report wizards (web/src/app): the
 * same questions, checks and messages, sent to the assisted routes with the staff token, so the
 * API marks the record staff-assisted and by whom. The answers live in memory only (no draft in
 * storage), and the numbers the caller needs are shown once, to read out: "Done" clears them.
 */
function helplineWizard(
  root: HTMLElement,
  kind: 'claim' | 'report',
  mount: (o: {
    root: HTMLElement;
    t: Messages;
    lang: Lang;
    signal: AbortSignal;
    post: (body: Record<string, unknown>, key: IdempotencyKey) => ReturnType<typeof postOnce<unknown>>;
  }) => void,
): void {
  const title =
    kind === 'claim' ? 'Helpline: file a claim for a caller' : 'Helpline: file a report for a caller';
  const wizard = h('div', { class: 'console-helpline' });
  // The caller's language: the questions to read out, and (for a report) the language the
  // agency writes back in. Changing it starts the questions again.
  const language = h(
    'fieldset',
    { class: 'usa-fieldset console-helpline-lang' },
    h('legend', { class: 'usa-legend' }, "The caller's language"),
    ...(
      [
        ['en', 'English'],
        ['es', 'Spanish (español)'],
      ] as const
    ).map(([value, label]) =>
      h(
        'div',
        { class: 'usa-radio' },
        h('input', {
          class: 'usa-radio__input',
          type: 'radio',
          name: 'caller-lang',
          id: `caller-lang-${value}`,
          value,
          ...(value === 'en' ? { checked: true } : {}),
        }),
        h('label', { class: 'usa-radio__label', for: `caller-lang-${value}` }, label),
      ),
    ),
  );
  show(
    root,
    title,
    helplineNav(kind),
    h(
      'p',
      null,
      `For callers who cannot use the website: these are the website's own questions and checks. Ask each one, type the caller's answers, and the ${kind} is recorded as filed by you for the caller.`,
    ),
    language,
    wizard,
  );
  // The wizard's listeners go when the console moves to another screen or starts it again.
  let running = new AbortController();
  addEventListener('hashchange', () => running.abort(), { once: true });
  const start = (lang: Lang) => {
    running.abort();
    running = new AbortController();
    wizard.setAttribute('lang', lang);
    mount({
      root: wizard,
      t: lang === 'es' ? es : en,
      lang,
      signal: running.signal,
      post: async (body, key) => {
        const result = await postOnce<unknown>(
          kind === 'claim' ? '/v1/admin/assisted/claims' : '/v1/admin/assisted/reports',
          body,
          key,
          lang,
          { authorization: `Bearer ${currentToken() ?? ''}` },
        );
        if (result.kind === 'refused' && result.status === 401) sessionExpired();
        return result;
      },
    });
  };
  on(language, {
    change: (e) => start((e.target as HTMLInputElement).value === 'es' ? 'es' : 'en'),
  });
  start('en');
}

/** The numbers the caller needs, shown this once; "Done" draws a new, empty helpline screen. */
function readOut(root: HTMLElement, title: string, facts_: [string, string][], again: () => void) {
  return show(
    root,
    title,
    alertBox(
      'success',
      'Read these to the caller now',
      'They are shown this once and kept nowhere in the console: not in the browser, not in a draft. The caller needs them to check on what was filed.',
      facts(facts_.map(([label, value]) => [label, h('strong', { class: 'console-secret' }, value)])),
    ),
    button('Done: clear these numbers', again, 'outline'),
  );
}

export function helplineScreen(root: HTMLElement): void {
  helplineWizard(root, 'claim', (o) =>
    claimWizard({
      ...o,
      filed: (created) => ({
        kind: 'done',
        title: 'Claim filed for the caller',
        show: () =>
          readOut(
            root,
            'Claim filed for the caller',
            [
              ['Claim number', created.claimId],
              ['Access code', created.accessCode],
            ],
            () => helplineScreen(root),
          ),
      }),
    }),
  );
}

const helplineNav = (current: 'claim' | 'report') =>
  h(
    'p',
    null,
    current === 'claim'
      ? link('#/helpline/report', 'File a fraud report for a caller instead')
      : link('#/helpline', 'File a claim for a caller instead'),
  );

export function helplineReportScreen(root: HTMLElement): void {
  helplineWizard(root, 'report', (o) =>
    reportWizard({
      ...o,
      filed: (data) => {
        const reportId = (data as { reportId?: unknown } | null)?.reportId;
        if (typeof reportId !== 'string') return undefined;
        return {
          kind: 'done',
          title: 'Report filed for the caller',
          show: () =>
            readOut(root, 'Report filed for the caller', [['Reference number', reportId]], () =>
              helplineReportScreen(root),
            ),
        };
      },
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Audit and dashboard

export async function auditScreen(root: HTMLElement, route: Route): Promise<void> {
  if (needsAdmin(root, 'Audit trail')) return;
  const q = route.query;
  const params = Object.fromEntries(
    ['actor', 'subjectId', 'from', 'to', 'cursor'].map((k) => [k, q.get(k) ?? undefined]),
  );
  const form = h(
    'form',
    { class: 'usa-form console-filter', role: 'search', 'aria-label': 'Search the audit trail' },
    field({ name: 'actor', label: 'Person (user id)', value: params['actor'] ?? '', required: false }),
    field({
      name: 'subjectId',
      label: 'Record id',
      hint: 'A report, claim, programme or plan id',
      value: params['subjectId'] ?? '',
      required: false,
    }),
    field({ name: 'from', label: 'From', type: 'date', value: params['from'] ?? '', required: false }),
    field({ name: 'to', label: 'To', type: 'date', value: params['to'] ?? '', required: false }),
    button('Search', undefined, 'primary', 'submit'),
  );
  on(form, {
    submit: (e) => {
      e.preventDefault();
      const d = new FormData(form);
      go(
        withQuery(
          '#/audit',
          Object.fromEntries(
            ['actor', 'subjectId', 'from', 'to'].map((k) => [k, String(d.get(k) ?? '').trim() || undefined]),
          ),
        ),
      );
    },
  });
  const result = await api<{ items: Json[]; cursor?: string }>(
    'GET',
    withQuery('/v1/admin/audit', { ...params, limit: '50' }),
  );
  if (!result.ok && result.status === 401) return;
  show(
    root,
    'Audit trail',
    h(
      'p',
      null,
      'Every staff read of a report, claim or identifier and every staff change, newest first. Entries cannot be changed or deleted.',
    ),
    form,
    result.ok
      ? pagedTable<Json>(
          'Audit entries',
          [
            { label: 'When', cell: (e) => time(e.at) },
            {
              label: 'Who',
              cell: (e) => `${e.actor?.email ?? e.actor?.sub} (${(e.actor?.roles ?? []).join(', ')})`,
            },
            { label: 'What', cell: (e) => `${e.action}: ${e.route}` },
            { label: 'Record', cell: (e) => e.subjectId ?? '—' },
            { label: 'From', cell: (e) => e.sourceIp },
            { label: 'Request', cell: (e) => h('code', null, e.requestId) },
          ],
          result.data,
          { route: '#/audit', query: params, hasPrevious: q.has('cursor') },
        )
      : problemBox(result),
  );
}

/** A shell for the dashboard (issue 12 part 5 fills it with aggregates and charts). */
export function signedInAs(): string {
  const u = currentUser();
  return u ? `Signed in as ${u.email ?? u.sub} (${u.roles.join(', ') || 'no staff role'})` : '';
}
