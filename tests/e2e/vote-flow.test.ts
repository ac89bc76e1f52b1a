import path from 'node:path';
import { writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { call, personaToken, request, tokenOf } from './api';
import { baseUrl, desk, deskLogin, expectLarge, launch, loginPersona, open, phone, screenshotDir, shot, visible } from './browser';

/**
 * 居民议事与投票 end to end on the H5 build against the seeded API: centre staff
 * open an owner vote (art. 278, matter 4) on 1号楼; 王秀英 votes in three taps in
 * 长辈版 and gets a receipt; grid 1's worker enters a door-to-door ballot for
 * another owner of the building with a photo of the signed ballot; staff close
 * the vote; the result page shows the four figures of both tests as the API
 * counted them, and the chain verifies.
 */
const run = baseUrl ? describe : describe.skip;
if (!baseUrl) {
  if (process.env.CI) throw new Error('E2E_BASE_URL is not set: run the browser tests through `npm test`');
  process.stderr.write('e2e: skipped (no E2E_BASE_URL; `npm test` starts the app for them)\n');
}

/** A 1×1 PNG as the photo of the signed ballot. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

let browser: Browser;
beforeAll(async () => {
  if (baseUrl) browser = await launch();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

run('votes', () => {
  it('a resident votes in 长辈版, a grid worker enters a paper ballot, staff close, the result shows both art. 278 tests', async () => {
    const centre = await tokenOf('/api/v1/auth/staff', { username: 'centre', password: 'community2026' });
    const buildings = await call<{ items: { id: string; name: string }[] }>('/api/v1/spaces/buildings', { token: centre });
    const b1 = buildings.items.find((b) => b.name === '1号楼')!.id;
    const now = Date.now();
    const created = await call<{ id: string }>('/api/v1/staff/polls', {
      method: 'POST',
      token: centre,
      body: {
        title: '续聘金城物业',
        questions: [{ title: '是否同意续聘金城物业服务有限公司', kind: 'yesno', matter: 4 }],
        opensAt: new Date(now - 60_000).toISOString(),
        closesAt: new Date(now + 86_400_000).toISOString(),
        countingUnit: 'owner',
        secrecy: 'named',
        scope: { kind: 'buildings', ids: [b1] },
      },
    });
    const pollId = created.id;
    const opened = await call<{ participation: { totalHeads: number; totalArea: number } }>(`/api/v1/staff/polls/${pollId}/open`, { method: 'POST', token: centre });

    // 王秀英, in 长辈版: the option, 提交, 确认投票 — three taps — then the receipt.
    const wang: Page = await (await phone(browser)).newPage();
    await loginPersona(wang, 'test-demo-owner-wang');
    await open(wang, 'pages/me/index');
    await visible(wang, '[data-testid="elderly-switch"]').click();
    await visible(wang, '.shell--elderly').waitFor();
    await open(wang, `vote/poll/index?id=${pollId}`);
    await visible(wang, '[data-testid="option-0-0"]').waitFor();
    await expectLarge(wang, 'ballot page');
    await shot(wang, '30-vote-ballot-elderly.png');
    await visible(wang, '[data-testid="option-0-0"]').click();
    await visible(wang, '[data-testid="ballot-submit"]').click();
    await visible(wang, '[data-testid="confirm-words"]').waitFor();
    expect(await visible(wang, '[data-testid="confirm-words"]').textContent()).toContain('同意');
    await shot(wang, '31-vote-confirm-elderly.png');
    await visible(wang, '[data-testid="ballot-confirm-submit"]').click();
    const receipt = (await visible(wang, '[data-testid="receipt-code"]').textContent())!.trim();
    expect(receipt).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await shot(wang, '32-vote-receipt-elderly.png');

    // Grid 1's worker enters a door-to-door ballot (反对) for the owner of 1号楼 2单元 101.
    const grid = await desk(browser);
    await deskLogin(grid, 'grid1');
    const nonVoters = await call<{ items: { unitKey: string; label: string }[] }>(`/api/v1/staff/polls/${pollId}/non-voters`, { token: await tokenOf('/api/v1/auth/staff', { username: 'grid1', password: 'community2026' }) });
    const unit = nonVoters.items.find((u) => u.label.endsWith('2单元 101'))!;
    await open(grid, `staff/paper-ballot/index?id=${pollId}&unit=${encodeURIComponent(unit.unitKey)}`);
    await visible(grid, '[data-testid="ballot-answers"]').waitFor();
    await visible(grid, '[data-testid="ballot-answers"]').getByText('反对', { exact: true }).click();
    await visible(grid, '[data-testid="ballot-channel"]').getByText('上门投票').click();
    const photoFile = path.join(screenshotDir, 'signed-ballot.png');
    writeFileSync(photoFile, PNG);
    const [chooser] = await Promise.all([grid.waitForEvent('filechooser'), visible(grid, '[data-testid="ballot-photo"]').locator('.tap').first().click()]);
    await chooser.setFiles(photoFile);
    await visible(grid, '[data-testid="photo-uploaded"]').waitFor();
    await shot(grid, '33-vote-paper-ballot.png');
    await visible(grid, '[data-testid="ballot-submit"]').click();
    await visible(grid, '[data-testid="ballot-done"]').waitFor();
    await shot(grid, '34-vote-paper-done.png');

    // Staff close; the result is published at once in this stack.
    await call(`/api/v1/staff/polls/${pollId}/close`, { method: 'POST', token: centre });
    const result = await call<{ questions: { owner: { participation: { headsPart: number; headsWhole: number; areaPart: number }; approval: { headsPart: number; headsWhole: number }; passed: boolean } }[] }>(
      `/api/v1/polls/${pollId}/result`,
      { token: await personaToken('test-demo-owner-wang') },
    );
    const owner = result.questions[0]!.owner;
    expect(owner.participation).toMatchObject({ headsPart: 2, headsWhole: opened.participation.totalHeads });
    expect(owner.approval).toMatchObject({ headsPart: 1, headsWhole: 2 });
    expect(owner.passed).toBe(false);

    await open(wang, `vote/result/index?id=${pollId}`);
    await visible(wang, '[data-testid="art278-0"]').waitFor();
    expect(await visible(wang, '[data-testid="participation-0-heads-figures"]').textContent()).toContain(`2 / ${opened.participation.totalHeads}`);
    expect(await visible(wang, '[data-testid="approval-0-heads-figures"]').textContent()).toContain('1 / 2');
    expect(await visible(wang, '[data-testid="outcome-0"]').textContent()).toContain('未通过');
    await shot(wang, '35-vote-result-elderly.png');
    await visible(wang, '[data-testid="verify-run"]').click();
    await visible(wang, '[data-testid="verify-ok"]').waitFor();
    await shot(wang, '36-vote-verified-elderly.png');

    // The receipt finds her ballot in the chain.
    // (A named poll: a batch of one. The receipt says where, never what.)
    const found = await request<{ sealed: boolean; seq: number; batchSize: number }>(`/api/v1/receipts/${receipt}`);
    expect(found.status).toBe(200);
    expect(found.body.sealed).toBe(true);
    expect(found.body.batchSize).toBe(1);
    expect(JSON.stringify(found.body)).not.toMatch(/answers|同意|反对/);
  }, 180_000);
});
