/**
 * How soon a slow phone shows the first question of each form: the built site served by the
 * local stack, opened in headless Chromium with Chrome DevTools' throttling (the "Slow 4G"
 * profile Lighthouse uses for mobile: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, and the
 * CPU slowed 4x), empty cache every time. The clock runs from the start of navigation to the
 * moment the first question's label is in the page (a MutationObserver in the page notes
 * `performance.now()`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { startLocalStack } from '#test/support/local-stack.ts';

const RUNS = 5;
export const FIRST_QUESTION_GOAL_MS = 2000;

export interface FirstQuestion {
  readonly page: string;
  readonly p50: number;
  readonly max: number;
}

const PAGES: readonly [path: string, firstQuestion: string][] = [
  ['/es/report/', '#app legend'],
  ['/report/', '#app legend'],
  ['/es/claim/', '#app label, #app legend'],
  ['/es/status/', '#app label'],
];

export async function benchFirstQuestion(): Promise<FirstQuestion[]> {
  const siteDir = await mkdtemp(join(tmpdir(), 'restore-bench-site-'));
  await build({
    configFile: fileURLToPath(new URL('../web/vite.config.ts', import.meta.url)),
    build: { outDir: siteDir, emptyOutDir: true },
    logLevel: 'warn',
  });
  const stack = await startLocalStack({ staticDir: siteDir });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const out: FirstQuestion[] = [];
    for (const [path, selector] of PAGES) {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
        await context.addInitScript((sel: string) => {
          const w = window as unknown as { __firstQuestion?: number };
          const seen = () => {
            if (w.__firstQuestion === undefined && document.querySelector(sel))
              w.__firstQuestion = performance.now();
          };
          new MutationObserver(seen).observe(document, { childList: true, subtree: true });
        }, selector);
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
        await cdp.send('Network.emulateNetworkConditions', {
          offline: false,
          latency: 150,
          downloadThroughput: (1.6 * 1024 * 1024) / 8,
          uploadThroughput: (750 * 1024) / 8,
        });
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
        await page.goto(`${stack.baseUrl}${path}`);
        await page.waitForFunction(
          () => (window as { __firstQuestion?: number }).__firstQuestion !== undefined,
          null,
          {
            timeout: 30_000,
          },
        );
        times.push(
          await page.evaluate(() => (window as unknown as { __firstQuestion: number }).__firstQuestion),
        );
        await context.close();
      }
      times.sort((a, b) => a - b);
      out.push({
        page: path,
        p50: times[Math.floor(times.length / 2)] ?? 0,
        max: times[times.length - 1] ?? 0,
      });
    }
    return out;
  } finally {
    await browser.close();
    await stack.stop();
    await rm(siteDir, { recursive: true, force: true });
  }
}
