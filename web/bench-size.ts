/**
 * What a first visit to each public page downloads, compressed: its module scripts (entry and
 * preloaded chunks) and stylesheets, gzip level 9, measured on a fresh build. The goal is under
 * 200 KB of JS+CSS per page (issue 4). Fonts and the HTML itself are reported apart.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { languages } from './src/i18n/types.ts';
import { pageFile, pageIds, pageUrl } from './src/site/routes.ts';

export interface WebPageSize {
  /** The page's address, e.g. `/es/report/`. */
  page: string;
  jsGzipBytes: number;
  cssGzipBytes: number;
  htmlGzipBytes: number;
  /** Web fonts the stylesheet asks for (already compressed woff2; fetched after first paint). */
  fontBytes: number;
}

const gzipSize = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length;

/** Site-relative URLs of the scripts and stylesheets an HTML page loads before it runs. */
export function assetsOf(html: string): { js: string[]; css: string[] } {
  const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]+)"`).exec(tag)?.[1];
  const tags = html.match(/<(script|link)\b[^>]*>/g) ?? [];
  const js: string[] = [];
  const css: string[] = [];
  for (const tag of tags) {
    if (tag.startsWith('<script') && /type="module"/.test(tag)) {
      const src = attr(tag, 'src');
      if (src) js.push(src);
    } else if (/rel="modulepreload"/.test(tag)) {
      const href = attr(tag, 'href');
      if (href) js.push(href);
    } else if (/rel="stylesheet"/.test(tag)) {
      const href = attr(tag, 'href');
      if (href) css.push(href);
    }
  }
  return { js: [...new Set(js)], css: [...new Set(css)] };
}

export async function benchWebSize(): Promise<WebPageSize[]> {
  const outDir = await mkdtemp(join(tmpdir(), 'restore-web-size-'));
  try {
    await build({
      configFile: fileURLToPath(new URL('./vite.config.ts', import.meta.url)),
      build: { outDir, emptyOutDir: true },
      logLevel: 'silent',
    });
    const read = (url: string) => readFile(join(outDir, url.replace(/^\//, '')));
    const figures: WebPageSize[] = [];
    for (const lang of languages) {
      for (const id of pageIds) {
        const html = await read(pageFile(id, lang));
        const { js, css } = assetsOf(html.toString('utf8'));
        let jsGzipBytes = 0;
        let cssGzipBytes = 0;
        let fontBytes = 0;
        for (const url of js) jsGzipBytes += gzipSize(await read(url));
        for (const url of css) {
          const sheet = await read(url);
          cssGzipBytes += gzipSize(sheet);
          for (const font of sheet.toString('utf8').match(/[^()'"\s]+\.woff2/g) ?? [])
            fontBytes += (await read(font)).length;
        }
        figures.push({
          page: pageUrl(id, lang),
          jsGzipBytes,
          cssGzipBytes,
          htmlGzipBytes: gzipSize(html),
          fontBytes,
        });
      }
    }
    return figures;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
