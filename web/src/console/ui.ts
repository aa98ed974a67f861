/**
 * The console's building blocks on the public site's DOM helpers (web/src/app/dom.ts): every
 * value goes in as a text node, so anything a victim, caller or colleague typed (HTML included)
 * shows as the characters they typed. USWDS class names throughout.
 */
import { append, type Child, focusElement, h, on, uid } from '../app/dom.ts';
import type { ApiResult } from './api.ts';

export { h, on };

export function money(cents: number | undefined, currency = 'USD'): string {
  if (cents === undefined || !Number.isFinite(cents)) return '—';
  const whole = Math.trunc(Math.abs(cents) / 100).toLocaleString('en-US');
  const sign = cents < 0 ? '-' : '';
  const amount = `${whole}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
  return currency === 'USD' ? `${sign}$${amount}` : `${sign}${amount} ${currency}`;
}

export const day = (iso: string | undefined): string => (iso ? iso.slice(0, 10) : '—');
export const time = (iso: string | undefined): string => (iso ? iso.replace('T', ' ').slice(0, 19) : '—');

/** Draws a screen into the console's main area and moves focus to its heading. */
export function show(root: HTMLElement, title: string, ...children: Child[]): HTMLHeadingElement {
  const heading = h('h1', { id: 'screen-title' }, title);
  root.replaceChildren(heading);
  append(root, ...children);
  document.title = `${title} | Restore agency console`;
  focusElement(heading);
  return heading;
}

export function alertBox(
  kind: 'info' | 'success' | 'warning' | 'error',
  heading: string,
  ...body: Child[]
): HTMLElement {
  return h(
    'div',
    {
      class: `usa-alert usa-alert--${kind}`,
      role: kind === 'error' || kind === 'warning' ? 'alert' : 'status',
    },
    h(
      'div',
      { class: 'usa-alert__body' },
      h('h2', { class: 'usa-alert__heading' }, heading),
      ...body.map((b) => (typeof b === 'string' ? h('p', { class: 'usa-alert__text' }, b) : b)),
    ),
  );
}

export function problemBox(result: Extract<ApiResult<unknown>, { ok: false }>): HTMLElement {
  return alertBox(
    'error',
    result.title,
    result.detail,
    result.fields.length > 0
      ? h(
          'ul',
          { class: 'usa-list' },
          result.fields.map((f) => h('li', null, `${f.path}: ${f.message}`)),
        )
      : null,
  );
}

export interface Column<T> {
  readonly label: string;
  readonly cell: (row: T) => Child;
}

/** A data table with a caption; `numeric` columns align right for reading amounts. */
export function table<T>(caption: string, columns: readonly Column<T>[], rows: readonly T[]): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'console-empty' }, `${caption}: nothing to show.`);
  return h(
    'div',
    { class: 'console-table-wrap', tabindex: 0, role: 'region', 'aria-label': caption },
    h(
      'table',
      { class: 'usa-table' },
      h('caption', null, caption),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          columns.map((c) => h('th', { scope: 'col' }, c.label)),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((row) =>
          h(
            'tr',
            null,
            columns.map((c) => h('td', null, c.cell(row))),
          ),
        ),
      ),
    ),
  );
}

/** Paging through the API's cursors: "Next page" while there is one, "First page" after. */
export function pager(
  cursor: string | undefined,
  hasPrevious: boolean,
  go: (cursor: string | undefined) => void,
): HTMLElement {
  return h(
    'nav',
    { class: 'console-pager', 'aria-label': 'Pages' },
    hasPrevious
      ? on(h('button', { type: 'button', class: 'usa-button usa-button--outline' }, 'First page'), {
          click: () => go(undefined),
        })
      : null,
    cursor
      ? on(h('button', { type: 'button', class: 'usa-button' }, 'Next page'), { click: () => go(cursor) })
      : null,
  );
}

/** `base` with the query's non-empty values appended. */
export function withQuery(base: string, q: Record<string, string | undefined>): string {
  const params = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => !!e[1]));
  const s = params.toString();
  return s ? `${base}?${s}` : base;
}

/**
 * One page of an API list: its table and the pager under it. The cursor goes into the screen's
 * address (`route` with `query` and `cursor`), so the back button and a reload keep the page.
 */
export function pagedTable<T>(
  caption: string,
  columns: readonly Column<T>[],
  page: { readonly items: readonly T[]; readonly cursor?: string | undefined },
  at: {
    readonly route: string;
    readonly query?: Record<string, string | undefined>;
    readonly hasPrevious: boolean;
  },
): HTMLElement[] {
  return [
    table(caption, columns, page.items),
    pager(page.cursor, at.hasPrevious, (cursor) => {
      location.hash = withQuery(at.route, { ...at.query, cursor });
    }),
  ];
}

export function link(href: string, text: string): HTMLAnchorElement {
  return h('a', { href }, text);
}

interface FieldOptions {
  readonly name: string;
  readonly label: string;
  readonly hint?: string;
  readonly type?: string;
  readonly value?: string;
  readonly required?: boolean;
  readonly multiline?: boolean;
  readonly options?: readonly (readonly [string, string])[];
}

/** A labelled input, select or textarea, with its hint tied by aria-describedby. */
export function field(o: FieldOptions): HTMLElement {
  const id = uid(o.name);
  const hintId = o.hint ? `${id}-hint` : undefined;
  const common = {
    id,
    name: o.name,
    ...(hintId ? { 'aria-describedby': hintId } : {}),
    ...(o.required ? { required: true } : {}),
  };
  let control: HTMLElement;
  if (o.options) {
    control = h(
      'select',
      { class: 'usa-select', ...common },
      o.options.map(([value, label]) =>
        h('option', { value, ...(value === o.value ? { selected: true } : {}) }, label),
      ),
    );
  } else if (o.multiline) {
    const area = h('textarea', { class: 'usa-textarea', rows: 4, ...common });
    area.value = o.value ?? '';
    control = area;
  } else {
    control = h('input', { class: 'usa-input', type: o.type ?? 'text', value: o.value ?? '', ...common });
  }
  return h(
    'div',
    { class: 'usa-form-group' },
    h(
      'label',
      { class: 'usa-label', for: id },
      o.label,
      o.required ? null : h('span', { class: 'console-optional' }, ' (optional)'),
    ),
    o.hint ? h('div', { class: 'usa-hint', id: hintId }, o.hint) : null,
    control,
  );
}

export function button(
  text: string,
  onClick?: () => void,
  kind: 'primary' | 'outline' | 'secondary' = 'primary',
  type: 'button' | 'submit' = 'button',
): HTMLButtonElement {
  const b = h(
    'button',
    { type, class: `usa-button${kind === 'primary' ? '' : ` usa-button--${kind}`}` },
    text,
  );
  if (onClick) on(b, { click: onClick });
  return b;
}

/** Label/value pairs. */
export function facts(pairs: readonly (readonly [string, Child])[]): HTMLElement {
  return h(
    'dl',
    { class: 'console-facts' },
    pairs.map(([k, v]) => [h('dt', null, k), h('dd', null, v ?? '—')]),
  );
}
