/**
 * /status/: claim number + access code → where the claim is, in words; what happened so far; the
 * approved ("recognised") loss and the payment, with how the payment was worked out.
 */
import { format, type Lang, type Messages } from '../i18n/types.ts';
import { apiRequest } from './api.ts';
import { phoneNodes, startChrome } from './chrome.ts';
import { type Child, focusElement, h, on } from './dom.ts';
import {
  type FollowUpShown,
  followUpSection,
  type PaymentDetailsShown,
  paymentDetailsSection,
  readFollowUp,
  readPaymentDetails,
} from './follow-up.ts';
import { errorSummary, FormScope, textareaField, textField } from './forms.ts';
import { localiseProblems } from './problems.ts';
import { failureMessage } from './send.ts';
import { alertBox } from './ui.ts';
import { formatCents, formatDate } from './values.ts';

/** What a system-written timeline entry says, as data (the API's `event`). */
export interface TimelineEventShown {
  kind: string;
  amountCents?: number;
  currency?: string;
  round?: number;
  date?: string;
  method?: string;
  last4?: string;
  documents?: number;
}

export interface ClaimStatus {
  claimId: string;
  status: string;
  timeline: { status: string; at: string; note?: string; event?: TimelineEventShown }[];
  /** Above 1: a further payment from money left in the program (a later round). */
  payoutRound?: number;
  poolName?: string;
  recognizedLossCents?: number;
  payoutCents?: number;
  /** The figures behind the payment (the API's `payoutExplanation`), to show the calculation. */
  outcome?: string;
  poolAmountCents?: number;
  totalRecognizedLossCents?: number;
  minimumPayoutCents?: number;
  currency?: string;
  reconsideration?: { canRequest: boolean; deadline?: string; requestedAt?: string };
  /** A reviewer's question, and what the claimant sent back. */
  followUp?: FollowUpShown;
  /** After a returned payment: the new payment details the API has received. */
  paymentDetails?: PaymentDetailsShown;
}

const cents = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function readStatus(data: unknown): ClaimStatus | undefined {
  const o = (data ?? {}) as Record<string, unknown>;
  const claimId = text(o['claimId']);
  const status = text(o['status']);
  if (!claimId || !status) return undefined;
  const timeline = Array.isArray(o['timeline']) ? o['timeline'] : [];
  // The calculation's figures sit in `payoutExplanation`; accept them at the top level too.
  const why = (
    typeof o['payoutExplanation'] === 'object' && o['payoutExplanation'] !== null
      ? o['payoutExplanation']
      : {}
  ) as Record<string, unknown>;
  const figure = (name: string) => cents(why[name]) ?? cents(o[name]);
  const again = (o['reconsideration'] ?? undefined) as Record<string, unknown> | undefined;
  return {
    claimId,
    status,
    timeline: timeline.flatMap((e: unknown) => {
      const entry = (e ?? {}) as Record<string, unknown>;
      const s = text(entry['status']);
      const at = text(entry['at']);
      return s && at ? [{ status: s, at, note: text(entry['note']), event: readEvent(entry['event']) }] : [];
    }),
    payoutRound: typeof o['payoutRound'] === 'number' && o['payoutRound'] > 1 ? o['payoutRound'] : undefined,
    poolName: text(o['poolName']),
    recognizedLossCents: cents(o['recognizedLossCents']),
    payoutCents: cents(o['payoutCents']),
    outcome: text(why['outcome']),
    poolAmountCents: figure('poolAmountCents'),
    totalRecognizedLossCents: figure('totalRecognizedLossCents'),
    minimumPayoutCents: figure('minimumPayoutCents'),
    currency: text(o['currency']),
    reconsideration:
      typeof again === 'object' && again !== null
        ? {
            canRequest: again['canRequest'] === true,
            deadline: text(again['deadline']),
            requestedAt: text(again['requestedAt']),
          }
        : undefined,
    followUp: readFollowUp(o['followUp']),
    paymentDetails: readPaymentDetails(o['paymentDetails']),
  };
}

function readEvent(v: unknown): TimelineEventShown | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const kind = text(o['kind']);
  if (!kind) return undefined;
  const int = (x: unknown) => (typeof x === 'number' && Number.isSafeInteger(x) ? x : undefined);
  return {
    kind,
    amountCents: cents(o['amountCents']),
    currency: text(o['currency']),
    round: int(o['round']),
    date: text(o['date']),
    method: text(o['method']),
    last4: text(o['last4']),
    documents: int(o['documents']),
  };
}

