/**
 * Builds the public site into web/dist: one HTML file per page and language (rendered from the
 * message catalogues by src/site/pages.ts), each with its own small script; shared code and the
 * stylesheet are split into common files.
 *
 * RESTORE_API_ORIGIN (optional) adds the API's origin to the Content-Security-Policy when
 * config.json will point the site at an API on another host.
 *
 * RESTORE_SITE_CONFIG (optional, default web/public/config.json) is the deployment's config.json:
 * its agency name, phone number and hours are written into every page, so they show at once
 * (nothing moves when the page loads) and without JavaScript. `npm run deploy` builds with the
 * deployment's own values (see docs/deploy.md); the edge stack warns when they differ.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { parseConfig } from './src/app/config.ts';
import { languages } from './src/i18n/types.ts';
import { renderPage } from './src/site/pages.ts';
import { pageFile, pageIds } from './src/site/routes.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const connectOrigins = (process.env['RESTORE_API_ORIGIN'] ?? '').split(/[\s,]+/).filter(Boolean);

const settingsFile = process.env['RESTORE_SITE_CONFIG'] || resolve(root, 'public', 'config.json');
const rawSettings: unknown = JSON.parse(readFileSync(settingsFile, 'utf8'));

const pages = languages.flatMap((lang) =>
  pageIds.map((page) => ({
    page,
    lang,
    file: pageFile(page, lang),
    id: resolve(root, pageFile(page, lang)),
  })),
);

/** The pages exist only in memory: Vite asks for each HTML file and gets it rendered. */
function restorePages(): Plugin {
  return {
    name: 'restore-pages',
    enforce: 'pre',
    resolveId(id) {
      const page = pages.find((p) => p.id === id || p.file === id || `/${p.file}` === id);
      return page ? page.id : null;
    },
    load(id) {
      const page = pages.find((p) => p.id === id);
      if (!page) return null;
      return renderPage(page.page, page.lang, {
        entry: `/src/entries/${page.page}.${page.lang}.ts`,
        connectOrigins,
        settings: parseConfig(rawSettings, page.lang),
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
      input: Object.fromEntries(
        pages.map((p) => [p.file.replace(/\/?index\.html$/, '').replace(/\.html$/, '') || 'index', p.id]),
      ),
    },
  },
});
