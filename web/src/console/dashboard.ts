/**
 * The dashboard screen (GET /v1/admin/dashboard, docs/dashboard.md) and the reviewer's flags on a
 * claim. Every chart has its figures in a table beside it.
 */
import { type ApiResult, api } from './api.ts';
import { type Bar, barChart, columnChart } from './charts.ts';
import { alertBox, type Column, field, h, link, money, on, problemBox, show, table } from './ui.ts';

// biome-ignore lint/suspicious/noExplicitAny: API answers are read field by field for display
type Json = Record<string, any>;

/** `imposter-government` -> `Imposter government`; ranges like `70-79` keep their dash. */
const words = (key: string) =>
  key.replace(/_|(?<=[a-z])-(?=[a-z])/gi, ' ').replace(/^./, (c) => c.toUpperCase());
const week = (monday: string) => `week of ${monday}`;
const sum = (xs: readonly number[]) => xs.reduce((s, n) => s + n, 0);

/** A chart and its data table side by side (stacked on narrow screens and in print). */
function figure(title: string, chart: SVGSVGElement, data: HTMLElement, wide = false): HTMLElement {
  return h(
    'section',
    { class: 'console-chart', 'aria-label': title },
    h('h2', null, title),
    h(
      'div',
      { class: `console-chart__body${wide ? ' console-chart__body--wide' : ''}` },
      h('figure', { class: 'console-chart__figure' }, chart),
      data,
    ),
  );
}

/** One dimension (category, payment method, age range): totals over the period, by value. */
function breakdown(title: string, what: string, series: Json): HTMLElement {
  const rows = [...(series['rows'] as Json[])].sort((a, b) => b['total'] - a['total']);
  const weeks = series['weeks'] as string[];
  const lastWeek = weeks.length - 1;
  const bars: Bar[] = rows.map((r) => ({ label: words(r['key']), value: r['total'] }));
  const top = bars[0];
  return figure(
    title,
    barChart(
      top
        ? `${title}: ${bars.length} kinds over ${weeks.length} weeks; the most is ${top.label} with ${top.value}. Figures in the table.`
        : `${title}: no reports in these weeks.`,
      bars,
    ),
    table<Json>(
      `${title} (figures)`,
      [
        { label: what, cell: (r) => words(r['key']) },
        { label: `${weeks.length} weeks`, cell: (r) => String(r['total']) },
        { label: 'This week', cell: (r) => String(r['counts'][lastWeek] ?? 0) },
      ],
      rows,
    ),
  );
}

function losses(series: Json[]): HTMLElement[] {
  return series.map((s) => {
    const currency = String(s['currency']);
    const rows = [...(s['rows'] as Json[])].sort((a, b) => b['totalCents'] - a['totalCents']);
    const bars: Bar[] = rows.map((r) => ({
      label: words(r['method']),
      value: r['totalCents'],
      text: money(r['totalCents'], currency),
    }));
    const title = `Losses by payment method (${currency})`;
    return figure(
      title,
      barChart(
        bars[0]
          ? `${title}: ${money(sum(bars.map((b) => b.value)), currency)} in all; the most by ${bars[0].label}, ${bars[0].text}. Figures in the table.`
          : `${title}: none.`,
        bars,
      ),
      table<Json>(
        `${title} (figures)`,
        [
          { label: 'Payment method', cell: (r) => words(r['method']) },
          { label: 'Reported lost', cell: (r) => money(r['totalCents'], currency) },
        ],
        rows,
      ),
    );
  });
}

const STATUSES = [
  'SUBMITTED',
  'UNDER_REVIEW',
  'NEEDS_INFO',
  'RECONSIDERATION_REQUESTED',
  'APPROVED',
  'DENIED',
  'PAYMENT_SCHEDULED',
  'PAID',
  'CLOSED',
] as const;

function claims(rows: Json[]): HTMLElement {
  const totals = STATUSES.map((s) => ({
    label: words(s.toLowerCase()),
    value: sum(rows.map((r) => r['counts'][s] ?? 0)),
  }));
  const columns: Column<Json>[] = [
    {
      label: 'Programme',
      cell: (r) =>
        r['poolId']
          ? link(`#/programmes/${encodeURIComponent(r['poolId'])}`, r['poolName'] ?? r['poolId'])
          : 'No programme named',
    },
    ...STATUSES.map((s) => ({
      label: words(s.toLowerCase()),
      cell: (r: Json) => String(r['counts'][s] ?? 0),
    })),
    { label: 'All', cell: (r) => String(r['total']) },
  ];
  return figure(
    'Claims by status',
    barChart(
      `Claims by status across programmes: ${sum(totals.map((t) => t.value))} claims. Figures per programme in the table.`,
      totals,
    ),
    table<Json>('Claims by status, per programme', columns, rows),
    true,
  );
}

