/**
 * Builds the public site into web/dist: one HTML file per page and language (rendered from the
 * message catalogues by src/site/pages.ts), each with its own small script; shared code and the
 * stylesheet are split into common files.
 *
 * RESTORE_API_ORIGIN (optional) adds the API's origin to the Content-Security-Policy when
 * config.json will point the site at an API on another host. With RESTORE_DEPLOYMENT the policy
 * also lets the status page post documents to S3 in the deployment's region (the local server
 * adds its own S3's origin when it serves the pages).
 *
 * The agency's name, phone number and hours are written into every page, so they show at once
 * (nothing moves when the page loads) and without JavaScript. They come from, in this order:
 * RESTORE_DEPLOYMENT (a deployment named under `restore:deployments` in cdk.json: its agencyName,
 * agencyPhone, agencyPhoneHours), RESTORE_SITE_CONFIG (a file shaped like config.json), or
 * web/public/config.json. The build writes what it used to site-settings.json, and the edge stack
 * warns when a deployment's settings differ from the built pages' (docs/deploy.md).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { parseConfig } from './src/app/config.ts';
import { CONSOLE_FILE, renderConsolePage } from './src/console/page.ts';
import { languages } from './src/i18n/types.ts';
import { uploadOriginPattern } from './src/site/csp.ts';
import { renderPage } from './src/site/pages.ts';
import { pageFile, pageIds } from './src/site/routes.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
function deploymentSettings(): Record<string, unknown> | undefined {
  const deployment = process.env['RESTORE_DEPLOYMENT'];
  if (!deployment) return undefined;
  const cdk = JSON.parse(readFileSync(resolve(root, '..', 'cdk.json'), 'utf8')) as {
    context?: Record<string, Record<string, Record<string, unknown>> | undefined>;
  };
  const d = cdk.context?.['restore:deployments']?.[deployment];
  if (!d) throw new Error(`RESTORE_DEPLOYMENT=${deployment}: no such deployment in cdk.json`);
  return d;
}
const deployment = deploymentSettings();

const connectOrigins = [
  ...(process.env['RESTORE_API_ORIGIN'] ?? '').split(/[\s,]+/).filter(Boolean),
  ...(typeof deployment?.['region'] === 'string' ? [uploadOriginPattern(deployment['region'])] : []),
];

function siteSettings(): unknown {
  if (deployment) {
    const d = deployment;
    return { agencyName: d['agencyName'], phone: d['agencyPhone'], phoneHours: d['agencyPhoneHours'] };
  }
  const file = process.env['RESTORE_SITE_CONFIG'] || resolve(root, 'public', 'config.json');
  return JSON.parse(readFileSync(file, 'utf8'));
}
const rawSettings = siteSettings();

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
    generateBundle() {
      // What the pages say, for the edge stack to compare with the deployment it ships them in.
      const settings = Object.fromEntries(languages.map((lang) => [lang, parseConfig(rawSettings, lang)]));
      this.emitFile({ type: 'asset', fileName: 'site-settings.json', source: JSON.stringify(settings) });
    },
    load(id) {
      if (id === consolePage.id)
        return renderConsolePage({ entry: '/src/entries/console.ts', connectOrigins });
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
      input: {
        ...Object.fromEntries(
          pages.map((p) => [p.file.replace(/\/?index\.html$/, '').replace(/\.html$/, '') || 'index', p.id]),
        ),
        staff: consolePage.id,
      },
    },
  },
});
