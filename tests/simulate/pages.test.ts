import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { bootApp, describeWeapp, openPage, text, until, type Routes } from './support/weapp';

function weappHasDevLogin(): boolean {
  const dist = path.resolve(__dirname, '../../miniapp/dist/weapp');
  try {
    execFileSync('grep', ['-rqF', 'dev/personas', dist]);
    return true;
  } catch {
    return false;
  }
}

const id = (c: string) => c.repeat(24);
const user = {
  id: id('a'),
  nickname: '王阿姨',
  displayName: '王秀兰',
  phoneMasked: '138****1234',
  roles: ['resident', 'owner'],
  communityId: null,
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
const room = (status: string) => ({
  bindingId: id('e'),
  roomId: id('d'),
  label: '3号楼 2单元 1201',
  relation: 'owner',
  status,
});

const day = new Date(Date.now() + 8 * 3600_000 + 86400_000).toISOString().slice(0, 10);
const service = {
  id: id('1'),
  name: '社保卡申领与补换',
  category: 'social_security',
  summary: '第三代社保卡申领、挂失补换',
  guide: { materials: ['居民身份证原件'], location: '党群服务中心一楼 1号窗口', duration: '约20分钟', steps: [], notes: '' },
  oneWindow: true,
  fullAgency: false,
  slotMinutes: 30,
  capacity: 4,
  weeklyHours: [{ weekday: 1, start: '09:00', end: '12:00' }],
  closedDays: [],
  cutoffMinutes: 120,
  maxActivePerResident: 1,
  bookingWindowDays: 14,
  contactPhone: '0936-8210001',
  status: 'active',
};
const slot = (c: string, start: string, end: string, seatsLeft: number, waitlistLength = 0) => ({
  id: id(c),
  serviceId: service.id,
  date: day,
  startAt: `${day}T${start}:00+08:00`,
  endAt: `${day}T${end}:00+08:00`,
  capacity: 4,
  seatsLeft,
  waitlistLength,
  bookable: true,
});
const slots = [slot('3', '09:00', '09:30', 3), slot('4', '09:30', '10:00', 0, 2)];
const bookingBody = {
  id: id('6'),
  code: 'K7M2Q9',
  residentId: id('a'),
  residentName: '王秀兰',
  serviceId: service.id,
  serviceName: service.name,
  slotId: id('3'),
  startAt: slots[0]!.startAt,
  endAt: slots[0]!.endAt,
  location: service.guide.location,
  materials: service.guide.materials,
  status: 'confirmed',
  waitlistPosition: null,
  cancelDeadline: `${day}T07:00:00+08:00`,
  canChange: true,
  contactPhone: service.contactPhone,
  actedByName: null,
  rating: null,
  history: [],
  matter: null,
  createdAt: `${day}T07:00:00+08:00`,
};

function resident(rooms: unknown[] = [], extra: Routes = {}): Routes {
  return {
    'POST /api/v1/auth/wechat': loginOk,
    'GET /api/v1/me': { status: 200, body: { ...user, rooms } },
    ...extra,
  };
}

/** The shell's class list as rendered (simulate prefixes classes with the tag name). */
function shellClass(page: { querySelector(s: string): { dom: Element } | null }): string {
  return page.querySelector('.shell')?.dom.getAttribute('class') ?? '';
}

describeWeapp('weapp build in miniprogram-simulate', () => {
  it('logs in with wx.login at launch and greets the resident on the home page', async () => {
    const env = bootApp({ loginCode: 'code-123', routes: resident() });
    const { page } = openPage('pages/index/index');
    await until(() => expect(text(page)).toContain('去绑定房屋'));
    expect(text(page)).toContain('王秀兰');
    expect(env.requests.filter((r) => r.path === '/api/v1/auth/wechat')).toHaveLength(1);
    expect(env.requests.find((r) => r.path === '/api/v1/auth/wechat')?.data).toEqual({ code: 'code-123' });
    expect(env.requests.find((r) => r.path === '/api/v1/me')?.header.Authorization).toBe('Bearer access-sim');
    expect(JSON.parse(String(env.storage.get('cs.tokens.v1'))).accessToken).toBe('access-sim');
  });

  it('shows a bound room instead of the prompt', async () => {
    bootApp({ routes: resident([room('approved')]) });
    const { page } = openPage('pages/index/index');
    await until(() => expect(text(page)).toContain('3号楼 2单元 1201'));
    expect(text(page)).toContain('已绑定');
    expect(text(page)).not.toContain('去绑定房屋');
  });

  it('办事 lists the catalogue by category with its flags', async () => {
    const env = bootApp({ routes: resident([], { 'GET /api/v1/services': { status: 200, body: { items: [service] } } }) });
    const { page } = openPage('pages/services/index');
    await until(() => expect(text(page)).toContain('社保卡申领与补换'));
    expect(text(page)).toContain('社保医保');
    expect(text(page)).toContain('一窗受理');
    expect(env.requests.find((r) => r.path === '/api/v1/services')?.header.Authorization).toBe('Bearer access-sim');
  });

  it('the booking subpackage: a service page with its guide and slots (seats left, 约满 → 候补)', async () => {
    const env = bootApp({
      routes: resident([], {
        [`GET /api/v1/services/${service.id}`]: { status: 200, body: service },
        [`GET /api/v1/services/${service.id}/slots`]: { status: 200, body: { items: slots } },
      }),
    });
    const { page } = openPage('booking/service/index', { id: service.id });
    await until(() => expect(text(page)).toContain('剩3个名额'));
    expect(text(page)).toContain('社保卡申领与补换');
    expect(text(page)).toContain('居民身份证原件');
    expect(text(page)).toContain('约满 · 候补2人');
    expect(text(page)).toContain('一窗受理');
    expect(env.requests.map((r) => r.path)).toContain(`/api/v1/services/${service.id}/slots`);
  });

  it('the booking detail page draws the QR code out of views and shows the code', async () => {
    bootApp({ routes: resident([], { [`GET /api/v1/bookings/${id('6')}`]: { status: 200, body: bookingBody } }) });
    const { page } = openPage('booking/detail/index', { id: id('6') });
    await until(() => expect(text(page)).toContain('K7M2Q9'));
    expect(page.querySelectorAll('.qr__row').length).toBe(21);
    expect(page.querySelectorAll('.qr__run--dark').length).toBeGreaterThan(21);
    expect(text(page)).toContain('前可以取消或改约');
  });

  it('我的: profile, role labels, room status, and the 长辈版 switch persists', async () => {
    const env = bootApp({ routes: resident([room('pending')]) });
    const { page } = openPage('pages/me/index');
    await until(() => expect(text(page)).toContain('待审核'));
    expect(text(page)).toContain('王秀兰');
    expect(text(page)).toContain('138****1234');
    expect(text(page)).toContain('居民');
    expect(text(page)).toContain('业主');
    expect(text(page)).toContain('待审核');
    expect(text(page)).not.toContain('工作台');
    expect(shellClass(page)).not.toContain('shell--elderly');

    page.querySelector('.switch-row')!.dispatchEvent('tap');
    await until(() => expect(shellClass(page)).toContain('shell--elderly'));
    expect(JSON.parse(String(env.storage.get('cs.elderly.v1')))).toEqual({ on: true });
    expect(text(page)).toContain('已开启');
  });

  it('staff see the 工作台 entry', async () => {
    bootApp({
      routes: {
        'POST /api/v1/auth/wechat': loginOk,
        'GET /api/v1/me': { status: 200, body: { ...user, roles: ['grid_worker'], rooms: [] } },
      },
    });
    const { page } = openPage('pages/me/index');
    await until(() => expect(text(page)).toContain('工作台'));
    expect(text(page)).toContain('网格员');
  });

  it('follows a large WeChat font when the person never chose', async () => {
    bootApp({ fontSizeSetting: 20, routes: resident() });
    const { page } = openPage('pages/me/index');
    await until(() => expect(text(page)).toContain('王秀兰'));
    expect(shellClass(page)).toContain('shell--elderly');
  });

  it('a stored choice wins over the WeChat font size', async () => {
    bootApp({ fontSizeSetting: 20, storage: { 'cs.elderly.v1': JSON.stringify({ on: false }) }, routes: resident() });
    const { page } = openPage('pages/me/index');
    await until(() => expect(text(page)).toContain('王秀兰'));
    expect(shellClass(page)).not.toContain('shell--elderly');
  });

  it('a refused WeChat login lands on the login page with the API’s message', async () => {
    const env = bootApp({
      routes: {
        'POST /api/v1/auth/wechat': { status: 400, body: { error: { code: 'WECHAT_CODE_INVALID', message: '微信登录凭证无效，请重新打开小程序' } } },
      },
    });
    openPage('pages/index/index');
    await until(() => expect(env.calls.reLaunch?.length).toBeGreaterThan(0));
    expect(env.calls.reLaunch![0]).toMatchObject({ url: '/pages/login/index?back=1' });
    const { page } = openPage('pages/login/index');
    await until(() => expect(text(page)).toContain('微信登录凭证无效，请重新打开小程序'));
    expect(text(page)).toContain('微信一键登录');
    // npm test builds the weapp without the demo persona picker, as a release is built;
    // `npm start` builds it with the picker for WeChat DevTools and the stand-in.
    if (!weappHasDevLogin()) expect(text(page)).not.toContain('体验身份');
  });

  it('the binding subpackage page loads the buildings to choose from', async () => {
    bootApp({
      routes: resident([], {
        'GET /api/v1/spaces/buildings': {
          status: 200,
          body: { items: [{ id: id('b'), name: '3号楼', gridId: id('f'), propertyCompanyId: null, unitCount: 2 }] },
        },
      }),
    });
    const { page } = openPage('binding/apply/index');
    await until(() => expect(text(page)).toContain('3号楼'));
    expect(text(page)).toContain('选择楼栋');
    expect(text(page)).toContain('提交申请');
    expect(text(page)).toContain('我有邀请码');
  });

  it('the staff subpackage refuses a resident politely', async () => {
    bootApp({ routes: resident() });
    const { page } = openPage('staff/bindings/index');
    await until(() => expect(text(page)).toContain('没有权限'));
  });
});