export async function dashboardScreen(root: HTMLElement, query: URLSearchParams): Promise<void> {
  const weeks = query.get('weeks') ?? '12';
  const result: ApiResult<Json> = await api<Json>(
    'GET',
    `/v1/admin/dashboard?weeks=${encodeURIComponent(weeks)}`,
  );
  if (!result.ok) {
    if (result.status !== 401) show(root, 'Dashboard', problemBox(result));
    return;
  }
  const d = result.data;
  const ws = d['weeks'] as string[];
  const perWeek = d['reportsPerWeek'] as number[];
  const weekBars: Bar[] = ws.map((w, i) => ({ label: w, value: perWeek[i] ?? 0 }));
  const picker = on(
    h(
      'form',
      { class: 'usa-form console-filter', 'aria-label': 'Choose the period' },
      field({
        name: 'weeks',
        label: 'Period',
        value: weeks,
        required: true,
        options: [
          ['4', 'Last 4 weeks'],
          ['12', 'Last 12 weeks'],
          ['26', 'Last 26 weeks'],
          ['52', 'Last 52 weeks'],
        ],
      }),
      h('button', { type: 'submit', class: 'usa-button' }, 'Show'),
    ),
    {
      submit: (e: Event) => {
        e.preventDefault();
        const value = ((e.target as HTMLFormElement).elements.namedItem('weeks') as HTMLSelectElement).value;
        location.hash = `#/dashboard?weeks=${value}`;
      },
    },
  );
  show(
    root,
    'Dashboard',
    h(
      'p',
      null,
      `Counted as reports are processed and claims change; weeks start on Monday (UTC). Figures as of ${String(d['generatedAt']).slice(0, 16).replace('T', ' ')} UTC.`,
    ),
    picker,
    figure(
      'Reports per week',
      columnChart(
        `Reports per week, ${ws.length} weeks from ${ws[0]} to ${ws[ws.length - 1]}: ${sum(perWeek)} in all, ${perWeek[perWeek.length - 1] ?? 0} this week. Figures in the table.`,
        weekBars,
      ),
      table<Bar>(
        'Reports per week (figures)',
        [
          { label: 'Week', cell: (b) => week(b.label) },
          { label: 'Reports', cell: (b) => String(b.value) },
        ],
        [...weekBars].reverse(),
      ),
    ),
    breakdown('Reports by category', 'Category', d['byCategory']),
    breakdown('Reports by payment method', 'Payment method', d['byPaymentMethod']),
    breakdown('Reports by age range', 'Age range', d['byAgeRange']),
    ...losses(d['lossesByPaymentMethod'] as Json[]),
    claims(d['claimsByStatus'] as Json[]),
    h(
      'section',
      { class: 'console-chart', 'aria-label': 'Most-reported identifiers' },
      h('h2', null, 'Most-reported identifiers'),
      table<Json>(
        'Identifiers named by the most reports',
        [
          // The API's href is /v1/admin/indicators/<type>/<value>; the console's route is the same path.
          {
            label: 'Identifier',
            cell: (i) => link(`#${String(i['href']).replace('/v1/admin', '')}`, i['display']),
          },
          { label: 'Kind', cell: (i) => words(i['type']) },
          { label: 'Reports', cell: (i) => String(i['reports']) },
        ],
        d['topIdentifiers'] as Json[],
      ),
    ),
  );
}

const FLAG_TITLES: Record<string, string> = {
  SHARED_PAYOUT_ACCOUNT: 'Same payout bank account as another claimant',
  SHARED_EMAIL: 'Same e-mail as another claimant',
  SHARED_PHONE: 'Same phone as another claimant',
  SHARED_ADDRESS: 'Same mailing address as another claimant',
  INVITATION_ALREADY_USED: 'Invitation code used twice',
  REPORT_ALREADY_CLAIMED: 'Report already claimed',
  LOSS_ABOVE_REPORTS: 'Claimed loss far above the reports',
};

/** The reviewer's flags on a claim, each with its reason and links to the claims or reports. */
export function flagList(claim: Json): HTMLElement | null {
  const flags = (claim['reviewFlags'] as Json[] | undefined) ?? [];
  if (flags.length === 0) return null;
  return alertBox(
    'warning',
    flags.length === 1 ? '1 flag for the reviewer' : `${flags.length} flags for the reviewer`,
    h(
      'ul',
      { class: 'usa-list console-flags' },
      flags.map((f) =>
        h(
          'li',
          null,
          h('strong', null, FLAG_TITLES[f['code']] ?? words(String(f['code']).toLowerCase())),
          ': ',
          String(f['reason']),
          (f['claimIds'] as string[] | undefined)?.length
            ? h(
                'span',
                null,
                ' See ',
                ...(f['claimIds'] as string[]).flatMap((id, i) => [
                  i > 0 ? ', ' : '',
                  link(`#/claims/${encodeURIComponent(id)}`, id),
                ]),
                '.',
              )
            : null,
        ),
      ),
    ),
  );
}
