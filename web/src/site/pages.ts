/**
 * The pages as HTML, rendered at build time from the catalogues (one file per page and language).
 * What can be known before the page loads is here, so it shows at once and without JavaScript;
 * forms and live data are drawn by the page's script into `#app`.
 */

import { type SiteConfig, telHref } from '../app/config.ts';
import { en } from '../i18n/en.ts';
import { es } from '../i18n/es.ts';
import type { Lang, Messages } from '../i18n/types.ts';
import { format } from '../i18n/types.ts';
import { contentSecurityPolicy } from './csp.ts';
import { html, type SafeHtml } from './html.ts';
import { type PageId, pageUrl } from './routes.ts';

export const catalogues: Readonly<Record<Lang, Messages>> = { en, es };

export interface RenderOptions {
  /** Module script for the page (a path the bundler resolves). */
  readonly entry: string;
  readonly connectOrigins?: readonly string[];
  /**
   * The agency's name, phone and hours (config.json's settings for this language), written into
   * the page at build time so nothing moves when the page loads and the "call us" lines work
   * without JavaScript.
   */
  readonly settings?: SiteConfig;
}

type Settings = SiteConfig | undefined;

const otherLang = (lang: Lang): Lang => (lang === 'en' ? 'es' : 'en');

function titleOf(page: PageId, t: Messages): string {
  const titles: Record<PageId, string> = {
    home: t.home.title,
    report: t.report.title,
    claim: t.claim.title,
    status: t.status.title,
    programs: t.programs.title,
    'not-found': t.notFound.title,
  };
  return `${titles[page]} | ${t.common.titleSuffix}`;
}

function banner(t: Messages, settings: Settings): SafeHtml {
  return html`<section class="usa-banner" aria-label="${t.common.bannerLabel}">
  <details class="usa-banner__details">
    <summary class="usa-banner__header">
      <span class="usa-banner__flag" aria-hidden="true"></span>
      <span class="usa-banner__header-text" data-agency-banner>${format(t.common.bannerOfficial, { agency: settings?.agencyName ?? t.common.bannerDefaultAgency })}</span>
      <span class="usa-banner__button">${t.common.bannerHow}</span>
    </summary>
    <div class="usa-banner__content">
      <div class="usa-banner__guidance">
        <span class="usa-banner__icon usa-banner__icon--gov" aria-hidden="true"></span>
        <p><strong>${t.common.bannerGovTitle}</strong><br>${t.common.bannerGovBody}</p>
      </div>
      <div class="usa-banner__guidance">
        <span class="usa-banner__icon usa-banner__icon--https" aria-hidden="true"></span>
        <p><strong>${t.common.bannerHttpsTitle}</strong><br>${t.common.bannerHttpsBody}</p>
      </div>
    </div>
  </details>
</section>`;
}

function header(page: PageId, lang: Lang, t: Messages): SafeHtml {
  const other = otherLang(lang);
  const nav: [PageId, string][] = [
    ['report', t.common.navReport],
    ['claim', t.common.navClaim],
    ['status', t.common.navStatus],
    ['programs', t.common.navPrograms],
  ];
  return html`<header class="site-header">
  <div class="grid-container site-header__inner">
    <a class="site-title" href="${pageUrl('home', lang)}"${page === 'home' ? html` aria-current="page"` : ''}>
      <span class="site-title__name">${t.common.siteName}</span>
      <span class="site-title__tagline">${t.common.siteTagline}</span>
    </a>
    <a class="lang-switch" href="${pageUrl(page, other)}" lang="${other}" hreflang="${other}">${t.common.otherLanguage}<span class="usa-sr-only">: ${t.common.otherLanguageLabel}</span></a>
  </div>
  <nav class="site-nav" aria-label="${t.common.navLabel}">
    <ul class="grid-container site-nav__list">
      ${nav.map(
        ([id, label]) =>
          html`<li><a class="site-nav__link" href="${pageUrl(id, lang)}"${id === page ? html` aria-current="page"` : ''}>${label}</a></li>`,
      )}
    </ul>
  </nav>
</header>`;
}

