/** What every page does on load: put the agency's name and phone number from config.json in place. */
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

export async function startChrome(t: Messages, lang: Lang): Promise<SiteConfig> {
  const config = await loadConfig(lang);
  const agency = config.agencyName;
  if (agency) {
    for (const el of document.querySelectorAll('[data-agency-banner]'))
      el.textContent = format(t.common.bannerOfficial, { agency });
    for (const el of document.querySelectorAll<HTMLElement>('[data-agency-footer]')) {
      el.textContent = format(t.common.footerRunBy, { agency });
      el.hidden = false;
    }
  }
  if (config.phone) {
    for (const el of document.querySelectorAll<HTMLElement>('[data-phone-text]'))
      el.replaceChildren(fragment(phoneSentence(t.common.footerPhone, config)));
    for (const el of document.querySelectorAll<HTMLElement>('[data-phone-block]')) el.hidden = false;
  }
  return config;
}

export function fragment(children: Child[]): DocumentFragment {
  const out = document.createDocumentFragment();
  append(out, ...children);
  return out;
}
