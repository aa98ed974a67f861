/** The public pages and their addresses in each language (`/report/`, `/es/report/`). */
import type { Lang } from '../i18n/types.ts';

export const pageIds = ['home', 'report', 'claim', 'status', 'programs'] as const;
export type PageId = (typeof pageIds)[number];

const paths: Readonly<Record<PageId, string>> = {
  home: '',
  report: 'report/',
  claim: 'claim/',
  status: 'status/',
  programs: 'programs/',
};

/** Site-relative address of a page, e.g. `pageUrl('report', 'es')` is `/es/report/`. */
export function pageUrl(page: PageId, lang: Lang): string {
  return `${lang === 'en' ? '/' : `/${lang}/`}${paths[page]}`;
}

/** The built file for a page, relative to the site root: `es/report/index.html`. */
export function pageFile(page: PageId, lang: Lang): string {
  return `${pageUrl(page, lang).slice(1)}index.html`;
}