/** "Call us at 1-800-…. Monday to Friday…", the number a link; nothing without a phone. */
function phoneLine(template: string, settings: Settings): SafeHtml | '' {
  if (!settings?.phone) return '';
  const [before = '', after = ''] = template.split('{phone}');
  return html`${before}<a class="phone-link" href="${telHref(settings.phone)}">${settings.phone}</a>${after}${settings.phoneHours ? ` ${settings.phoneHours}` : ''}`;
}

function footer(page: PageId, lang: Lang, t: Messages, settings: Settings): SafeHtml {
  const other = otherLang(lang);
  return html`<footer class="site-footer">
  <div class="grid-container">
    ${
      settings?.phone
        ? html`<section class="site-footer__phone" aria-labelledby="footer-phone-heading">
      <h2 id="footer-phone-heading">${t.common.footerPhoneHeading}</h2>
      <p data-phone-text="footerPhone">${phoneLine(t.common.footerPhone, settings)}</p>
    </section>`
        : ''
    }
    <p class="site-footer__fee"><strong>${t.common.footerNoFee}</strong></p>
    ${settings?.agencyName ? html`<p data-agency-footer>${format(t.common.footerRunBy, { agency: settings.agencyName })}</p>` : ''}
    <p>${t.common.footerPrivacy}</p>
    <p><a class="footer-link" href="${pageUrl(page, other)}" lang="${other}" hreflang="${other}">${t.common.otherLanguage}<span class="usa-sr-only">: ${t.common.otherLanguageLabel}</span></a></p>
  </div>
</footer>`;
}

/**
 * What a printed page starts with (hidden on screen): who runs the site and how to reach them,
 * so a printout kept in a drawer still says whom to call. The web address is the page's own,
 * filled in by the script (the build does not know the deployment's host name).
 */
function printHeader(t: Messages, settings: Settings): SafeHtml {
  return html`<div class="print-only print-header">
  <p class="print-header__agency"><strong>${settings?.agencyName ?? t.common.siteName}</strong></p>
  ${settings?.phone ? html`<p>${phoneLine(t.common.printPhone, settings)}</p>` : ''}
  <p>${t.common.printWebsite} <span data-site-address></span></p>
</div>`;
}

function needsScript(t: Messages, settings: Settings): SafeHtml {
  return html`<noscript><div class="usa-alert usa-alert--warning"><div class="usa-alert__body"><p class="usa-alert__text">${t.common.needsScript} ${settings?.phone ? phoneLine(t.common.callInstead, settings) : t.common.needsScriptNoPhone}</p></div></div></noscript>`;
}

function homeBody(lang: Lang, t: Messages, settings: Settings): SafeHtml {
  const h = t.home;
  const actions: [PageId, string, string][] = [
    ['report', h.reportTitle, h.reportBody],
    ['claim', h.claimTitle, h.claimBody],
    ['status', h.statusTitle, h.statusBody],
  ];
  return html`<section class="hero">
  <div class="grid-container">
    <h1>${h.heading}</h1>
    <p class="lead">${h.intro}</p>
    <p>${h.notAlone}</p>
  </div>
</section>
<div class="grid-container">
  <section class="section" aria-labelledby="actions-heading">
    <h2 id="actions-heading">${h.actionsHeading}</h2>
    <ul class="action-list">
      ${actions.map(
        ([id, title, body]) =>
          html`<li><a class="action-card" href="${pageUrl(id, lang)}"><span class="action-card__title">${title}</span><span class="action-card__body">${body}</span></a></li>`,
      )}
    </ul>
    <p class="helping"><strong>${h.helpingTitle}</strong> ${h.helpingBody}</p>
    ${settings?.phone ? html`<p class="phone-callout"><strong>${t.common.footerPhoneHeading}</strong> <span data-phone-text>${phoneLine(t.common.footerPhone, settings)}</span></p>` : ''}
  </section>
  <section class="usa-alert usa-alert--warning section" aria-labelledby="recovery-heading">
    <div class="usa-alert__body">
      <h2 class="usa-alert__heading" id="recovery-heading">${h.recoveryHeading}</h2>
      <p>${h.recoveryIntro}</p>
      <ul class="usa-list">
        <li>${h.recovery1}</li>
        <li>${h.recovery2}</li>
        <li>${h.recovery3}</li>
        <li>${h.recovery4}</li>
      </ul>
      <p><strong>${h.recoveryEnd}</strong></p>
    </div>
  </section>
  <section class="section" aria-labelledby="programs-heading">
    <h2 id="programs-heading">${h.programsHeading}</h2>
    <div id="programs-list" data-limit="3"><p>${t.common.loading}</p></div>
    <p><a href="${pageUrl('programs', lang)}">${h.programsAll}</a></p>
  </section>
</div>`;
}

