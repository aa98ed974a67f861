/**
 * The browser test harness: the whole portal in-process (real handlers, local DynamoDB and SQS)
 * serving the freshly built site, and Debian's headless Chromium driven by playwright-core.
 * One stack and one browser per test file; one fresh browser context (empty storage) per test.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { type LocalStack, startLocalStack } from '#test/support/local-stack.ts';
import { en } from '../../web/src/i18n/en.ts';
import { es } from '../../web/src/i18n/es.ts';
import type { Lang, Messages } from '../../web/src/i18n/types.ts';

export { en, es };
export const catalogues: Record<Lang, Messages> = { en, es };

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
/**
 * Where the evidence the issues ask for (screenshots at 360 px / 200 % text, printed PDFs) is also
 * written when RESTORE_EVIDENCE_DIR is set, e.g. `RESTORE_EVIDENCE_DIR=docs/screenshots/site`;
 * otherwise only under test-results/, so a test run never changes tracked files.
 */
const EVIDENCE = process.env['RESTORE_EVIDENCE_DIR'];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface Portal {
  readonly stack: LocalStack;
  readonly browser: Browser;
  readonly baseUrl: string;
  /** A new page in a fresh context (no draft, no saved receipt), with problems recorded. */
  open(path: string, options?: OpenOptions): Promise<TestPage>;
  close(): Promise<void>;
}

export interface OpenOptions {
  width?: number;
  height?: number;
  /** Record layout shifts from the first paint (read them with `takeLayoutShift`). */
  layoutShifts?: boolean;
  /** The person's text size: 2 is "200 %". */
  textScale?: number;
  javaScriptEnabled?: boolean;
}

export interface TestPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Console errors, page errors and CSP violations seen so far. */
  readonly problems: string[];
}

export async function startPortal(): Promise<Portal> {
  const stack = await startLocalStack({ staticDir: inject('siteDir') });
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  } catch (error) {
    await stack.stop();
    throw error;
  }
  const contexts: BrowserContext[] = [];
  return {
    stack,
    browser,
    baseUrl: stack.baseUrl,
    async open(path, options = {}) {
      const context = await browser.newContext({
        viewport: { width: options.width ?? 1024, height: options.height ?? 900 },
        locale: 'en-US',
        timezoneId: 'America/New_York',
        javaScriptEnabled: options.javaScriptEnabled ?? true,
      });
      contexts.push(context);
      if (options.layoutShifts) await recordLayoutShifts(context);
      const page = await context.newPage();
      if (options.textScale) await setTextScale(page, options.textScale);
      page.setDefaultTimeout(15_000);
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        // A 404 from an API route that is not there yet (the programmes list) is handled by the page.
        if (/Failed to load resource: the server responded with a status of (404|400)/.test(message.text()))
          return;
        problems.push(`console: ${message.text()}`);
      });
      await page.goto(`${stack.baseUrl}${path}`);
      return { page, context, problems };
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await stack.stop();
    },
  };
}

/** axe with the WCAG 2.0-2.2 A and AA rules: one line per violation and where. */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

export async function expectAccessible(page: Page, where: string): Promise<void> {
  expect(await axeViolations(page), `axe violations on ${where}`).toEqual([]);
}

/** No horizontal scrolling: the page fits the viewport's width. */
export async function expectNoHorizontalScroll(page: Page, where: string): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, `horizontal scroll on ${where}`).toBeLessThanOrEqual(clientWidth);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

async function keepEvidence(file: string, name: string): Promise<void> {
  if (!EVIDENCE) return;
  await mkdir(EVIDENCE, { recursive: true });
  await copyFile(file, `${EVIDENCE}/${name}`);
}

/** A full-page screenshot kept as evidence (see RESTORE_EVIDENCE_DIR). */
export async function evidenceScreenshot(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  await keepEvidence(`${SCREENSHOTS}${name}.png`, `${name}.png`);
}

/**
 * Prints the page to PDF as Chromium does for "Print" (print styles, US Letter), keeps the file,
 * and returns the text a person would read on paper (pdf.js through unpdf), whitespace folded.
 */
export async function printedText(page: Page, name: string): Promise<string> {
  const pdf = await page.pdf({ format: 'Letter' });
  await mkdir(SCREENSHOTS, { recursive: true });
  await writeFile(`${SCREENSHOTS}${name}.pdf`, pdf);
  await keepEvidence(`${SCREENSHOTS}${name}.pdf`, `${name}.pdf`);
  const { extractText, getDocumentProxy } = await import('unpdf');
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true });
  return text.replace(/\s+/g, ' ');
}

