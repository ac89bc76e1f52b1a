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
