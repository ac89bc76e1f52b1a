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

  it('the feature tabs say honestly what is coming', async () => {
    for (const [route, words] of [
      ['pages/services/index', '便民服务预约'],
      ['pages/deliberation/index', '居民议事与投票'],
      ['pages/volunteer/index', '志愿服务与文明实践'],
    ] as const) {
      bootApp({ routes: resident() });
      const { page } = openPage(route);
      await until(() => expect(text(page)).toContain(words));
      expect(text(page)).toContain('即将开放');
    }
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
    expect(env.calls.reLaunch![0]).toMatchObject({ url: '/pages/login/index' });
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
