import { bootApp, describeWeapp, openPage, text, until, type Routes, type WxRequest } from './support/weapp';

const id = (c: string) => c.repeat(24);
const activityId = id('1');
const user = {
  id: id('a'),
  nickname: '王阿姨',
  displayName: '王秀兰',
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

/** Shanghai wall clock of now + hours, as the API writes it. */
const iso = (hours: number) => new Date(Date.now() + (hours + 8) * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');

function activity(over: Record<string, unknown> = {}) {
  return {
    id: activityId,
    type: 'volunteer',
    title: '河滨公园清洁',
    description: '捡拾垃圾、清理河岸，手套和夹子现场发。',
    place: '河滨公园南门',
    organiser: '滨河社区新时代文明实践站',
    startAt: iso(48),
    endAt: iso(50),
    signupOpensAt: iso(-72),
    signupClosesAt: iso(24),
    capacity: 20,
    seatsLeft: 5,
    waiting: 0,
    cancelCutoffMinutes: 120,
    skills: [],
    minAge: 60,
    maxAge: null,
    pointsPerHour: 10,
    status: 'published',
    mySignup: null,
    ...over,
  };
}

function resident(extra: Routes = {}): Routes {
  return {
    'POST /api/v1/auth/wechat': loginOk,
    'GET /api/v1/me': { status: 200, body: { ...user, rooms: [] } },
    'GET /api/v1/authorities': { status: 200, body: { given: [], received: [] } },
    ...extra,
  };
}

const signups = (requests: WxRequest[]) => requests.filter((r) => r.method === 'POST' && r.path === `/api/v1/activities/${activityId}/signups`);

describeWeapp('the volunteer subpackage in miniprogram-simulate', () => {
  it('the activity page: facts, 我要报名, 确认报名 — one sign-up with a key, then 已报名', async () => {
    let signedUp = false;
    const env = bootApp({
      routes: resident({
        [`GET /api/v1/activities/${activityId}`]: () => ({
          status: 200,
          body: activity(signedUp ? { seatsLeft: 4, mySignup: { id: id('3'), status: 'confirmed', waitPosition: null, checkInAt: null, checkOutAt: null } } : {}),
        }),
        [`POST /api/v1/activities/${activityId}/signups`]: () => {
          signedUp = true;
          return {
            status: 201,
            body: {
              id: id('3'), activityId, activityTitle: '河滨公园清洁', residentId: user.id, residentName: '王秀兰', status: 'confirmed',
              waitPosition: null, checkInAt: null, checkOutAt: null, scannedMinutes: null, confirmedMinutes: null, actedByName: null,
            },
          };
        },
      }),
    });
    const { page } = openPage('volunteer/activity/index', { id: activityId });
    await until(() => expect(text(page)).toContain('共20人，剩5个名额'));
    expect(text(page)).toContain('河滨公园南门');
    expect(text(page)).toContain('滨河社区新时代文明实践站');
    expect(text(page)).toContain('60岁以上');
    expect(text(page)).toContain('每服务1小时得10积分');

    page.querySelector('.signup-open')!.dispatchEvent('tap');
    await until(() => expect(text(page)).toContain('确定为自己报名吗？'));
    expect(signups(env.requests)).toHaveLength(0);
    page.querySelector('.signup-submit')!.dispatchEvent('tap');
    await until(() => expect(text(page)).toContain('报名成功！活动当天到现场扫码签到。'));
    const sent = signups(env.requests);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.data).toEqual({});
    expect(sent[0]!.header['Idempotency-Key']).toMatch(/^[A-Za-z0-9]{16,128}$/);
    expect(sent[0]!.header.Authorization).toBe('Bearer access-sim');
    await until(() => expect(text(page)).toContain('共20人，剩4个名额'));
    expect(text(page)).toContain('取消报名');
    expect(env.calls.showModal).toBeUndefined();
  });

  it('the 志愿 tab lists the activities with places and the sign-up window', async () => {
    bootApp({
      routes: resident({
        'GET /api/v1/activities': { status: 200, body: { items: [activity(), activity({ id: id('2'), type: 'culture', title: '广场舞友谊赛', seatsLeft: 0, waiting: 3 })] } },
        'GET /api/v1/volunteers/me': { status: 200, body: { minutes: 90, points: 15, hoursLedger: [], pointsLedger: [], signups: [] } },
        'GET /api/v1/campaigns': { status: 200, body: { items: [] } },
      }),
    });
    const { page } = openPage('pages/volunteer/index');
    await until(() => expect(text(page)).toContain('广场舞友谊赛'));
    const all = text(page);
    expect(all).toContain('河滨公园清洁');
    expect(all).toContain('名额已满 · 3人在候补');
    expect(all).toContain('报名中');
    expect(all).toContain('文体活动');
    await until(() => expect(text(page)).toContain('1.5'));
  });
});
