/**
 * What the console's browser tests share: keyboard-only sign-in through the local OpenID
 * provider, the check of a screen (settled, axe with WCAG 2.2 AA, a screenshot kept only with
 * RESTORE_EVIDENCE_DIR set), and staff API calls with a role's token.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { axeViolations, evidenceScreenshot, type Portal } from './support.ts';

// biome-ignore lint/suspicious/noExplicitAny: test-only JSON traversal
export type Json = Record<string, any>;

/** Signs in from the console with the keyboard only: the button, the e-mail, Tab, the password. */
export async function signIn(page: Page, email: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign in' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/local-idp\/interaction\//);
  await page.getByLabel('E-mail address').focus();
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await page.keyboard.type('restore-local');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/staff\/#/).catch(async (e) => {
    throw new Error(`${e} at ${page.url()}: ${await page.locator('#console').textContent()}`);
  });
  await page.getByText(`Signed in as ${email}`).waitFor();
}

/** Checks a settled screen with axe (the count kept in `counts`) and keeps it as evidence. */
export function screenChecker(counts: Record<string, number> = {}) {
  return async (page: Page, name: string): Promise<void> => {
    await page.waitForFunction(() => !document.getElementById('console')?.hasAttribute('aria-busy'));
    const violations = await axeViolations(page);
    counts[name] = violations.length;
    expect(violations, `axe on ${name}`).toEqual([]);
    // Kept only when RESTORE_EVIDENCE_DIR is set (e.g. docs/screenshots/console).
    await evidenceScreenshot(page, name);
  };
}

/** The staff API with a role's token (or none); the body as JSON when it is JSON. */
export function staffApi(portal: () => Portal) {
  return async (method: string, path: string, body?: unknown, role?: 'reviewer' | 'admin') => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (role) headers['authorization'] = `Bearer ${await portal().stack.token(role)}`;
    const res = await fetch(`${portal().baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: (text.startsWith('{') ? JSON.parse(text) : {}) as Json };
  };
}
