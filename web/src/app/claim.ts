/**
 * /claim/: a restitution claim in five steps (programme, about you, losses, sworn statement,
 * review). The claim number and access code stay on screen (kept in this browser, kept.ts) until
 * the person says they wrote them down or printed them; the API can never show the code again.
 */
import { type UsState, usStates } from '#shared/domain/enums.ts';
import { parseReportId } from '#shared/domain/ids.ts';
import { format, type Lang, type Messages } from '../i18n/types.ts';
import { pageUrl } from '../site/routes.ts';
import { type ApiResult, apiRequest, type FieldProblem } from './api.ts';
import { phoneText, startChrome } from './chrome.ts';
import { codeText } from './codes.ts';
import { copyButton } from './copy.ts';
import { type Child, h, on } from './dom.ts';
import { checkboxField, selectField, textField } from './forms.ts';
import { forget, keep, kept } from './kept.ts';
import {
  type PaymentDraft,
  paymentBody,
  paymentSummary,
  paymentsEditor,
  restorePayment,
  validatePayments,
} from './payments.ts';
import { localiseProblems } from './problems.ts';
import { loadPools, type Pool } from './programs.ts';
import { failureMessage, postOnce } from './send.ts';
import { alertBox, type Row, reviewSection, savedControl, summaryList } from './ui.ts';
import { formatCents, formatDate, looksLikeEmail, parseDollars, ZIP } from './values.ts';
import { type IdempotencyKey, type Step, type SubmitOutcome, startWizard } from './wizard.ts';

export interface ClaimState {
  poolId: string;
  invitationCode: string;
  /** Set when the API confirmed the invitation code: the programme's name and case number. */
  invitationProgram: string;
  invitationCase: string;
  invitationPrefilled: boolean;
  reportId: string;
  name: string;
  email: string;
  phone: string;
  line1: string;
  city: string;
  state: UsState | '';
  zip: string;
  payments: PaymentDraft[];
  recoveries: string;
  perjury: boolean;
  notInvolved: boolean;
  signedName: string;
}

const DRAFT_KEY = 'restore.claim.draft';

export function emptyClaim(): ClaimState {
  return {
    poolId: '',
    invitationCode: '',
    invitationProgram: '',
    invitationCase: '',
    invitationPrefilled: false,
    reportId: '',
    name: '',
    email: '',
    phone: '',
    line1: '',
    city: '',
    state: '',
    zip: '',
    payments: [],
    recoveries: '',
    perjury: false,
    notInvolved: false,
    signedName: '',
  };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function restoreClaim(raw: unknown): ClaimState | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const o = raw as Record<string, unknown>;
  const state = str(o['state']);
  return {
    poolId: str(o['poolId']),
    invitationCode: str(o['invitationCode']),
    invitationProgram: str(o['invitationProgram']),
    invitationCase: str(o['invitationCase']),
    invitationPrefilled: o['invitationPrefilled'] === true,
    reportId: str(o['reportId']),
    name: str(o['name']),
    email: str(o['email']),
    phone: str(o['phone']),
    line1: str(o['line1']),
    city: str(o['city']),
    state: (usStates as readonly string[]).includes(state) ? (state as UsState) : '',
    zip: str(o['zip']),
    payments: Array.isArray(o['payments']) ? o['payments'].slice(0, 50).map(restorePayment) : [],
    recoveries: str(o['recoveries']),
    perjury: o['perjury'] === true,
    notInvolved: o['notInvolved'] === true,
    signedName: str(o['signedName']),
  };
}

function hasContent(s: ClaimState): boolean {
  return (
    JSON.stringify({ ...s, payments: s.payments.length }) !== JSON.stringify({ ...emptyClaim(), payments: 0 })
  );
}

const opt = (s: string): string | undefined => (s.trim() === '' ? undefined : s.trim());

