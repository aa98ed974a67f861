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

/** A list of label and value rows (what was reported or claimed), as on the review screen. */
export function summaryList(rows: readonly Row[]): HTMLElement {
  return h(
    'dl',
    { class: 'review-list' },
    rows.map(([label, value]) =>
      h('div', { class: 'review-list__row' }, h('dt', null, label), h('dd', null, value)),
    ),
  );
}

/**
 * "I have saved them": the only thing that takes a confirmation off the screen. A first press
 * asks once more (the access code cannot be shown again), a second one calls `done`.
 */
export function savedControl(t: Messages, question: string, label: string, done: () => void): HTMLElement {
  const area = h('div', { class: 'saved-check no-print' });
  const ask = () => {
    const prompt = h('p', { tabindex: -1 }, h('strong', null, question));
    area.replaceChildren(
      h(
        'div',
        { class: 'usa-alert usa-alert--warning' },
        h(
          'div',
          { class: 'usa-alert__body' },
          prompt,
          h(
            'div',
            { class: 'button-row' },
            on(h('button', { type: 'button', class: 'usa-button' }, t.common.savedYes), { click: done }),
            on(h('button', { type: 'button', class: 'usa-button usa-button--outline' }, t.common.savedNo), {
              click: () => first().focus(),
            }),
          ),
        ),
      ),
    );
    prompt.focus();
  };
  const first = () => {
    const button = on(h('button', { type: 'button', class: 'usa-button usa-button--outline' }, label), {
      click: ask,
    });
    area.replaceChildren(button);
    return button;
  };
  first();
  return area;
}
