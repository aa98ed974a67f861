/**
 * The public site as a 75-year-old uses it on a phone with large text (issue 14): in Spanish at
 * 360 px with the text at 200 %, and printed.
 *
 * - Every page fits at 320, 360 and 412 px with 100, 150 and 200 % text: no sideways scrolling
 *   and no word cut in two.
 * - Nothing moves while a page loads or a step appears: the layout shift (the browser's
 *   `layout-shift` entries, as CLS counts them) is at most 0.02 on every page and every step.
 * - What a person must keep (the report's reference number) stays on screen across a reload and
 *   a visit elsewhere until they say they saved it, and prints with who to call and what next.
 * - The "call us" lines give the number, also without JavaScript; unknown addresses get a 404
 *   page in both languages; links and buttons are at least 44 x 44 px.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allNextSteps } from '#shared/domain/next-steps.ts';
import { parseConfig } from '../../web/src/app/config.ts';
import { formatCents } from '../../web/src/app/values.ts';
import { answerClaimant, answerLosses, answerSign } from './claim-driver.ts';
import {
  answerConsent,
  answerHow,
  answerMoney,
  answerScammer,
  answerYou,
  chooseCategory,
  continueTo,
  defaultAnswers,
  submitAndReadReference,
  wallets,
} from './report-driver.ts';
import {
  brokenWords,
  en,
  es,
  evidenceScreenshot,
  expectAccessible,
  type Portal,
  printedText,
  setTextScale,
  startPortal,
  takeLayoutShift,
  visibleText,
} from './support.ts';

const SITE_CONFIG: unknown = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../web/public/config.json', import.meta.url)), 'utf8'),
);
const settings = { en: parseConfig(SITE_CONFIG, 'en'), es: parseConfig(SITE_CONFIG, 'es') };

const MAX_SHIFT = 0.02;
const WIDTHS = [320, 360, 412];
const SCALES = [1, 1.5, 2];

let portal: Portal;

beforeAll(async () => {
  portal = await startPortal();
});

afterAll(async () => {
  await portal?.close();
});

/** Two animation frames: styles and layout have caught up with the last change. */
const settle = (page: Page) =>
  page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));

/** What does not fit the screen: sideways scrolling, and words cut in two. */
async function misfits(page: Page, where: string): Promise<string[]> {
  await settle(page);
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  const out =
    scrollWidth > clientWidth ? [`${where}: scrolls sideways (${scrollWidth} > ${clientWidth})`] : [];
  const broken = await brokenWords(page);
  if (broken.length > 0) out.push(`${where}: words cut in two: ${broken.join(', ')}`);
  return out;
}

describe('large text on small screens', () => {
  const screens: [string, (page: Page) => Promise<void>][] = [
    ['/es/', async () => {}],
    ['/', async () => {}],
    ['/es/programs/', async () => {}],
    [
      '/es/report/',
      async (page) => {
        await page.locator('.usa-step-indicator').waitFor();
        await chooseCategory(page, es, 'imposter-government');
      },
    ],
    ['/es/claim/', (page) => page.locator('.usa-step-indicator').waitFor()],
    ['/es/status/', (page) => page.locator('form').waitFor()],
    ['/es/ninguna-pagina/', async () => {}],
  ];

  it.for(screens)('%s fits at 320, 360 and 412 px with 100, 150 and 200 %% text', async ([path, ready]) => {
    const { page, problems } = await portal.open(path, { width: 360, height: 800 });
    await ready(page);
    const failures: string[] = [];
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 800 });
      for (const scale of SCALES) {
        await setTextScale(page, scale);
        failures.push(...(await misfits(page, `${width} px, ${scale * 100} %`)));
      }
    }
    expect(failures).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('takes the text size into account: at 200 % the body text is twice as large as at 100 %', async () => {
    const { page } = await portal.open('/es/', { width: 360 });
    const size = () => page.evaluate(() => Number.parseFloat(getComputedStyle(document.body).fontSize));
    const normal = await size();
    await setTextScale(page, 2);
    await settle(page);
    // 18 px normally; at large text the base drops to the browser's own size, still 2 x 16 = 32 px.
    expect(await size()).toBeGreaterThanOrEqual(normal * 1.75);
  });
});

