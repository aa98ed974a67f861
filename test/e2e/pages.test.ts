/**
 * Every public page in both languages: accessible (axe, WCAG 2.2 AA), the right `lang`, a working
 * language switch, no English left on Spanish pages, 18 px text, no horizontal scrolling at 320 px
 * wide or at 200% zoom, the agency's name and phone number from config.json, a strict CSP and no
 * request to any other site. Screenshots of each page are saved under test-results/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageIds, pageUrl } from '../../web/src/site/routes.ts';
import {
  axeViolations,
  catalogues,
  englishOnlyTexts,
  expectAccessible,
  expectNoHorizontalScroll,
  type Portal,
  screenshot,
  startPortal,
  visibleText,
} from './support.ts';

let portal: Portal;

beforeAll(async () => {
  portal = await startPortal();
});

afterAll(async () => {
  await portal?.close();
});

describe.each(['en', 'es'] as const)('every page in %s', (lang) => {
  const t = catalogues[lang];
  it.each(pageIds)('%s', async (pageId) => {
    const path = pageUrl(pageId, lang);
    const { page, problems } = await portal.open(path);
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.reload();
    await page.waitForLoadState('networkidle');

    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    expect(await page.title()).toContain(t.common.titleSuffix);
    // The agency's details come from config.json.
    await expect
      .poll(() => visibleText(page.locator('[data-agency-banner]')))
      .toContain(
        lang === 'en'
          ? 'Example State Office of the Attorney General'
          : 'Fiscal General del Estado de Ejemplo',
      );
    expect(await visibleText(page.locator('.site-footer .phone-link'))).toBe('1-800-555-0100');
    expect(await page.locator('.site-footer .phone-link').getAttribute('href')).toBe('tel:+18005550100');

    // Text is at least 18 px.
    const smallest = await page.evaluate(() => {
      let min = Number.POSITIVE_INFINITY;
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!el || node.textContent?.trim() === '' || el.closest('.usa-sr-only, [hidden], noscript'))
          continue;
        if (el.getClientRects().length === 0) continue;
        min = Math.min(min, Number.parseFloat(getComputedStyle(el).fontSize));
      }
      return min;
    });
    expect(smallest).toBeGreaterThanOrEqual(18);

    // The language switch leads to the same page in the other language.
    const other = lang === 'en' ? 'es' : 'en';
    const switchLink = page.locator('.lang-switch');
    expect(await switchLink.getAttribute('lang')).toBe(other);
    expect(await switchLink.getAttribute('href')).toBe(pageUrl(pageId, other));
    expect(await visibleText(switchLink)).toContain(t.common.otherLanguage);

    if (lang === 'es') {
      // The 404 page carries both languages on purpose: the English half is marked lang="en".
      const text = await visibleText(page.locator(pageId === 'not-found' ? 'main [lang="es"]' : 'body'));
      const leftovers = englishOnlyTexts().filter(
        (english) => english.length >= 12 && text.includes(english),
      );
      expect(leftovers, 'English text on a Spanish page').toEqual([]);
    }

    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("require-trusted-types-for 'script'");
    expect(csp).not.toContain('unsafe-inline');
    const origin = new URL(portal.baseUrl).origin;
    expect(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'))).toEqual([]);

    await expectAccessible(page, `${path} (desktop)`);
    await screenshot(page, `${lang}-${pageId}-desktop`);

    // A 320 px wide phone, and 200% zoom on a 1280 px screen (640 CSS px).
    for (const width of [320, 640]) {
      await page.setViewportSize({ width, height: 800 });
      await expectNoHorizontalScroll(page, `${path} at ${width} px`);
    }
    await page.setViewportSize({ width: 320, height: 800 });
    await expectAccessible(page, `${path} (320 px)`);
    await screenshot(page, `${lang}-${pageId}-320px`);

    expect(problems).toEqual([]);
  });
});

describe('the safety nets themselves', () => {
  it('axe is live: it catches a planted missing label', async () => {
    const { page } = await portal.open('/status/');
    await page.locator('#claim-id').waitFor();
    await page.evaluate(() => document.querySelector('label[for="claim-id"]')?.remove());
    expect(await axeViolations(page)).toEqual([expect.stringMatching(/^label \(critical\)/)]);
  });

  it('the browser itself refuses HTML built from strings (Trusted Types with no policy)', async () => {
    const { page } = await portal.open('/');
    const outcome = await page.evaluate(() => {
      try {
        document.body.insertAdjacentHTML('beforeend', '<img src=x>');
        return 'inserted';
      } catch (error) {
        return (error as Error).name;
      }
    });
    expect(outcome).toBe('TypeError');
    expect(await page.locator('img[src=x]').count()).toBe(0);
  });
});
