/**
 * The status page's two answers a claimant may owe us: the answer to a request for information
 * (text, and documents sent through documents.ts), and new payment details after a payment came
 * back.
 */
import { isValidRoutingNumber, isValidUsAccountNumber } from '#shared/domain/indicators/routing-number.ts';
import { format, type Lang, type Messages } from '../i18n/types.ts';
import { type ApiResult, apiRequest, type FieldProblem } from './api.ts';
import { documentPicker } from './documents.ts';
import { focusElement, h, on, setChildren } from './dom.ts';
import { errorSummary, FormScope, radioGroup, textareaField, textField } from './forms.ts';
import { localiseProblems } from './problems.ts';
import { failureMessage } from './send.ts';
import { alertBox } from './ui.ts';
import { formatDate } from './values.ts';

export interface FollowUpShown {
  question?: string;
  answers: { at: string; text: string }[];
  documents: { name: string; state: string }[];
}

export function readFollowUp(v: unknown): FollowUpShown | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const list = (x: unknown) => (Array.isArray(x) ? (x as Record<string, unknown>[]) : []);
  return {
    ...(typeof o['question'] === 'string' ? { question: o['question'] } : {}),
    answers: list(o['answers']).map((a) => ({ at: String(a['at']), text: String(a['text']) })),
    documents: list(o['documents']).map((d) => ({ name: String(d['name']), state: String(d['state']) })),
  };
}

interface Ctx {
  t: Messages;
  lang: Lang;
  claimId: string;
  accessCode: string;
  /** Called with the API's new status view. */
  done: (data: unknown) => void;
}

async function showFailure(answer: ApiResult<unknown>, slot: HTMLElement, ctx: Ctx): Promise<void> {
  const message =
    answer.kind === 'invalid'
      ? (localiseProblems(answer.fields, ctx.t, ctx.lang)[0]?.message ?? ctx.t.common.serverError)
      : await failureMessage(answer, ctx.t, ctx.lang);
  const alert = alertBox('error', message, { focusable: true });
  slot.replaceChildren(alert);
  focusElement(alert);
}

/** What was already sent, and the form while the question is open (status NEEDS_INFO). */
export function followUpSection(f: FollowUpShown, open: boolean, ctx: Ctx): HTMLElement {
  const fu = ctx.t.followUp;
  const sent =
    f.answers.length > 0 || f.documents.length > 0
      ? h(
          'div',
          { class: 'follow-up-sent' },
          // Closed, the section's own heading says it; open, this part needs its own.
          open ? h('h4', null, fu.sentHeading) : null,
          ...f.answers.map((a) => h('p', { class: 'follow-up-answer' }, a.text)),
          f.documents.length > 0
            ? h(
                'ul',
                { class: 'usa-list' },
                ...f.documents.map((d) =>
                  h(
                    'li',
                    null,
                    `${d.name}: ${(fu.documentStates as Record<string, string>)[d.state] ?? d.state}`,
                  ),
                ),
              )
            : null,
        )
      : null;
  if (!open) {
    return h(
      'section',
      { class: 'follow-up', 'aria-labelledby': 'follow-up-heading' },
      h('h3', { id: 'follow-up-heading' }, fu.sentHeading),
      sent,
    );
  }
  const scope = new FormScope();
  const summarySlot = h('div', { class: 'summary-slot' });
  let answer = '';
  let busy = false;
  const button = h('button', { type: 'submit', class: 'usa-button usa-button--big' }, fu.submit);
  // Documents still waiting or received count towards the limit; refused ones do not.
  const picker = documentPicker({
    ...ctx,
    alreadyCounted: f.documents.filter((d) => d.state === 'UPLOAD_REQUESTED' || d.state === 'CLEAN').length,
  });
  return h(
    'section',
    { class: 'follow-up no-print', 'aria-labelledby': 'follow-up-heading' },
    h('h3', { id: 'follow-up-heading' }, fu.heading),
    f.question
      ? h(
          'div',
          { class: 'usa-summary-box follow-up-question' },
          h('h4', null, fu.questionLabel),
          h('p', null, f.question),
        )
      : null,
    sent,
    summarySlot,
    on(
      h(
        'form',
        { class: 'usa-form usa-form--large', novalidate: true },
        textareaField(scope, ctx.t, {
          id: 'follow-up-answer',
          path: 'text',
          label: fu.answerLabel,
          hint: fu.answerHint,
          value: '',
          maxlength: 5000,
          onInput: (v) => {
            answer = v;
          },
        }),
        picker.el,
        h('div', { class: 'wizard-nav' }, button),
      ),
      {
        submit: async (event) => {
          event.preventDefault();
          if (busy) return;
          if (picker.busy()) {
            const alert = alertBox('error', fu.stillSending, { focusable: true });
            summarySlot.replaceChildren(alert);
            focusElement(alert);
            return;
          }
          if (answer.trim() === '') {
            const summary = errorSummary(
              ctx.t,
              scope.showErrors([{ path: 'text', message: fu.answerRequired }], ctx.t),
            );
            summarySlot.replaceChildren(summary);
            focusElement(summary);
            return;
          }
          busy = true;
          button.setAttribute('aria-disabled', 'true');
          button.textContent = ctx.t.wizard.sending;
          const reset = () => {
            busy = false;
            button.removeAttribute('aria-disabled');
            button.textContent = fu.submit;
          };
          const sentAnswer = await apiRequest<unknown>('POST', '/v1/claims/follow-up', {
            lang: ctx.lang,
            body: {
              claimId: ctx.claimId,
              accessCode: ctx.accessCode,
              text: answer.trim(),
              documentIds: picker.documentIds(),
            },
          });
          reset();
          if (sentAnswer.kind === 'ok') return ctx.done(sentAnswer.data);
          return showFailure(sentAnswer, summarySlot, ctx);
        },
      },
    ),
  );
}

