/**
 * Form fields in the USWDS pattern (label, hint, error message, control) and the error display:
 * each field carries the API's path for its answer (`payments.1.recipient.address`), so a problem
 * found here or by the API shows next to the right box and in the summary at the top.
 */
import { format, type Messages } from '../i18n/types.ts';
import type { FieldProblem } from './api.ts';
import { type Child, focusElement, h, on } from './dom.ts';

export interface FieldHandle {
  readonly path: string;
  readonly group: HTMLElement;
  /** Focused when the person follows the error link. */
  readonly focusTarget: HTMLElement;
  /** Gets `aria-describedby` (an input, or the fieldset of a group of inputs). */
  readonly describedTarget: HTMLElement;
  readonly invalidTargets: readonly HTMLElement[];
  readonly hintIds: readonly string[];
  readonly errorSlot: HTMLElement;
}

export interface ShownProblem extends FieldProblem {
  readonly field?: FieldHandle;
}

/** The fields drawn on one screen, found by API path. */
export class FormScope {
  readonly fields: FieldHandle[] = [];

  add(field: FieldHandle): void {
    this.fields.push(field);
  }

  /**
   * The field for a path: the exact one, else the first field under the nearest parent path
   * (`payments.0.recipient.iban` has no box of its own, so it goes to that payment's first
   * recipient box).
   */
  find(path: string): FieldHandle | undefined {
    const exact = this.fields.find((f) => f.path === path);
    if (exact) return exact;
    const parts = path.split('.');
    for (let n = parts.length - 1; n > 0; n--) {
      const prefix = `${parts.slice(0, n).join('.')}.`;
      const under = this.fields.find((f) => f.path.startsWith(prefix));
      if (under) return under;
    }
    return undefined;
  }

  clearErrors(): void {
    for (const field of this.fields) setFieldError(field, [], undefined);
  }

  /** Shows each problem next to its field; returns them with their field (if any is on screen). */
  showErrors(problems: readonly FieldProblem[], t: Messages): ShownProblem[] {
    this.clearErrors();
    const byField = new Map<FieldHandle, string[]>();
    const shown: ShownProblem[] = [];
    for (const problem of problems) {
      const field = this.find(problem.path);
      if (field) {
        const messages = byField.get(field) ?? [];
        if (!messages.includes(problem.message)) messages.push(problem.message);
        byField.set(field, messages);
      }
      shown.push({ ...problem, field });
    }
    for (const [field, messages] of byField) setFieldError(field, messages, t);
    return shown;
  }
}

function setFieldError(field: FieldHandle, messages: readonly string[], t: Messages | undefined): void {
  const invalid = messages.length > 0;
  field.group.classList.toggle('usa-form-group--error', invalid);
  field.errorSlot.replaceChildren();
  field.errorSlot.hidden = !invalid;
  if (invalid && t) {
    field.errorSlot.append(
      h('span', { class: 'usa-sr-only' }, `${t.common.errorPrefix} `),
      messages.join(' '),
    );
  }
  const described = [...field.hintIds, ...(invalid ? [field.errorSlot.id] : [])].join(' ');
  if (described) field.describedTarget.setAttribute('aria-describedby', described);
  else field.describedTarget.removeAttribute('aria-describedby');
  for (const target of field.invalidTargets) {
    if (invalid) target.setAttribute('aria-invalid', 'true');
    else target.removeAttribute('aria-invalid');
  }
}

export interface BaseOptions {
  readonly id: string;
  readonly path: string;
  readonly label: string;
  /** Text, or nodes when the hint holds a link (a phone number). */
  readonly hint?: string | Child[];
  readonly optional?: boolean;
}

function labelText(o: BaseOptions, t: Messages): Child[] {
  return [o.label, o.optional ? h('span', { class: 'usa-hint' }, ` ${t.common.optional}`) : null];
}

function hintAndError(o: BaseOptions): { hint: HTMLElement | null; error: HTMLElement; hintIds: string[] } {
  const hint =
    o.hint && o.hint.length > 0 ? h('div', { class: 'usa-hint', id: `${o.id}-hint` }, o.hint) : null;
  const error = h('span', { class: 'usa-error-message', id: `${o.id}-error`, hidden: true });
  return { hint, error, hintIds: hint ? [hint.id] : [] };
}

