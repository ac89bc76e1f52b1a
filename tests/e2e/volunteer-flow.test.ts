import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { call, loginAs, tokenOf } from './api';
import { baseUrl, deskLogin, expectLarge, launch, loginPersona, open, phone, shot, visible, visibleWith } from './browser';

/**
 * 志愿服务 end to end on the H5 build against the seeded API. Centre staff
 * publish an activity starting in a quarter of an hour (sign-up open now, the
 * scan window already open through its 30-minute grace). 刘桂兰 (72, lives
 * alone) in 长辈版 signs up; the organiser shows the check-in poster on the
 * staff page; she opens the link its QR code holds, which checks her in, opens
 * it again on the way out (签退), and a third time, which says she already
 * checked out. Her scanned time is ~0 (she left at once), so the organiser
 * confirms an hour on the attendance page with a reason. She sees the hour in
 * 我的志愿, asks for the certificate and downloads the PDF; the verification
 * link printed on it opens the public 核验 page, which says 有效 to anyone,
 * and 已撤销 (with the date and reason) once the centre revokes it.
 */
const run = baseUrl ? describe : describe.skip;
if (!baseUrl) {
  if (process.env.CI) throw new Error('E2E_BASE_URL is not set: run the browser tests through `npm test`');
  process.stderr.write('e2e: skipped (no E2E_BASE_URL; `npm test` starts the app for them)\n');
}

interface Signup {
  id: string;
  residentName: string;
  status: string;
  scannedMinutes: number | null;
  confirmedMinutes: number | null;
}
interface CertificateMine {
  serial: string;
  status: string;
  verifyUrl: string;
  totalMinutes: number;
}

