/**
 * Payments, for reports and claims: amount, how it was paid, when, and who got it. The "who got
 * it" boxes change with the way of paying (bank, wallet, gift card, app, wire or MTCN).
 */
import { type PaymentMethod, paymentMethods } from '#shared/domain/enums.ts';
import { format, type Lang, type Messages } from '../i18n/types.ts';
import type { FieldProblem } from './api.ts';
import { type Child, h, on, setChildren } from './dom.ts';
import { type DateParts, dateField, emptyDate, type FormScope, radioGroup, textField } from './forms.ts';
import { datePartsText, formatCents, parseDollars, readDate } from './values.ts';

export interface PaymentDraft {
  id: string;
  amount: string;
  method: PaymentMethod | '';
  date: DateParts;
  /** Wire transfers: through a bank, or a money transfer company (MTCN). */
  wireVia: '' | 'bank' | 'company';
  bankName: string;
  routingNumber: string;
  accountNumber: string;
  provider: string;
  mtcn: string;
  asset: string;
  address: string;
  txHash: string;
  brand: string;
  cardNumber: string;
  service: string;
  handle: string;
  description: string;
}

type TextKey = Exclude<keyof PaymentDraft, 'id' | 'method' | 'date' | 'wireVia'>;
const textKeys: readonly TextKey[] = [
  'amount',
  'bankName',
  'routingNumber',
  'accountNumber',
  'provider',
  'mtcn',
  'asset',
  'address',
  'txHash',
  'brand',
  'cardNumber',
  'service',
  'handle',
  'description',
];

let paymentCounter = 0;
export function newPayment(): PaymentDraft {
  paymentCounter += 1;
  return {
    id: `p${Date.now().toString(36)}${paymentCounter}`,
    amount: '',
    method: '',
    date: emptyDate(),
    wireVia: '',
    bankName: '',
    routingNumber: '',
    accountNumber: '',
    provider: '',
    mtcn: '',
    asset: '',
    address: '',
    txHash: '',
    brand: '',
    cardNumber: '',
    service: '',
    handle: '',
    description: '',
  };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function restoreDate(raw: unknown): DateParts {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  return { month: str(o['month']), day: str(o['day']), year: str(o['year']) };
}

/** A saved payment, with anything missing or odd replaced by an empty answer. */
export function restorePayment(raw: unknown): PaymentDraft {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const p = newPayment();
  for (const key of textKeys) p[key] = str(o[key]);
  if (typeof o['id'] === 'string' && /^[\w-]{1,40}$/.test(o['id'])) p.id = o['id'];
  const method = str(o['method']);
  p.method = (paymentMethods as readonly string[]).includes(method) ? (method as PaymentMethod) : '';
  const via = str(o['wireVia']);
  p.wireVia = via === 'bank' || via === 'company' ? via : '';
  p.date = restoreDate(o['date']);
  return p;
}

type RecipientForm =
  | 'bank'
  | 'money-transfer'
  | 'crypto'
  | 'gift-card'
  | 'payment-app'
  | 'card'
  | 'other'
  | 'none';

function recipientForm(p: PaymentDraft): RecipientForm {
  switch (p.method) {
    case 'bank-transfer':
      return 'bank';
    case 'wire-transfer':
      return p.wireVia === 'bank' ? 'bank' : p.wireVia === 'company' ? 'money-transfer' : 'none';
    case 'cryptocurrency':
      return 'crypto';
    case 'gift-card':
      return 'gift-card';
    case 'payment-app':
      return 'payment-app';
    case 'credit-card':
    case 'debit-card':
      return 'card';
    case '':
      return 'none';
    default:
      return 'other';
  }
}

const blank = (s: string) => s.trim() === '';
const opt = (s: string) => (blank(s) ? undefined : s.trim());

/** The recipient in the API's shape (docs/api-contract.md), or undefined when nothing was given. */
export function recipientOf(p: PaymentDraft): Record<string, string> | undefined {
  const given = (o: Record<string, string | undefined>, kind: string) => {
    const entries = Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined);
    return entries.length === 0 ? undefined : { kind, ...Object.fromEntries(entries) };
  };
  switch (recipientForm(p)) {
    case 'bank':
      return given(
        {
          bankName: opt(p.bankName),
          routingNumber: opt(p.routingNumber),
          accountNumber: opt(p.accountNumber),
        },
        'bank-account',
      );
    case 'money-transfer':
      return given({ provider: opt(p.provider), mtcn: opt(p.mtcn) }, 'money-transfer');
    case 'crypto':
      // The API needs the address; a coin name alone says nothing about who got the money.
      return blank(p.address)
        ? undefined
        : given({ asset: opt(p.asset), address: p.address.trim(), txHash: opt(p.txHash) }, 'crypto-wallet');
    case 'gift-card':
      return given({ brand: opt(p.brand), cardNumber: opt(p.cardNumber) }, 'gift-card');
    case 'payment-app':
      return blank(p.handle)
        ? undefined
        : given({ service: opt(p.service), handle: p.handle.trim() }, 'payment-app');
    case 'card':
    case 'other':
      return given({ description: opt(p.description) }, 'other');
    case 'none':
      return undefined;
  }
}

