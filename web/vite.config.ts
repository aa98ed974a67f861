/**
 * Builds the public site into web/dist: one HTML file per page and language (rendered from the
 * message catalogues by src/site/pages.ts), each with its own small script; shared code and the
 * stylesheet are split into common files.
 *
 * RESTORE_API_ORIGIN (optional) adds the API's origin to the Content-Security-Policy when
 * config.json will point the site at an API on another host.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { CONSOLE_FILE, renderConsolePage } from './src/console/page.ts';
import { languages } from './src/i18n/types.ts';
import { renderPage } from './src/site/pages.ts';
import { pageFile, pageIds } from './src/site/routes.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const connectOrigins = (process.env['RESTORE_API_ORIGIN'] ?? '').split(/[\s,]+/).filter(Boolean);

const pages = languages.flatMap((lang) =>
  pageIds.map((page) => ({
    page,
    lang,
    file: pageFile(page, lang),
    id: resolve(root, pageFile(page, lang)),
  })),
);

/** The agency console: one page of its own, with its own script (public pages never load it). */
const consolePage = { file: CONSOLE_FILE, id: resolve(root, CONSOLE_FILE) };

/** The pages exist only in memory: Vite asks for each HTML file and gets it rendered. */
function restorePages(): Plugin {
  return {
    name: 'restore-pages',
    enforce: 'pre',
    resolveId(id) {
      if (id === consolePage.id || id === consolePage.file || id === `/${consolePage.file}`)
        return consolePage.id;
      const page = pages.find((p) => p.id === id || p.file === id || `/${p.file}` === id);
      return page ? page.id : null;
    },
    load(id) {
      if (id === consolePage.id)
        return renderConsolePage({ entry: '/src/entries/console.ts', connectOrigins });
      const page = pages.find((p) => p.id === id);
      if (!page) return null;
      return renderPage(page.page, page.lang, {
        entry: `/src/entries/${page.page}.${page.lang}.ts`,
        connectOrigins,
      });
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  publicDir: 'public',
  appType: 'mpa',
  plugins: [restorePages()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: {
      input: {
        ...Object.fromEntries(pages.map((p) => [p.file.replace(/\/?index\.html$/, '') || 'index', p.id])),
        staff: consolePage.id,
      },
    },
  },
});