describe('stable pages (layout shift at most 0.02)', () => {
  const pages = ['/', '/es/', '/programs/', '/report/', '/es/report/', '/claim/', '/status/', '/es/status/'];

  it.each([
    [360, 2],
    [1024, 1],
  ])('every page loads without moving, at %i px with text x%d', async (width, scale) => {
    const shifts: Record<string, number> = {};
    for (const path of pages) {
      const { page, problems } = await portal.open(path, {
        width,
        height: 740,
        layoutShifts: true,
        textScale: scale,
      });
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
      shifts[path] = await takeLayoutShift(page);
      expect(problems).toEqual([]);
    }
    console.log(`layout shift on load at ${width} px, text x${scale}:`, JSON.stringify(shifts));
    for (const [path, value] of Object.entries(shifts)) expect(value, path).toBeLessThanOrEqual(MAX_SHIFT);
  });
});

describe('reporting a scam in Spanish at 360 px and 200 % text', () => {
  it('every step fits and stays still; the confirmation is kept, prints with who to call, and goes only when saved', async () => {
    const t = es;
    const r = t.report;
    const { page, problems } = await portal.open('/es/report/', {
      width: 360,
      height: 740,
      layoutShifts: true,
      textScale: 2,
    });
    const shifts: Record<string, number> = {};
    const failures: string[] = [];
    const screen = async (name: string) => {
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
      shifts[name] = await takeLayoutShift(page);
      failures.push(...(await misfits(page, name)));
      await evidenceScreenshot(page, `es-360-200-report-${name}`);
    };
    await page.locator('.usa-step-indicator').waitFor();
    await screen('1-que-paso');
    await chooseCategory(page, t, 'imposter-government');
    await screen('1-que-paso-tipos');
    await continueTo(page, t, r.stepHow);
    await screen('2-como-empezo');
    await answerHow(page, t, defaultAnswers);
    await continueTo(page, t, r.stepMoney);
    await screen('3-dinero');
    await answerMoney(page, t, defaultAnswers);
    await screen('3-dinero-pagos');
    await continueTo(page, t, r.stepScammer);
    await screen('4-estafador');
    await answerScammer(page, t, defaultAnswers);
    await continueTo(page, t, r.stepYou);
    await screen('5-usted');
    await answerYou(page, t);
    await continueTo(page, t, r.stepConsent);
    await screen('6-permiso');
    await answerConsent(page, t);
    await continueTo(page, t, r.stepReview);
    await screen('7-revision');
    // The person scammed and who they are to the person filling in, each on a line of its own.
    const review = await visibleText(page.locator('main'));
    expect(review).toContain(`${r.reviewForName}\nRose Alvarez`);
    expect(review).toContain(`${r.reviewRelationship}\ndaughter`);
    const reportId = await submitAndReadReference(page, t);
    await screen('8-confirmacion');
    console.log('layout shift per step (es, 360 px, 200 %):', JSON.stringify(shifts));
    for (const [step, value] of Object.entries(shifts)) expect(value, step).toBeLessThanOrEqual(MAX_SHIFT);
    expect(failures).toEqual([]);

    // "Sending…" is not left for screen readers once the confirmation shows.
    expect(await page.locator('[role="status"][aria-live="polite"]').first().textContent()).toBe('');
    // Advice follows the channel used: a "wire" sent through Western Union goes to the company.
    const shown = await visibleText(page.locator('main'));
    expect(shown).toContain(allNextSteps['contact-money-transfer'].es.title);
    expect(shown).not.toContain(allNextSteps['recall-wire'].es.title);
    await expectAccessible(page, 'report confirmation at 200 %');

    // Kept across a reload and a visit to another page.
    await page.reload();
    await page.getByRole('heading', { name: r.confirmationHeading }).waitFor();
    await page.goto(`${portal.baseUrl}/es/`);
    await page.goto(`${portal.baseUrl}/es/report/`);
    await page.getByRole('heading', { name: r.confirmationHeading }).waitFor();
    expect((await visibleText(page.locator('#reference-number'))).trim()).toBe(reportId);

    // Printed: who to call, the reference and date, what was reported, what happens next;
    // no menu and no form introduction.
    const printed = await printedText(page, 'es-reporte-confirmacion');
    const s = settings.es;
    for (const text of [
      s.agencyName ?? '',
      s.phone ?? '',
      s.phoneHours ?? '',
      new URL(portal.baseUrl).host,
      reportId,
      r.receivedOn.split('{date}')[0]?.trim() ?? '',
      t.vocab.categories['imposter-government'].label,
      formatCents(330_050, 'es'),
      r.nextStepsHeading,
      r.whatNextHeading,
    ])
      expect(printed, text).toContain(text.replace(/\s+/g, ' '));
    for (const text of [t.common.navPrograms, r.intro, t.common.skipLink])
      expect(printed).not.toContain(text);

    // "I saved it" (asked twice) is the only way it goes.
    await page.getByRole('button', { name: r.savedButton }).click();
    await page.getByRole('button', { name: t.common.savedNo }).click();
    await page.getByRole('heading', { name: r.confirmationHeading }).waitFor();
    await page.getByRole('button', { name: r.savedButton }).click();
    await page.getByRole('button', { name: t.common.savedYes }).click();
    await page.locator('.usa-step-indicator').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('restore.report.receipt'))).toBeNull();
    expect(problems).toEqual([]);
  });

  it('prints the English confirmation the same way', async () => {
    const { page } = await portal.open('/report/');
    await page.locator('.usa-step-indicator').waitFor();
    const { fillWholeReport } = await import('./report-driver.ts');
    await fillWholeReport(page, en);
    const reportId = await submitAndReadReference(page, en);
    const printed = await printedText(page, 'en-report-confirmation');
    for (const text of [
      settings.en.agencyName ?? '',
      settings.en.phone ?? '',
      settings.en.phoneHours ?? '',
      reportId,
      en.vocab.categories['imposter-government'].label,
      en.report.whatNextHeading,
    ])
      expect(printed, text).toContain(text.replace(/\s+/g, ' '));
    expect(printed).not.toContain(en.common.navPrograms);
  });
});

