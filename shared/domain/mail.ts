/**
 * E-mail to claimants and reporters (docs/email.md): which claim changes are mailed, the id that
 * makes each mail happen once, and the words, in English and Spanish, as a subject, a text part
 * and an HTML part.
 *
 * Privacy: a subject line is shown on lock screens and in notification previews, so it carries no
 * victim data at all (no name, amount, claim number or programme); the same fixed subject for
 * everyone of a kind. Bodies say only what the status page says, and point to it: a victim's
 * mailbox may be read by someone else (scammers sometimes hold it), so amounts stay on the page.
 * Every value put into HTML is escaped.
 */
import type { ClaimStatus } from './claim-schema.ts';
import type { PortalLanguage } from './enums.ts';
import { sha256Hex } from './hashes.ts';

/** Claim statuses that are mailed to the claimant when a claim moves into them. */
export const mailedStatuses = [
  'NEEDS_INFO',
  'APPROVED',
  'DENIED',
  'PAYMENT_SCHEDULED',
  'PAID',
  'PAYMENT_RETURNED',
] as const satisfies readonly ClaimStatus[];
export type MailedStatus = (typeof mailedStatuses)[number];

export const isMailedStatus = (s: ClaimStatus | undefined): s is MailedStatus =>
  s !== undefined && (mailedStatuses as readonly string[]).includes(s);

export type MailKind = 'CLAIM_RECEIVED' | MailedStatus | 'INVITATION';

/**
 * One mail the system has promised to send. Recorded before the change it announces is written
 * (the outbox), so the change can never happen without it; the mailer checks the change really
 * happened before sending (`at` and `version` name it).
 */
export type MailIntent =
  | {
      kind: 'CLAIM_RECEIVED';
      mailId: string;
      claimId: string;
      /** Shown once on screen and once here; never stored: only the queue message carries it. */
      accessCode: string;
      recordedAt: string;
    }
  | {
      kind: MailedStatus;
      mailId: string;
      claimId: string;
      /** The claim's version once the change is written, and the change's timeline time. */
      version: number;
      at: string;
      recordedAt: string;
    }
  | { kind: 'INVITATION'; mailId: string; poolId: string; reportId: string; recordedAt: string };

/**
 * Deterministic ids: the same change always gives the same id, so a repeated intent (a retried
 * request, a redelivered job step) collapses onto one mail.
 */
export const mailIds = {
  claimReceived: (claimId: string) => `${claimId}.received`,
  /** A claim reaches each version once (writes are conditional on the version before). */
  claimChange: (claimId: string, version: number) => `${claimId}.v${version}`,
  invitation: (poolId: string, reportId: string) => `${poolId}.${reportId}.invite`,
};

/**
 * A mail id as an opaque name (the ledger key, the Message-ID, the SES tag that comes back on the
 * mail's events): stable for the same mail, and naming no claim.
 */
export const mailToken = (mailId: string): string => sha256Hex(mailId).slice(0, 32);

/** The SES message tag carrying a mail's token, so SES's events name the mail they are about. */
export const MAIL_TAG = 'restore-mail';

const SITE_PATHS: Readonly<Record<PortalLanguage, { status: string; claim: string }>> = {
  en: { status: '/status/', claim: '/claim/' },
  es: { status: '/es/status/', claim: '/es/claim/' },
};

/**
 * The status page's address. The claim number and access code go after `#`: browsers never send
 * that part to a server, nor in a Referer, so the code stays out of every log (the page reads it
 * from there, web/src/app/status.ts).
 */
export function statusLink(
  baseUrl: string,
  lang: PortalLanguage,
  claimId: string,
  accessCode?: string,
): string {
  const fragment = new URLSearchParams({ claim: claimId, ...(accessCode ? { code: accessCode } : {}) });
  return `${trimBase(baseUrl)}${SITE_PATHS[lang].status}#${fragment.toString()}`;
}

/** The claim form with an invitation code, also after `#` (web/src/app/claim.ts reads it there). */
export function invitationLink(baseUrl: string, lang: PortalLanguage, code: string): string {
  return `${trimBase(baseUrl)}${SITE_PATHS[lang].claim}#${new URLSearchParams({ invite: code }).toString()}`;
}

const trimBase = (base: string) => base.replace(/\/+$/, '');

