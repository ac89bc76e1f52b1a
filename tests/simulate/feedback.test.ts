import { bootApp, describeWeapp, openPage, text, until, type Routes } from './support/weapp';

const id = (c: string) => c.repeat(24);
const user = {
  id: id('a'),
  nickname: '王阿姨',
  displayName: '王秀兰',
  phoneMasked: '138****1234',
  roles: ['resident', 'owner'],
  communityId: id('c'),
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
const room = { bindingId: id('e'), roomId: id('d'), label: '3号楼 2单元 1201', buildingId: id('b'), relation: 'owner', status: 'approved' };
const building = { id: id('b'), name: '3号楼', gridId: id('f'), propertyCompanyId: id('9'), unitCount: 2 };
const similar = {
  id: id('1'),
  number: 'FK202611270001',
  kind: 'repair',
  category: 'utilities',
  urgent: false,
  buildingId: id('b'),
  placeLabel: '3号楼 2单元 1101',
  text: '3号楼整栋停水了',
  photoUrls: [],
  status: 'submitted',
  level: 'property',
  holderLabel: '金城物业服务有限公司',
  reporterName: '李*国',
  reporterPhone: null,
  visibility: null,
  mine: false,
  following: false,
  followers: 2,
  promisedBy: new Date(Date.now() + 3 * 3600_000).toISOString(),
  pausedUntil: null,
  overdue: false,
  awaitingAcknowledgement: false,
  rating: null,
  rectification: null,
  history: [],
  createdAt: new Date().toISOString(),
};

function resident(extra: Routes = {}): Routes {
  return {
    'POST /api/v1/auth/wechat': loginOk,
    'GET /api/v1/me': { status: 200, body: { ...user, rooms: [room] } },
    'GET /api/v1/spaces/buildings': { status: 200, body: { items: [building] } },
    'GET /api/v1/cases/similar': { status: 200, body: { items: [similar] } },
    ...extra,
  };
}

/** Taps the element whose text is exactly `words` (the compiled WXML binds tap on each view). */
function tapText(page: { querySelectorAll(s: string): Array<{ dom: Element; dispatchEvent(e: string): void }> }, selector: string, words: string) {
  const el = page.querySelectorAll(selector).find((e) => (e.dom.textContent ?? '').trim().startsWith(words));
  if (!el) throw new Error(`nothing to tap reads “${words}”`);
  el.dispatchEvent('tap');
}

describeWeapp('weapp build: 物业服务反馈', () => {
  it('the report page of the feedback subpackage: big choices, the place, and 同一问题？ once building and category are known', async () => {
    const env = bootApp({ routes: resident() });
    const { page } = openPage('feedback/report/index');
    await until(() => expect(text(page)).toContain('您想反映什么？'));
    for (const words of ['报修', '投诉', '建议', '表扬', '咨询', '水电', '电梯', '紧急（如漏水、停电、困梯）', '我家', '楼栋公共区域', '所有处理人员', '仅社区工作人员', '提交']) {
      expect(text(page)).toContain(words);
    }
    expect(text(page)).toContain('物业和其他居民只会看到“匿名居民”和楼栋，看不到房号');

    tapText(page, '.choice', '水电');
    tapText(page, '.choice', '我家');
    await until(() => expect(text(page)).toContain('同一问题？加入关注'));
    expect(text(page)).toContain('3号楼整栋停水了');
    expect(text(page)).toContain('已有2位邻居关注');
    const asked = env.requests.find((r) => r.path === '/api/v1/cases/similar')!;
    expect(asked.url).toContain(`buildingId=${building.id}`);
    expect(asked.url).toContain('category=utilities');
    expect(asked.header.Authorization).toBe('Bearer access-sim');
  });

  it('the report page tells a resident without a room to bind one first', async () => {
    bootApp({ routes: resident({ 'GET /api/v1/me': { status: 200, body: { ...user, rooms: [] } } }) });
    const { page } = openPage('feedback/report/index');
    await until(() => expect(text(page)).toContain('绑定房屋后才能反映问题'));
    expect(text(page)).toContain('去绑定房屋');
  });
});
