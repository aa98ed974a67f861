/** The public pages and their addresses in each language (`/report/`, `/es/report/`). */
import type { Lang } from '../i18n/types.ts';

export const pageIds = ['home', 'report', 'claim', 'status', 'programs', 'not-found'] as const;
export type PageId = (typeof pageIds)[number];

const paths: Readonly<Record<PageId, string>> = {
  home: '',
  report: 'report/',
  claim: 'claim/',
  status: 'status/',
  programs: 'programs/',
  // Served with status 404 for any unknown address (local/server.ts, CloudFront's error response).
  'not-found': '404.html',
};

/** Site-relative address of a page, e.g. `pageUrl('report', 'es')` is `/es/report/`. */
export function pageUrl(page: PageId, lang: Lang): string {
  return `${lang === 'en' ? '/' : `/${lang}/`}${paths[page]}`;
}

/** The built file for a page, relative to the site root: `es/report/index.html`. */
export function pageFile(page: PageId, lang: Lang): string {
  const url = pageUrl(page, lang).slice(1);
  return url.endsWith('.html') ? url : `${url}index.html`;
}