/** The payment for the API; call only after `validatePayments` found nothing. */
export function paymentBody(p: PaymentDraft): Record<string, unknown> {
  const amount = parseDollars(p.amount);
  const date = readDate(p.date);
  return {
    amountCents: amount.ok ? amount.cents : 0,
    currency: 'USD',
    ...(date.ok && date.iso ? { date: date.iso } : {}),
    method: p.method,
    ...(recipientOf(p) ? { recipient: recipientOf(p) } : {}),
  };
}

export function validatePayments(payments: readonly PaymentDraft[], t: Messages): FieldProblem[] {
  const e = t.errors;
  const problems: FieldProblem[] = [];
  payments.forEach((p, i) => {
    const base = `payments.${i}`;
    const amount = parseDollars(p.amount);
    if (!amount.ok) {
      const message = {
        required: e.amountRequired,
        invalid: e.amountInvalid,
        zero: e.amountZero,
        tooBig: e.amountTooBig,
      }[amount.error];
      problems.push({ path: `${base}.amountCents`, message });
    }
    if (p.method === '') problems.push({ path: `${base}.method`, message: e.methodRequired });
    const date = readDate(p.date);
    if (!date.ok) problems.push({ path: `${base}.date`, message: dateMessage(date.error, t) });
    if (recipientForm(p) === 'crypto' && blank(p.address) && !blank(p.txHash))
      problems.push({ path: `${base}.recipient.address`, message: e.addressRequired });
  });
  return problems;
}

export function dateMessage(
  error: 'incomplete' | 'shortYear' | 'invalid' | 'future' | 'tooOld',
  t: Messages,
): string {
  return {
    incomplete: t.errors.dateIncomplete,
    shortYear: t.errors.dateShortYear,
    invalid: t.errors.dateInvalid,
    future: t.errors.dateFuture,
    tooOld: t.errors.dateTooOld,
  }[error];
}

export interface PaymentsEditorOptions {
  readonly payments: PaymentDraft[];
  readonly t: Messages;
  readonly scope: FormScope;
  readonly save: () => void;
  readonly announce: (message: string) => void;
  /** At least one payment stays on screen (a claim needs one). */
  readonly keepOne?: boolean;
}