/** A system-written timeline entry in the page's language; undefined for one this page does not know. */
export function eventText(e: TimelineEventShown, t: Messages, lang: Lang): string | undefined {
  const ev = t.status.events;
  const amount = e.amountCents === undefined ? '' : formatCents(e.amountCents, lang, e.currency ?? 'USD');
  const further = (e.round ?? 1) > 1;
  const date = e.date ? formatDate(e.date, lang) : '';
  switch (e.kind) {
    case 'payment-scheduled':
      return format(further ? ev.furtherScheduled : ev.paymentScheduled, { amount });
    case 'payment-reissued':
      return format(ev.paymentReissued, { amount });
    case 'below-minimum':
      return format(ev.belowMinimum, { amount });
    case 'payment-paid':
      return format(further ? ev.furtherPaid : ev.paymentPaid, { amount, date });
    case 'payment-returned':
      return format(ev.paymentReturned, { amount });
    case 'payment-uncashed':
      return format(ev.paymentUncashed, { amount });
    case 'payment-details':
      return e.method === 'direct-deposit'
        ? format(ev.detailsDeposit, { last4: e.last4 ?? '' })
        : ev.detailsCheck;
    case 'info-answered':
      return e.documents ? format(ev.answeredWithDocuments, { n: e.documents }) : ev.answered;
    case 'reconsideration-requested':
      return ev.reconsiderationRequested;
    default:
      return undefined;
  }
}

type StatusKey = keyof Messages['vocab']['claimStatuses'];

/** Where the claim is, in words; a later round's payment says it is a further payment. */
function currentWords(s: ClaimStatus, t: Messages): { label: string; body?: string } {
  return furtherWords(s.status, s.payoutRound, t) ?? statusWords(s.status, t);
}

function furtherWords(status: string, round: number | undefined, t: Messages) {
  if ((round ?? 1) <= 1) return undefined;
  if (status === 'PAYMENT_SCHEDULED') return t.status.furtherScheduled;
  if (status === 'PAID') return t.status.furtherPaid;
  return undefined;
}

function statusWords(status: string, t: Messages): { label: string; body?: string } {
  const known = t.vocab.claimStatuses as Readonly<Record<string, { label: string; body: string }>>;
  return Object.hasOwn(known, status)
    ? (known[status as StatusKey] as { label: string; body: string })
    : { label: status };
}

/** How the payment was worked out, in one sentence. */
export function payoutSentence(s: ClaimStatus, t: Messages, lang: Lang): string {
  const money = (c: number) => formatCents(c, lang, s.currency ?? 'USD');
  const st = t.status;
  if (s.outcome === 'EXCLUDED' && s.minimumPayoutCents !== undefined)
    return format(st.mathExcluded, { minimum: money(s.minimumPayoutCents) });
  if (s.payoutCents === undefined) return st.mathPending;
  const payout = money(s.payoutCents);
  const { poolAmountCents: pool, totalRecognizedLossCents: total, recognizedLossCents: loss } = s;
  if (s.outcome === 'PAID_IN_FULL' || (pool !== undefined && total !== undefined && pool >= total))
    return format(st.mathEnough, { payout });
  if (pool !== undefined && total !== undefined && total > 0 && loss !== undefined) {
    const percent = new Intl.NumberFormat(lang === 'es' ? 'es-US' : 'en-US', {
      style: 'percent',
      maximumFractionDigits: 2,
    }).format(loss / total);
    return format(st.mathFull, {
      pool: money(pool),
      total: money(total),
      loss: money(loss),
      percent,
      payout,
    });
  }
  return format(st.mathSimple, { payout });
}