/** What the API says it holds after a returned payment: the way to pay, received on a date. */
export interface PaymentDetailsShown {
  receivedAt: string;
  method: 'check' | 'direct-deposit';
  accountLast4?: string;
}

export function readPaymentDetails(v: unknown): PaymentDetailsShown | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o['receivedAt'] !== 'string') return undefined;
  return {
    receivedAt: o['receivedAt'],
    method: o['method'] === 'direct-deposit' ? 'direct-deposit' : 'check',
    ...(typeof o['accountLast4'] === 'string' ? { accountLast4: o['accountLast4'] } : {}),
  };
}

type PayoutChoice = '' | 'check' | 'direct-deposit';

/** What is wrong with the answers before sending, checked as the API checks them. */
export function paymentDetailsProblems(
  method: PayoutChoice,
  address: { line1: string; city: string },
  bank: { routingNumber: string; accountNumber: string },
  t: Messages,
): FieldProblem[] {
  const pd = t.paymentDetails;
  if (method === '') return [{ path: 'method', message: pd.methodRequired }];
  if (method === 'check') {
    return [
      ...(address.line1.trim() === '' ? [{ path: 'address.line1', message: pd.required }] : []),
      ...(address.city.trim() === '' ? [{ path: 'address.city', message: pd.required }] : []),
    ];
  }
  const routing = bank.routingNumber.replace(/[\s\-.]/g, '');
  return [
    ...(isValidRoutingNumber(routing)
      ? []
      : [{ path: 'bankAccount.routingNumber', message: pd.routingInvalid }]),
    ...(isValidUsAccountNumber(bank.accountNumber)
      ? []
      : [{ path: 'bankAccount.accountNumber', message: pd.accountInvalid }]),
  ];
}

/**
 * After a returned payment (status PAYMENT_RETURNED): the claimant chooses a check to a new
 * address or a direct deposit; once the API has them, a plain confirmation instead of the form
 * (it comes from the API, so it is still there after a reload).
 */
