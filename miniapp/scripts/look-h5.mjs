// Looks at the H5 build the way a person would: serves miniapp/dist/h5, opens it in
// Debian's Chromium (playwright-core; launch() uses a fresh temporary profile) at 375×667 with a stubbed API, takes
// screenshots of the login, 我的, room-binding, booking (办事, service, detail, rating, 我的预约), 消息 and
// centre-staff (今日窗口, 服务事项) pages in normal and 长辈版, and
// measures 长辈版: every tap target (.tap) ≥ 60px tall, every text ≥ 18px,
// line height ≥ 1.3. Exits 1 when a measurement fails.
//   node miniapp/scripts/look-h5.mjs [outDir=.artifacts/h5]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './serve-h5.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '../..');
const outDir = resolve(process.argv[2] ?? join(repo, '.artifacts/h5'));
mkdirSync(outDir, { recursive: true });

const oid = (c) => c.repeat(24);
const user = {
  id: oid('a'),
  nickname: '王阿姨',
  displayName: '王秀兰',
  phoneMasked: '138****1234',
  roles: ['resident', 'owner'],
  communityId: oid('1'),
  gridIds: [],
  propertyCompanyId: null,
  kind: 'wechat',
  createdAt: '2026-11-01T09:00:00+08:00',
};
const me = {
  ...user,
  rooms: [
    { bindingId: oid('e'), roomId: oid('d'), label: '3号楼 2单元 1201', relation: 'owner', status: 'approved' },
    { bindingId: oid('f'), roomId: oid('c'), label: '5号楼 1单元 302', relation: 'family', status: 'pending' },
  ],
};
const buildings = ['1号楼', '2号楼', '3号楼', '5号楼', '6号楼'].map((name, i) => ({
  id: oid(String(i + 2)),
  name,
  gridId: oid('9'),
  propertyCompanyId: null,
  unitCount: 2,
}));
const units = ['1单元', '2单元'].map((name, i) => ({ id: oid(String.fromCharCode(97 + i)), buildingId: buildings[2].id, name }));
const rooms = ['1101', '1102', '1201', '1202', '1301', '1302'].map((number, i) => ({
  id: oid(String(i)),
  unitId: units[1].id,
  buildingId: buildings[2].id,
  number,
  floor: Number(number.slice(0, 2)),
  areaCentiSquareMetres: 8950,
}));