function result(
  s: ClaimStatus,
  t: Messages,
  lang: Lang,
  again: () => void,
  reconsider: Child,
): { el: HTMLElement; heading: HTMLElement } {
  const st = t.status;
  const now = currentWords(s, t);
  const heading = h('h2', { tabindex: -1 }, format(st.resultHeading, { claimId: s.claimId }));
  const money = (c: number) => formatCents(c, lang, s.currency ?? 'USD');
  const el = h(
    'div',
    { class: 'claim-status' },
    heading,
    h(
      'div',
      { class: 'usa-summary-box' },
      h(
        'div',
        { class: 'usa-summary-box__body' },
        h('h3', { class: 'usa-summary-box__heading' }, st.statusNow),
        h('p', { class: 'status-now' }, h('strong', null, now.label)),
        now.body ? h('p', null, phoneNodes(now.body)) : null,
        s.poolName ? h('p', null, format(st.program, { name: s.poolName })) : null,
      ),
    ),
    s.recognizedLossCents !== undefined
      ? [
          h('h3', null, st.lossHeading),
          h('p', { class: 'amount' }, money(s.recognizedLossCents)),
          h('p', null, st.lossExplain),
        ]
      : null,
    s.payoutCents !== undefined
      ? [
          h('h3', null, s.payoutRound ? st.furtherPayoutHeading : st.payoutHeading),
          h('p', { class: 'amount' }, money(s.payoutCents)),
          h(
            'p',
            null,
            s.payoutRound
              ? format(st.mathFurther, { payout: money(s.payoutCents) })
              : payoutSentence(s, t, lang),
          ),
        ]
      : s.recognizedLossCents !== undefined
        ? h('p', null, st.mathPending)
        : null,
    s.timeline.length > 0
      ? [
          h('h3', null, st.timelineHeading),
          h(
            'ol',
            { class: 'usa-process-list' },
            s.timeline.map((entry) => {
              // The system's own entries in the page's language; a reviewer's words as written.
              const note = (entry.event && eventText(entry.event, t, lang)) || entry.note;
              return h(
                'li',
                { class: 'usa-process-list__item' },
                h(
                  'h4',
                  { class: 'usa-process-list__heading' },
                  furtherWords(entry.status, entry.event?.round, t)?.label ??
                    statusWords(entry.status, t).label,
                ),
                h('p', { class: 'timeline-date' }, formatDate(entry.at, lang)),
                note ? h('p', { class: 'timeline-note' }, note) : null,
              );
            }),
          ),
        ]
      : null,
    s.reconsideration?.requestedAt
      ? h(
          'p',
          null,
          format(st.reconsiderRequested, { date: formatDate(s.reconsideration.requestedAt, lang) }),
        )
      : reconsider,
    h(
      'div',
      { class: 'button-row no-print' },
      on(
        h(
          'button',
          { type: 'button', class: 'usa-button usa-button--outline usa-button--big' },
          st.checkAnother,
        ),
        {
          click: again,
        },
      ),
      on(
        h(
          'button',
          { type: 'button', class: 'usa-button usa-button--outline usa-button--big' },
          t.common.print,
        ),
        {
          click: () => window.print(),
        },
      ),
    ),
  );
  return { el, heading };
}