function appBody(heading: string, intro: readonly string[], t: Messages, settings: Settings): SafeHtml {
  return html`<div class="grid-container">
  <h1>${heading}</h1>
  ${intro.map((p) => html`<p class="lead intro">${p}</p>`)}
  ${needsScript(t, settings)}
  <div id="app" class="app-slot"></div>
</div>`;
}

function programsBody(t: Messages, settings: Settings): SafeHtml {
  return html`<div class="grid-container">
  <h1>${t.programs.heading}</h1>
  <p class="lead">${t.programs.intro}</p>
  <p><strong>${t.programs.free}</strong></p>
  ${needsScript(t, settings)}
  <div id="programs-list" class="app-slot"><p>${t.common.loading}</p></div>
</div>`;
}

function notFoundBody(lang: Lang, t: Messages, settings: Settings): SafeHtml {
  const other = otherLang(lang);
  const o = catalogues[other];
  const part = (l: Lang, m: Messages) => html`<div lang="${l}">
    <h${l === lang ? '1' : '2'}>${m.notFound.heading}</h${l === lang ? '1' : '2'}>
    <p class="lead">${m.notFound.body}</p>
    <ul class="usa-list">
      <li><a href="${pageUrl('home', l)}">${m.notFound.home}</a></li>
      <li><a href="${pageUrl('report', l)}">${m.common.navReport}</a></li>
      <li><a href="${pageUrl('status', l)}">${m.common.navStatus}</a></li>
    </ul>
    ${settings?.phone ? html`<p>${phoneLine(m.common.callInstead, settings)}</p>` : ''}
  </div>`;
  // Someone who followed a broken link may read either language: both are on the page.
  return html`<div class="grid-container not-found">
  ${part(lang, t)}
  ${part(other, o)}
</div>`;
}

function body(page: PageId, lang: Lang, t: Messages, settings: Settings): SafeHtml {
  switch (page) {
    case 'home':
      return homeBody(lang, t, settings);
    case 'report':
      return appBody(t.report.heading, [t.report.intro], t, settings);
    case 'claim':
      return appBody(t.claim.heading, [t.claim.intro, t.claim.free], t, settings);
    case 'status':
      return appBody(t.status.heading, [t.status.intro], t, settings);
    case 'programs':
      return programsBody(t, settings);
    case 'not-found':
      return notFoundBody(lang, t, settings);
  }
}

export function renderPage(page: PageId, lang: Lang, options: RenderOptions): string {
  const t = catalogues[lang];
  const settings = options.settings;
  const csp = contentSecurityPolicy({ connectOrigins: options.connectOrigins });
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="same-origin">
<title>${titleOf(page, t)}</title>
<meta name="description" content="${t.common.siteTagline}">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<script type="module" src="${options.entry}"></script>
</head>
<body data-page="${page}"${settings?.phone ? html` data-phone="${settings.phone}"` : ''}${settings?.phoneHours ? html` data-phone-hours="${settings.phoneHours}"` : ''}>
<a class="usa-skipnav" href="#main-content">${t.common.skipLink}</a>
${banner(t, settings)}
${header(page, lang, t)}
<main id="main-content" tabindex="-1">
${printHeader(t, settings)}
${body(page, lang, t, settings)}
</main>
${footer(page, lang, t, settings)}
</body>
</html>
`.value;
}
