/** What every page does on load: check the agency's name and phone number against config.json. */
import { format, type Lang, type Messages } from '../i18n/types.ts';
import { loadConfig, type SiteConfig, telHref } from './config.ts';
import { append, type Child, formatNodes, h } from './dom.ts';

export function phoneLink(phone: string): HTMLAnchorElement {
  return h('a', { class: 'phone-link', href: telHref(phone) }, phone);
}

/** "Call us at 1-800-…. Monday to Friday…" with the number as a link, or nothing without a phone. */
export function phoneSentence(template: string, config: SiteConfig): Child[] {
  if (!config.phone) return [];
  return [
    ...formatNodes(template, { phone: phoneLink(config.phone) }),
    config.phoneHours ? ` ${config.phoneHours}` : '',
  ];
}

/**
 * The agency's name and phone are written into the page at build time (src/site/pages.ts), so
 * normally nothing changes here. Only when this deployment's config.json says otherwise (a site
 * built with other settings) is the text corrected, which may move the page once.
 */
export async function startChrome(t: Messages, lang: Lang): Promise<SiteConfig> {
  for (const el of document.querySelectorAll('[data-site-address]')) el.textContent = location.host;
  const config = await loadConfig(lang);
  const agency = config.agencyName;
  if (agency) {
    const banner = format(t.common.bannerOfficial, { agency });
    for (const el of document.querySelectorAll('[data-agency-banner]'))
      if (el.textContent !== banner) el.textContent = banner;
    const runBy = format(t.common.footerRunBy, { agency });
    for (const el of document.querySelectorAll('[data-agency-footer]'))
      if (el.textContent !== runBy) el.textContent = runBy;
  }
  if (config.phone) {
    const line = fragment(phoneSentence(t.common.footerPhone, config));
    for (const el of document.querySelectorAll<HTMLElement>('[data-phone-text]'))
      if (el.textContent !== line.textContent) el.replaceChildren(line.cloneNode(true));
  }
  return config;
}

export function fragment(children: Child[]): DocumentFragment {
  const out = document.createDocumentFragment();
  append(out, ...children);
  return out;
}

/** The agency's phone and hours as written into the page at build time (src/site/pages.ts). */
export function pagePhone(): { phone: string; hours?: string } | undefined {
  const { phone, phoneHours } = document.body.dataset;
  return phone ? { phone, hours: phoneHours || undefined } : undefined;
}

/**
 * A sentence that says "call us at {phone}", with the number as a link and the hours after it.
 * Without a phone number in this deployment, " at {phone}" (" al {phone}") is left out, so the
 * sentence still reads.
 */
export function phoneNodes(template: string): Child[] {
  const known = pagePhone();
  if (!known) return [withoutPhone(template)];
  return formatNodes(template, {
    phone: [phoneLink(known.phone), known.hours ? ` (${known.hours})` : ''],
  });
}

/** The same as plain text, for places that only take text (a field's error message). */
export function phoneText(template: string): string {
  const known = pagePhone();
  return known ? format(template, { phone: known.phone }) : withoutPhone(template);
}

function withoutPhone(template: string): string {
  return template.replace(/ (at|al) \{phone\}/g, '').replace(/\{phone\}/g, '');
}