/** A programme to claim from (the staff API, as the agency would open one). */
async function openProgramme(name: string): Promise<string> {
  const response = await fetch(`${portal.baseUrl}/v1/admin/pools`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await portal.stack.token('admin')}`,
    },
    body: JSON.stringify({
      name,
      caseNumber: '1:26-cv-04321',
      court: 'U.S. District Court for the Southern District of Florida',
      amountCents: 1_000_000,
      currency: 'USD',
      seizedIndicators: [{ type: 'crypto-wallet', value: wallets.btc }],
      claimDeadline: '2027-06-30',
      minimumPayoutCents: 1000,
      description: 'Dinero incautado a una aplicación falsa de inversiones.',
      eligibility: 'Personas que enviaron criptomonedas a la aplicación.',
    }),
  });
  const json = (await response.json()) as { poolId?: string };
  expect(response.status, JSON.stringify(json)).toBeLessThan(300);
  return json.poolId ?? '';
}

describe('filing a claim in Spanish at 360 px and 200 % text', () => {
  it('every step fits and stays still; both numbers are kept until saved, bookmarkable and printed', async () => {
    const t = es;
    const c = t.claim;
    const programme = 'Operación Billetera Limpia';
    const poolId = await openProgramme(programme);
    // The programme's card reflows at every width and text size (deadline and button included).
    const list = await portal.open('/es/programs/', { width: 360 });
    await list.page.locator('.program-card').first().waitFor();
    const cardFailures: string[] = [];
    for (const width of WIDTHS) {
      await list.page.setViewportSize({ width, height: 800 });
      for (const scale of SCALES) {
        await setTextScale(list.page, scale);
        cardFailures.push(...(await misfits(list.page, `programmes, ${width} px, ${scale * 100} %`)));
      }
    }
    expect(cardFailures).toEqual([]);
    await list.page.setViewportSize({ width: 360, height: 800 });
    await setTextScale(list.page, 2);
    await settle(list.page);
    await evidenceScreenshot(list.page, 'es-360-200-programas');
    const { page, problems } = await portal.open(`/es/claim/?pool=${encodeURIComponent(poolId)}`, {
      width: 360,
      height: 740,
      layoutShifts: true,
      textScale: 2,
    });
    const shifts: Record<string, number> = {};
    const failures: string[] = [];
    const screen = async (name: string) => {
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
      shifts[name] = await takeLayoutShift(page);
      failures.push(...(await misfits(page, name)));
      await evidenceScreenshot(page, `es-360-200-claim-${name}`);
    };
    await page.locator('.usa-step-indicator').waitFor();
    await screen('1-programa');
    await continueTo(page, t, c.stepYou);
    await screen('2-usted');
    await answerClaimant(page, t);
    await continueTo(page, t, c.stepLosses);
    await screen('3-perdidas');
    await answerLosses(page, t, wallets.btc);
    await continueTo(page, t, c.stepSign);
    await screen('4-firma');
    await answerSign(page, t);
    await continueTo(page, t, c.stepReview);
    await screen('5-revision');
    await page.getByRole('button', { name: c.submit, exact: true }).click();
    await page.getByRole('heading', { name: c.doneHeading }).waitFor();
    await screen('6-confirmacion');
    console.log('layout shift per claim step (es, 360 px, 200 %):', JSON.stringify(shifts));
    for (const [step, value] of Object.entries(shifts)) expect(value, step).toBeLessThanOrEqual(MAX_SHIFT);
    expect(failures).toEqual([]);

    const claimId = (await visibleText(page.locator('#claim-id'))).trim();
    const accessCode = (await visibleText(page.locator('#access-code'))).trim();
    // Groups of four from an alphabet without I, L, O or U; a line never breaks inside a group.
    expect(claimId).toMatch(/^CLM(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
    expect(accessCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){6}$/);
    expect(
      await page
        .locator('.code__group')
        .evaluateAll((els) => els.every((el) => el.getClientRects().length === 1)),
    ).toBe(true);
    // Screen readers hear the characters one by one, group by group.
    expect(await page.locator('.reference-box .usa-sr-only').allTextContents()).toContain(
      accessCode
        .split('-')
        .map((g) => [...g].join(' '))
        .join(', '),
    );

    // Kept across a reload and a visit elsewhere.
    await page.reload();
    await page.goto(`${portal.baseUrl}/es/`);
    await page.goto(`${portal.baseUrl}/es/claim/`);
    await page.getByRole('heading', { name: c.doneHeading }).waitFor();
    expect((await visibleText(page.locator('#access-code'))).trim()).toBe(accessCode);

    // Printed: who to call, both numbers, the programme, date and amounts, what happens next.
    const printed = await printedText(page, 'es-reclamo-confirmacion');
    for (const text of [
      settings.es.agencyName ?? '',
      settings.es.phone ?? '',
      settings.es.phoneHours ?? '',
      programme,
      formatCents(400_000, 'es'),
      formatCents(50_000, 'es'),
      c.doneNextHeading,
      c.doneNext1,
    ])
      expect(printed, text).toContain(text.replace(/\s+/g, ' '));
    // A code may wrap between two groups on paper, never inside one.
    const unspaced = printed.replace(/\s/g, '');
    expect(unspaced).toContain(claimId);
    expect(unspaced).toContain(accessCode);
    expect(printed).not.toContain(t.common.navPrograms);
    expect(printed).not.toContain(c.intro);

    // The bookmark: both numbers after '#' (never sent to a server), and it opens the claim.
    const href = (await page.locator('.bookmark-link').getAttribute('href')) ?? '';
    const link = new URL(href);
    expect(link.search).toBe('');
    expect(new URLSearchParams(link.hash.slice(1)).get('code')).toBe(accessCode);
    const bookmarked = await portal.open(`${link.pathname}${link.hash}`);
    await bookmarked.page.getByText(t.vocab.claimStatuses.SUBMITTED.label).first().waitFor();

    // "I saved them" (asked twice) is the only way they go.
    await page.getByRole('button', { name: c.savedButton }).click();
    await page.getByRole('button', { name: t.common.savedYes }).click();
    await page.locator('.usa-step-indicator').waitFor();
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    expect(stored).not.toContain(accessCode);
    expect(problems).toEqual([]);
    expect(bookmarked.problems).toEqual([]);
  });
});

describe('everywhere', () => {
  it('gives the phone number wherever it says "call us", also without JavaScript', async () => {
    const phone = settings.en.phone ?? '';
    expect(phone).not.toBe('');
    for (const [path, t] of [
      ['/report/', en],
      ['/es/claim/', es],
      ['/es/status/', es],
    ] as const) {
      const { page } = await portal.open(path, { javaScriptEnabled: false });
      const text = await visibleText(page.locator('body'));
      expect(text, path).toContain(t.common.needsScript);
      expect(text, path).toContain(phone);
      expect(await page.locator('.site-footer a.phone-link').getAttribute('href'), path).toBe(
        'tel:+18005550100',
      );
    }
    // The status page's hint about a lost code gives the number too.
    const { page } = await portal.open('/es/status/');
    expect(await visibleText(page.locator('form'))).toContain(`llámenos al ${phone}`);
  });

  it('answers an unknown address with a 404 page in both languages, and the API with its own error', async () => {
    for (const [path, first] of [
      ['/no-such-page/', en],
      ['/es/ninguna-pagina', es],
    ] as const) {
      const response = await fetch(`${portal.baseUrl}${path}`);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type'), path).toMatch(/text\/html/);
      // The page's own language first, the other one below it.
      const html = await response.text();
      expect(html.indexOf(first.notFound.heading), path).toBeGreaterThan(-1);
      expect(html.indexOf(first.notFound.heading), path).toBeLessThan(
        html.indexOf((first === en ? es : en).notFound.heading),
      );
    }
    const api = await fetch(`${portal.baseUrl}/v1/no-such-thing`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).not.toMatch(/text\/html/);

    const { page, problems } = await portal.open('/es/ninguna-pagina/');
    const headings = await page.locator('main h1, main h2').allInnerTexts();
    expect(headings).toEqual([es.notFound.heading, en.notFound.heading]);
    expect(await visibleText(page.locator('main'))).toContain(settings.es.phone ?? '');
    await expectAccessible(page, '404 page');
    expect(problems).toEqual([]);
  });

  it('makes every link and button outside running text at least 44 x 44 px', async () => {
    for (const path of ['/es/', '/es/report/', '/status/']) {
      const { page } = await portal.open(path, { width: 360 });
      await page.waitForLoadState('networkidle');
      const small = await page.evaluate(() =>
        [
          ...document.querySelectorAll<HTMLElement>(
            '.site-header a, .site-nav a, .site-footer a, .usa-button, .phone-link, .lang-switch, summary',
          ),
        ]
          .filter((el) => el.offsetParent !== null)
          .map((el) => ({ text: el.textContent?.trim() ?? '', box: el.getBoundingClientRect() }))
          .filter(({ box }) => box.height < 44 || box.width < 44)
          .map(({ text, box }) => `${text} (${Math.round(box.width)} x ${Math.round(box.height)})`),
      );
      expect(small, path).toEqual([]);
    }
  });
});