export function paymentDetailsSection(received: PaymentDetailsShown | undefined, ctx: Ctx): HTMLElement {
  const pd = ctx.t.paymentDetails;
  if (received) {
    return h(
      'section',
      { class: 'payment-details', 'aria-labelledby': 'payment-details-heading' },
      h('h3', { id: 'payment-details-heading' }, pd.receivedHeading),
      alertBox(
        'success',
        received.method === 'direct-deposit'
          ? format(pd.receivedDeposit, { last4: received.accountLast4 ?? '' })
          : pd.receivedCheck,
      ),
      h('p', null, format(pd.receivedOn, { date: formatDate(received.receivedAt, ctx.lang) })),
    );
  }
  const scope = new FormScope();
  const summarySlot = h('div', { class: 'summary-slot' });
  const address = { line1: '', line2: '', city: '', state: '', zip: '' };
  const bank = { routingNumber: '', accountNumber: '' };
  let method: PayoutChoice = '';
  let busy = false;
  const button = h('button', { type: 'submit', class: 'usa-button usa-button--big' }, pd.submit);
  const field = (key: keyof typeof address, label: string, autocomplete: string, width?: 'sm' | 'md') =>
    textField(scope, ctx.t, {
      id: `address-${key}`,
      path: `address.${key}`,
      label,
      value: address[key],
      autocomplete,
      ...(width ? { width } : {}),
      onInput: (v) => {
        address[key] = v;
      },
    });
  const bankField = (key: keyof typeof bank, label: string, hint: string) =>
    textField(scope, ctx.t, {
      id: `bank-${key}`,
      path: `bankAccount.${key}`,
      label,
      hint,
      value: bank[key],
      inputmode: 'numeric',
      autocomplete: 'off',
      spellcheck: false,
      width: 'lg',
      onInput: (v) => {
        bank[key] = v;
      },
    });
  const slot = h('div', { class: 'payment-details__fields' });
  const drawFields = () => {
    // Only the chosen way's fields are on screen, and only they are checked.
    scope.fields.splice(
      0,
      scope.fields.length,
      ...scope.fields.filter((f) => !f.path.startsWith('address.') && !f.path.startsWith('bankAccount.')),
    );
    setChildren(
      slot,
      method === 'check'
        ? [
            field('line1', pd.line1, 'address-line1'),
            field('line2', pd.line2, 'address-line2'),
            field('city', pd.city, 'address-level2'),
            field('state', pd.state, 'address-level1', 'sm'),
            field('zip', pd.zip, 'postal-code', 'md'),
          ]
        : method === 'direct-deposit'
          ? [
              bankField('routingNumber', pd.routing, pd.routingHint),
              bankField('accountNumber', pd.account, pd.accountHint),
            ]
          : null,
    );
  };
  const choice = radioGroup(scope, ctx.t, {
    id: 'payout-method',
    path: 'method',
    label: pd.methodLegend,
    value: method,
    choices: [
      { value: 'check', label: pd.methodCheck, description: pd.methodCheckHint },
      { value: 'direct-deposit', label: pd.methodDeposit, description: pd.methodDepositHint },
    ],
    onChange: (v) => {
      method = v === 'check' || v === 'direct-deposit' ? v : '';
      drawFields();
    },
  });
  return h(
    'section',
    { class: 'payment-details no-print', 'aria-labelledby': 'payment-details-heading' },
    h('h3', { id: 'payment-details-heading' }, pd.heading),
    h('p', null, pd.intro),
    summarySlot,
    on(
      h(
        'form',
        { class: 'usa-form usa-form--large', novalidate: true },
        choice,
        slot,
        h('div', { class: 'wizard-nav' }, button),
      ),
      {
        submit: async (event) => {
          event.preventDefault();
          if (busy) return;
          const problems = paymentDetailsProblems(method, address, bank, ctx.t);
          if (problems.length > 0) {
            const summary = errorSummary(ctx.t, scope.showErrors(problems, ctx.t));
            summarySlot.replaceChildren(summary);
            focusElement(summary);
            return;
          }
          scope.clearErrors();
          busy = true;
          button.setAttribute('aria-disabled', 'true');
          button.textContent = ctx.t.wizard.sending;
          const trimmed = Object.fromEntries(
            Object.entries(address)
              .map(([k, v]) => [k, v.trim()])
              .filter(([, v]) => v !== ''),
          );
          const details =
            method === 'check'
              ? { method, address: { ...trimmed, country: 'US' } }
              : {
                  method,
                  bankAccount: {
                    routingNumber: bank.routingNumber.trim(),
                    accountNumber: bank.accountNumber.trim(),
                  },
                };
          const answer = await apiRequest<unknown>('POST', '/v1/claims/payment-details', {
            lang: ctx.lang,
            body: { claimId: ctx.claimId, accessCode: ctx.accessCode, ...details },
          });
          busy = false;
          button.removeAttribute('aria-disabled');
          button.textContent = pd.submit;
          if (answer.kind === 'ok') return ctx.done(answer.data);
          if (answer.kind === 'invalid') {
            const summary = errorSummary(
              ctx.t,
              scope.showErrors(localiseProblems(answer.fields, ctx.t, ctx.lang), ctx.t),
            );
            summarySlot.replaceChildren(summary);
            focusElement(summary);
            return;
          }
          return showFailure(answer, summarySlot, ctx);
        },
      },
    ),
  );
}