export interface TextOptions extends BaseOptions {
  readonly value: string;
  readonly onInput: (value: string) => void;
  readonly type?: 'text' | 'email' | 'tel';
  readonly inputmode?: 'text' | 'numeric' | 'decimal' | 'email' | 'tel';
  readonly autocomplete?: string;
  readonly width?: 'xs' | 'sm' | 'md' | 'lg';
  readonly prefix?: string;
  readonly maxlength?: number;
  readonly spellcheck?: boolean;
  readonly lang?: string;
}

export function textField(scope: FormScope, t: Messages, o: TextOptions): HTMLElement {
  const { hint, error, hintIds } = hintAndError(o);
  const input = on(
    h('input', {
      class: `usa-input${o.width ? ` usa-input--${o.width}` : ''}`,
      id: o.id,
      name: o.id,
      type: o.type ?? 'text',
      inputmode: o.inputmode,
      autocomplete: o.autocomplete ?? 'off',
      maxlength: o.maxlength,
      spellcheck: o.spellcheck === false ? 'false' : undefined,
      'aria-describedby': hintIds.join(' ') || undefined,
      'data-path': o.path,
    }),
    { input: () => o.onInput(input.value) },
  );
  input.value = o.value;
  const control = o.prefix
    ? h(
        'div',
        { class: `usa-input-group${o.width ? ` usa-input--${o.width}` : ''}` },
        h('div', { class: 'usa-input-prefix', 'aria-hidden': 'true' }, o.prefix),
        input,
      )
    : input;
  const group = h(
    'div',
    { class: 'usa-form-group' },
    h('label', { class: 'usa-label', for: o.id }, labelText(o, t)),
    hint,
    error,
    control,
  );
  scope.add({
    path: o.path,
    group,
    focusTarget: input,
    describedTarget: input,
    invalidTargets: [input],
    hintIds,
    errorSlot: error,
  });
  return group;
}

export interface TextareaOptions extends BaseOptions {
  readonly value: string;
  readonly onInput: (value: string) => void;
  readonly maxlength?: number;
}

export function textareaField(scope: FormScope, t: Messages, o: TextareaOptions): HTMLElement {
  const { hint, error, hintIds } = hintAndError(o);
  const area = on(
    h('textarea', {
      class: 'usa-textarea',
      id: o.id,
      name: o.id,
      rows: 8,
      maxlength: o.maxlength,
      'aria-describedby': hintIds.join(' ') || undefined,
      'data-path': o.path,
    }),
    { input: () => o.onInput(area.value) },
  );
  area.value = o.value;
  const group = h(
    'div',
    { class: 'usa-form-group' },
    h('label', { class: 'usa-label', for: o.id }, labelText(o, t)),
    hint,
    error,
    area,
  );
  scope.add({
    path: o.path,
    group,
    focusTarget: area,
    describedTarget: area,
    invalidTargets: [area],
    hintIds,
    errorSlot: error,
  });
  return group;
}

export interface SelectOptions extends BaseOptions {
  readonly value: string;
  readonly choose: string;
  readonly options: readonly (readonly [value: string, label: string])[];
  readonly onChange: (value: string) => void;
  readonly autocomplete?: string;
}

export function selectField(scope: FormScope, t: Messages, o: SelectOptions): HTMLElement {
  const { hint, error, hintIds } = hintAndError(o);
  const select = on(
    h(
      'select',
      {
        class: 'usa-select',
        id: o.id,
        name: o.id,
        autocomplete: o.autocomplete,
        'aria-describedby': hintIds.join(' ') || undefined,
        'data-path': o.path,
      },
      h('option', { value: '' }, o.choose),
      o.options.map(([value, label]) => h('option', { value }, label)),
    ),
    { change: () => o.onChange(select.value) },
  );
  select.value = o.value;
  const group = h(
    'div',
    { class: 'usa-form-group' },
    h('label', { class: 'usa-label', for: o.id }, labelText(o, t)),
    hint,
    error,
    select,
  );
  scope.add({
    path: o.path,
    group,
    focusTarget: select,
    describedTarget: select,
    invalidTargets: [select],
    hintIds,
    errorSlot: error,
  });
  return group;
}

export interface Choice {
  readonly value: string;
  readonly label: string;
  readonly description?: string;
}

export interface RadioOptions extends BaseOptions {
  readonly value: string;
  readonly choices: readonly Choice[];
  readonly onChange: (value: string) => void;
  /** A page-level question: bigger legend. */
  readonly large?: boolean;
}

