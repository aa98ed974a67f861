/**
 * A form in steps, one question group per screen, with the USWDS step indicator.
 *
 * - Answers are kept in the browser (localStorage) as a draft, so closing the tab loses nothing;
 *   "Clear my answers" removes them on a shared computer. Without a `storageKey` (the console's
 *   helpline, where staff type a caller's answers) they are kept in memory only.
 * - Back and Continue keep answers; the browser's back button moves between steps too.
 * - Focus moves to the step's heading on each new screen, or to the error summary when there are
 *   problems; each problem is also shown next to its box (from our checks or the API's paths).
 * - The draft carries one Idempotency-Key, so pressing "Send" twice, or retrying after a lost
 *   answer, never files twice.
 */
import { format, type Lang, type Messages } from '../i18n/types.ts';
import { type FieldProblem, newIdempotencyKey } from './api.ts';
import { type Child, focusElement, h, on } from './dom.ts';
import { errorSummary, FormScope } from './forms.ts';

export interface StepContext<S> {
  readonly state: S;
  readonly t: Messages;
  readonly lang: Lang;
  readonly scope: FormScope;
  /** Call after changing `state`. */
  save(): void;
  /** Says something to screen reader users without moving focus. */
  announce(message: string): void;
  goTo(step: number): void;
}

export interface Step<S> {
  readonly title: string;
  /** API paths answered on this screen (prefixes such as `incident.category` or `payments`). */
  readonly paths: readonly string[];
  render(ctx: StepContext<S>): Child;
  validate?(state: S): FieldProblem[];
  /** Checks that need the API (after `validate` passed), e.g. is this invitation code genuine. */
  beforeNext?(state: S): Promise<FieldProblem[]>;
}

export type SubmitOutcome =
  /** Draws the result into `view` and returns the heading to focus. */
  | { readonly kind: 'done'; readonly title: string; show(view: HTMLElement): HTMLElement }
  | { readonly kind: 'invalid'; readonly problems: readonly FieldProblem[] }
  | { readonly kind: 'error'; readonly message: Child };

/** The draft's Idempotency-Key; `renew` gives a new one when the API says the old one was used up. */
export interface IdempotencyKey {
  readonly current: string;
  renew(): string;
}

export interface WizardOptions<S> {
  readonly root: HTMLElement;
  readonly t: Messages;
  readonly lang: Lang;
  /** Where the draft is kept; absent: nowhere but memory. */
  readonly storageKey?: string;
  readonly submitLabel: string;
  readonly steps: readonly Step<S>[];
  initial(): S;
  /** The saved draft's answers, checked and completed with defaults; undefined if unusable. */
  restore(raw: unknown): S | undefined;
  hasContent(state: S): boolean;
  submit(state: S, key: IdempotencyKey): Promise<SubmitOutcome>;
  /** Shown on the first step above the questions. */
  intro?: Child;
  /** Aborted when the wizard leaves the screen (the console's screens): its listeners go too. */
  readonly signal?: AbortSignal;
}

interface Draft<S> {
  v: 1;
  step: number;
  key: string;
  data: S;
  /** When it was last written (ms since 1970). */
  savedAt?: number;
}

const SAVE_DELAY_MS = 250;
/** A draft left alone this long is dropped: on a shared computer it should not wait forever. */
const DRAFT_MAX_AGE_MS = 30 * 24 * 3600_000;

