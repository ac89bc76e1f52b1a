import type { Browser, Page } from 'playwright-core';
import { call, FAMILY_SERVICE, loginAs, request, serviceNamed, shanghaiToday, slotsOf, type Booking } from './api';
import { baseUrl, expectLarge, launch, loginPersona, open, openService, phone, pickSlot, shot, visible, visibleWith } from './browser';

/**
 * 授权家人代办 end to end on the H5 build against the seeded API: 王秀英 (owner of
 * 1号楼 1单元 301) authorises 李建国, who lives in 301 with her, to book services
 * for her; he books 老年人优待证办理 for her and the booking says so; she finds
 * it in 我的预约 and a message in 消息 saying he booked it; in 长辈版 she takes
 * the authority back (收回), and his next booking for her is refused in the
 * API's words, and after a reload she is no longer a choice.
 *
 * Slots of a later day only: the other files check bookings in today, and this
 * one must not take their seats.
 */
const run = baseUrl ? describe : describe.skip;
if (!baseUrl) {
  if (process.env.CI) throw new Error('E2E_BASE_URL is not set: run the browser tests through `npm test`');
  process.stderr.write('e2e: skipped (no E2E_BASE_URL; `npm test` starts the app for them)\n');
}

interface Authority {
  id: string;
  grantorName: string;
  granteeId: string;
  granteeName: string;
  scopes: string[];
  expiresAt: string;
  revokedAt: string | null;
  active: boolean;
}