export function radioGroup(scope: FormScope, t: Messages, o: RadioOptions): HTMLElement {
  const { hint, error, hintIds } = hintAndError(o);
  const inputs = o.choices.map((choice, i) => {
    const input = on(
      h('input', {
        class: 'usa-radio__input usa-radio__input--tile',
        id: `${o.id}-${i}`,
        type: 'radio',
        name: o.id,
        value: choice.value,
        'data-path': i === 0 ? o.path : undefined,
      }),
      { change: () => o.onChange(choice.value) },
    );
    input.checked = choice.value === o.value;
    return input;
  });
  const fieldset = h(
    'fieldset',
    { class: 'usa-fieldset', 'aria-describedby': hintIds.join(' ') || undefined },
    h('legend', { class: `usa-legend${o.large ? ' usa-legend--large' : ''}` }, labelText(o, t)),
    hint,
    error,
    o.choices.map((choice, i) =>
      h(
        'div',
        { class: 'usa-radio' },
        inputs[i],
        h(
          'label',
          { class: 'usa-radio__label', for: `${o.id}-${i}` },
          choice.label,
          choice.description
            ? h('span', { class: 'usa-radio__label-description' }, choice.description)
            : null,
        ),
      ),
    ),
  );
  const group = h('div', { class: 'usa-form-group' }, fieldset);
  const checked = inputs.find((i) => i.checked);
  scope.add({
    path: o.path,
    group,
    focusTarget: checked ?? inputs[0] ?? fieldset,
    describedTarget: fieldset,
    invalidTargets: inputs,
    hintIds,
    errorSlot: error,
  });
  return group;
}

export interface CheckboxOptions {
  readonly id: string;
  readonly path: string;
  readonly label: string;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
}

export function checkboxField(scope: FormScope, o: CheckboxOptions): HTMLElement {
  const error = h('span', { class: 'usa-error-message', id: `${o.id}-error`, hidden: true });
  const input = on(
    h('input', {
      class: 'usa-checkbox__input usa-checkbox__input--tile',
      id: o.id,
      type: 'checkbox',
      name: o.id,
      'data-path': o.path,
    }),
    { change: () => o.onChange(input.checked) },
  );
  input.checked = o.checked;
  const group = h(
    'div',
    { class: 'usa-form-group' },
    error,
    h(
      'div',
      { class: 'usa-checkbox' },
      input,
      h('label', { class: 'usa-checkbox__label', for: o.id }, o.label),
    ),
  );
  scope.add({
    path: o.path,
    group,
    focusTarget: input,
    describedTarget: input,
    invalidTargets: [input],
    hintIds: [],
    errorSlot: error,
  });
  return group;
}

export interface DateParts {
  month: string;
  day: string;
  year: string;
}

export const emptyDate = (): DateParts => ({ month: '', day: '', year: '' });

export interface DateOptions extends BaseOptions {
  readonly value: DateParts;
  readonly onInput: (value: DateParts) => void;
}

/** The USWDS "memorable date": three boxes, easier than a calendar for a date you know. */
export function dateField(scope: FormScope, t: Messages, o: DateOptions): HTMLElement {
  const hintText = [o.hint, t.date.hint].filter(Boolean).join(' ');
  const { hint, error, hintIds } = hintAndError({ ...o, hint: hintText });
  const value: DateParts = { ...o.value };
  const part = (key: keyof DateParts, label: string, max: number) => {
    const id = `${o.id}-${key}`;
    const input = on(
      h('input', {
        class: 'usa-input',
        id,
        name: id,
        type: 'text',
        inputmode: 'numeric',
        maxlength: max,
        autocomplete: 'off',
        'data-path': key === 'month' ? o.path : undefined,
      }),
      {
        input: () => {
          value[key] = input.value;
          o.onInput({ ...value });
        },
      },
    );
    input.value = value[key];
    const wrapper = h(
      'div',
      { class: `usa-form-group usa-form-group--${key}` },
      h('label', { class: 'usa-label', for: id }, label),
      input,
    );
    return { input, wrapper };
  };
  const month = part('month', t.date.month, 2);
  const day = part('day', t.date.day, 2);
  const year = part('year', t.date.year, 4);
  const fieldset = h(
    'fieldset',
    { class: 'usa-fieldset', 'aria-describedby': hintIds.join(' ') || undefined },
    h('legend', { class: 'usa-legend' }, labelText(o, t)),
    hint,
    error,
    h('div', { class: 'usa-memorable-date' }, month.wrapper, day.wrapper, year.wrapper),
  );
  const group = h('div', { class: 'usa-form-group' }, fieldset);
  scope.add({
    path: o.path,
    group,
    focusTarget: month.input,
    describedTarget: fieldset,
    invalidTargets: [month.input, day.input, year.input],
    hintIds,
    errorSlot: error,
  });
  return group;
}

