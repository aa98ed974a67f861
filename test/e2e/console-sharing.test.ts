/**
 * The console's sharing export screen in Chromium against the real local runtime, by keyboard
 * only: an admin picks a date range, sees a mistake explained, starts the export, watches its
 * progress, downloads one valid STIX bundle whose SHA-256 the screen shows, and finds it again
 * after a reload; a reviewer is told the screen is for admins. axe (WCAG 2.2 AA) on every state.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeReportBody } from '#test/support/factories.ts';
import { fileEnrichedReports } from '#test/support/local-stack.ts';
import { bundleProblems, newTally } from '#test/support/stix/validate.ts';
import { signIn } from './console-driver.ts';
import { axeViolations, type Portal, startPortal } from './support.ts';

// biome-ignore lint/suspicious/noExplicitAny: test-only JSON traversal
type Json = Record<string, any>;

let portal: Portal;

beforeAll(async () => {
  portal = await startPortal();
});

afterAll(async () => {
  await portal?.close();
});

async function check(page: Page, name: string): Promise<void> {
  await page.waitForFunction(() => !document.getElementById('console')?.hasAttribute('aria-busy'));
  expect(await axeViolations(page), `axe on ${name}`).toEqual([]);
  const dir = process.env['RESTORE_EVIDENCE_DIR'];
  if (dir) await page.screenshot({ path: join(dir, `console-${name}.png`), fullPage: true });
}

/** Types a date into a focused date field (Chromium's en-US field: month, day, year). */
async function typeDate(page: Page, label: string, iso: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).focus();
  const [y, m, d] = iso.split('-');
  await page.keyboard.type(`${m}${d}${y}`);
  expect(await page.getByLabel(label, { exact: true }).inputValue()).toBe(iso);
}

describe('console sharing export', () => {
  it('sets up consenting reports (through the API)', async () => {
    const scammer = (phone: string) => ({
      phones: [phone],
      emails: [],
      websites: [],
      socialHandles: [],
      namesUsed: [],
    });
    const ids = await fileEnrichedReports(portal.stack, [
      makeReportBody({ scammer: scammer('(202) 555-0143') }),
      makeReportBody({ scammer: scammer('(202) 555-0177') }),
    ]);
    expect(ids).toHaveLength(2);
  });

  it('an admin exports a range by keyboard, follows the progress and downloads the file', async () => {
    const { page, problems } = await portal.open('/staff/#/sharing');
    await signIn(page, 'admin@example.gov');
    await page.getByRole('heading', { level: 1, name: 'Export shared indicators' }).waitFor();
    await check(page, 'sharing-export-form');

    // A range that ends before it starts: explained, with focus on the explanation.
    await typeDate(page, 'From', '2026-06-01');
    await typeDate(page, 'To', '2026-05-01');
    await page.keyboard.press('Enter');
    const problem = page.locator('#export-problems .usa-alert');
    await problem.waitFor();
    expect(await problem.textContent()).toContain('The end of the range is before its start.');
    expect(await page.evaluate(() => document.activeElement?.closest('#export-problems') !== null)).toBe(
      true,
    );
    await check(page, 'sharing-export-problem');

    // Held back by the paused worker, the export shows its first state.
    await portal.stack.pausePoller();
    const today = new Date().toISOString().slice(0, 10);
    await typeDate(page, 'From', '2020-01-01');
    await typeDate(page, 'To', today);
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/sharing\?export=EXP-/);
    await page.locator('#export-written').getByText('indicators written').waitFor();
    expect(await page.getByText('Waiting to start').count()).toBe(1);
    expect(await page.locator('#export-bar').getAttribute('value')).toBe('0');
    await check(page, 'sharing-export-queued');
    portal.stack.resumePoller();

    // The page asks again by itself until the file is ready.
    await page.getByRole('heading', { name: 'The file is ready' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('#export-bar').getAttribute('value')).toBe('100');
    expect(await page.locator('#export-status').textContent()).toBe('Ready to download');
    await check(page, 'sharing-export-ready');
    const shown = (await page.locator('#export-sha256').textContent()) ?? '';
    expect(shown).toMatch(/^[0-9a-f]{64}$/);

    const exportId = new URL(page.url()).hash.split('export=')[1] ?? '';
    const admin = await portal.stack.token('admin');
    const view = (await (
      await fetch(`${portal.baseUrl}/v1/admin/sharing/exports/${exportId}`, {
        headers: { authorization: `Bearer ${admin}` },
      })
    ).json()) as Json;
    expect(await page.locator('#export-written').textContent()).toBe(
      `${view['progress']['written']} of ${view['progress']['total']} indicators written (100%)`,
    );

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the file' }).focus();
    await page.keyboard.press('Enter');
    const file = await (await download).path();
    const bytes = await readFile(file);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(shown);
    const tally = newTally();
    expect(bundleProblems(JSON.parse(bytes.toString('utf8')), tally)).toEqual([]);
    expect(tally.byType['indicator']).toBe(view['progress']['total']);
    expect(tally.byType['indicator']).toBeGreaterThanOrEqual(2);

    // Nothing is lost on reload: the address holds the export (the token is kept in memory only,
    // so signing in again, here through the provider's still-open session, comes back to it).
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Signed in as admin@example.gov').waitFor();
    expect(page.url()).toContain(`#/sharing?export=${exportId}`);
    await page.getByRole('heading', { name: 'The file is ready' }).waitFor();
    expect(await page.locator('#export-sha256').textContent()).toBe(shown);
    expect(problems).toEqual([]);
  });

  it('a reviewer is told the screen is for admins, and the menu does not offer it', async () => {
    const { page, problems } = await portal.open('/staff/#/sharing');
    await signIn(page, 'reviewer@example.gov');
    await page.getByRole('heading', { name: 'You need the admin role' }).waitFor();
    expect(await page.getByRole('link', { name: 'Sharing export' }).count()).toBe(0);
    await check(page, 'sharing-export-reviewer');
    expect(problems).toEqual([]);
  });
});