/** HTML text and attribute escaping (the five characters that can change HTML's meaning). */
export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/** What a template needs; the mailer fills it from the claim or invitation it has just read. */
export interface MailValues {
  /** The site, e.g. https://reports.example.gov. */
  baseUrl: string;
  agencyName: string;
  claimId?: string;
  accessCode?: string;
  /** Invitations: the programme's name and the code to type on the claim form. */
  poolName?: string;
  invitationCode?: string;
  claimDeadline?: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/**
 * One kind of mail in one language: words only. Every mail has the same shape: a heading, what
 * happened, a link (to the claim's status page, or the claim form for an invitation), then notes.
 */
interface Words {
  subject: string;
  heading: string;
  before: (v: MailValues) => string[];
  link: string;
  after?: readonly string[];
}

const EN: Readonly<Record<MailKind, Words>> = {
  CLAIM_RECEIVED: {
    subject: 'We got your claim',
    heading: 'We got your claim',
    before: (v) => [
      `Your claim number is ${v.claimId}. Keep this e-mail: the link below opens your claim with your access code already filled in.`,
    ],
    link: 'Check your claim',
    after: ['Your claim is in line to be reviewed. You do not need to do anything now.'],
  },
  NEEDS_INFO: {
    subject: 'We need more information about your claim',
    heading: 'We need more information',
    before: (v) => [
      `We have a question about claim ${v.claimId}. Open your claim to read it and send us your answer.`,
    ],
    link: 'Read our question',
    after: ['You will need your claim number and access code.'],
  },
  APPROVED: {
    subject: 'There is a decision on your claim',
    heading: 'Your claim was approved',
    before: (v) => [
      `We accepted claim ${v.claimId}. When all claims are reviewed, we work out how much each person gets.`,
    ],
    link: 'See your claim',
  },
  DENIED: {
    subject: 'There is a decision on your claim',
    heading: 'Your claim was not approved',
    before: (v) => [
      `We could not approve claim ${v.claimId}. Open your claim to read why. If you think we made a mistake, you can ask us to look again there.`,
    ],
    link: 'See your claim',
  },
  PAYMENT_SCHEDULED: {
    subject: 'News about your payment',
    heading: 'Your payment is on the way',
    before: (v) => [
      `A payment for claim ${v.claimId} has been approved and will be sent soon. Cash or deposit it quickly: checks stop working after a while.`,
    ],
    link: 'See your payment',
  },
  PAID: {
    subject: 'News about your payment',
    heading: 'You have been paid',
    before: (v) => [
      `We sent the payment for claim ${v.claimId}. If you did not get it, tell us from your claim's page.`,
    ],
    link: 'See your payment',
  },
  PAYMENT_RETURNED: {
    subject: 'News about your payment',
    heading: 'Your payment came back to us',
    before: (v) => [
      `We could not deliver the payment for claim ${v.claimId}. Give us your new address on your claim's page and we will send it again.`,
    ],
    link: 'Give your new address',
  },
  INVITATION: {
    subject: 'You may be able to get money back',
    heading: 'You may be able to get money back',
    before: (v) => [
      `You told us about a scam and agreed that we could contact you. Money was seized in a case that may include yours: "${v.poolName}". You can ask for a share by ${v.claimDeadline}.`,
      `Your invitation code is ${v.invitationCode}. Type it on our site to check that this message is genuine and to fill in your claim.`,
    ],
    link: 'Start your claim',
    after: [
      'Filing a claim is free. We will never ask you for a fee, gift cards, cryptocurrency or your bank password. Anyone who does is a scammer.',
    ],
  },
};

const ES: Readonly<Record<MailKind, Words>> = {
  CLAIM_RECEIVED: {
    subject: 'Recibimos su reclamo',
    heading: 'Recibimos su reclamo',
    before: (v) => [
      `Su número de reclamo es ${v.claimId}. Guarde este correo: el enlace de abajo abre su reclamo con su código de acceso ya escrito.`,
    ],
    link: 'Ver su reclamo',
    after: ['Su reclamo está en espera de revisión. No tiene que hacer nada por ahora.'],
  },
  NEEDS_INFO: {
    subject: 'Necesitamos más información sobre su reclamo',
    heading: 'Necesitamos más información',
    before: (v) => [
      `Tenemos una pregunta sobre el reclamo ${v.claimId}. Abra su reclamo para leerla y envíenos su respuesta.`,
    ],
    link: 'Leer nuestra pregunta',
    after: ['Necesitará su número de reclamo y su código de acceso.'],
  },
  APPROVED: {
    subject: 'Hay una decisión sobre su reclamo',
    heading: 'Su reclamo fue aprobado',
    before: (v) => [
      `Aceptamos el reclamo ${v.claimId}. Cuando se revisen todos los reclamos, calcularemos cuánto recibe cada persona.`,
    ],
    link: 'Ver su reclamo',
  },
  DENIED: {
    subject: 'Hay una decisión sobre su reclamo',
    heading: 'Su reclamo no fue aprobado',
    before: (v) => [
      `No pudimos aprobar el reclamo ${v.claimId}. Abra su reclamo para leer por qué. Si cree que nos equivocamos, allí puede pedirnos que lo revisemos otra vez.`,
    ],
    link: 'Ver su reclamo',
  },
  PAYMENT_SCHEDULED: {
    subject: 'Noticias sobre su pago',
    heading: 'Su pago está en camino',
    before: (v) => [
      `Se aprobó un pago para el reclamo ${v.claimId} y se enviará pronto. Cobre o deposite el cheque rápido: los cheques dejan de valer después de un tiempo.`,
    ],
    link: 'Ver su pago',
  },
  PAID: {
    subject: 'Noticias sobre su pago',
    heading: 'Ya se le pagó',
    before: (v) => [
      `Enviamos el pago del reclamo ${v.claimId}. Si no lo recibió, díganos desde la página de su reclamo.`,
    ],
    link: 'Ver su pago',
  },
  PAYMENT_RETURNED: {
    subject: 'Noticias sobre su pago',
    heading: 'Su pago nos fue devuelto',
    before: (v) => [
      `No pudimos entregarle el pago del reclamo ${v.claimId}. Denos su nueva dirección en la página de su reclamo y se lo enviaremos otra vez.`,
    ],
    link: 'Dar su nueva dirección',
  },
  INVITATION: {
    subject: 'Es posible que pueda recuperar dinero',
    heading: 'Es posible que pueda recuperar dinero',
    before: (v) => [
      `Usted nos informó sobre una estafa y aceptó que lo contactáramos. Se incautó dinero en un caso que puede incluir el suyo: "${v.poolName}". Puede pedir una parte hasta el ${v.claimDeadline}.`,
      `Su código de invitación es ${v.invitationCode}. Escríbalo en nuestro sitio para comprobar que este mensaje es auténtico y para llenar su reclamo.`,
    ],
    link: 'Empezar su reclamo',
    after: [
      'Presentar un reclamo es gratis. Nunca le pediremos un pago, tarjetas de regalo, criptomonedas ni la contraseña de su banco. Quien lo haga es un estafador.',
    ],
  },
};

const FOOTER: Readonly<Record<PortalLanguage, (agency: string) => string>> = {
  en: (agency) =>
    `This message was sent by ${agency}. Please do not reply to it: nobody reads replies. Never share your access code with anyone.`,
  es: (agency) =>
    `Este mensaje lo envió ${agency}. No lo responda: nadie lee las respuestas. Nunca comparta su código de acceso con nadie.`,
};

/** The subject of a kind of mail, fixed for everyone (it carries no victim data). */
export function mailSubject(kind: MailKind, lang: PortalLanguage): string {
  return (lang === 'es' ? ES : EN)[kind].subject;
}

/** Subject, text and HTML parts of one mail. Pure: the same values always give the same mail. */
export function renderMail(kind: MailKind, lang: PortalLanguage, values: MailValues): RenderedMail {
  const words = (lang === 'es' ? ES : EN)[kind];
  const before = words.before(values);
  const after = words.after ?? [];
  const href =
    kind === 'INVITATION'
      ? invitationLink(values.baseUrl, lang, values.invitationCode ?? '')
      : statusLink(values.baseUrl, lang, values.claimId ?? '', values.accessCode);
  const footer = FOOTER[lang](values.agencyName);
  const text = [
    words.heading,
    '',
    ...[...before, `${words.link}: ${href}`, ...after].flatMap((p) => [p, '']),
    '--',
    footer,
    '',
  ].join('\n');
  const paragraph = (p: string) => `<p>${escapeHtml(p)}</p>`;
  const html = [
    '<!doctype html>',
    `<html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(words.subject)}</title></head>`,
    '<body style="font-family: Arial, sans-serif; font-size: 17px; line-height: 1.5; color: #1b1b1b; max-width: 40em">',
    `<h1 style="font-size: 24px">${escapeHtml(words.heading)}</h1>`,
    ...before.map(paragraph),
    `<p><a href="${escapeHtml(href)}" style="color: #005ea2">${escapeHtml(words.link)}</a><br><span style="font-size: 14px">${escapeHtml(href)}</span></p>`,
    ...after.map(paragraph),
    `<hr><p style="font-size: 14px; color: #454545">${escapeHtml(footer)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
  return { subject: words.subject, text, html };
}
