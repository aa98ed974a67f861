/** Small USWDS pieces used on several pages: alerts and the "Check your answers" sections. */
import type { Messages } from '../i18n/types.ts';
import { type Child, h, on } from './dom.ts';

export function alertBox(
  type: 'info' | 'success' | 'warning' | 'error',
  content: Child,
  options: { slim?: boolean; focusable?: boolean } = {},
): HTMLElement {
  return h(
    'div',
    {
      class: `usa-alert usa-alert--${type}${options.slim ? ' usa-alert--slim' : ''}`,
      tabindex: options.focusable ? -1 : undefined,
    },
    h('div', { class: 'usa-alert__body' }, h('p', { class: 'usa-alert__text' }, content)),
  );
}

export type Row = readonly [label: string, value: Child];

/** One "Check your answers" section: its rows and a "Change" button that goes back to the step. */
export function reviewSection(t: Messages, title: string, rows: readonly Row[], go: () => void): HTMLElement {
  return h(
    'section',
    { class: 'review-section' },
    h(
      'div',
      { class: 'review-section__header' },
      h('h3', null, title),
      on(
        h(
          'button',
          { type: 'button', class: 'usa-button usa-button--unstyled review-section__change' },
          t.wizard.change,
          h('span', { class: 'usa-sr-only' }, `: ${title}`),
        ),
        { click: go },
      ),
    ),
    h(
      'dl',
      { class: 'review-list' },
      rows.map(([label, value]) =>
        h(
          'div',
          { class: 'review-list__row' },
          h('dt', null, label),
          h('dd', null, value ?? t.common.notAnswered),
        ),
      ),
    ),
  );
}
