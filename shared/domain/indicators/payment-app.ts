import { normaliseEmail } from './email.ts';
import { normalisePhone } from './phone.ts';
import { lookupSlug, slugTable } from './slugs.ts';
import { cleanInput, fail, ok } from './text.ts';
import type { NormaliseResult } from './types.ts';

export const paymentServices = [
  'zelle',
  'venmo',
  'cash-app',
  'paypal',
  'apple-cash',
  'google-pay',
  'chime',
  'other',
] as const;
export type PaymentService = (typeof paymentServices)[number];

const SERVICES = slugTable([
  { slug: 'zelle', label: 'Zelle', aliases: ['Zelle Pay'] },
  { slug: 'venmo', label: 'Venmo', aliases: [] },
  { slug: 'cash-app', label: 'Cash App', aliases: ['Square Cash', 'Cash', 'Square', 'Cash.app', 'Cash Me'] },
  { slug: 'paypal', label: 'PayPal', aliases: ['PayPal.me', 'Pay Pal', 'PP'] },
  { slug: 'apple-cash', label: 'Apple Cash', aliases: ['Apple Pay', 'Apple Pay Cash', 'Apple'] },
  { slug: 'google-pay', label: 'Google Pay', aliases: ['GPay', 'G Pay', 'Google Wallet', 'Google'] },
  { slug: 'chime', label: 'Chime', aliases: ['Chime Pay', 'Pay Anyone'] },
  { slug: 'other', label: 'Payment app', aliases: [] },
]);

/** Canonical service slug, one of `paymentServices`; names we do not know become `other`. */
export const paymentService = (service: string | undefined): PaymentService => {
  const { known } = lookupSlug(SERVICES, service, /\s*\bapp\s*$/i);
  return (known?.slug ?? 'other') as PaymentService;
};

/** Services that pay only to an email address or a phone number, never a username. */
const EMAIL_OR_PHONE_ONLY: ReadonlySet<PaymentService> = new Set(['zelle', 'apple-cash']);
/** Services whose usernames are shown with a `$` (Cash App $Cashtag, Chime $ChimeSign) rather than `@`. */
const DOLLAR_TAGS: ReadonlySet<PaymentService> = new Set(['cash-app', 'chime']);

/** Profile links that carry both the service and the handle. */
const LINKS: readonly (readonly [RegExp, PaymentService])[] = [
  [/^(?:https?:\/\/)?(?:www\.)?cash\.(?:app|me)\/\$?([^/?#]+)/i, 'cash-app'],
  [/^(?:https?:\/\/)?(?:www\.|account\.)?venmo\.com\/(?:u\/)?([^/?#]+)/i, 'venmo'],
  [/^(?:https?:\/\/)?(?:www\.)?(?:paypal\.me|paypal\.com\/paypalme)\/([^/?#]+)/i, 'paypal'],
];

const USERNAME = /^[\p{L}\p{N}._-]{1,64}$/u;
const PHONE_LIKE = /^\+?[\d\s\-().]{7,24}$/;

/**
 * A payment-app recipient as `<service>:<handle>`: Cash App `$Cashtag` and Venmo `@user` become the
 * lower-case name without `$`/`@`; e-mail addresses and phone numbers (Zelle, Apple Cash, PayPal…)
 * go through the email and phone normalisers, so `zelle:+12025550143` links with the same phone.
 */
export const normalisePaymentApp = (service: string | undefined, handle: string): NormaliseResult => {
  const text = cleanInput(handle, 256);
  if (text === undefined) return fail('This is too long to be a payment app name, email or phone number.');
  if (text === '') return fail('Enter the name, $Cashtag, email or phone number the money was sent to.');

  let slug = paymentService(service);
  let name = text;
  for (const [pattern, linked] of LINKS) {
    const match = pattern.exec(text);
    if (match?.[1]) {
      slug = linked;
      name = decodeURIComponentSafe(match[1]);
      break;
    }
  }
  if (slug === 'other' && name.startsWith('$')) slug = 'cash-app';
  const label = SERVICES.bySlug.get(slug)?.label ?? 'Payment app';

  const tagged = name.startsWith('$') || name.startsWith('@');
  if (!tagged && name.includes('@')) {
    const email = normaliseEmail(name);
    if (!email.ok) return email;
    return ok('payment-app', `${slug}:${email.indicator.value}`, `${label} ${email.indicator.display}`);
  }
  if (!tagged && PHONE_LIKE.test(name)) {
    const phone = normalisePhone(name);
    if (!phone.ok) return phone;
    return ok('payment-app', `${slug}:${phone.indicator.value}`, `${label} ${phone.indicator.display}`);
  }
  if (EMAIL_OR_PHONE_ONLY.has(slug)) {
    return fail(
      `${label} payments go to an email address or a phone number. Enter the one the money was sent to.`,
    );
  }
  const username = name.replace(/^[$@]/, '').toLowerCase();
  if (!USERNAME.test(username)) {
    return fail(
      'Enter the username without spaces, for example $name or @name, or the email or phone number used.',
    );
  }
  const shown = DOLLAR_TAGS.has(slug) ? `$${username}` : `@${username}`;
  return ok('payment-app', `${slug}:${username}`, `${label} ${shown}`);
};

const decodeURIComponentSafe = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};