export function startWizard<S>(o: WizardOptions<S>): void {
  const { t, steps } = o;
  const baseTitle = document.title;
  /** The draft's storage, or nothing at all (no key: memory only). */
  const store = {
    get: () => (o.storageKey === undefined ? null : localStorage.getItem(o.storageKey)),
    set: (value: string) => {
      if (o.storageKey !== undefined) localStorage.setItem(o.storageKey, value);
    },
    remove: () => {
      if (o.storageKey !== undefined) localStorage.removeItem(o.storageKey);
    },
  };
  const listening = o.signal ? { signal: o.signal } : {};

  let draft = readDraft();
  const restored = draft !== undefined && o.hasContent(draft.data);
  if (!draft) draft = { v: 1, step: 0, key: newIdempotencyKey(), data: o.initial() };
  let serverProblems: readonly FieldProblem[] = [];
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let sending = false;
  let done = false;
  /** Set by "Change" on the review screen: Continue then goes straight back to the review. */
  let returnToReview = false;

  const live = h('div', { class: 'usa-sr-only', role: 'status', 'aria-live': 'polite' });
  const notices = h('div');
  const view = h('div');
  o.root.replaceChildren(live, notices, view);
  if (restored) notices.append(notice(t.wizard.restored));

  function readDraft(): Draft<S> | undefined {
    try {
      const raw: unknown = JSON.parse(store.get() ?? 'null');
      if (typeof raw !== 'object' || raw === null) return undefined;
      const d = raw as Partial<Draft<S>>;
      const data = o.restore(d.data);
      if (d.v !== 1 || data === undefined || typeof d.key !== 'string' || d.key.length < 8) return undefined;
      if (typeof d.savedAt === 'number' && Date.now() - d.savedAt > DRAFT_MAX_AGE_MS) {
        store.remove();
        return undefined;
      }
      const step = typeof d.step === 'number' && d.step >= 0 && d.step < steps.length ? d.step : 0;
      return { v: 1, step, key: d.key, data };
    } catch {
      return undefined;
    }
  }

  function writeDraft(): void {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    if (done || !draft) return;
    try {
      draft.savedAt = Date.now();
      store.set(JSON.stringify(draft));
    } catch {
      // Private browsing or a full disk: the form still works, only the draft is not kept.
    }
  }

  function save(): void {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(writeDraft, SAVE_DELAY_MS);
  }
  addEventListener('pagehide', writeDraft, listening);
  document.addEventListener(
    'visibilitychange',
    () => {
      if (document.visibilityState === 'hidden' && saveTimer !== undefined) writeDraft();
    },
    listening,
  );

  let announceTimer: ReturnType<typeof setTimeout> | undefined;
  function announce(message: string): void {
    live.textContent = '';
    clearTimeout(announceTimer);
    // A fresh text node after a tick so the same message twice is still read out.
    announceTimer = setTimeout(() => {
      live.textContent = message;
    }, 50);
  }

  function ownerOf(path: string): number {
    const index = steps.findIndex((s) => s.paths.some((p) => path === p || path.startsWith(`${p}.`)));
    return index === -1 ? steps.length - 1 : index;
  }

  function setTitle(index: number, withErrors: boolean): void {
    const step = steps[index];
    const counter = `${t.wizard.step} ${index + 1} ${format(t.wizard.ofTotal, { total: steps.length })}`;
    document.title = `${withErrors ? `${t.common.errorPrefix} ` : ''}${step?.title ?? ''} (${counter}) - ${baseTitle}`;
  }

  function stepIndicator(current: number): { el: HTMLElement; heading: HTMLElement } {
    const heading = h(
      'h2',
      { class: 'usa-step-indicator__heading', tabindex: -1 },
      h(
        'span',
        { class: 'usa-step-indicator__heading-counter' },
        h('span', { class: 'usa-sr-only' }, `${t.wizard.step} `),
        h('span', { class: 'usa-step-indicator__current-step' }, current + 1),
        h(
          'span',
          { class: 'usa-step-indicator__total-steps' },
          ` ${format(t.wizard.ofTotal, { total: steps.length })}`,
        ),
      ),
      h('span', { class: 'usa-step-indicator__heading-text' }, steps[current]?.title ?? ''),
    );
    const el = h(
      'div',
      { class: 'usa-step-indicator usa-step-indicator--counters-sm' },
      h(
        'ol',
        { class: 'usa-step-indicator__segments' },
        steps.map((step, i) =>
          h(
            'li',
            {
              class: `usa-step-indicator__segment${i < current ? ' usa-step-indicator__segment--complete' : i === current ? ' usa-step-indicator__segment--current' : ''}`,
              'aria-current': i === current ? 'step' : undefined,
            },
            h(
              'span',
              { class: 'usa-step-indicator__segment-label' },
              step.title,
              i === current
                ? null
                : h(
                    'span',
                    { class: 'usa-sr-only' },
                    ` (${i < current ? t.wizard.completed : t.wizard.notCompleted})`,
                  ),
            ),
          ),
        ),
      ),
      h('div', { class: 'usa-step-indicator__header' }, heading),
    );
    return { el, heading };
  }

  type Focus = 'heading' | 'summary' | 'none';

  function render(index: number, problems: readonly FieldProblem[], focus: Focus): void {
    if (!draft) return;
    const step = steps[index];
    if (!step) return;
    const last = index === steps.length - 1;
    const scope = new FormScope();
    const ctx: StepContext<S> = {
      state: draft.data,
      t,
      lang: o.lang,
      scope,
      save,
      announce,
      goTo: (i) => {
        if (last) returnToReview = true;
        goTo(i);
      },
    };
    const { el: indicator, heading } = stepIndicator(index);
    const summarySlot = h('div', { class: 'summary-slot' });
    const submitButton = h(
      'button',
      { type: 'submit', class: 'usa-button usa-button--big' },
      last ? o.submitLabel : returnToReview ? t.wizard.saveAndReturn : t.wizard.continue,
    );
    const form = on(
      h(
        'form',
        { class: 'usa-form usa-form--large', novalidate: true },
        index === 0 ? o.intro : null,
        step.render(ctx),
        h(
          'div',
          { class: 'wizard-nav' },
          submitButton,
          index > 0
            ? on(
                h(
                  'button',
                  { type: 'button', class: 'usa-button usa-button--outline usa-button--big' },
                  t.wizard.back,
                ),
                { click: () => goTo(index - 1) },
              )
            : null,
        ),
      ),
      {
        submit: (event) => {
          event.preventDefault();
          if (last) void send(submitButton, summarySlot, scope);
          else void next(index, scope, summarySlot, submitButton);
        },
      },
    );
    view.replaceChildren(indicator, summarySlot, form, clearTools());

    const here = [...problems, ...serverProblems.filter((p) => ownerOf(p.path) === index)];
    const elsewhere = serverProblems
      .filter((p) => ownerOf(p.path) !== index)
      .map((problem) => {
        const owner = ownerOf(problem.path);
        return { problem, stepTitle: steps[owner]?.title ?? '', go: () => goTo(owner, 'summary') };
      });
    const hasErrors = here.length + elsewhere.length > 0;
    setTitle(index, hasErrors);
    if (hasErrors) {
      const summary = errorSummary(t, scope.showErrors(here, t), elsewhere);
      summarySlot.replaceChildren(summary);
      if (focus === 'summary') focusElement(summary);
    }
    if (focus === 'heading' || (focus === 'summary' && !hasErrors)) focusElement(heading);
  }

  function goTo(index: number, focus: Focus = 'heading', push = true): void {
    if (!draft) return;
    draft.step = index;
    if (index === steps.length - 1) returnToReview = false;
    writeDraft();
    if (push) history.pushState({ wizardStep: index }, '');
    notices.replaceChildren();
    render(index, [], focus);
  }

  async function next(
    index: number,
    scope: FormScope,
    summarySlot: HTMLElement,
    button: HTMLButtonElement,
  ): Promise<void> {
    if (!draft || sending) return;
    const showProblems = (problems: readonly FieldProblem[]) => {
      const summary = errorSummary(t, scope.showErrors(problems, t));
      summarySlot.replaceChildren(summary);
      setTitle(index, true);
      focusElement(summary);
    };
    const problems = steps[index]?.validate?.(draft.data) ?? [];
    if (problems.length > 0) return showProblems(problems);
    const check = steps[index]?.beforeNext;
    if (check) {
      sending = true;
      const label = button.textContent ?? '';
      button.setAttribute('aria-disabled', 'true');
      button.textContent = t.wizard.checking;
      let found: FieldProblem[];
      try {
        found = await check(draft.data);
      } finally {
        sending = false;
        button.removeAttribute('aria-disabled');
        button.textContent = label;
      }
      save();
      if (found.length > 0) return showProblems(found);
    }
    // The person has seen and answered this screen again: the API will say if it still disagrees.
    serverProblems = serverProblems.filter((p) => ownerOf(p.path) !== index);
    goTo(returnToReview ? steps.length - 1 : index + 1);
  }

  async function send(button: HTMLButtonElement, summarySlot: HTMLElement, scope: FormScope): Promise<void> {
    if (sending || !draft) return;
    for (let i = 0; i < steps.length; i++) {
      const problems = steps[i]?.validate?.(draft.data) ?? [];
      if (problems.length > 0) {
        serverProblems = [];
        draft.step = i;
        writeDraft();
        history.pushState({ wizardStep: i }, '');
        render(i, problems, 'summary');
        return;
      }
    }
    sending = true;
    const label = button.textContent ?? '';
    button.setAttribute('aria-disabled', 'true');
    button.textContent = t.wizard.sending;
    announce(t.wizard.sending);
    let outcome: SubmitOutcome;
    try {
      const current = draft;
      outcome = await o.submit(current.data, {
        current: current.key,
        renew: () => {
          current.key = newIdempotencyKey();
          writeDraft();
          return current.key;
        },
      });
    } finally {
      sending = false;
      button.removeAttribute('aria-disabled');
      button.textContent = label;
    }
    if (outcome.kind === 'done') {
      done = true;
      clearTimeout(saveTimer);
      try {
        store.remove();
      } catch {
        // nothing kept, nothing to remove
      }
      notices.replaceChildren();
      view.replaceChildren();
      // "Sending…" must not linger: focus on the confirmation's heading says what happened.
      clearTimeout(announceTimer);
      live.textContent = '';
      const heading = outcome.show(view);
      document.title = `${outcome.title} - ${baseTitle}`;
      history.replaceState({ wizardDone: true }, '');
      focusElement(heading);
      return;
    }
    if (outcome.kind === 'invalid') {
      serverProblems = outcome.problems;
      const first = Math.min(...outcome.problems.map((p) => ownerOf(p.path)), steps.length - 1);
      if (first === steps.length - 1 && draft.step === first) {
        scope.clearErrors();
        render(first, [], 'summary');
      } else {
        goTo(first, 'summary');
      }
      return;
    }
    const alert = h(
      'div',
      { class: 'usa-alert usa-alert--error', role: 'alert', tabindex: -1 },
      h('div', { class: 'usa-alert__body' }, h('p', { class: 'usa-alert__text' }, outcome.message)),
    );
    summarySlot.replaceChildren(alert);
    focusElement(alert);
  }

  function clearTools(): HTMLElement {
    const area = h('div', { class: 'draft-tools' });
    const showButton = () => {
      const button = on(
        h('button', { type: 'button', class: 'usa-button usa-button--unstyled' }, t.wizard.clear),
        {
          click: () => showConfirm(),
        },
      );
      area.replaceChildren(
        h('p', null, o.storageKey === undefined ? t.wizard.notKeptNote : t.wizard.savedNote),
        button,
      );
      return button;
    };
    const showConfirm = () => {
      const question = h(
        'p',
        { class: 'draft-tools__question', tabindex: -1 },
        h('strong', null, t.wizard.clearQuestion),
      );
      area.replaceChildren(
        h(
          'div',
          { class: 'usa-alert usa-alert--warning usa-alert--slim' },
          h(
            'div',
            { class: 'usa-alert__body' },
            question,
            h('p', null, t.wizard.clearHint),
            h(
              'div',
              { class: 'button-row' },
              on(
                h('button', { type: 'button', class: 'usa-button usa-button--secondary' }, t.wizard.clearYes),
                {
                  click: () => clearDraft(),
                },
              ),
              on(h('button', { type: 'button', class: 'usa-button usa-button--outline' }, t.wizard.clearNo), {
                click: () => showButton().focus(),
              }),
            ),
          ),
        ),
      );
      question.focus();
    };
    showButton();
    return area;
  }

  function clearDraft(): void {
    clearTimeout(saveTimer);
    try {
      store.remove();
    } catch {
      // nothing to remove
    }
    draft = { v: 1, step: 0, key: newIdempotencyKey(), data: o.initial() };
    serverProblems = [];
    returnToReview = false;
    history.replaceState({ wizardStep: 0 }, '');
    render(0, [], 'none');
    notices.replaceChildren(notice(t.wizard.cleared, 'success'));
    const first = notices.firstElementChild;
    if (first instanceof HTMLElement) focusElement(first);
    // Keep the (empty) draft's key, so a report started now is filed once.
    writeDraft();
  }

  addEventListener(
    'popstate',
    (event: PopStateEvent) => {
      const step = (event.state as { wizardStep?: unknown } | null)?.wizardStep;
      if (done || !draft || typeof step !== 'number' || !steps[step]) return;
      draft.step = step;
      writeDraft();
      render(step, [], 'heading');
    },
    listening,
  );

  history.replaceState({ wizardStep: draft.step }, '');
  render(draft.step, [], 'none');
}

function notice(text: string, type: 'info' | 'success' = 'info'): HTMLElement {
  return h(
    'div',
    { class: `usa-alert usa-alert--${type} usa-alert--slim`, tabindex: -1 },
    h('div', { class: 'usa-alert__body' }, h('p', { class: 'usa-alert__text' }, text)),
  );
}
