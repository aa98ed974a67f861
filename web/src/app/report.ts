/**
 * /report/: the fraud report in seven steps, then the confirmation with the reference number and
 * the next steps the API tailored to what happened.
 */
import {
  type AgeRange,
  ageRanges,
  type Category,
  type ContactMethod,
  categories,
  contactMethods,
  type FilerRole,
  filerRoles,
  MAX_IDENTIFIERS_PER_LIST,
  MAX_NARRATIVE_CHARS,
  type UsState,
  usStates,
} from '#shared/domain/enums.ts';
import { format, type Lang, type Messages } from '../i18n/types.ts';
import { pageUrl } from '../site/routes.ts';
import type { ApiResult, FieldProblem } from './api.ts';
import { type CategoryGroup, categoryGroupIds, categoryGroups, groupOf } from './categories.ts';
import { phoneNodes, startChrome } from './chrome.ts';
import { codeText } from './codes.ts';
import { copyButton } from './copy.ts';
import { type Child, h, on, setChildren } from './dom.ts';
import {
  type DateParts,
  dateField,
  emptyDate,
  listField,
  radioGroup,
  selectField,
  textareaField,
  textField,
} from './forms.ts';
import { forget, keep, kept } from './kept.ts';
import {
  dateMessage,
  newPayment,
  type PaymentDraft,
  paymentBody,
  paymentSummary,
  paymentsEditor,
  restoreDate,
  restorePayment,
  validatePayments,
} from './payments.ts';
import { localiseProblems } from './problems.ts';
import { failureMessage, postOnce } from './send.ts';
import { alertBox, type Row, reviewSection, savedControl, summaryList } from './ui.ts';
import { datePartsText, formatCents, formatDate, looksLikeEmail, readDate, ZIP } from './values.ts';
import {
  type IdempotencyKey,
  type Step,
  type StepContext,
  type SubmitOutcome,
  startWizard,
} from './wizard.ts';

export interface ReportState {
  /** The plain question answered first (categories.ts); only the category is sent. */
  categoryGroup: CategoryGroup | '';
  category: Category | '';
  contactMethod: ContactMethod | '';
  firstContact: DateParts;
  narrative: string;
  paid: '' | 'yes' | 'no';
  payments: PaymentDraft[];
  phones: string[];
  emails: string[];
  websites: string[];
  socialHandles: string[];
  namesUsed: string[];
  impersonated: string;
  role: FilerRole | '';
  onBehalfName: string;
  relationship: string;
  ageRange: AgeRange | '';
  state: UsState | '';
  zip: string;
  name: string;
  email: string;
  phone: string;
  share: '' | 'yes' | 'no';
  contact: '' | 'yes' | 'no';
}

const DRAFT_KEY = 'restore.report.draft';
const RECEIPT_KEY = 'restore.report.receipt';

export function emptyReport(): ReportState {
  return {
    categoryGroup: '',
    category: '',
    contactMethod: '',
    firstContact: emptyDate(),
    narrative: '',
    paid: '',
    payments: [],
    phones: [''],
    emails: [''],
    websites: [''],
    socialHandles: [''],
    namesUsed: [''],
    impersonated: '',
    role: '',
    onBehalfName: '',
    relationship: '',
    ageRange: '',
    state: '',
    zip: '',
    name: '',
    email: '',
    phone: '',
    share: '',
    contact: '',
  };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const oneOf = <T extends string>(values: readonly T[], v: unknown): T | '' =>
  (values as readonly unknown[]).includes(v) ? (v as T) : '';
const yesNo = (v: unknown): '' | 'yes' | 'no' => (v === 'yes' || v === 'no' ? v : '');
const strings = (v: unknown): string[] => {
  const list = Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  return list.length > 0 ? list.slice(0, MAX_IDENTIFIERS_PER_LIST) : [''];
};

export function restoreReport(raw: unknown): ReportState | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const o = raw as Record<string, unknown>;
  const category = oneOf(categories, o['category']);
  return {
    categoryGroup: groupOf(category) || oneOf(categoryGroupIds, o['categoryGroup']),
    category,
    contactMethod: oneOf(contactMethods, o['contactMethod']),
    firstContact: restoreDate(o['firstContact']),
    narrative: str(o['narrative']),
    paid: yesNo(o['paid']),
    payments: Array.isArray(o['payments']) ? o['payments'].slice(0, 50).map(restorePayment) : [],
    phones: strings(o['phones']),
    emails: strings(o['emails']),
    websites: strings(o['websites']),
    socialHandles: strings(o['socialHandles']),
    namesUsed: strings(o['namesUsed']),
    impersonated: str(o['impersonated']),
    role: oneOf(filerRoles, o['role']),
    onBehalfName: str(o['onBehalfName']),
    relationship: str(o['relationship']),
    ageRange: oneOf(ageRanges, o['ageRange']),
    state: oneOf(usStates, o['state']),
    zip: str(o['zip']),
    name: str(o['name']),
    email: str(o['email']),
    phone: str(o['phone']),
    share: yesNo(o['share']),
    contact: yesNo(o['contact']),
  };
}