// 便民服务预约 fixtures, dated from today so the slot picker has days to show.
const shDay = (days) => new Date(Date.now() + 8 * 3600 * 1000 + days * 86400 * 1000).toISOString().slice(0, 10);
const at = (date, time) => `${date}T${time}:00+08:00`;
const svc = {
  id: oid('1'),
  name: '社保卡申领与补换',
  category: 'social_security',
  summary: '第三代社保卡申领、挂失补换、激活金融功能',
  guide: {
    materials: ['居民身份证原件', '近期免冠白底一寸照片（可现场拍摄）', '补换卡需带原卡或挂失回执'],
    location: '滨河社区党群服务中心一楼 1号窗口',
    duration: '约20分钟，卡片7个工作日后领取',
    steps: ['取号后到1号窗口', '核对身份、采集照片', '签字确认', '凭回执领卡'],
    notes: '代办需带委托人和代办人身份证原件。',
  },
  oneWindow: true,
  fullAgency: false,
  slotMinutes: 30,
  capacity: 4,
  weeklyHours: [1, 2, 3, 4, 5].flatMap((weekday) => [
    { weekday, start: '09:00', end: '12:00' },
    { weekday, start: '14:30', end: '17:30' },
  ]),
  closedDays: [{ date: shDay(20), reason: '元旦' }],
  cutoffMinutes: 120,
  maxActivePerResident: 1,
  bookingWindowDays: 14,
  contactPhone: '0936-8210001',
  status: 'active',
};
const catalogue = [
  svc,
  { ...svc, id: oid('2'), name: '城乡居民医保参保缴费', summary: '新参保登记、缴费档次咨询、异地就医备案' },
  { ...svc, id: oid('3'), name: '最低生活保障申请', category: 'civil_affairs', summary: '低保申请受理与入户核查预约，工作人员全程代办', fullAgency: true },
  { ...svc, id: oid('4'), name: '法律咨询（一社区一警一法律顾问）', category: 'legal', summary: '社区法律顾问面对面解答', oneWindow: false },
  { ...svc, id: oid('5'), name: '老年人优待证办理', category: 'elderly', summary: '年满60周岁老人办理优待证' },
];
const slotTimes = ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30', '14:30', '15:00', '15:30', '16:00', '16:30', '17:00'];
const plus30 = (t) => {
  const [h, m] = t.split(':').map(Number);
  const n = h * 60 + m + 30;
  return `${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}`;
};
const slots = [1, 2, 3, 4, 5, 6].flatMap((d) =>
  slotTimes.map((t, i) => ({
    id: `${String(d).padStart(2, '0')}${String(i).padStart(2, '0')}`.padEnd(24, 'f'),
    serviceId: svc.id,
    date: shDay(d),
    startAt: at(shDay(d), t),
    endAt: at(shDay(d), plus30(t)),
    capacity: 4,
    seatsLeft: d === 1 && i < 3 ? 0 : (i + d) % 5,
    waitlistLength: d === 1 && i < 3 ? i : 0,
    bookable: true,
  })),
);
const bookingFor = (over = {}) => ({
  id: oid('6'),
  code: 'K7M2Q9',
  residentId: user.id,
  residentName: '王秀兰',
  serviceId: svc.id,
  serviceName: svc.name,
  slotId: slots[5].id,
  startAt: slots[5].startAt,
  endAt: slots[5].endAt,
  location: svc.guide.location,
  materials: svc.guide.materials,
  status: 'confirmed',
  waitlistPosition: null,
  cancelDeadline: at(shDay(1), '09:30'),
  canChange: true,
  contactPhone: svc.contactPhone,
  actedByName: null,
  rating: null,
  history: [{ at: at(shDay(0), '08:12'), status: 'confirmed', note: null, byName: null }],
  matter: null,
  createdAt: at(shDay(0), '08:12'),
  ...over,
});
const bookings = {
  [oid('6')]: bookingFor(),
  [oid('7')]: bookingFor({ id: oid('7'), canChange: false }),
  [oid('8')]: bookingFor({
    id: oid('8'),
    status: 'checked_in',
    canChange: false,
    history: [
      { at: at(shDay(0), '08:12'), status: 'confirmed', note: null, byName: null },
      { at: at(shDay(1), '11:32'), status: 'checked_in', note: null, byName: '孙晓燕' },
    ],
  }),
  [oid('9')]: bookingFor({ id: oid('9'), status: 'waitlisted', waitlistPosition: 2, slotId: slots[1].id, startAt: slots[1].startAt, endAt: slots[1].endAt }),
};
const inbox = [
  { id: oid('a'), kind: 'booking', title: '候补成功', body: '社保卡申领与补换 11-28 09:30 有名额了，已为您预约。', link: `/booking/detail/index?id=${oid('6')}`, read: false, createdAt: at(shDay(0), '07:40') },
  { id: oid('b'), kind: 'booking', title: '办事提醒', body: '您预约的社保卡申领与补换在明天 11:30，地点：滨河社区党群服务中心一楼 1号窗口。记得带齐材料。', link: `/booking/detail/index?id=${oid('6')}`, read: true, createdAt: at(shDay(-1), '11:30') },
  { id: oid('c'), kind: 'booking', title: '关于您的评价', body: '服务中心回复：已和窗口同事沟通，以后会提前叫号。', link: null, read: true, createdAt: at(shDay(-3), '16:05') },
];
const staffMe = { ...user, id: oid('5'), displayName: '孙晓燕', kind: 'staff', roles: ['community_staff'], rooms: [] };
const today = shDay(0);
const windowList = [
  bookingFor({ id: oid('2'), residentName: '王秀兰', code: 'K7M2Q9', startAt: at(today, '09:00'), endAt: at(today, '09:30'), status: 'closed', history: [{ at: at(today, '09:20'), status: 'closed', note: '已受理，7个工作日后领卡', byName: '孙晓燕' }] }),
  bookingFor({ id: oid('3'), residentName: '刘桂兰', code: 'P3R4S5', startAt: at(today, '09:30'), endAt: at(today, '10:00'), status: 'checked_in', actedByName: '李建国' }),
  bookingFor({ id: oid('4'), residentName: '赵磊', code: 'T6U7V8', startAt: at(today, '10:00'), endAt: at(today, '10:30'), status: 'no_show' }),
  bookingFor({ id: oid('5'), residentName: '陈静', code: 'W9X2Y3', startAt: at(today, '23:00'), endAt: at(today, '23:30'), status: 'confirmed' }),
];