export function startStatus(t: Messages, lang: Lang): void {
  void startChrome(t, lang);
  const root = document.getElementById('app');
  if (!root) return;
  const st = t.status;
  // A bookmarked link carries both after `#` (claim.ts statusLink), which no server ever sees.
  const fromLink = new URLSearchParams(location.hash.slice(1));
  const values = {
    claimId: fromLink.get('claim') ?? new URLSearchParams(location.search).get('claim') ?? '',
    accessCode: fromLink.get('code') ?? '',
  };

  /** The claim's page; the access code stays in memory only, for a reconsideration request. */
  const showResult = (status: ClaimStatus, accessCode: string) => {
    const canAsk = status.reconsideration?.canRequest === true && !status.reconsideration.requestedAt;
    const ctx = {
      t,
      lang,
      claimId: status.claimId,
      accessCode,
      done: (data: unknown) => {
        const updated = readStatus(data);
        if (updated) showResult(updated, accessCode);
      },
    };
    const actions = [
      canAsk ? reconsiderForm(status, accessCode) : null,
      status.followUp ? followUpSection(status.followUp, status.status === 'NEEDS_INFO', ctx) : null,
      status.status === 'PAYMENT_RETURNED' ? paymentDetailsSection(status.paymentDetails, ctx) : null,
    ].filter((e): e is HTMLElement => e !== null);
    const shown = result(
      status,
      t,
      lang,
      () => drawForm(true),
      actions.length === 0 ? null : actions.length === 1 ? actions[0]! : h('div', null, ...actions),
    );
    root.replaceChildren(shown.el);
    focusElement(shown.heading);
  };

  const reconsiderForm = (status: ClaimStatus, accessCode: string): HTMLElement => {
    const scope = new FormScope();
    const summarySlot = h('div', { class: 'summary-slot' });
    let reason = '';
    let busy = false;
    const button = h('button', { type: 'submit', class: 'usa-button usa-button--big' }, st.reconsiderSubmit);
    const deadline = status.reconsideration?.deadline;
    return h(
      'section',
      { class: 'reconsider no-print', 'aria-labelledby': 'reconsider-heading' },
      h('h3', { id: 'reconsider-heading' }, st.reconsiderHeading),
      deadline ? h('p', null, format(st.reconsiderIntro, { date: formatDate(deadline, lang) })) : null,
      summarySlot,
      on(
        h(
          'form',
          { class: 'usa-form usa-form--large', novalidate: true },
          textareaField(scope, t, {
            id: 'reconsider-reason',
            path: 'reason',
            label: st.reconsiderLabel,
            hint: st.reconsiderHint,
            value: '',
            maxlength: 4000,
            onInput: (v) => {
              reason = v;
            },
          }),
          h('div', { class: 'wizard-nav' }, button),
        ),
        {
          submit: async (event) => {
            event.preventDefault();
            if (busy) return;
            if (reason.trim() === '') {
              const problems = [{ path: 'reason', message: t.errors.reasonRequired }];
              const summary = errorSummary(t, scope.showErrors(problems, t));
              summarySlot.replaceChildren(summary);
              focusElement(summary);
              return;
            }
            busy = true;
            button.setAttribute('aria-disabled', 'true');
            button.textContent = t.wizard.sending;
            const answer = await apiRequest<unknown>('POST', '/v1/claims/reconsideration', {
              lang,
              body: { claimId: status.claimId, accessCode, reason: reason.trim() },
            });
            busy = false;
            button.removeAttribute('aria-disabled');
            button.textContent = st.reconsiderSubmit;
            const updated = answer.kind === 'ok' ? readStatus(answer.data) : undefined;
            if (updated) {
              showResult(updated, accessCode);
              return;
            }
            const message =
              answer.kind === 'invalid'
                ? (localiseProblems(answer.fields, t, lang)[0]?.message ?? t.common.serverError)
                : await failureMessage(answer, t, lang);
            const alert = alertBox('error', message, { focusable: true });
            summarySlot.replaceChildren(alert);
            focusElement(alert);
          },
        },
      ),
    );
  };

  const drawForm = (focusFirst: boolean) => {
    const scope = new FormScope();
    const summarySlot = h('div', { class: 'summary-slot' });
    const button = h('button', { type: 'submit', class: 'usa-button usa-button--big' }, st.submit);
    let busy = false;
    const form = on(
      h(
        'form',
        { class: 'usa-form usa-form--large', novalidate: true },
        textField(scope, t, {
          id: 'claim-id',
          path: 'claimId',
          label: st.claimIdLabel,
          value: values.claimId,
          width: 'lg',
          spellcheck: false,
          onInput: (v) => {
            values.claimId = v;
          },
        }),
        textField(scope, t, {
          id: 'access-code',
          path: 'accessCode',
          label: st.accessCodeLabel,
          hint: phoneNodes(st.accessCodeHint),
          value: values.accessCode,
          width: 'lg',
          spellcheck: false,
          onInput: (v) => {
            values.accessCode = v;
          },
        }),
        h('div', { class: 'wizard-nav' }, button),
      ),
      {
        submit: async (event) => {
          event.preventDefault();
          if (busy) return;
          const problems = [
            ...(values.claimId.trim() === '' ? [{ path: 'claimId', message: t.errors.claimIdRequired }] : []),
            ...(values.accessCode.trim() === ''
              ? [{ path: 'accessCode', message: t.errors.accessCodeRequired }]
              : []),
          ];
          if (problems.length > 0) {
            const summary = errorSummary(t, scope.showErrors(problems, t));
            summarySlot.replaceChildren(summary);
            focusElement(summary);
            return;
          }
          scope.clearErrors();
          busy = true;
          button.setAttribute('aria-disabled', 'true');
          button.textContent = st.checking;
          const answer = await apiRequest<unknown>('POST', '/v1/claims/status', {
            lang,
            body: { claimId: values.claimId.trim(), accessCode: values.accessCode.trim() },
          });
          busy = false;
          button.removeAttribute('aria-disabled');
          button.textContent = st.submit;
          const status = answer.kind === 'ok' ? readStatus(answer.data) : undefined;
          if (status) {
            const code = values.accessCode.trim();
            values.accessCode = '';
            showResult(status, code);
            return;
          }
          let message: Child;
          if (answer.kind === 'not-found' || answer.kind === 'invalid') message = st.notFound;
          else if (answer.kind === 'too-many') message = phoneNodes(t.errors.tooManyTries);
          else if (answer.kind === 'ok') message = t.common.serverError;
          else message = await failureMessage(answer, t, lang);
          const alert = h(
            'div',
            { class: 'usa-alert usa-alert--error', tabindex: -1 },
            h('div', { class: 'usa-alert__body' }, h('p', { class: 'usa-alert__text' }, message)),
          );
          summarySlot.replaceChildren(alert);
          focusElement(alert);
        },
      },
    );
    root.replaceChildren(summarySlot, form);
    if (focusFirst) form.querySelector('input')?.focus();
    return form;
  };
  const form = drawForm(false);
  if (values.claimId !== '' && values.accessCode !== '') form.requestSubmit();
}
