import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const baseUrl = process.env.E2E_BASE_URL;
export const screenshotDir = path.resolve(__dirname, '../../.artifacts/e2e');

/** The flags the design notes measured: without the networking ones Chromium keeps dialling out. */
export async function launch(): Promise<Browser> {
  mkdirSync(screenshotDir, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A phone: 375×667, touch, Chinese locale, a profile of its own. */
export function phone(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true, locale: 'zh-CN' });
}

export async function open(page: Page, route: string): Promise<void> {
  await page.goto(`${baseUrl}/#/${route}`);
  await page.locator('.shell >> visible=true').first().waitFor();
}

/** Computed sizes of what a person reads and taps on the current page. */
export function measure(page: Page) {
  return page.evaluate(() => {
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
    };
    const buttons = [...document.querySelectorAll('.tap')].filter(visible).map((el) => ({
      text: (el.textContent ?? '').trim().slice(0, 20),
      height: el.getBoundingClientRect().height,
    }));
    const texts: { text: string; size: number }[] = [];
    for (const el of document.querySelectorAll('.shell *')) {
      const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && (n.textContent ?? '').trim());
      if (ownText && visible(el)) texts.push({ text: (el.textContent ?? '').trim().slice(0, 20), size: parseFloat(getComputedStyle(el).fontSize) });
    }
    return { buttons, texts };
  });
}

/**
 * Logs in through the development persona picker and waits until the home
 * page the app relaunches to is on screen: a page opened before that relaunch
 * has finished would be replaced under the test's hands.
 */
export async function loginPersona(page: Page, code: string): Promise<void> {
  await open(page, 'pages/login/index');
  await page.locator(`[data-testid="persona-${code}"]`).click();
  await page.waitForURL((url) => !url.hash.includes('pages/login'));
  await page.locator('.page-home >> visible=true').first().waitFor();
  await page.waitForLoadState('networkidle');
}

/** Staff log in with a password at a desk and land on the 工作台. */
export async function deskLogin(page: Page, username: string, password = 'community2026'): Promise<void> {
  await open(page, 'pages/login/index');
  await page.locator('[data-testid="username-input"] input').fill(username);
  await page.locator('[data-testid="password-input"] input').fill(password);
  await page.locator('[data-testid="staff-login"]').click();
  await page.waitForURL((url) => !url.hash.includes('pages/login'));
  await page.locator('.page-staff-home >> visible=true').first().waitFor();
  await page.waitForLoadState('networkidle');
}

/** The first visible match: Taro H5 keeps the pages it came from in the DOM, hidden. */
export const visible = (page: Page, selector: string) => page.locator(`${selector} >> visible=true`).first();
/** The first visible match that contains the text (filtered before `first`, so not only the first row is tried). */
export const visibleWith = (page: Page, selector: string, text: string | RegExp) =>
  page.locator(`${selector} >> visible=true`).filter({ hasText: text }).first();

/**
 * Scrolls to an element, again if it was re-rendered under the test's hands
 * (a fresh CI run once met "Element is not attached to the DOM" on the meeting
 * desk just after it opened, in 长辈版).
 */
export async function scrollTo(page: Page, selector: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await visible(page, selector).scrollIntoViewIfNeeded({ timeout: 10_000 });
      return;
    } catch (error) {
      if (attempt >= 3 || !/not attached/.test(String(error))) throw error;
    }
  }
}

/** A screenshot after Taro H5's page slide-in has finished. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(600);
  await page.screenshot({ path: path.join(screenshotDir, name) });
}

/** 长辈版 on the current page: every text ≥ 18 px, every button ≥ 60 px tall. */
export async function expectLarge(page: Page, where: string, { buttonsExpected = true } = {}): Promise<void> {
  await visible(page, '.shell--elderly').waitFor();
  const { buttons, texts } = await measure(page);
  if (buttonsExpected) expect(buttons.length).toBeGreaterThan(0);
  expect(texts.length).toBeGreaterThan(0);
  const small = texts.filter((t) => t.size < 18);
  const short = buttons.filter((b) => b.height < 60);
  expect({ where, small, short }).toEqual({ where, small: [], short: [] });
}

/** Centre staff at the 核验 window type a booking's code and press 核验. */
export async function checkIn(desk: Page, code: string): Promise<void> {
  await open(desk, 'staff/window/index');
  await desk.locator('[data-testid="check-in-input"] input >> visible=true').fill(code);
  await visible(desk, '[data-testid="check-in-submit"]').click();
}

/** A desk: centre staff in a browser at 1280×800. */
export async function desk(browser: Browser): Promise<Page> {
  return (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })).newPage();
}

/** From the 办事 tab to a service's page, by its category and name, until its days are on screen. */
export async function openService(page: Page, category: string, name: string, { onList }: { onList?: () => Promise<void> } = {}): Promise<void> {
  await open(page, 'pages/services/index');
  const list = visible(page, `[data-testid="category-${category}"]`);
  await list.waitFor();
  await onList?.();
  await list.getByText(name, { exact: true }).click();
  await visible(page, '[data-testid="slot-days"]').waitFor();
}

/** On a service's page: a day, then a time, until the inline confirmation shows. */
export async function pickSlot(page: Page, slot: { id: string; date: string }) {
  await visible(page, `[data-testid="slot-days-${slot.date}"]`).click();
  const button = visible(page, `[data-testid="slot-${slot.id}"]`);
  await button.click();
  await visible(page, '[data-testid="booking-confirm"]').waitFor();
  return button;
}