const api = {
  'GET /api/v1/me': () => [200, me],
  'GET /api/v1/services': () => [200, { items: catalogue }],
  [`GET /api/v1/services/${svc.id}`]: () => [200, svc],
  [`GET /api/v1/services/${svc.id}/slots`]: () => [200, { items: slots }],
  ...Object.fromEntries(Object.values(bookings).map((b) => [`GET /api/v1/bookings/${b.id}`, () => [200, b]])),
  'GET /api/v1/bookings': () => [200, { items: [bookings[oid('6')], bookings[oid('9')]] }],
  'GET /api/v1/inbox': () => [200, { items: inbox, nextCursor: null }],
  'GET /api/v1/inbox/unread-count': () => [200, { unread: 1 }],
  'GET /api/v1/staff/bookings': () => [200, { items: windowList }],
  'POST /api/v1/staff/bookings/check-in': () => [404, { error: { code: 'NOT_FOUND', message: '没有找到这个核验码对应的预约' } }],
  'GET /api/v1/staff/residents': () => [
    200,
    { items: [{ id: oid('d'), name: '刘桂兰', rooms: ['5号楼 1单元 302'], phoneMasked: '139****5678' }, { id: oid('e'), name: '刘建华', rooms: ['7号楼 2单元 501'], phoneMasked: null }] },
  ],
  'GET /api/v1/staff/services': () => [200, { items: [...catalogue.slice(0, 3), { ...catalogue[3], status: 'retired' }] }],
  'POST /api/v1/auth/staff': () => [401, { error: { code: 'LOGIN_FAILED', message: '用户名或密码不正确' } }],
  // Only a build with TARO_APP_DEV_LOGIN=1 asks for these.
  'GET /api/v1/dev/personas': () => [
    200,
    {
      items: [
        { code: 'dev-resident', label: '王秀兰（居民）', description: '3号楼 2单元 1201 业主' },
        { code: 'dev-staff', label: '李明（社区工作人员）', description: '可审核房屋绑定、发放邀请码' },
      ],
    },
  ],
  'GET /api/v1/spaces/buildings': () => [200, { items: buildings }],
  [`GET /api/v1/spaces/buildings/${buildings[2].id}/units`]: () => [200, { items: units }],
  [`GET /api/v1/spaces/units/${units[1].id}/rooms`]: () => [200, { items: rooms }],
  'GET /api/v1/bindings/mine': () => [200, { items: [] }],
};

const cors = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, content-type, accept, idempotency-key',
  'access-control-allow-methods': 'GET, POST, PATCH, OPTIONS',
};

const tokens = {
  accessToken: 'access-look',
  accessTokenExpiresAt: '2099-01-01T00:00:00+08:00',
  refreshToken: 'refresh-token-look-0123456789abcdef',
  refreshTokenExpiresAt: '2099-01-01T00:00:00+08:00',
};

/** Taro H5 storage keeps `{ data }` as JSON in localStorage. */
const taroStore = (value) => JSON.stringify({ data: JSON.stringify(value) });

async function measure(page) {
  return page.evaluate(() => {
    const visible = (el) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
    };
    const taps = [...document.querySelectorAll('.tap')].filter(visible).map((el) => ({
      text: (el.textContent || '').trim().slice(0, 16),
      height: Math.round(el.getBoundingClientRect().height * 10) / 10,
    }));
    const texts = [];
    for (const el of document.querySelectorAll('.shell *')) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || !visible(el)) continue;
      const s = getComputedStyle(el);
      const size = parseFloat(s.fontSize);
      const lh = s.lineHeight === 'normal' ? size * 1.2 : parseFloat(s.lineHeight);
      texts.push({ text: el.textContent.trim().slice(0, 16), size, ratio: Math.round((lh / size) * 100) / 100 });
    }
    return { taps, texts };
  });
}

