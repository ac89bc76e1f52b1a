import { bootApp, describeWeapp, openPage, text, until, type Routes, type WxRequest } from './support/weapp';

const id = (c: string) => c.repeat(24);
const pollId = id('1');
const user = {
  id: id('a'),
  nickname: '王阿姨',
  displayName: '王秀英',
  phoneMasked: '138****1234',
  roles: ['resident', 'owner'],
  communityId: id('d'),
  gridIds: [],
  propertyCompanyId: null,
  kind: 'wechat',
  createdAt: '2026-11-01T09:00:00+08:00',
};
const loginOk = {
  status: 200,
  body: {
    accessToken: 'access-sim',
    accessTokenExpiresAt: '2026-11-26T12:00:00+08:00',
    refreshToken: 'refresh-token-sim-0123456789abcdef',
    refreshTokenExpiresAt: '2026-12-26T12:00:00+08:00',
    user,
  },
};
const room = { bindingId: id('e'), roomId: id('c'), label: '1号楼 1单元 101', relation: 'owner', status: 'approved' };

const iso = (hours: number) => new Date(Date.now() + (hours + 8) * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
const questions = [{ title: '是否同意1号楼1、2单元加装电梯', kind: 'yesno', options: ['同意', '反对', '弃权'], minPicks: 1, maxPicks: 1, matter: 7 }];
function poll(over: Record<string, unknown> = {}) {
  return {
    id: pollId,
    title: '1号楼加装电梯',
    description: '1号楼1、2单元各加装一部电梯。',
    questions,
    opensAt: iso(-24),
    closesAt: iso(24 * 13),
    status: 'open',
    countingUnit: 'owner',
    secrecy: 'named',
    resultVisibility: 'after_close',
    scopeLabel: '1号楼',
    ruleText: '本次为业主共同决定事项（改建、重建建筑物及其附属设施），按《民法典》第二百七十八条计票：……记名投票，工作人员能看到每张票。',
    noticeDays: 7,
    noticeUntil: null,
    participation: { heads: 12, totalHeads: 60, area: 105000, totalArea: 540000 },
    myUnits: [{ key: 'owners:a1', label: '1号楼 1单元 101', voted: false, channel: null, forResidentId: null }],
    canVote: true,
    resultAvailable: false,
    topicId: null,
    ...over,
  };
}

function resident(extra: Routes = {}): Routes {
  return {
    'POST /api/v1/auth/wechat': loginOk,
    'GET /api/v1/me': { status: 200, body: { ...user, rooms: [room] } },
    'GET /api/v1/authorities': { status: 200, body: { given: [], received: [] } },
    ...extra,
  };
}

const ballots = (requests: WxRequest[]) => requests.filter((r) => r.method === 'POST' && r.path === `/api/v1/polls/${pollId}/ballots`);

describeWeapp('the vote subpackage in miniprogram-simulate', () => {
  it('the ballot page: an answer, 提交, 确认投票 — one ballot with a key, then the receipt to copy', async () => {
    let voted = false;
    const env = bootApp({
      storage: { 'cs.elderly.v1': JSON.stringify({ on: true }) },
      routes: resident({
        [`GET /api/v1/polls/${pollId}`]: () => ({
          status: 200,
          body: voted ? poll({ canVote: false, myUnits: [{ key: 'owners:a1', label: '1号楼 1单元 101', voted: true, channel: 'online', forResidentId: null }] }) : poll(),
        }),
        [`POST /api/v1/polls/${pollId}/ballots`]: () => {
          voted = true;
          return { status: 201, body: { pollId, unitKey: 'owners:a1', unitLabel: '1号楼 1单元 101', channel: 'online', receipt: 'ABCD-EFGH-JKMN', castAt: iso(0) } };
        },
      }),
    });
    const { page } = openPage('vote/poll/index', { id: pollId });
    await until(() => expect(text(page)).toContain('是否同意1号楼1、2单元加装电梯'));
    expect(page.querySelector('.shell')?.dom.getAttribute('class')).toContain('shell--elderly');
    expect(text(page)).toContain('按《民法典》第二百七十八条计票');
    expect(text(page)).toContain('已投 12/60位业主');

    page.querySelector('.ballot-option-0-0')!.dispatchEvent('tap');
    await until(() => expect(page.querySelector('.ballot-option--on')).toBeTruthy());
    page.querySelector('.ballot-submit')!.dispatchEvent('tap');
    await until(() => expect(text(page)).toContain('您选择了：同意。投了就不能改。'));
    expect(ballots(env.requests)).toHaveLength(0);

    page.querySelector('.ballot-confirm')!.dispatchEvent('tap');
    await until(() => expect(text(page)).toContain('ABCD-EFGH-JKMN'));
    // The receipt's meaning as the page says it now (issue 12): receipt and counting, never the choice.
    expect(text(page)).toContain('这张回执能查到您的票已收到并计入，但看不出您投了什么');
    const sent = ballots(env.requests);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.data).toEqual({ answers: [[0]] });
    expect(sent[0]!.header['Idempotency-Key']).toMatch(/^[A-Za-z0-9]{16,128}$/);
    expect(sent[0]!.header.Authorization).toBe('Bearer access-sim');
    await until(() => expect(text(page)).toContain('您家已投票（线上投票）'));

    page.querySelector('.receipt-copy')!.dispatchEvent('tap');
    await until(() => expect(env.calls.setClipboardData?.length).toBe(1));
    expect(env.calls.setClipboardData![0]).toMatchObject({ data: 'ABCD-EFGH-JKMN' });
    // 长辈版: nothing popped up along the way.
    expect(env.calls.showModal).toBeUndefined();
    expect(env.calls.showToast).toBeUndefined();
  });

  it('the 议事 tab puts 待我表决 first', async () => {
    bootApp({
      routes: resident({
        'GET /api/v1/polls': { status: 200, body: { items: [poll({ id: id('3'), title: '小区停车位划线方案', status: 'closed', canVote: false, resultAvailable: true }), poll()] } },
        'GET /api/v1/topics': { status: 200, body: { items: [] } },
      }),
    });
    const { page } = openPage('pages/deliberation/index');
    await until(() => expect(text(page)).toContain('小区停车位划线方案'));
    const all = text(page);
    expect(all).toContain('待我表决（1）');
    expect(all.indexOf('1号楼加装电梯')).toBeLessThan(all.indexOf('小区停车位划线方案'));
    expect(all).toContain('查看结果');
    expect(all).toContain('发起议题');
    expect(all).toContain('查回执');
  });
});