export function claimBody(s: ClaimState, now: Date = new Date(), lang?: Lang): Record<string, unknown> {
  const reportId = parseReportId(s.reportId);
  const recoveries = parseDollars(s.recoveries);
  return {
    // The language of this page: e-mail about the claim is written in it.
    ...(lang ? { language: lang } : {}),
    ...(opt(s.poolId) ? { poolId: s.poolId.trim() } : {}),
    ...(reportId ? { reportIds: [reportId] } : {}),
    ...(opt(s.invitationCode) ? { invitationCode: s.invitationCode.trim() } : {}),
    claimant: {
      name: s.name.trim(),
      ...(opt(s.email) ? { email: s.email.trim() } : {}),
      ...(opt(s.phone) ? { phone: s.phone.trim() } : {}),
      address: {
        line1: s.line1.trim(),
        city: s.city.trim(),
        state: s.state,
        zip: s.zip.trim(),
        country: 'US',
      },
    },
    payments: s.payments.map(paymentBody),
    recoveriesCents: recoveries.ok ? recoveries.cents : 0,
    attestation: {
      underPenaltyOfPerjury: s.perjury,
      notInvolvedInOffense: s.notInvolved,
      signedName: s.signedName.trim(),
      signedAt: now.toISOString(),
    },
  };
}

const two = (n: string) => String(Number(n));

/**
 * Asks the API whether an invitation code is genuine (a letter could be a recovery scam). A
 * genuine code names the programme and brings the payments from the person's report; an unknown
 * code is an error next to the box. If the check cannot be made now, the claim goes on: the API
 * checks the code again when the claim is sent.
 */
async function checkInvitation(s: ClaimState, t: Messages, lang: Lang): Promise<FieldProblem[]> {
  const code = s.invitationCode.trim();
  if (code === '') {
    s.invitationProgram = '';
    s.invitationCase = '';
    return [];
  }
  const result = await apiRequest<unknown>('POST', '/v1/invitations/verify', { lang, body: { code } });
  if (result.kind === 'not-found' || result.kind === 'invalid')
    return [{ path: 'invitationCode', message: t.errors.invitationUnknown }];
  if (result.kind === 'too-many')
    return [{ path: 'invitationCode', message: phoneText(t.errors.tooManyTries) }];
  if (result.kind !== 'ok') return [];
  const o = (result.data ?? {}) as Record<string, unknown>;
  if (o['genuine'] !== true) return [{ path: 'invitationCode', message: t.errors.invitationUnknown }];
  s.invitationProgram = str(o['poolName']);
  s.invitationCase = str(o['caseNumber']);
  if (str(o['poolId'])) s.poolId = str(o['poolId']);
  const prefill = (o['prefill'] ?? {}) as { payments?: unknown };
  const blank = s.payments.every((p) => p.amount.trim() === '' && p.method === '');
  if (blank && Array.isArray(prefill.payments) && prefill.payments.length > 0) {
    s.payments = prefill.payments.slice(0, 50).map((raw: unknown) => {
      const p = (raw ?? {}) as Record<string, unknown>;
      const cents = typeof p['amountCents'] === 'number' ? p['amountCents'] : 0;
      const [year = '', month = '', day = ''] = str(p['date']).split('-');
      return restorePayment({
        amount: cents > 0 ? (cents / 100).toFixed(2) : '',
        method: p['method'],
        date: year ? { month: two(month), day: two(day), year } : undefined,
      });
    });
    s.invitationPrefilled = true;
  }
  return [];
}

/** The open programmes: loading while the first step is already on screen, then loaded or failed. */
interface PoolList {
  state: 'loading' | 'loaded' | 'failed';
  pools: Pool[];
}

/**
 * Fills the programme list in once it arrives, in place: adding options to a select moves
 * nothing on the page, so the first question does not wait for the list (a slow phone).
 */
function fillPoolOptions(list: PoolList): void {
  const select = document.getElementById('pool');
  if (!(select instanceof HTMLSelectElement)) return;
  for (const pool of list.pools) {
    const existing = [...select.options].find((o) => o.value === pool.poolId);
    if (existing) existing.text = pool.name;
    else select.add(new Option(pool.name, pool.poolId));
  }
}