function hasContent(s: ReportState): boolean {
  const empty = emptyReport();
  return JSON.stringify({ ...s, payments: s.payments.length }) !== JSON.stringify({ ...empty, payments: 0 });
}

const opt = (s: string): string | undefined => (s.trim() === '' ? undefined : s.trim());

/** Drops keys whose value is undefined; undefined when nothing is left. */
function compact(o: Record<string, unknown>): Record<string, unknown> | undefined {
  const entries = Object.entries(o).filter(([, v]) => v !== undefined);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** The report in the API's shape (docs/api-contract.md). */
export function reportBody(s: ReportState, lang: Lang): Record<string, unknown> {
  const firstContact = readDate(s.firstContact);
  const forSomeoneElse = s.role === 'caregiver' || s.role === 'other';
  const list = (values: string[]) => (values.some((v) => v.trim() !== '') ? values : undefined);
  return {
    filer: compact({
      language: lang,
      role: s.role || undefined,
      ageRange: s.ageRange || undefined,
      state: s.state || undefined,
      zip: opt(s.zip),
      contact: compact({ name: opt(s.name), email: opt(s.email), phone: opt(s.phone) }),
      onBehalfOf: forSomeoneElse
        ? compact({ name: opt(s.onBehalfName), relationship: opt(s.relationship) })
        : undefined,
    }),
    incident: compact({
      category: s.category,
      contactMethod: s.contactMethod || undefined,
      firstContactDate: firstContact.ok ? firstContact.iso : undefined,
      narrative: s.narrative,
    }),
    // Lists go as typed, blanks included, so the API's `scammer.phones.1` is the second box.
    payments: s.paid === 'yes' ? s.payments.map(paymentBody) : [],
    scammer:
      compact({
        phones: list(s.phones),
        emails: list(s.emails),
        websites: list(s.websites),
        socialHandles: list(s.socialHandles),
        namesUsed: list(s.namesUsed),
        impersonated: opt(s.impersonated),
      }) ?? {},
    consents: { shareWithLawEnforcement: s.share === 'yes', contactAboutRecovery: s.contact === 'yes' },
  };
}

function steps(t: Messages, lang: Lang): Step<ReportState>[] {
  const r = t.report;
  const e = t.errors;
  const what: Step<ReportState> = {
    title: r.stepWhat,
    paths: ['incident.categoryGroup', 'incident.category'],
    render: ({ state, scope, save }) => {
      const kinds = h('div');
      const drawKinds = () => {
        scope.fields.splice(
          0,
          scope.fields.length,
          ...scope.fields.filter((f) => f.path !== 'incident.category'),
        );
        const group = state.categoryGroup;
        const members: readonly Category[] = group ? categoryGroups[group] : [];
        setChildren(
          kinds,
          members.length > 1
            ? h(
                'div',
                { class: 'conditional' },
                radioGroup(scope, t, {
                  id: 'category',
                  path: 'incident.category',
                  label: r.categoryLegend,
                  hint: r.categoryHint,
                  value: state.category,
                  choices: members.map((c) => ({
                    value: c,
                    label: t.vocab.categories[c].label,
                    description: t.vocab.categories[c].example,
                  })),
                  onChange: (v) => {
                    state.category = v as Category;
                    save();
                  },
                }),
              )
            : null,
        );
      };
      const groups = radioGroup(scope, t, {
        id: 'category-group',
        path: 'incident.categoryGroup',
        label: r.groupLegend,
        hint: r.groupHint,
        large: true,
        value: state.categoryGroup,
        choices: categoryGroupIds.map((g) => ({
          value: g,
          label: r.groups[g].label,
          description: r.groups[g].example,
        })),
        onChange: (v) => {
          const group = oneOf(categoryGroupIds, v);
          state.categoryGroup = group;
          const members: readonly Category[] = group ? categoryGroups[group] : [];
          // A group of one kind ("Something else") is the answer; otherwise the kind is asked next.
          if (members.length === 1) state.category = members[0] ?? '';
          else if (!members.includes(state.category as Category)) state.category = '';
          save();
          drawKinds();
        },
      });
      drawKinds();
      return [groups, kinds];
    },
    validate: (s) =>
      s.categoryGroup === ''
        ? [{ path: 'incident.categoryGroup', message: e.groupRequired }]
        : s.category === ''
          ? [{ path: 'incident.category', message: e.categoryRequired }]
          : [],
  };

  const how: Step<ReportState> = {
    title: r.stepHow,
    paths: ['incident'],
    render: ({ state, scope, save }) => [
      radioGroup(scope, t, {
        id: 'contact-method',
        path: 'incident.contactMethod',
        label: r.contactLegend,
        hint: r.contactHint,
        optional: true,
        value: state.contactMethod,
        choices: contactMethods.map((m) => ({ value: m, label: t.vocab.contactMethods[m] })),
        onChange: (v) => {
          state.contactMethod = v as ContactMethod;
          save();
        },
      }),
      dateField(scope, t, {
        id: 'first-contact',
        path: 'incident.firstContactDate',
        label: r.firstContactLegend,
        hint: r.firstContactHint,
        optional: true,
        value: state.firstContact,
        onInput: (v) => {
          state.firstContact = v;
          save();
        },
      }),
      textareaField(scope, t, {
        id: 'narrative',
        path: 'incident.narrative',
        label: r.narrativeLabel,
        hint: r.narrativeHint,
        value: state.narrative,
        maxlength: MAX_NARRATIVE_CHARS,
        onInput: (v) => {
          state.narrative = v;
          save();
        },
      }),
    ],
    validate: (s) => {
      const problems: FieldProblem[] = [];
      const date = readDate(s.firstContact);
      if (!date.ok) problems.push({ path: 'incident.firstContactDate', message: dateMessage(date.error, t) });
      if (s.narrative.trim() === '')
        problems.push({ path: 'incident.narrative', message: e.narrativeRequired });
      else if (s.narrative.length > MAX_NARRATIVE_CHARS)
        problems.push({
          path: 'incident.narrative',
          message: format(e.tooLong, { max: MAX_NARRATIVE_CHARS.toLocaleString(lang) }),
        });
      return problems;
    },
  };

  const money: Step<ReportState> = {
    title: r.stepMoney,
    paths: ['payments'],
    render: ({ state, scope, save, announce }) => {
      const slot = h('div');
      const drawPayments = () => {
        scope.fields.splice(
          0,
          scope.fields.length,
          ...scope.fields.filter((f) => !f.path.startsWith('payments.')),
        );
        if (state.paid !== 'yes') {
          slot.replaceChildren();
          return;
        }
        if (state.payments.length === 0) state.payments.push(newPayment());
        slot.replaceChildren(
          paymentsEditor({ payments: state.payments, t, scope, save, announce, keepOne: true }),
        );
      };
      const question = radioGroup(scope, t, {
        id: 'paid',
        path: 'payments',
        label: r.paidLegend,
        hint: r.paidHint,
        large: true,
        value: state.paid,
        choices: [
          { value: 'yes', label: t.common.yes },
          { value: 'no', label: t.common.no },
        ],
        onChange: (v) => {
          state.paid = yesNo(v);
          save();
          drawPayments();
        },
      });
      drawPayments();
      return [question, slot];
    },
    validate: (s) => {
      if (s.paid === '') return [{ path: 'payments', message: e.paidRequired }];
      return s.paid === 'yes' ? validatePayments(s.payments, t) : [];
    },
  };

  const scammer: Step<ReportState> = {
    title: r.stepScammer,
    paths: ['scammer'],
    render: ({ state, scope, save }) => {
      const list = (
        key: 'phones' | 'emails' | 'websites' | 'socialHandles' | 'namesUsed',
        legend: string,
        itemLabel: string,
        addLabel: string,
        hint?: string,
        type?: 'text' | 'email' | 'tel',
      ) =>
        listField(scope, t, {
          id: `scammer-${key}`,
          path: `scammer.${key}`,
          legend,
          hint,
          itemLabel,
          addLabel,
          type,
          values: state[key],
          max: MAX_IDENTIFIERS_PER_LIST,
          onChange: (values) => {
            state[key] = values;
            save();
          },
        });
      return [
        h('p', null, r.scammerIntro),
        list('phones', r.phonesLegend, r.phoneItem, r.phoneAdd, undefined, 'tel'),
        list('emails', r.emailsLegend, r.emailItem, r.emailAdd, undefined, 'email'),
        list('websites', r.websitesLegend, r.websiteItem, r.websiteAdd, r.websiteHint),
        list('socialHandles', r.socialLegend, r.socialItem, r.socialAdd, r.socialHint),
        list('namesUsed', r.namesLegend, r.nameItem, r.nameAdd),
        textField(scope, t, {
          id: 'impersonated',
          path: 'scammer.impersonated',
          label: r.impersonatedLabel,
          hint: r.impersonatedHint,
          optional: true,
          value: state.impersonated,
          onInput: (v) => {
            state.impersonated = v;
            save();
          },
        }),
      ];
    },
  };

  const you: Step<ReportState> = {
    title: r.stepYou,
    paths: ['filer'],
    render: ({ state, scope, save }) => {
      const behalfSlot = h('div');
      const drawBehalf = () => {
        scope.fields.splice(
          0,
          scope.fields.length,
          ...scope.fields.filter((f) => !f.path.startsWith('filer.onBehalfOf')),
        );
        setChildren(
          behalfSlot,
          state.role === 'caregiver' || state.role === 'other'
            ? h(
                'div',
                { class: 'conditional' },
                textField(scope, t, {
                  id: 'behalf-name',
                  path: 'filer.onBehalfOf.name',
                  label: r.onBehalfNameLabel,
                  optional: true,
                  value: state.onBehalfName,
                  autocomplete: 'off',
                  onInput: (v) => {
                    state.onBehalfName = v;
                    save();
                  },
                }),
                textField(scope, t, {
                  id: 'relationship',
                  path: 'filer.onBehalfOf.relationship',
                  label: r.relationshipLabel,
                  hint: r.relationshipHint,
                  optional: true,
                  value: state.relationship,
                  onInput: (v) => {
                    state.relationship = v;
                    save();
                  },
                }),
              )
            : null,
        );
      };
      const text = (
        key: 'zip' | 'name' | 'email' | 'phone',
        id: string,
        path: string,
        label: string,
        extra: { type?: 'text' | 'email' | 'tel'; autocomplete?: string; width?: 'xs' | 'sm' | 'md' } = {},
      ) =>
        textField(scope, t, {
          id,
          path,
          label,
          optional: true,
          value: state[key],
          ...extra,
          onInput: (v) => {
            state[key] = v;
            save();
          },
        });
      const role = radioGroup(scope, t, {
        id: 'role',
        path: 'filer.role',
        label: r.roleLegend,
        optional: true,
        value: state.role,
        choices: filerRoles.map((v) => ({ value: v, label: t.vocab.roles[v] })),
        onChange: (v) => {
          state.role = v as FilerRole;
          save();
          drawBehalf();
        },
      });
      drawBehalf();
      return [
        h('p', null, r.youIntro),
        role,
        behalfSlot,
        radioGroup(scope, t, {
          id: 'age',
          path: 'filer.ageRange',
          label: r.ageLegend,
          optional: true,
          value: state.ageRange,
          choices: ageRanges.map((v) => ({ value: v, label: t.vocab.ageRanges[v] })),
          onChange: (v) => {
            state.ageRange = v as AgeRange;
            save();
          },
        }),
        selectField(scope, t, {
          id: 'state',
          path: 'filer.state',
          label: r.stateLabel,
          optional: true,
          value: state.state,
          choose: r.stateChoose,
          options: usStates.map((s) => [s, t.vocab.states[s]] as const),
          onChange: (v) => {
            state.state = v as UsState;
            save();
          },
        }),
        text('zip', 'zip', 'filer.zip', r.zipLabel, { autocomplete: 'postal-code', width: 'sm' }),
        h(
          'fieldset',
          { class: 'usa-fieldset', 'aria-describedby': 'contact-intro' },
          h(
            'legend',
            { class: 'usa-legend' },
            r.contactHeading,
            h('span', { class: 'usa-hint' }, ` ${t.common.optional}`),
          ),
          h('p', { class: 'usa-hint', id: 'contact-intro' }, r.contactIntro),
          text('name', 'contact-name', 'filer.contact.name', r.nameLabel, { autocomplete: 'name' }),
          text('email', 'contact-email', 'filer.contact.email', r.emailLabel, {
            type: 'email',
            autocomplete: 'email',
          }),
          text('phone', 'contact-phone', 'filer.contact.phone', r.phoneLabel, {
            type: 'tel',
            autocomplete: 'tel',
          }),
        ),
      ];
    },
    validate: (s) => {
      const problems: FieldProblem[] = [];
      if (s.zip.trim() !== '' && !ZIP.test(s.zip.trim()))
        problems.push({ path: 'filer.zip', message: e.zipInvalid });
      if (s.email.trim() !== '' && !looksLikeEmail(s.email))
        problems.push({ path: 'filer.contact.email', message: e.emailInvalid });
      return problems;
    },
  };

  const consent: Step<ReportState> = {
    title: r.stepConsent,
    paths: ['consents'],
    render: ({ state, scope, save }) => [
      radioGroup(scope, t, {
        id: 'share',
        path: 'consents.shareWithLawEnforcement',
        label: r.shareLegend,
        hint: r.shareHint,
        value: state.share,
        choices: [
          { value: 'yes', label: r.shareYes },
          { value: 'no', label: r.shareNo },
        ],
        onChange: (v) => {
          state.share = yesNo(v);
          save();
        },
      }),
      radioGroup(scope, t, {
        id: 'contact-consent',
        path: 'consents.contactAboutRecovery',
        label: r.contactConsentLegend,
        hint: r.contactConsentHint,
        value: state.contact,
        choices: [
          { value: 'yes', label: r.contactConsentYes },
          { value: 'no', label: r.contactConsentNo },
        ],
        onChange: (v) => {
          state.contact = yesNo(v);
          save();
        },
      }),
    ],
    validate: (s) => [
      ...(s.share === '' ? [{ path: 'consents.shareWithLawEnforcement', message: e.shareRequired }] : []),
      ...(s.contact === ''
        ? [{ path: 'consents.contactAboutRecovery', message: e.contactConsentRequired }]
        : []),
    ],
  };

  const review: Step<ReportState> = {
    title: r.stepReview,
    paths: [],
    render: (ctx) => reviewScreen(ctx, t, lang),
  };

  return [what, how, money, scammer, you, consent, review];
}

function reviewScreen(ctx: StepContext<ReportState>, t: Messages, lang: Lang): Child {
  const s = ctx.state;
  const r = t.report;
  const none = t.common.notAnswered;
  const joined = (values: string[]) => values.filter((v) => v.trim() !== '').join(', ') || null;
  const scammerRows: Row[] = (
    [
      [r.phonesLegend, joined(s.phones)],
      [r.emailsLegend, joined(s.emails)],
      [r.websitesLegend, joined(s.websites)],
      [r.socialLegend, joined(s.socialHandles)],
      [r.namesLegend, joined(s.namesUsed)],
      [r.impersonatedLabel, opt(s.impersonated) ?? null],
    ] as const
  ).filter(([, v]) => v !== null) as Row[];
  const contact = [s.name, s.email, s.phone]
    .map((v) => v.trim())
    .filter(Boolean)
    .join(', ');
  const where = [s.state ? t.vocab.states[s.state] : '', s.zip.trim()].filter(Boolean).join(' ');
  const yn = (v: '' | 'yes' | 'no') => (v === 'yes' ? t.common.yes : v === 'no' ? t.common.no : none);
  return [
    h('p', null, r.reviewIntro),
    reviewSection(
      t,
      r.stepWhat,
      [[r.reviewScamType, s.category ? t.vocab.categories[s.category].label : none]],
      () => ctx.goTo(0),
    ),
    reviewSection(
      t,
      r.stepHow,
      [
        [r.reviewContact, s.contactMethod ? t.vocab.contactMethods[s.contactMethod] : none],
        [r.reviewStarted, datePartsText(s.firstContact, lang) ?? none],
        [r.reviewStory, h('span', { class: 'narrative' }, s.narrative)],
      ],
      () => ctx.goTo(1),
    ),
    reviewSection(
      t,
      r.stepMoney,
      [
        [r.reviewPaid, yn(s.paid)],
        ...(s.paid === 'yes'
          ? s.payments.map((p, i): Row => [format(r.reviewPayment, { n: i + 1 }), paymentSummary(p, t, lang)])
          : []),
      ],
      () => ctx.goTo(2),
    ),
    reviewSection(
      t,
      r.stepScammer,
      scammerRows.length > 0 ? scammerRows : [[r.stepScammer, r.reviewNone]],
      () => ctx.goTo(3),
    ),
    reviewSection(
      t,
      r.stepYou,
      [
        [r.reviewRole, s.role ? t.vocab.roles[s.role] : none],
        ...((s.role === 'caregiver' || s.role === 'other') && s.onBehalfName.trim()
          ? [[r.reviewForName, s.onBehalfName.trim()] as Row]
          : []),
        ...((s.role === 'caregiver' || s.role === 'other') && s.relationship.trim()
          ? [[r.reviewRelationship, s.relationship.trim()] as Row]
          : []),
        [r.reviewAge, s.ageRange ? t.vocab.ageRanges[s.ageRange] : none],
        [r.reviewWhere, where || none],
        [r.reviewYourContact, contact || none],
      ],
      () => ctx.goTo(4),
    ),
    reviewSection(
      t,
      r.stepConsent,
      [
        [r.reviewShare, yn(s.share)],
        [r.reviewContactConsent, yn(s.contact)],
      ],
      () => ctx.goTo(5),
    ),
  ];
}

interface Receipt {
  reportId: string;
  receivedAt: string;
  nextSteps: { title: string; body: string }[];
  /** What was reported, for the screen and the printout. */
  category: Category | '';
  paidCents: number;
  paymentCount: number;
}

function readReceipt(raw: unknown): Receipt | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const o = raw as Record<string, unknown>;
  if (typeof o['reportId'] !== 'string' || o['reportId'] === '') return undefined;
  const steps = Array.isArray(o['nextSteps']) ? o['nextSteps'] : [];
  const count = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0);
  return {
    reportId: o['reportId'],
    receivedAt: str(o['receivedAt']),
    nextSteps: steps.flatMap((s: unknown) => {
      const step = s as { title?: unknown; body?: unknown } | null;
      return typeof step?.title === 'string' && typeof step.body === 'string'
        ? [{ title: step.title, body: step.body }]
        : [];
    }),
    category: oneOf(categories, o['category']),
    paidCents: count(o['paidCents']),
    paymentCount: count(o['paymentCount']),
  };
}

