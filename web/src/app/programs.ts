/** Open restoration programmes (GET /v1/pools), for the home page, /programs/ and the claim form. */

import { format, type Lang, type Messages } from '../i18n/types.ts';
import { pageUrl } from '../site/routes.ts';
import { apiRequest } from './api.ts';
import { startChrome } from './chrome.ts';
import { h } from './dom.ts';
import { alertBox } from './ui.ts';
import { formatDate } from './values.ts';

export interface Pool {
  readonly poolId: string;
  readonly name: string;
  readonly caseNumber?: string;
  readonly description?: string;
  readonly claimDeadline?: string;
  readonly eligibility?: string;
  /** Texts shown in English on a Spanish page (no Spanish given): marked lang="en". */
  readonly inEnglish?: readonly ('name' | 'description' | 'eligibility')[];
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/**
 * The API's list, whether it answers a bare array or `{ "pools": [...] }`. On Spanish pages each
 * text comes from the pool's `es` fields, falling back to the English one.
 */
export function readPools(data: unknown, lang: Lang = 'en'): Pool[] {
  const o = data as { pools?: unknown; items?: unknown } | null;
  const list: unknown = Array.isArray(data) ? data : (o?.pools ?? o?.items);
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown) => {
    const p = (item ?? {}) as Record<string, unknown>;
    const es = lang === 'es' ? ((p['es'] ?? {}) as Record<string, unknown>) : {};
    const inEnglish: ('name' | 'description' | 'eligibility')[] = [];
    const localised = (field: 'name' | 'description' | 'eligibility') => {
      const translated = text(es[field]);
      if (translated) return translated;
      const english = text(p[field]);
      if (english && lang !== 'en') inEnglish.push(field);
      return english;
    };
    const poolId = text(p['poolId']);
    const name = localised('name');
    if (!poolId || !name) return [];
    return [
      {
        poolId,
        name,
        caseNumber: text(p['caseNumber']),
        description: localised('description'),
        claimDeadline: text(p['claimDeadline']),
        eligibility: localised('eligibility'),
        ...(inEnglish.length > 0 ? { inEnglish } : {}),
      },
    ];
  });
}

export type PoolsResult = { readonly ok: true; readonly pools: Pool[] } | { readonly ok: false };

let loading: Promise<PoolsResult> | undefined;

export function loadPools(lang: Lang): Promise<PoolsResult> {
  loading ??= apiRequest<unknown>('GET', '/v1/pools', { lang }).then((result): PoolsResult => {
    if (result.kind === 'ok') return { ok: true, pools: readPools(result.data, lang) };
    // No programme endpoint here yet: from the visitor's side, no programme is open.
    if (result.kind === 'not-found' || result.kind === 'unavailable') return { ok: true, pools: [] };
    return { ok: false };
  });
  return loading;
}

export function claimUrl(lang: Lang, poolId: string): string {
  return `${pageUrl('claim', lang)}?pool=${encodeURIComponent(poolId)}`;
}

function poolCard(pool: Pool, t: Messages, lang: Lang, headingLevel: 'h2' | 'h3'): HTMLElement {
  const p = t.programs;
  const english = (field: 'name' | 'description' | 'eligibility') =>
    pool.inEnglish?.includes(field) ? { lang: 'en' } : null;
  const rows: [string, string | undefined, { lang: string } | null][] = [
    [p.caseNumber, pool.caseNumber, null],
    [p.deadline, pool.claimDeadline ? formatDate(pool.claimDeadline, lang) : undefined, null],
    [p.eligibility, pool.eligibility, english('eligibility')],
  ];
  return h(
    'li',
    { class: 'program-card' },
    h(headingLevel, { class: 'program-card__name', ...english('name') }, pool.name),
    pool.description ? h('p', english('description'), pool.description) : null,
    h(
      'dl',
      { class: 'review-list' },
      rows
        .filter((row): row is [string, string, { lang: string } | null] => row[1] !== undefined)
        .map(([label, value, attrs]) =>
          h('div', { class: 'review-list__row' }, h('dt', null, label), h('dd', attrs, value)),
        ),
    ),
    h(
      'a',
      { class: 'usa-button', href: claimUrl(lang, pool.poolId) },
      format(p.fileClaim, { program: pool.name }),
    ),
  );
}

/** Fills `#programs-list` (its `data-limit` caps how many are shown). */
export async function showPools(t: Messages, lang: Lang, headingLevel: 'h2' | 'h3'): Promise<void> {
  const target = document.getElementById('programs-list');
  if (!target) return;
  target.setAttribute('aria-busy', 'true');
  const result = await loadPools(lang);
  target.removeAttribute('aria-busy');
  if (!result.ok) {
    target.replaceChildren(alertBox('info', t.programs.loadError, { slim: true }));
    return;
  }
  if (result.pools.length === 0) {
    target.replaceChildren(
      h('p', null, t.programs.empty, ' ', h('a', { href: pageUrl('report', lang) }, t.programs.reportLink)),
    );
    return;
  }
  const limit = Number(target.dataset['limit'] ?? 0);
  const shown = limit > 0 ? result.pools.slice(0, limit) : result.pools;
  target.replaceChildren(
    h(
      'ul',
      { class: 'program-list' },
      shown.map((pool) => poolCard(pool, t, lang, headingLevel)),
    ),
  );
}

export function startPrograms(t: Messages, lang: Lang): void {
  void startChrome(t, lang);
  void showPools(t, lang, 'h2');
}

export function startHome(t: Messages, lang: Lang): void {
  void startChrome(t, lang);
  void showPools(t, lang, 'h3');
}