function steps(t: Messages, lang: Lang, list: PoolList): Step<ClaimState>[] {
  const c = t.claim;
  const e = t.errors;
  const start: Step<ClaimState> = {
    title: c.stepStart,
    paths: ['poolId', 'reportIds', 'invitationCode'],
    render: ({ state, scope, save }) => {
      const options: [string, string][] = list.pools.map((p) => [p.poolId, p.name]);
      if (state.poolId && !options.some(([id]) => id === state.poolId))
        options.push([state.poolId, state.invitationProgram || state.poolId]);
      return [
        list.state === 'failed' ? alertBox('info', c.programsUnavailable, { slim: true }) : null,
        selectField(scope, t, {
          id: 'pool',
          path: 'poolId',
          label: c.programLabel,
          hint: c.programHint,
          optional: true,
          value: state.poolId,
          choose: c.programChoose,
          options,
          onChange: (v) => {
            state.poolId = v;
            save();
          },
        }),
        textField(scope, t, {
          id: 'invitation',
          path: 'invitationCode',
          label: c.invitationLabel,
          hint: c.invitationHint,
          optional: true,
          value: state.invitationCode,
          width: 'lg',
          spellcheck: false,
          onInput: (v) => {
            state.invitationCode = v;
            save();
          },
        }),
        textField(scope, t, {
          id: 'report-id',
          path: 'reportIds.0',
          label: c.reportLabel,
          hint: c.reportHint,
          optional: true,
          value: state.reportId,
          width: 'lg',
          spellcheck: false,
          onInput: (v) => {
            state.reportId = v;
            save();
          },
        }),
      ];
    },
    validate: (s) =>
      s.reportId.trim() !== '' && parseReportId(s.reportId) === undefined
        ? [{ path: 'reportIds.0', message: e.reportIdInvalid }]
        : [],
    beforeNext: (s) => checkInvitation(s, t, lang),
  };

  const you: Step<ClaimState> = {
    title: c.stepYou,
    paths: ['claimant'],
    render: ({ state, scope, save }) => {
      const text = (
        key: 'name' | 'email' | 'phone' | 'line1' | 'city' | 'zip',
        path: string,
        label: string,
        extra: {
          optional?: boolean;
          type?: 'email' | 'tel';
          autocomplete?: string;
          width?: 'sm' | 'lg';
        } = {},
      ) =>
        textField(scope, t, {
          id: `claimant-${key}`,
          path,
          label,
          value: state[key],
          ...extra,
          onInput: (v) => {
            state[key] = v;
            save();
          },
        });
      return [
        state.invitationProgram
          ? alertBox(
              'success',
              [
                format(c.invitationGenuine, {
                  program: state.invitationProgram,
                  caseNumber: state.invitationCase,
                }),
                ' ',
                c.free,
              ],
              { slim: true },
            )
          : null,
        text('name', 'claimant.name', c.nameLabel, { autocomplete: 'name' }),
        text('email', 'claimant.email', c.emailLabel, {
          optional: true,
          type: 'email',
          autocomplete: 'email',
        }),
        text('phone', 'claimant.phone', c.phoneLabel, { optional: true, type: 'tel', autocomplete: 'tel' }),
        h(
          'fieldset',
          { class: 'usa-fieldset', 'aria-describedby': 'address-hint' },
          h('legend', { class: 'usa-legend' }, c.addressLegend),
          h('p', { class: 'usa-hint', id: 'address-hint' }, c.addressHint),
          text('line1', 'claimant.address.line1', c.line1Label, { autocomplete: 'address-line1' }),
          text('city', 'claimant.address.city', c.cityLabel, { autocomplete: 'address-level2' }),
          selectField(scope, t, {
            id: 'claimant-state',
            path: 'claimant.address.state',
            label: c.stateLabel,
            value: state.state,
            choose: t.report.stateChoose,
            autocomplete: 'address-level1',
            options: usStates.map((s) => [s, t.vocab.states[s]] as const),
            onChange: (v) => {
              state.state = v as UsState;
              save();
            },
          }),
          text('zip', 'claimant.address.zip', c.zipLabel, { autocomplete: 'postal-code', width: 'sm' }),
        ),
      ];
    },
    validate: (s) => {
      const problems: FieldProblem[] = [];
      if (s.name.trim() === '') problems.push({ path: 'claimant.name', message: e.nameRequired });
      if (s.email.trim() !== '' && !looksLikeEmail(s.email))
        problems.push({ path: 'claimant.email', message: e.emailInvalid });
      if (s.line1.trim() === '') problems.push({ path: 'claimant.address.line1', message: e.line1Required });
      if (s.city.trim() === '') problems.push({ path: 'claimant.address.city', message: e.cityRequired });
      if (s.state === '') problems.push({ path: 'claimant.address.state', message: e.stateRequired });
      if (!ZIP.test(s.zip.trim())) problems.push({ path: 'claimant.address.zip', message: e.zipInvalid });
      return problems;
    },
  };

  const losses: Step<ClaimState> = {
    title: c.stepLosses,
    paths: ['payments', 'recoveriesCents'],
    render: ({ state, scope, save, announce }) => [
      h('p', null, c.lossesIntro),
      state.invitationPrefilled ? alertBox('info', c.invitationPrefilled, { slim: true }) : null,
      paymentsEditor({ payments: state.payments, t, scope, save, announce, keepOne: true }),
      textField(scope, t, {
        id: 'recoveries',
        path: 'recoveriesCents',
        label: c.recoveriesLabel,
        hint: c.recoveriesHint,
        optional: true,
        value: state.recoveries,
        inputmode: 'decimal',
        width: 'md',
        prefix: '$',
        onInput: (v) => {
          state.recoveries = v;
          save();
        },
      }),
    ],
    validate: (s) => {
      const problems =
        s.payments.length === 0
          ? [{ path: 'payments', message: e.paymentsRequired }]
          : validatePayments(s.payments, t);
      const recoveries = parseDollars(s.recoveries);
      if (!recoveries.ok && recoveries.error !== 'required' && recoveries.error !== 'zero')
        problems.push({
          path: 'recoveriesCents',
          message: recoveries.error === 'tooBig' ? e.amountTooBig : e.amountInvalid,
        });
      return problems;
    },
  };

  const sign: Step<ClaimState> = {
    title: c.stepSign,
    paths: ['attestation'],
    render: ({ state, scope, save }) => [
      h('p', null, c.signIntro),
      checkboxField(scope, {
        id: 'perjury',
        path: 'attestation.underPenaltyOfPerjury',
        label: c.perjury,
        checked: state.perjury,
        onChange: (v) => {
          state.perjury = v;
          save();
        },
      }),
      checkboxField(scope, {
        id: 'not-involved',
        path: 'attestation.notInvolvedInOffense',
        label: c.notInvolved,
        checked: state.notInvolved,
        onChange: (v) => {
          state.notInvolved = v;
          save();
        },
      }),
      textField(scope, t, {
        id: 'signed-name',
        path: 'attestation.signedName',
        label: c.signedNameLabel,
        hint: c.signedNameHint,
        value: state.signedName,
        autocomplete: 'name',
        onInput: (v) => {
          state.signedName = v;
          save();
        },
      }),
    ],
    validate: (s) => [
      ...(s.perjury ? [] : [{ path: 'attestation.underPenaltyOfPerjury', message: e.perjuryRequired }]),
      ...(s.notInvolved
        ? []
        : [{ path: 'attestation.notInvolvedInOffense', message: e.notInvolvedRequired }]),
      ...(s.signedName.trim() === ''
        ? [{ path: 'attestation.signedName', message: e.signedNameRequired }]
        : []),
    ],
  };

  const review: Step<ClaimState> = {
    title: c.stepReview,
    paths: [],
    render: ({ state: s, goTo }): Child => {
      const none = t.common.notAnswered;
      const pool =
        list.pools.find((p) => p.poolId === s.poolId)?.name ?? (s.invitationProgram || s.poolId || none);
      const recoveries = parseDollars(s.recoveries);
      return [
        reviewSection(
          t,
          c.stepStart,
          [
            [c.reviewProgram, pool],
            [c.reviewInvitation, opt(s.invitationCode) ?? none],
            [c.reviewReport, parseReportId(s.reportId) ?? none],
          ],
          () => goTo(0),
        ),
        reviewSection(
          t,
          c.stepYou,
          [
            [c.reviewName, s.name],
            [
              c.reviewContact,
              [s.email, s.phone]
                .map((v) => v.trim())
                .filter(Boolean)
                .join(', ') || none,
            ],
            [
              c.reviewAddress,
              `${s.line1.trim()}, ${s.city.trim()}, ${s.state ? t.vocab.states[s.state] : ''} ${s.zip.trim()}`,
            ],
          ],
          () => goTo(1),
        ),
        reviewSection(
          t,
          c.stepLosses,
          [
            ...s.payments.map(
              (p, i) => [format(c.reviewPayment, { n: i + 1 }), paymentSummary(p, t, lang)] as const,
            ),
            [c.reviewRecoveries, recoveries.ok ? formatCents(recoveries.cents, lang) : formatCents(0, lang)],
          ],
          () => goTo(2),
        ),
        reviewSection(t, c.stepSign, [[c.reviewSigned, s.signedName]], () => goTo(3)),
      ];
    },
  };
  return [start, you, losses, sign, review];
}

