// Looks at the H5 build the way a person would: serves miniapp/dist/h5, opens it in
// Debian's Chromium (playwright-core; launch() uses a fresh temporary profile) at 375×667 with a stubbed API, takes
// screenshots of the login, 我的 and room-binding pages in normal and 长辈版, and
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

const api = {
  'GET /api/v1/me': () => [200, me],
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
  'access-control-allow-headers': 'authorization, content-type, accept',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
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
        const handler = api[key];
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
      // for a second picture of the rest of the page.
      await page.evaluate(() => {
        window.scrollTo(0, document.body.scrollHeight);
        for (const el of document.querySelectorAll('*')) {
          if (el.scrollHeight > el.clientHeight + 4 && /(auto|scroll)/.test(getComputedStyle(el).overflowY)) el.scrollTop = el.scrollHeight;
        }
      });
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