function confirmation(view: HTMLElement, receipt: Receipt, t: Messages, lang: Lang): HTMLElement {
  const r = t.report;
  const heading = h('h2', { class: 'usa-alert__heading', tabindex: -1 }, r.confirmationHeading);
  const reported: Row[] = [
    ...(receipt.category ? [[r.reviewScamType, t.vocab.categories[receipt.category].label] as Row] : []),
    [
      r.reviewPaid,
      receipt.paymentCount > 0
        ? format(r.paidSummary, { amount: formatCents(receipt.paidCents, lang), count: receipt.paymentCount })
        : t.common.no,
    ],
  ];
  view.replaceChildren(
    h(
      'div',
      { class: 'confirmation' },
      h('div', { class: 'usa-alert usa-alert--success' }, h('div', { class: 'usa-alert__body' }, heading)),
      h(
        'div',
        { class: 'reference-box' },
        h('p', { class: 'reference-box__label', id: 'reference-label' }, r.referenceLabel),
        h('p', { class: 'reference-box__number' }, codeText(receipt.reportId, 'reference-number')),
        copyButton(t, receipt.reportId, r.copyReference),
        h('p', null, phoneNodes(r.referenceHint)),
        receipt.receivedAt
          ? h('p', null, format(r.receivedOn, { date: formatDate(receipt.receivedAt, lang) }))
          : null,
      ),
      h('h3', null, r.reportedHeading),
      summaryList(reported),
      receipt.nextSteps.length > 0
        ? [
            h('h3', null, r.nextStepsHeading),
            h(
              'ol',
              { class: 'usa-process-list' },
              receipt.nextSteps.map((step) =>
                h(
                  'li',
                  { class: 'usa-process-list__item' },
                  h('h4', { class: 'usa-process-list__heading' }, step.title),
                  h('p', null, step.body),
                ),
              ),
            ),
          ]
        : null,
      h('h3', null, r.whatNextHeading),
      h(
        'ul',
        { class: 'usa-list' },
        [r.whatNext1, r.whatNext2, r.whatNext3, r.whatNext4].map((x) => h('li', null, x)),
      ),
      h(
        'div',
        { class: 'button-row no-print' },
        on(h('button', { type: 'button', class: 'usa-button usa-button--big' }, t.common.print), {
          click: () => window.print(),
        }),
      ),
      savedControl(t, r.savedQuestion, r.savedButton, () => {
        forget(RECEIPT_KEY);
        location.assign(pageUrl('report', lang));
      }),
      h('p', { class: 'no-print' }, h('a', { href: pageUrl('programs', lang) }, r.claimLink)),
    ),
  );
  return heading;
}