export interface CreatedClaim {
  claimId: string;
  accessCode: string;
  /** What was claimed, for the screen and the printout. */
  filedAt: string;
  program: string;
  lossesCents: number;
  recoveriesCents: number;
}

const RECEIPT_KEY = 'restore.claim.receipt';

function readCreated(data: unknown): CreatedClaim | undefined {
  const o = (data ?? {}) as Record<string, unknown>;
  const cents = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0);
  return typeof o['claimId'] === 'string' && typeof o['accessCode'] === 'string'
    ? {
        claimId: o['claimId'],
        accessCode: o['accessCode'],
        filedAt: str(o['filedAt']),
        program: str(o['program']),
        lossesCents: cents(o['lossesCents']),
        recoveriesCents: cents(o['recoveriesCents']),
      }
    : undefined;
}

/**
 * The status page's address with the claim number and access code after `#`: a browser never
 * sends that part to a server (nor in a Referer), so the code stays out of every log.
 */
export function statusLink(
  claimId: string,
  accessCode: string,
  lang: Lang,
  origin = location.origin,
): string {
  const fragment = new URLSearchParams({ claim: claimId, code: accessCode }).toString();
  return `${origin}${pageUrl('status', lang)}#${fragment}`;
}

function done(view: HTMLElement, created: CreatedClaim, t: Messages, lang: Lang): HTMLElement {
  const c = t.claim;
  const heading = h('h2', { class: 'usa-alert__heading', tabindex: -1 }, c.doneHeading);
  const link = statusLink(created.claimId, created.accessCode, lang);
  const money = (cents: number) => formatCents(cents, lang);
  view.replaceChildren(
    h(
      'div',
      { class: 'confirmation' },
      h('div', { class: 'usa-alert usa-alert--success' }, h('div', { class: 'usa-alert__body' }, heading)),
      h(
        'div',
        { class: 'usa-alert usa-alert--warning' },
        h(
          'div',
          { class: 'usa-alert__body' },
          h('p', { class: 'usa-alert__text' }, h('strong', null, c.writeDown)),
        ),
      ),
      h(
        'div',
        { class: 'reference-box' },
        h('p', { class: 'reference-box__label', id: 'claim-id-label' }, c.claimIdLabel),
        h('p', { class: 'reference-box__number' }, codeText(created.claimId, 'claim-id')),
        copyButton(t, created.claimId, c.copyClaimId),
        h('p', { class: 'reference-box__label', id: 'access-code-label' }, c.accessCodeLabel),
        h('p', { class: 'reference-box__number' }, codeText(created.accessCode, 'access-code')),
        copyButton(t, created.accessCode, c.copyAccessCode),
        h(
          'p',
          { class: 'no-print' },
          h('a', { href: link, class: 'bookmark-link', 'aria-describedby': 'bookmark-hint' }, c.bookmarkLink),
        ),
        h('p', { class: 'usa-hint no-print', id: 'bookmark-hint' }, c.bookmarkHint),
      ),
      h('h3', null, c.claimedHeading),
      summaryList([
        ...(created.program ? [[c.claimedProgram, created.program] as Row] : []),
        ...(created.filedAt ? [[c.claimedOn, formatDate(created.filedAt, lang)] as Row] : []),
        [c.claimedLosses, money(created.lossesCents)],
        [c.claimedBack, money(created.recoveriesCents)],
      ]),
      h('h3', null, c.doneNextHeading),
      h(
        'ul',
        { class: 'usa-list' },
        [c.doneNext1, c.doneNext2, c.doneNext3, c.doneNext4].map((x) => h('li', null, x)),
      ),
      h(
        'div',
        { class: 'button-row no-print' },
        on(h('button', { type: 'button', class: 'usa-button usa-button--big' }, t.common.print), {
          click: () => window.print(),
        }),
        h('a', { class: 'usa-button usa-button--outline usa-button--big', href: link }, c.checkStatus),
      ),
      savedControl(t, c.savedQuestion, c.savedButton, () => {
        forget(RECEIPT_KEY);
        location.assign(pageUrl('claim', lang));
      }),
    ),
  );
  return heading;
}