export interface ListOptions {
  readonly id: string;
  /** `scammer.phones`: item i has the path `scammer.phones.i`. */
  readonly path: string;
  readonly legend: string;
  readonly hint?: string;
  readonly itemLabel: string;
  readonly addLabel: string;
  readonly values: string[];
  readonly max: number;
  readonly type?: 'text' | 'email' | 'tel';
  readonly onChange: (values: string[]) => void;
}

/** A list of boxes for identifiers (phone numbers, emails...), with "Add another". */
export function listField(scope: FormScope, t: Messages, o: ListOptions): HTMLElement {
  const values = o.values.length > 0 ? [...o.values] : [''];
  const items = h('div', { class: 'input-list' });
  const hintId = o.hint ? `${o.id}-hint` : undefined;
  const addItem = (index: number): HTMLInputElement => {
    const group = textField(scope, t, {
      id: `${o.id}-${index}`,
      path: `${o.path}.${index}`,
      label: format(o.itemLabel, { n: index + 1 }),
      optional: true,
      value: values[index] ?? '',
      type: o.type,
      spellcheck: false,
      onInput: (v) => {
        values[index] = v;
        o.onChange([...values]);
      },
    });
    items.append(group);
    return group.querySelector('input')!;
  };
  for (let i = 0; i < values.length; i++) addItem(i);
  const add = on(h('button', { type: 'button', class: 'usa-button usa-button--outline' }, o.addLabel), {
    click: () => {
      if (values.length >= o.max) return;
      values.push('');
      o.onChange([...values]);
      addItem(values.length - 1).focus();
      if (values.length >= o.max) add.hidden = true;
    },
  });
  add.hidden = values.length >= o.max;
  return h(
    'fieldset',
    { class: 'usa-fieldset input-list-fieldset', 'aria-describedby': hintId },
    h('legend', { class: 'usa-legend' }, o.legend, h('span', { class: 'usa-hint' }, ` ${t.common.optional}`)),
    o.hint ? h('div', { class: 'usa-hint', id: hintId }, o.hint) : null,
    items,
    add,
  );
}

/**
 * The summary at the top: "There are 2 problems to fix", each a link to its box. `elsewhere`
 * lists problems on other screens with a button that goes there.
 */
export function errorSummary(
  t: Messages,
  problems: readonly ShownProblem[],
  elsewhere: readonly { problem: FieldProblem; stepTitle: string; go: () => void }[] = [],
): HTMLElement {
  const count = problems.length + elsewhere.length;
  const headingId = 'error-summary-heading';
  return h(
    'div',
    { class: 'usa-alert usa-alert--error error-summary', 'aria-labelledby': headingId, tabindex: -1 },
    h(
      'div',
      { class: 'usa-alert__body' },
      h(
        'h2',
        { class: 'usa-alert__heading', id: headingId },
        count === 1 ? t.common.errorSummaryOne : format(t.common.errorSummaryMany, { count }),
      ),
      h(
        'ul',
        { class: 'usa-list usa-list--unstyled' },
        problems.map((p) => {
          const field = p.field;
          if (!field) return h('li', null, p.message);
          return h(
            'li',
            null,
            on(h('a', { href: `#${field.focusTarget.id}` }, p.message), {
              click: (event) => {
                event.preventDefault();
                field.group.scrollIntoView({ block: 'start' });
                field.focusTarget.focus({ preventScroll: true });
              },
            }),
          );
        }),
        elsewhere.map(({ problem, stepTitle, go }) =>
          h(
            'li',
            null,
            on(
              h(
                'button',
                { type: 'button', class: 'usa-button usa-button--unstyled' },
                format(t.common.errorOnStep, { message: problem.message, step: stepTitle }),
              ),
              { click: go },
            ),
          ),
        ),
      ),
    ),
  );
}

export function showSummary(container: HTMLElement, summary: HTMLElement): void {
  container.replaceChildren(summary);
  focusElement(summary);
}