/** The list of payments with "Add another payment" and "Remove". */
export function paymentsEditor(o: PaymentsEditorOptions): HTMLElement {
  const { t, payments } = o;
  const list = h('div', { class: 'payments' });
  const container = h('div', null, list);

  const draw = (focusIndex?: number, focusHeading = false) => {
    // Fields are registered again for the new positions (paths carry the index).
    o.scope.fields.splice(
      0,
      o.scope.fields.length,
      ...o.scope.fields.filter((f) => !f.path.startsWith('payments.')),
    );
    list.replaceChildren(...payments.map((p, i) => paymentBlock(p, i)));
    if (focusIndex === undefined) return;
    const block = list.children[focusIndex];
    const target = focusHeading ? block?.querySelector('h3') : block?.querySelector('input');
    if (target instanceof HTMLElement) target.focus();
  };

  const paymentBlock = (p: PaymentDraft, i: number): HTMLElement => {
    const n = i + 1;
    const base = `payments.${i}`;
    const id = `pay-${p.id}`;
    const recipientSlot = h('div', { class: 'recipient-slot' });
    const drawRecipient = () => {
      o.scope.fields.splice(
        0,
        o.scope.fields.length,
        ...o.scope.fields.filter((f) => !f.path.startsWith(`${base}.recipient`)),
      );
      setChildren(recipientSlot, recipientFields(p, i, id));
    };
    drawRecipient();
    const canRemove = payments.length > 1 || !o.keepOne;
    return h(
      'section',
      { class: 'payment', 'aria-labelledby': `${id}-heading` },
      h(
        'h3',
        { class: 'payment__heading', id: `${id}-heading`, tabindex: -1 },
        format(t.payments.paymentHeading, { n }),
      ),
      textField(o.scope, t, {
        id: `${id}-amount`,
        path: `${base}.amountCents`,
        label: t.payments.amountLabel,
        hint: t.payments.amountHint,
        value: p.amount,
        inputmode: 'decimal',
        width: 'md',
        prefix: '$',
        onInput: (v) => {
          p.amount = v;
          o.save();
        },
      }),
      radioGroup(o.scope, t, {
        id: `${id}-method`,
        path: `${base}.method`,
        label: t.payments.methodLegend,
        value: p.method,
        choices: paymentMethods.map((m) => ({ value: m, label: t.vocab.paymentMethods[m] })),
        onChange: (v) => {
          p.method = v as PaymentMethod;
          o.save();
          drawRecipient();
        },
      }),
      dateField(o.scope, t, {
        id: `${id}-date`,
        path: `${base}.date`,
        label: t.payments.dateLegend,
        optional: true,
        value: p.date,
        onInput: (v) => {
          p.date = v;
          o.save();
        },
      }),
      recipientSlot,
      canRemove
        ? on(
            h(
              'button',
              { type: 'button', class: 'usa-button usa-button--outline' },
              format(t.payments.remove, { n }),
            ),
            {
              click: () => {
                payments.splice(i, 1);
                o.save();
                draw(Math.max(0, i - 1), true);
                o.announce(t.payments.removed);
                if (payments.length === 0) addButton.focus();
              },
            },
          )
        : null,
    );
  };

  const recipientFields = (p: PaymentDraft, i: number, id: string): Child => {
    const base = `payments.${i}.recipient`;
    const form = recipientForm(p);
    const text = (key: TextKey, path: string, label: string, hint?: string, mono = false) =>
      textField(o.scope, t, {
        id: `${id}-${key}`,
        path: `${base}.${path}`,
        label,
        hint,
        optional: !(key === 'address' && !blank(p.txHash)),
        value: p[key],
        spellcheck: mono ? false : undefined,
        width: mono ? 'lg' : undefined,
        onInput: (v) => {
          p[key] = v;
          o.save();
        },
      });
    const wireVia =
      p.method === 'wire-transfer'
        ? radioGroup(o.scope, t, {
            id: `${id}-wirevia`,
            path: `${base}.via`,
            label: t.payments.wireViaLegend,
            optional: true,
            value: p.wireVia,
            choices: [
              { value: 'bank', label: t.payments.wireViaBank },
              { value: 'company', label: t.payments.wireViaCompany },
            ],
            onChange: (v) => {
              p.wireVia = v === 'bank' || v === 'company' ? v : '';
              o.save();
              const slot = wireSlot;
              o.scope.fields.splice(
                0,
                o.scope.fields.length,
                ...o.scope.fields.filter((f) => !f.path.startsWith(base) || f.path === `${base}.via`),
              );
              setChildren(slot, fieldsFor(recipientForm(p)));
            },
          })
        : null;
    const fieldsFor = (kind: RecipientForm): Child => {
      const p2 = t.payments;
      switch (kind) {
        case 'bank':
          return [
            text('bankName', 'bankName', p2.bankName),
            text('routingNumber', 'routingNumber', p2.routingNumber, p2.routingHint, true),
            text('accountNumber', 'accountNumber', p2.accountNumber, p2.accountHint, true),
          ];
        case 'money-transfer':
          return [
            text('provider', 'provider', p2.provider, p2.providerHint),
            text('mtcn', 'mtcn', p2.mtcn, p2.mtcnHint, true),
          ];
        case 'crypto':
          return [
            text('asset', 'asset', p2.asset, p2.assetHint),
            text('address', 'address', p2.address, p2.addressHint, true),
            text('txHash', 'txHash', p2.txHash, p2.txHashHint, true),
          ];
        case 'gift-card':
          return [
            text('brand', 'brand', p2.brand, p2.brandHint),
            text('cardNumber', 'cardNumber', p2.cardNumber, p2.cardNumberHint, true),
          ];
        case 'payment-app':
          return [
            text('service', 'service', p2.service, p2.serviceHint),
            text('handle', 'handle', p2.handle, p2.handleHint, true),
          ];
        case 'card':
          return text('description', 'description', p2.cardCharge, p2.cardChargeHint);
        case 'other':
          return text('description', 'description', p2.otherRecipient, p2.otherRecipientHint);
        case 'none':
          return null;
      }
    };
    const wireSlot = h('div', null, fieldsFor(form));
    if (form === 'none' && !wireVia) return null;
    return h(
      'div',
      { class: 'recipient' },
      h('h4', { class: 'recipient__heading' }, t.payments.recipientHeading),
      h('p', { class: 'usa-hint' }, t.payments.recipientHint),
      wireVia,
      wireSlot,
    );
  };

  const addButton = on(
    h('button', { type: 'button', class: 'usa-button usa-button--outline' }, t.payments.add),
    {
      click: () => {
        payments.push(newPayment());
        o.save();
        draw(payments.length - 1);
      },
    },
  );
  if (payments.length === 0 && o.keepOne) payments.push(newPayment());
  draw();
  container.append(addButton);
  return container;
}

/** One line per payment for the review screen: "$2,500.00 by Wire transfer on May 1, 2026 to …". */
export function paymentSummary(p: PaymentDraft, t: Messages, lang: Lang): string {
  const amount = parseDollars(p.amount);
  const parts = [
    format(t.payments.summaryAmount, {
      amount: amount.ok ? formatCents(amount.cents, lang) : p.amount,
      method: p.method ? t.vocab.paymentMethods[p.method] : t.common.notAnswered,
    }),
  ];
  const date = datePartsText(p.date, lang);
  if (date) parts.push(format(t.payments.summaryOn, { date }));
  const r = recipientOf(p);
  if (r) {
    const { kind: _kind, ...fields } = r;
    parts.push(format(t.payments.summaryTo, { recipient: Object.values(fields).join(', ') }));
  }
  return parts.join(' ');
}