export interface ClaimWizardOptions {
  readonly root: HTMLElement;
  readonly t: Messages;
  readonly lang: Lang;
  /** Where the draft is kept; absent (the console's helpline): in memory only. */
  readonly storageKey?: string;
  /** Answers to start from (a link's programme, report or invitation code). */
  readonly initial?: Partial<Pick<ClaimState, 'poolId' | 'reportId' | 'invitationCode'>>;
  /** Sends the claim: to /v1/claims, or the helpline's assisted route with the staff token. */
  post(body: Record<string, unknown>, key: IdempotencyKey): Promise<ApiResult<unknown>>;
  /** What the API's 201 becomes on screen; undefined if the answer cannot be read. */
  filed(created: CreatedClaim): SubmitOutcome | undefined;
  readonly intro?: Child;
  readonly signal?: AbortSignal;
}

/**
 * The claim's questions, checks and messages as a wizard in `root`: the public page's, and the
 * same one inside the console's helpline, where staff step a caller through it.
 */
export function claimWizard(o: ClaimWizardOptions): void {
  const { t, lang } = o;
  const list: PoolList = { state: 'loading', pools: [] };
  void loadPools(lang).then((result) => {
    list.state = result.ok ? 'loaded' : 'failed';
    list.pools = result.ok ? result.pools : [];
    fillPoolOptions(list);
  });
  startWizard<ClaimState>({
    root: o.root,
    t,
    lang,
    ...(o.storageKey !== undefined ? { storageKey: o.storageKey } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    submitLabel: t.claim.submit,
    steps: steps(t, lang, list),
    initial: () => ({ ...emptyClaim(), ...o.initial }),
    restore: (raw) => {
      const restored = restoreClaim(raw);
      // A link to a given programme wins over an older draft's choice.
      if (restored && o.initial?.poolId) restored.poolId = o.initial.poolId;
      return restored;
    },
    hasContent,
    intro: o.intro ?? alertBox('info', t.wizard.requiredNote, { slim: true }),
    submit: async (state, key): Promise<SubmitOutcome> => {
      const result = await o.post(claimBody(state, new Date(), lang), key);
      if (result.kind === 'ok') {
        const recoveries = parseDollars(state.recoveries);
        const created = readCreated({
          ...(result.data as object),
          filedAt: new Date().toISOString(),
          program: list.pools.find((p) => p.poolId === state.poolId)?.name ?? (state.invitationProgram || ''),
          lossesCents: state.payments
            .map(paymentBody)
            .reduce((sum, p) => sum + Number(p['amountCents'] ?? 0), 0),
          recoveriesCents: recoveries.ok ? recoveries.cents : 0,
        });
        return (created && o.filed(created)) ?? { kind: 'error', message: t.common.serverError };
      }
      if (result.kind === 'invalid' && result.fields.length > 0)
        return { kind: 'invalid', problems: localiseProblems(result.fields, t, lang) };
      return { kind: 'error', message: await failureMessage(result, t, lang, t.claim.notOpen) };
    },
  });
}

export async function startClaim(t: Messages, lang: Lang): Promise<void> {
  void startChrome(t, lang);
  const root = document.getElementById('app');
  if (!root) return;
  // A claim just filed stays on screen until the person says they saved its numbers.
  const saved = kept(RECEIPT_KEY, readCreated);
  if (saved) {
    done(root, saved, t, lang);
    document.title = `${t.claim.doneTitle} - ${document.title}`;
    return;
  }
  const query = new URLSearchParams(location.search);
  // An e-mailed invitation carries its code after `#` (never sent to a server); a letter's link may use ?invite=.
  const fromLink = new URLSearchParams(location.hash.slice(1));
  claimWizard({
    root,
    t,
    lang,
    storageKey: DRAFT_KEY,
    initial: {
      poolId: query.get('pool') ?? '',
      reportId: query.get('report') ?? '',
      invitationCode: fromLink.get('invite') ?? query.get('invite') ?? '',
    },
    post: (body, key) => postOnce<unknown>('/v1/claims', body, key, lang),
    filed: (created) => {
      keep(RECEIPT_KEY, created);
      return { kind: 'done', title: t.claim.doneTitle, show: (view) => done(view, created, t, lang) };
    },
  });
}
