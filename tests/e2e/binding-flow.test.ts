import path from 'node:path';
import type { Browser } from 'playwright-core';
import { baseUrl, deskLogin, launch, loginPersona, measure, open, phone, screenshotDir } from './browser';

/**
 * A newcomer logs in on the H5 build, asks to be bound to a room, a centre
 * staff member approves it at a desk, and the newcomer sees it and switches on
 * 长辈版: body text ≥ 18 px, every button ≥ 60 px tall, and it stays on.
 */
const run = baseUrl ? describe : describe.skip;
if (!baseUrl) {
  if (process.env.CI) throw new Error('E2E_BASE_URL is not set: run the browser tests through `npm test`');
  process.stderr.write('e2e: skipped (no E2E_BASE_URL; `npm test` starts the app for them)\n');
}

let browser: Browser;
beforeAll(async () => {
  if (baseUrl) browser = await launch();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

run('room binding, end to end in the browser', () => {
  jest.setTimeout(120_000);

  it('a resident asks, staff approve, the resident sees it; 长辈版 is large and persists', async () => {
    const resident = await (await phone(browser)).newPage();
    const errors: string[] = [];
    resident.on('pageerror', (e) => errors.push(String(e)));

    // 1. Log in as the demo newcomer through the development persona picker.
    await loginPersona(resident, 'test-demo-newcomer-chen');

    // 2. Ask to be bound to 1号楼 1单元 101 as a family member.
    await open(resident, 'binding/apply/index');
    await resident.getByText('1号楼', { exact: true }).click();
    await resident.getByText('1单元', { exact: true }).click();
    await resident.getByText('101', { exact: true }).click();
    await resident.locator('[data-testid="pick-relation"]').getByText('家庭成员', { exact: true }).click();
    await resident.locator('[data-testid="realName-input"] input').fill('陈静');
    await resident.locator('[data-testid="binding-submit"]').click();
    await resident.locator('[data-testid="binding-done"]').getByText(/待审核/).waitFor();
    await resident.screenshot({ path: path.join(screenshotDir, '1-resident-requested.png') });

    // 3. Centre staff log in with a password at a desk and approve it.
    const desk = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })).newPage();
    await deskLogin(desk, 'centre');
    await open(desk, 'staff/bindings/index');
    const card = desk.locator('.binding-card', { hasText: '1号楼 1单元 101' }).filter({ hasText: '陈静' });
    await card.getByText('通过', { exact: true }).click();
    // Approving asks first, in place (the card shows the register beside the claim).
    await card.locator('[data-testid="approve-yes"]').click();
    await desk.getByText(/已通过/).first().waitFor();
    await desk.screenshot({ path: path.join(screenshotDir, '2-staff-approved.png') });

    // 4. The resident sees the room as bound on 我的.
    await open(resident, 'pages/me/index');
    await resident.getByText('1号楼 1单元 101').first().waitFor();
    await resident.getByText('已绑定').first().waitFor();

    // 5. 长辈版: one tap, everything larger, and it survives a reload.
    await resident.locator('[data-testid="elderly-switch"]').click();
    await resident.locator('.shell--elderly >> visible=true').first().waitFor();
    await resident.reload();
    await resident.locator('.shell--elderly >> visible=true').first().waitFor();
    await resident.screenshot({ path: path.join(screenshotDir, '3-me-elderly.png') });
    for (const route of ['pages/me/index', 'pages/index/index', 'binding/apply/index']) {
      await open(resident, route);
      await resident.locator('.shell--elderly >> visible=true').first().waitFor();
      const { buttons, texts } = await measure(resident);
      expect(buttons.length).toBeGreaterThan(0);
      expect(texts.length).toBeGreaterThan(0);
      const small = texts.filter((t) => t.size < 18);
      const short = buttons.filter((b) => b.height < 60);
      expect({ route, small, short }).toEqual({ route, small: [], short: [] });
    }
    await resident.screenshot({ path: path.join(screenshotDir, '4-binding-elderly.png') });
    expect(errors).toEqual([]);
  });
});