const monthDay = (iso: string) => `${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;
const classOf = async (page: Page, selector: string) => (await visible(page, selector).getAttribute('class')) ?? '';

let browser: Browser;
beforeAll(async () => {
  if (baseUrl) browser = await launch();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

run('授权家人代办, end to end in the browser', () => {
  jest.setTimeout(300_000);

  it('王秀英 authorises 李建国, he books for her, she sees it and is told; she takes it back in 长辈版 and he no longer can', async () => {
    const errors: string[] = [];
    const wangLogin = await loginAs('/api/v1/auth/wechat', { code: 'test-demo-owner-wang' });
    const liLogin = await loginAs('/api/v1/auth/wechat', { code: 'test-demo-family-li' });
    const wangId = wangLogin.user.id;
    const liId = liLogin.user.id;
    const service = await serviceNamed(liLogin.accessToken, FAMILY_SERVICE);
    const today = shanghaiToday();
    const later = (await slotsOf(liLogin.accessToken, service.id)).filter((s) => s.bookable && s.seatsLeft > 0 && s.date > today);
    const [slot, second] = later.filter((s) => s.date === later[0]?.date);
    expect(slot && second).toBeTruthy();

    // 1. 王秀英: 我的 → 授权家人代办 → 李建国, 7天 → 确认授权.
    const wang = await (await phone(browser)).newPage();
    wang.on('pageerror', (e) => errors.push(String(e)));
    await loginPersona(wang, 'test-demo-owner-wang');
    await open(wang, 'pages/me/index');
    await visible(wang, '[data-testid="me-authority"]').click();
    const grantee = visible(wang, `[data-testid="pick-grantee-${liId}"]`);
    await grantee.waitFor();
    expect((await grantee.innerText()).replace(/\s+/g, '')).toBe('李建国同住家人');
    await visible(wang, '.page-authority').getByText('还没有授权任何人').waitFor();
    await grantee.click();
    await visible(wang, '[data-testid="pick-days-7"]').click();
    expect(await classOf(wang, `[data-testid="pick-grantee-${liId}"]`)).toContain('choice--on');
    await shot(wang, '14-family-grant.png');
    await visible(wang, '[data-testid="authority-submit"]').click();
    const granted = visible(wang, '[data-testid="authority-notice"]');
    await granted.waitFor();

    const given = (await call<{ given: Authority[] }>('/api/v1/authorities', { token: wangLogin.accessToken })).given.filter((a) => a.active);
    expect(given).toHaveLength(1);
    const authority = given[0]!;
    expect(authority).toMatchObject({ grantorName: '王秀英', granteeId: liId, granteeName: '李建国', scopes: ['bookings'], revokedAt: null });
    expect(Math.abs(Date.parse(authority.expiresAt) - (Date.now() + 7 * 86_400_000))).toBeLessThan(10 * 60_000);
    expect((await granted.innerText()).trim()).toBe(`已授权李建国替您预约服务，${monthDay(authority.expiresAt)}前有效`);
    const row = visible(wang, '[data-testid="authority-given"]');
    expect((await row.innerText()).replace(/\s+/g, ' ')).toContain(`李建国 预约服务 · ${monthDay(authority.expiresAt)}前有效`);
    await shot(wang, '15-family-granted.png');

    // 2. 李建国 opens the service, 为谁预约 → 王秀英, a slot of a later day, 确认预约.
    const li = await (await phone(browser)).newPage();
    li.on('pageerror', (e) => errors.push(String(e)));
    await loginPersona(li, 'test-demo-family-li');
    await openService(li, 'elderly', FAMILY_SERVICE);
    const forWang = visible(li, `[data-testid="book-for-${wangId}"]`);
    await forWang.waitFor();
    expect(await classOf(li, '[data-testid="book-for-self"]')).toContain('choice--on');
    expect((await forWang.innerText()).replace(/\s+/g, '')).toBe('王秀英已授权我代办');
    await forWang.click();
    expect(await classOf(li, `[data-testid="book-for-${wangId}"]`)).toContain('choice--on');
    await shot(li, '16-family-book-for-whom.png');
    await pickSlot(li, slot!);
    const confirm = visible(li, '[data-testid="booking-confirm"]');
    expect((await confirm.innerText()).replace(/\s+/g, ' ')).toContain('为谁约 王秀英（代约）');
    await shot(li, '17-family-book-for-confirm.png');
    const booked = li.waitForResponse((r) => r.url().endsWith('/api/v1/bookings') && r.request().method() === 'POST');
    await visible(li, '[data-testid="booking-submit"]').click();
    const bookingId = ((await (await booked).json()) as Booking).id;
    const done = visible(li, '[data-testid="booking-done"]');
    await done.getByText('预约成功').waitFor();
    const doneText = (await done.innerText()).replace(/\s+/g, ' ');
    expect(doneText).toContain('已为王秀英预约');
    expect(doneText).toContain('居民会收到消息');
    const code = /核验码 ([A-Z2-9]{6})/.exec(doneText)?.[1];
    expect(code).toBeTruthy();
    await shot(li, '18-family-booked.png');

    // The booking is 王秀英's, made by 李建国: in the API and on the booking's page.
    const made = await call<Booking>(`/api/v1/bookings/${bookingId}`, { token: wangLogin.accessToken });
    expect(made).toMatchObject({ residentId: wangId, residentName: '王秀英', actedByName: '李建国', status: 'confirmed', code, serviceName: FAMILY_SERVICE });
    await visible(li, '[data-testid="booking-open"]').click();
    await visible(li, '[data-testid="booking-code"]').getByText(code!).waitFor();
    await visible(li, '.booking-status').getByText('李建国代约', { exact: true }).waitFor();
    await visible(li, '.page-booking-detail').getByText('王秀英', { exact: true }).waitFor();
    expect(await visible(li, '[data-testid="booking-history"]').innerText()).toContain('李建国');
    await shot(li, '19-family-booking-page.png');
    await visible(li, '[data-testid="booking-history"]').scrollIntoViewIfNeeded();
    await shot(li, '20-family-booking-history.png');

    // He goes back and picks another time for her, but has not confirmed yet.
    await li.goBack();
    await pickSlot(li, second!);
    expect((await visible(li, '[data-testid="booking-confirm"]').innerText()).replace(/\s+/g, ' ')).toContain('为谁约 王秀英（代约）');

    // 3. 王秀英 finds it in 我的预约, made by 李建国, and a message in 消息 saying so.
    await open(wang, 'pages/me/index');
    await visible(wang, '[data-testid="me-bookings"]').click();
    const item = visibleWith(wang, '[data-testid="booking-item"]', FAMILY_SERVICE);
    await item.waitFor();
    await shot(wang, '21-family-her-bookings.png');
    await item.click();
    await visible(wang, '[data-testid="booking-code"]').getByText(code!).waitFor();
    await visible(wang, '.booking-status').getByText('李建国代约', { exact: true }).waitFor();
    await open(wang, 'pages/me/index');
    await visible(wang, '[data-testid="me-inbox"]').click();
    const message = visibleWith(wang, '[data-testid="message"]', '有人为您预约了服务');
    await message.waitFor();
    expect(await message.innerText()).toContain(`李建国为您预约了${FAMILY_SERVICE}`);
    await shot(wang, '22-family-her-inbox.png');

    // 4. In 长辈版 she takes the authority back.
    await open(wang, 'pages/me/index');
    await visible(wang, '[data-testid="elderly-switch"]').click();
    await visible(wang, '.shell--elderly').waitFor();
    await visible(wang, '[data-testid="me-authority"]').click();
    const revoke = visible(wang, `[data-testid="revoke-${authority.id}"]`);
    await revoke.waitFor();
    await expectLarge(wang, '授权家人代办');
    await shot(wang, '23-family-authority-elderly.png');
    await revoke.click();
    const revoked = visible(wang, '[data-testid="authority-notice"]').getByText('已收回给李建国的授权', { exact: true });
    await revoked.waitFor();
    await visible(wang, '.page-authority').getByText('还没有授权任何人').waitFor();
    expect(await wang.locator(`[data-testid="revoke-${authority.id}"] >> visible=true`).count()).toBe(0);
    await expectLarge(wang, '授权家人代办, taken back');
    await shot(wang, '24-family-revoked-elderly.png');
    const after = (await call<{ given: Authority[] }>('/api/v1/authorities', { token: wangLogin.accessToken })).given.find((a) => a.id === authority.id);
    expect(after).toMatchObject({ active: false });
    expect(after?.revokedAt).toBeTruthy();

    // 5. His page, still open on her: the booking is refused in the API's words.
    const refusedAnswer = li.waitForResponse((r) => r.url().endsWith('/api/v1/bookings') && r.request().method() === 'POST');
    await visible(li, '[data-testid="booking-submit"]').click();
    const refusal = await refusedAnswer;
    expect(refusal.status()).toBe(403);
    expect(((await refusal.json()) as { error: { code: string } }).error.code).toBe('ACTING_NOT_ALLOWED');
    await visible(li, '[data-testid="book-for-refused"]').getByText('您没有替这位居民办理的授权', { exact: true }).waitFor();
    // The page drops her as a choice at once, and nothing stays chosen for the next tap.
    await li.locator('[data-testid="book-for"] >> visible=true').waitFor({ state: 'detached' });
    expect(await li.locator('[data-testid="booking-confirm"] >> visible=true').count()).toBe(0);
    await shot(li, '25-family-refused.png');
    const direct = await request<{ error: { code: string; message: string } }>('/api/v1/bookings', {
      method: 'POST',
      token: liLogin.accessToken,
      key: `e2e-${Date.now()}-after-revoke`,
      body: { slotId: second!.id, forResidentId: wangId },
    });
    expect(direct).toEqual({ status: 403, body: { error: { code: 'ACTING_NOT_ALLOWED', message: '您没有替这位居民办理的授权' } } });
    const hers = (await call<{ items: Booking[] }>('/api/v1/bookings?scope=upcoming', { token: wangLogin.accessToken })).items;
    expect(hers.filter((b) => b.serviceName === FAMILY_SERVICE).map((b) => b.id)).toEqual([bookingId]);

    // After a reload, once the page has read his authorities, 王秀英 is no longer a choice.
    const authorities = li.waitForResponse((r) => r.url().endsWith('/api/v1/authorities') && r.request().method() === 'GET');
    await li.reload();
    await authorities;
    await visible(li, '[data-testid="slot-days"]').waitFor();
    await li.waitForLoadState('networkidle');
    expect(await li.locator('[data-testid="book-for"] >> visible=true').count()).toBe(0);
    expect(await li.locator(`[data-testid="book-for-${wangId}"]`).count()).toBe(0);
    await pickSlot(li, second!);
    expect(await visible(li, '[data-testid="booking-confirm"]').innerText()).not.toContain('为谁约');
    await shot(li, '26-family-choice-gone.png');
    expect(errors).toEqual([]);
  });
});