/** The person's text size, as the browser setting does it (default 16 px times `scale`). */
export async function setTextScale(page: Page, scale: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Page.setFontSizes', {
    fontSizes: { standard: Math.round(16 * scale), fixed: Math.round(13 * scale) },
  });
  await cdp.detach();
}

/**
 * Words drawn across two lines (a word split inside, "Tar/jet/a"), in rendered text outside codes,
 * screen-reader-only text and what the person typed. Breaking at a hyphen or space is fine.
 */
export function brokenWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node as Text;
      const parent = text.parentElement;
      if (!parent || parent.closest('.usa-sr-only, script, style, noscript, .narrative, .code')) continue;
      for (const match of text.data.matchAll(/[\p{L}\p{M}\p{N}]{2,}/gu)) {
        range.setStart(text, match.index);
        range.setEnd(text, match.index + match[0].length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0);
        const lines = new Set(rects.map((r) => Math.round(r.bottom)));
        if (lines.size < 2) continue;
        // A word longer than the whole line (a wallet address) can only be broken.
        const width = rects.reduce((sum, r) => sum + r.width, 0);
        if (width > parent.getBoundingClientRect().width) continue;
        out.push(match[0]);
      }
    }
    return out;
  });
}

/** Records layout shifts from the first paint on (PerformanceObserver, `layout-shift` entries). */
export async function recordLayoutShifts(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const shifts: { value: number; recent: boolean; at: number }[] = [];
    (window as unknown as { __shifts: typeof shifts }).__shifts = shifts;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[])
        shifts.push({ value: e.value, recent: e.hadRecentInput, at: e.startTime });
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

/**
 * The cumulative layout shift since the last call (the shifts that count: not within 500 ms of the
 * person's own input), then starts counting again.
 */
export function takeLayoutShift(page: Page): Promise<number> {
  return page.evaluate(() => {
    const w = window as unknown as { __shifts?: { value: number; recent: boolean }[] };
    const shifts = w.__shifts ?? [];
    const sum = shifts.filter((s) => !s.recent).reduce((total, s) => total + s.value, 0);
    shifts.length = 0;
    return sum;
  });
}

/** The API's answer for a report, as agency staff see it. */
export async function staffReport(portal: Portal, reportId: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${portal.baseUrl}/v1/admin/reports/${encodeURIComponent(reportId)}`, {
    headers: { authorization: `Bearer ${await portal.stack.token('reviewer')}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

export async function waitForEnriched(portal: Portal, reportId: string): Promise<Record<string, unknown>> {
  return portal.stack.waitFor(
    async () => {
      const report = await staffReport(portal, reportId);
      return report['status'] === 'ENRICHED' ? report : undefined;
    },
    { timeoutMs: 20_000, message: `report ${reportId} was not enriched` },
  );
}

/** Every English catalogue text that differs from its Spanish twin (names like "Zelle" are the same). */
export function englishOnlyTexts(): string[] {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown) => {
    if (typeof a === 'string') {
      if (a !== b) out.push(...a.split(/\{\w+\}/).map((part) => part.trim()));
      return;
    }
    if (typeof a === 'object' && a !== null)
      for (const [k, v] of Object.entries(a)) walk(v, (b as Record<string, unknown>)[k]);
  };
  walk(en, es);
  return out.filter((s) => s.length >= 12);
}

/** The text a person sees in an element (layout-aware, unlike textContent). */
export function visibleText(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's rendered text is the point here
  return locator.innerText();
}

/** axe at desktop width and at 320 px, no horizontal scroll, and (in Spanish) no English left. */
export async function checkScreen(
  page: Page,
  lang: 'en' | 'es',
  where: string,
  shot?: string,
): Promise<void> {
  await expectAccessible(page, `${where} (${lang})`);
  if (shot) await screenshot(page, `${lang}-${shot}`);
  await page.setViewportSize({ width: 320, height: 800 });
  await expectNoHorizontalScroll(page, `${where} (${lang}, 320 px)`);
  await expectAccessible(page, `${where} (${lang}, 320 px)`);
  await page.setViewportSize({ width: 1024, height: 900 });
  if (lang === 'es') {
    const text = await visibleText(page.locator('body'));
    const english = englishOnlyTexts().filter((s) => s.length >= 12 && text.includes(s));
    expect(english, `English left on ${where}`).toEqual([]);
  }
}