let browser: Browser;
beforeAll(async () => {
  if (baseUrl) browser = await launch();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();

/** Opens the poster's link as a phone's camera would: a fresh load of the page (not a hash change within the app). */
async function scanTitle(page: Page, link: string): Promise<string> {
  await page.goto('about:blank');
  await page.goto(link);
  const title = visible(page, '[data-testid="scan-title"]');
  await title.waitFor();
  return (await title.innerText()).trim();
}

run('志愿服务, end to end in the browser', () => {
  jest.setTimeout(300_000);

  it('an elder signs up in 长辈版, checks in and out by the poster’s link, the organiser confirms, the certificate downloads and verifies', async () => {
    const errors: string[] = [];
    const centre = await tokenOf('/api/v1/auth/staff', { username: 'centre', password: 'community2026' });
    const liu = await loginAs('/api/v1/auth/wechat', { code: 'test-demo-elder-liu' });
    const title = `楼道清洁志愿服务${Date.now().toString(36).slice(-4)}`;
    const activity = await call<{ id: string }>('/api/v1/staff/activities', {
      method: 'POST',
      token: centre,
      key: `e2e-volunteer-${Date.now()}`,
      body: {
        type: 'volunteer',
        title,
        description: '清理楼道杂物，手套和垃圾袋现场发。',
        place: '5号楼1单元楼下',
        organiser: '滨河社区新时代文明实践站',
        startAt: minutes(15),
        endAt: minutes(75),
        signupOpensAt: minutes(-60),
        signupClosesAt: minutes(10),
        capacity: 10,
        graceMinutes: 30,
      },
    });

    // 1. 刘桂兰 turns on 长辈版 and signs up.
    const elder = await (await phone(browser)).newPage();
    elder.on('pageerror', (e) => errors.push(String(e)));
    await loginPersona(elder, 'test-demo-elder-liu');
    await open(elder, 'pages/me/index');
    await visible(elder, '[data-testid="elderly-switch"]').click();
    await visible(elder, '.shell--elderly').waitFor();
    await open(elder, `volunteer/activity/index?id=${activity.id}`);
    await visible(elder, '[data-testid="activity-facts"]').waitFor();
    expect(await visible(elder, '[data-testid="activity-facts"]').innerText()).toContain('5号楼1单元楼下');
    await expectLarge(elder, 'activity page');
    await visible(elder, '[data-testid="signup-open"]').click();
    await visible(elder, '[data-testid="signup-submit"]').click();
    const signed = visible(elder, '[data-testid="signup-notice"]');
    await signed.waitFor();
    expect(await signed.innerText()).toContain('报名成功');
    await shot(elder, 'vol-1-signed-up-elderly.png');

    // 2. The organiser (centre staff, on a phone) opens 签到码: none yet, so one is made; its QR code holds the scan page's link.
    const organiser = await (await phone(browser)).newPage();
    organiser.on('pageerror', (e) => errors.push(String(e)));
    await deskLogin(organiser, 'centre');
    await open(organiser, 'staff/activities/index');
    const row = visibleWith(organiser, '[data-testid="staff-activity"]', title);
    await row.waitFor();
    await row.locator('[data-testid="open-poster"]').click();
    await visible(organiser, '[data-testid="poster-new"]').click();
    const posterId = (await visible(organiser, '[data-testid="poster-id"]').innerText()).trim();
    expect(posterId).toMatch(/^[A-Za-z0-9]{10}$/);
    const label = (await visible(organiser, '[data-testid="poster-qr"]').getAttribute('aria-label')) ?? '';
    const link = /https?:\/\/\S+p=[A-Za-z0-9]{10}/.exec(label)?.[0] ?? '';
    expect(link).toBe(`${baseUrl}/#/volunteer/scan/index?p=${posterId}`);
    await shot(organiser, 'vol-2-poster.png');
    // Showing it again later does not retire it: the same poster comes back.
    await open(organiser, 'staff/activities/index');
    await visibleWith(organiser, '[data-testid="staff-activity"]', title).locator('[data-testid="open-poster"]').click();
    await visible(organiser, '[data-testid="poster-state"]').getByText('现在有效的签到码').waitFor();
    expect((await visible(organiser, '[data-testid="poster-id"]').innerText()).trim()).toBe(posterId);

    // 3. She opens the link: 签到; again on the way out: 签退; a third time: already checked out, nothing changes.
    expect(await scanTitle(elder, link)).toBe('签到成功');
    await expectLarge(elder, 'scan page');
    await shot(elder, 'vol-3-checked-in.png');
    expect(await scanTitle(elder, link)).toBe('签退成功');
    await shot(elder, 'vol-4-checked-out.png');
    expect(await scanTitle(elder, link)).toBe('您已经签退过了');
    expect(await visible(elder, '[data-testid="scan-result"]').getAttribute('role')).toBe('status');
    await shot(elder, 'vol-5-scanned-again.png');

    const roll = (await call<{ items: Signup[] }>(`/api/v1/staff/activities/${activity.id}/attendance`, { token: centre })).items;
    const mine = roll.find((s) => s.residentName === '刘桂兰')!;
    expect(mine).toMatchObject({ status: 'checked_out', confirmedMinutes: null });
    expect(mine.scannedMinutes).toBe(0);

    // 4. The organiser confirms an hour on the attendance page, with the reason (she came early to set up).
    await open(organiser, `staff/attendance/index?id=${activity.id}`);
    const her = visibleWith(organiser, '[data-testid="attendance-row"]', '刘桂兰');
    await her.waitFor();
    expect(await her.innerText()).toContain('已签退');
    await her.locator(`[data-testid="adjust-open-${mine.id}"]`).click();
    await visible(organiser, '[data-testid="adjust-minutes-input"] input').fill('60');
    await visible(organiser, '[data-testid="adjust-reason-input"] input').fill('提前到场布置，按实际服务1小时');
    await visible(organiser, '[data-testid="adjust-submit"]').click();
    await visibleWith(organiser, '[data-testid="attendance-row"]', '已确认1.0小时').waitFor();
    await shot(organiser, 'vol-6-hours-confirmed.png');

    // 5. She sees the hour in 我的志愿, asks for the certificate and downloads it.
    await open(elder, 'volunteer/me/index');
    await visible(elder, '[data-testid="certificates"]').waitFor();
    expect(await visible(elder, '[data-testid="vol-hours"]').innerText()).toBe('1.0');
    expect(await visible(elder, '[data-testid="vol-points"]').innerText()).toBe('10');
    await expectLarge(elder, '我的志愿');
    await visible(elder, '[data-testid="certificate-issue"]').click();
    const issued = visible(elder, '[data-testid="certificate-notice"]');
    await issued.waitFor();
    expect(await issued.innerText()).toMatch(/证明已开具，编号 ZYFW-\d{4}-\d{6}/);
    await visible(elder, '[data-testid="certificate"]').waitFor();
    await visible(elder, '[data-testid="certificate"]').scrollIntoViewIfNeeded();
    await shot(elder, 'vol-7-certificate.png');
    const [download, pdf] = await Promise.all([
      elder.waitForEvent('download'),
      elder.waitForResponse((r) => /\/api\/v1\/certificates\/ZYFW-\d{4}-\d{6}\/pdf$/.test(r.url())),
      visible(elder, '[data-testid="certificate-download"]').click(),
    ]);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect(download.suggestedFilename()).toMatch(/^志愿服务记录证明_ZYFW-\d{4}-\d{6}\.pdf$/);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    await visible(elder, '[data-testid="certificate-notice"]').getByText(/已下载/).waitFor();

    // 6. The link printed on it opens the public 核验 page: anyone, not signed in, sees 有效.
    const [certificate] = (await call<{ items: CertificateMine[] }>('/api/v1/certificates/mine', { token: liu.accessToken })).items;
    expect(certificate).toMatchObject({ status: 'valid', totalMinutes: 60 });
    expect(certificate!.verifyUrl).toBe(`${baseUrl}/#/volunteer/verify/index?serial=${certificate!.serial}`);
    const stranger = await (await phone(browser)).newPage();
    stranger.on('pageerror', (e) => errors.push(String(e)));
    await stranger.goto(certificate!.verifyUrl);
    const status = visible(stranger, '[data-testid="verify-status-title"]');
    await status.waitFor();
    expect((await status.innerText()).trim()).toBe('有效');
    expect(await visible(stranger, '[data-testid="verify-name"]').innerText()).toContain('刘*兰');
    expect(await visible(stranger, '[data-testid="verify-hours"]').innerText()).toContain('1小时');
    expect(await visible(stranger, '[data-testid="verify-services"]').innerText()).toContain(title);
    expect(stranger.url()).toContain('volunteer/verify/index');
    await shot(stranger, 'vol-8-verify.png');
    // The same page in her 长辈版, from 我的志愿.
    await open(elder, 'volunteer/me/index');
    await visible(elder, '[data-testid="certificate-verify"]').click();
    await visible(elder, '[data-testid="verify-status-title"]').waitFor();
    await expectLarge(elder, '核验 page');
    await shot(elder, 'vol-9-verify-elderly.png');

    // 7. Revoked by the centre: the same link now says 已撤销, in red words, with the date and the reason.
    await call(`/api/v1/staff/certificates/${certificate!.serial}/revoke`, { method: 'POST', token: centre, body: { reason: '服务时长登记有误，将重新出具' } });
    await stranger.reload();
    const revoked = visible(stranger, '[data-testid="verify-status-title"]');
    await revoked.waitFor();
    expect((await revoked.innerText()).trim()).toBe('已撤销');
    expect(await visible(stranger, '[data-testid="verify-status"]').getAttribute('class')).toContain('verify-status--revoked');
    expect(await visible(stranger, '[data-testid="verify-status-detail"]').innerText()).toMatch(/^这份证明已于\d{4}年\d{1,2}月\d{1,2}日撤销，不再有效。撤销原因：服务时长登记有误，将重新出具$/);
    await shot(stranger, 'vol-10-verify-revoked.png');

    expect(errors).toEqual([]);
  });
});