const server = await startServer(resolve(repo, 'miniapp/dist/h5'), 0);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const problems = [];
const report = [];
try {
  for (const elderly of [false, true]) {
    const mode = elderly ? 'elderly' : 'normal';
    const scenarios = [
      {
        name: 'login',
        signedIn: false,
        url: '/#/pages/login/index',
        async act(page) {
          await page.locator('[data-testid="username-input"] input').fill('zhang.wei');
          await page.locator('[data-testid="password-input"] input').fill('wrong');
          await page.locator('[data-testid="staff-login"]').click();
          await page.getByText('用户名或密码不正确').waitFor();
        },
      },
      { name: 'home', signedIn: true, url: '/#/pages/index/index', async act(page) { await page.getByText('3号楼 2单元 1201').waitFor(); } },
      { name: 'me', signedIn: true, url: '/#/pages/me/index', async act(page) { await page.getByText('已绑定').waitFor(); } },
      {
        name: 'binding',
        signedIn: true,
        url: '/#/binding/apply/index',
        async act(page) {
          await page.getByText('3号楼', { exact: true }).click();
          await page.getByText('2单元', { exact: true }).click();
          await page.getByText('1201', { exact: true }).click();
          await page.getByText('提交申请').click();
          await page.getByText('请填写真实姓名').waitFor();
          await page.evaluate(() => {
            window.scrollTo(0, 0);
            for (const el of document.querySelectorAll('*')) if (el.scrollTop > 0) el.scrollTop = 0;
          });
        },
      },
      { name: 'services', signedIn: true, url: '/#/pages/services/index', async act(page) { await page.getByText('最低生活保障申请').waitFor(); } },
      {
        name: 'booking-service',
        signedIn: true,
        url: `/#/booking/service/index?id=${svc.id}`,
        async act(page) {
          await page.getByText('剩', { exact: false }).first().waitFor();
        },
      },
      {
        name: 'booking-days',
        signedIn: true,
        url: `/#/booking/service/index?id=${svc.id}`,
        async act(page) {
          await page.locator('[data-testid="slot-days"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
        },
        keepScroll: true,
      },
      {
        name: 'booking-confirm',
        signedIn: true,
        url: `/#/booking/service/index?id=${svc.id}`,
        async act(page) {
          await page.locator(`[data-testid="slot-${slots[1].id}"]`).click();
          await page.locator('[data-testid="booking-confirm"]').waitFor();
          await page.locator('[data-testid="booking-confirm"]').scrollIntoViewIfNeeded();
        },
        keepScroll: true,
      },
      {
        name: 'booking-act-for',
        signedIn: true,
        me: staffMe,
        url: `/#/booking/service/index?id=${svc.id}`,
        async act(page) {
          await page.locator('[data-testid="act-for-input"] input').fill('刘');
          await page.locator('[data-testid="act-for-search"]').click();
          await page.getByText('刘建华').waitFor();
          await page.locator('[data-testid="act-for"]').scrollIntoViewIfNeeded();
        },
        keepScroll: true,
      },
      { name: 'booking-detail', signedIn: true, url: `/#/booking/detail/index?id=${oid('6')}`, async act(page) { await page.locator('[data-testid="booking-qr"]').waitFor(); } },
      { name: 'booking-late', signedIn: true, url: `/#/booking/detail/index?id=${oid('7')}`, async act(page) { await page.locator('[data-testid="deadline-passed"]').scrollIntoViewIfNeeded(); }, keepScroll: true },
      { name: 'booking-waitlisted', signedIn: true, url: `/#/booking/detail/index?id=${oid('9')}`, async act(page) { await page.locator('[data-testid="waitlist-position"]').waitFor(); } },
      {
        name: 'booking-rating',
        signedIn: true,
        url: `/#/booking/detail/index?id=${oid('8')}`,
        async act(page) {
          await page.locator('[data-testid="rating"]').getByText('不满意', { exact: true }).click();
          await page.locator('[data-testid="rating"]').scrollIntoViewIfNeeded();
        },
        keepScroll: true,
      },
      { name: 'booking-mine', signedIn: true, url: '/#/booking/mine/index', async act(page) { await page.locator('[data-testid="booking-item"]').first().waitFor(); } },
      { name: 'inbox', signedIn: true, url: '/#/pages/inbox/index', async act(page) { await page.getByText('候补成功').waitFor(); } },
      {
        name: 'staff-window',
        signedIn: true,
        me: staffMe,
        url: '/#/staff/window/index',
        async act(page) {
          await page.getByText('刘桂兰', { exact: false }).first().waitFor();
          await page.locator('[data-testid="check-in-input"] input').fill('abc234');
          await page.locator('[data-testid="check-in-submit"]').click();
          await page.getByText('没有找到这个核验码对应的预约').waitFor();
        },
      },
      { name: 'staff-services', signedIn: true, me: staffMe, url: '/#/staff/services/index', async act(page) { await page.getByText('已停用').waitFor(); } },
      {
        name: 'staff-service-edit',
        signedIn: true,
        me: staffMe,
        url: `/#/staff/service-edit/index?id=${svc.id}`,
        async act(page) {
          await page.locator('[data-testid="svc-name-input"] input').waitFor();
        },
      },
    ];
    for (const sc of scenarios) {
      const context = await browser.newContext({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true, locale: 'zh-CN' });
      await context.addInitScript(
        ([t, e, signedIn]) => {
          if (sessionStorage.getItem('look-init')) return;
          sessionStorage.setItem('look-init', '1');
          localStorage.clear();
          if (signedIn) localStorage.setItem('cs.tokens.v1', t);
          localStorage.setItem('cs.elderly.v1', e);
        },
        [taroStore(tokens), taroStore({ on: elderly }), sc.signedIn],
      );
      await context.route(`**/api/v1/**`, async (route) => {
        const req = route.request();
        if (req.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
        const key = `${req.method()} ${new URL(req.url()).pathname}`;
        const handler = key === 'GET /api/v1/me' && sc.me ? () => [200, sc.me] : api[key];
        const [status, body] = handler ? handler() : [404, { error: { code: 'ROUTE_NOT_FOUND', message: '没有这个接口' } }];
        return route.fulfill({ status, headers: { ...cors, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(origin + sc.url);
      await page.locator('.shell').first().waitFor();
      await sc.act(page);
      await page.waitForTimeout(300);
      const file = join(outDir, `${sc.name}-${mode}.png`);
      await page.screenshot({ path: file, fullPage: false });
      // Taro's H5 pages scroll inside their own container: scroll everything down
      // for a second picture of the rest of the page (or, for a scenario that
      // scrolled to what it shows, one screen further).
      await page.evaluate((keep) => {
        if (keep) {
          window.scrollBy(0, window.innerHeight - 80);
          return;
        }
        window.scrollTo(0, document.body.scrollHeight);
        for (const el of document.querySelectorAll('*')) {
          if (el.scrollHeight > el.clientHeight + 4 && /(auto|scroll)/.test(getComputedStyle(el).overflowY)) el.scrollTop = el.scrollHeight;
        }
      }, !!sc.keepScroll);
      await page.waitForTimeout(200);
      await page.screenshot({ path: join(outDir, `${sc.name}-${mode}-bottom.png`) });
      const m = await measure(page);
      const minTap = Math.min(...m.taps.map((t) => t.height));
      const minText = Math.min(...m.texts.map((t) => t.size));
      const minRatio = Math.min(...m.texts.map((t) => t.ratio));
      report.push({ page: sc.name, mode, taps: m.taps.length, minTapPx: minTap, minTextPx: minText, minLineHeight: minRatio, pageErrors: errors.length });
      if (errors.length) problems.push(`${sc.name}/${mode}: page errors: ${errors.join(' | ')}`);
      if (elderly) {
        for (const t of m.taps) if (t.height < 60) problems.push(`${sc.name}: tap target "${t.text}" is ${t.height}px tall (< 60)`);
        for (const t of m.texts) if (t.size < 18) problems.push(`${sc.name}: text "${t.text}" is ${t.size}px (< 18)`);
        for (const t of m.texts) if (t.ratio < 1.3) problems.push(`${sc.name}: text "${t.text}" line height ${t.ratio} (< 1.3)`);
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
console.table(report);
writeFileSync(join(outDir, 'measurements.json'), JSON.stringify({ report, problems }, null, 2));
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`screenshots in ${outDir}`);