export interface ReportWizardOptions {
  readonly root: HTMLElement;
  readonly t: Messages;
  readonly lang: Lang;
  /** Where the draft is kept; absent (the console's helpline): in memory only. */
  readonly storageKey?: string;
  /** Sends the report: to /v1/reports, or the helpline's assisted route with the staff token. */
  post(body: Record<string, unknown>, key: IdempotencyKey): Promise<ApiResult<unknown>>;
  /** What the API's 2xx answer becomes on screen; undefined if the answer cannot be read. */
  filed(data: unknown, state: ReportState): SubmitOutcome | undefined;
  readonly intro?: Child;
  readonly signal?: AbortSignal;
}

/**
 * The report's questions, checks and messages as a wizard in `root`: the public page's, and the
 * same one inside the console's helpline, where staff step a caller through it.
 */
export function reportWizard(o: ReportWizardOptions): void {
  const { t, lang } = o;
  startWizard<ReportState>({
    root: o.root,
    t,
    lang,
    ...(o.storageKey !== undefined ? { storageKey: o.storageKey } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    submitLabel: t.report.submit,
    steps: steps(t, lang),
    initial: emptyReport,
    restore: restoreReport,
    hasContent,
    intro: o.intro ?? alertBox('info', t.wizard.requiredNote, { slim: true }),
    submit: async (state, key): Promise<SubmitOutcome> => {
      const result = await o.post(reportBody(state, lang), key);
      if (result.kind === 'ok')
        return o.filed(result.data, state) ?? { kind: 'error', message: t.common.serverError };
      if (result.kind === 'invalid' && result.fields.length > 0)
        return { kind: 'invalid', problems: localiseProblems(result.fields, t, lang) };
      return { kind: 'error', message: await failureMessage(result, t, lang) };
    },
  });
}

export function startReport(t: Messages, lang: Lang): void {
  void startChrome(t, lang);
  const root = document.getElementById('app');
  if (!root) return;
  const saved = kept(RECEIPT_KEY, readReceipt);
  if (saved) {
    confirmation(root, saved, t, lang);
    document.title = `${t.report.confirmationTitle} - ${document.title}`;
    return;
  }
  reportWizard({
    root,
    t,
    lang,
    storageKey: DRAFT_KEY,
    post: (body, key) => postOnce<unknown>('/v1/reports', body, key, lang),
    filed: (data, state) => {
      const paid = state.paid === 'yes' ? state.payments.map(paymentBody) : [];
      const receipt = readReceipt({
        ...(data as object),
        category: state.category,
        paymentCount: paid.length,
        paidCents: paid.reduce((sum, p) => sum + Number(p['amountCents'] ?? 0), 0),
      });
      if (!receipt) return undefined;
      keep(RECEIPT_KEY, receipt);
      return {
        kind: 'done',
        title: t.report.confirmationTitle,
        show: (view) => confirmation(view, receipt, t, lang),
      };
    },
  });
}
