/**
 * Boots the compiled mini-program (miniapp/dist/weapp) inside jest for
 * miniprogram-simulate: a scripted `wx`, App()/Page()/getApp()/getCurrentPages()
 * shims, and a loader that turns a Taro page into a component simulate can render.
 */
import fs from 'node:fs';
import path from 'node:path';

export const DIST = path.resolve(__dirname, '../../../miniapp/dist/weapp');
export const hasBuild = fs.existsSync(path.join(DIST, 'app.js')) && fs.existsSync(path.join(DIST, 'app.json'));

/**
 * describe() that needs the weapp build. Without a build it is skipped with a
 * message — except under CI, where a missing build is a failure.
 */
export function describeWeapp(name: string, fn: () => void): void {
  if (hasBuild) {
    describe(name, fn);
    return;
  }
  const why = `no weapp build at ${path.relative(process.cwd(), DIST)}; run \`npm run build:weapp\` first`;
  if (process.env.CI) {
    describe(name, () => {
      it('needs the weapp build', () => {
        throw new Error(`CI is set and there is ${why}`);
      });
    });
    return;
  }
  // Written straight to stderr: jest hides console output of a fully skipped file.
  process.stderr.write(`\n[simulate] SKIPPED "${name}": ${why} (with CI set this fails instead)\n`);
  describe.skip(`${name} (skipped: ${why})`, fn);
}

export interface WxRequest {
  url: string;
  path: string;
  method: string;
  data: unknown;
  header: Record<string, string>;
}

export type WxReply = { status: number; body?: unknown };
export type Routes = Record<string, WxReply | ((r: WxRequest) => WxReply)>;

export interface BootOptions {
  routes?: Routes;
  /** WeChat's font-size setting (17 is the default size; larger means a bigger font). */
  fontSizeSetting?: number;
  storage?: Record<string, unknown>;
  loginCode?: string;
}

export interface WeappEnv {
  wx: Record<string, any>;
  requests: WxRequest[];
  storage: Map<string, unknown>;
  calls: Record<string, unknown[]>;
  app: Record<string, any>;
}

type Cb = { success?: (r: unknown) => void; fail?: (e: unknown) => void; complete?: (r: unknown) => void };

function reply(o: Cb, res: unknown, ok = true) {
  setTimeout(() => {
    if (ok) o.success?.(res);
    else o.fail?.(res);
    o.complete?.(res);
  }, 0);
}

function createWx(opts: BootOptions, env: Omit<WeappEnv, 'wx' | 'app'>) {
  const fontSizeSetting = opts.fontSizeSetting ?? 16;
  const windowInfo = {
    windowWidth: 375,
    windowHeight: 667,
    screenWidth: 375,
    screenHeight: 667,
    pixelRatio: 2,
    statusBarHeight: 20,
    safeArea: { top: 20, left: 0, right: 375, bottom: 667, width: 375, height: 647 },
  };
  const record = (name: string) => (o: Cb & Record<string, unknown> = {}) => {
    (env.calls[name] ??= []).push(o);
    reply(o, { errMsg: `${name}:ok` });
  };
  return {
    getSystemInfoSync: () => ({
      ...windowInfo,
      platform: 'devtools',
      system: 'iOS 17',
      version: '8.0.50',
      SDKVersion: '3.6.0',
      language: 'zh_CN',
      fontSizeSetting,
    }),
    getAppBaseInfo: () => ({ SDKVersion: '3.6.0', language: 'zh_CN', version: '8.0.50', fontSizeSetting, theme: 'light' }),
    getWindowInfo: () => ({ ...windowInfo }),
    getDeviceInfo: () => ({ platform: 'devtools', system: 'iOS 17', brand: 'devtools', model: 'iPhone' }),
    getStorageSync: (key: string) => (env.storage.has(key) ? env.storage.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => void env.storage.set(key, value),
    removeStorageSync: (key: string) => void env.storage.delete(key),
    login: (o: Cb = {}) => {
      (env.calls.login ??= []).push(o);
      reply(o, { code: opts.loginCode ?? 'sim-wx-code', errMsg: 'login:ok' });
    },
    request: (o: Cb & { url: string; method?: string; data?: unknown; header?: Record<string, string> }) => {
      const u = new URL(o.url);
      const req: WxRequest = {
        url: o.url,
        path: u.pathname,
        method: (o.method ?? 'GET').toUpperCase(),
        data: o.data,
        header: o.header ?? {},
      };
      env.requests.push(req);
      const route = opts.routes?.[`${req.method} ${req.path}`];
      const r: WxReply = route === undefined
        ? { status: 404, body: { error: { code: 'ROUTE_NOT_FOUND', message: '没有这个接口' } } }
        : typeof route === 'function' ? route(req) : route;
      // Like wx.request: a 4xx/5xx still arrives through success.
      reply(o, { statusCode: r.status, data: r.body ?? '', header: {}, errMsg: 'request:ok' });
      return { abort() {}, onHeadersReceived() {}, offHeadersReceived() {} };
    },
    showToast: record('showToast'),
    hideToast: record('hideToast'),
    showLoading: record('showLoading'),
    hideLoading: record('hideLoading'),
    switchTab: record('switchTab'),
    navigateTo: record('navigateTo'),
    redirectTo: record('redirectTo'),
    reLaunch: record('reLaunch'),
    navigateBack: record('navigateBack'),
    setClipboardData: record('setClipboardData'),
    makePhoneCall: record('makePhoneCall'),
    setTabBarBadge: record('setTabBarBadge'),
    removeTabBarBadge: record('removeTabBarBadge'),
    pageScrollTo: record('pageScrollTo'),
    scanCode: record('scanCode'),
    nextTick: (fn: () => void) => setTimeout(fn, 0),
    canIUse: () => true,
    onAppRoute: () => undefined,
    onAppShow: () => undefined,
    onAppHide: () => undefined,
    getLaunchOptionsSync: () => ({ path: 'pages/index/index', query: {}, scene: 1001 }),
    getEnterOptionsSync: () => ({ path: 'pages/index/index', query: {}, scene: 1001 }),
    createSelectorQuery: () => ({ select: () => ({ boundingClientRect: () => ({ exec: () => undefined }) }) }),
    reportAnalytics: () => undefined,
  };
}

const g = globalThis as unknown as Record<string, any>;

/**
 * Fresh module registry, fresh globals, then the build's app.js (which pulls in
 * its runtime, vendors, taro and common chunks and calls App()).
 */
export function bootApp(opts: BootOptions = {}): WeappEnv {
  jest.resetModules();
  const env = {
    requests: [] as WxRequest[],
    storage: new Map<string, unknown>(Object.entries(opts.storage ?? {})),
    calls: {} as Record<string, unknown[]>,
  };
  const wx = createWx(opts, env);
  g.wx = wx;
  delete g.webpackJsonp;
  let app: Record<string, any> | null = null;
  const pages: Array<Record<string, unknown>> = [];
  g.App = (config: Record<string, any>) => {
    app = config;
  };
  g.getApp = () => app;
  g.getCurrentPages = () => pages;
  g.Page = (config: Record<string, any>) => {
    // Taro's page config as a simulate component: functions become methods (the
    // WXML binds its events to them), the page lifecycle runs from the component's.
    const methods: Record<string, (...a: unknown[]) => unknown> = {};
    for (const [k, v] of Object.entries(config)) if (typeof v === 'function') methods[k] = v;
    const route = pendingRoute;
    const query = pendingQuery;
    g.Component({
      data: config.data,
      methods,
      lifetimes: {
        attached(this: Record<string, any>) {
          this.route = route;
          this.__route__ = route;
          pages.push(this);
          methods.onLoad?.call(this, { ...query });
        },
        ready(this: Record<string, any>) {
          methods.onReady?.call(this);
          methods.onShow?.call(this);
        },
        detached(this: Record<string, any>) {
          methods.onUnload?.call(this);
          pages.splice(pages.indexOf(this), 1);
        },
      },
    });
  };
  require(path.join(DIST, 'app.js'));
  if (!app) throw new Error('app.js did not call App()');
  const theApp = app as Record<string, any>;
  theApp.onLaunch?.call(theApp, { path: 'pages/index/index', query: {}, scene: 1001 });
  theApp.onShow?.call(theApp, { path: 'pages/index/index', query: {}, scene: 1001 });
  return { wx, app: theApp, ...env };
}

let pendingRoute = '';
let pendingQuery: Record<string, string> = {};

/**
 * Loads one compiled page (e.g. 'pages/me/index') and attaches it, as WeChat
 * would open it; `query` is what onLoad receives (the page's ?id=…).
 */
export function openPage(route: string, query: Record<string, string> = {}) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const simulate = require('miniprogram-simulate');
  pendingRoute = route;
  pendingQuery = query;
  const id = simulate.load(path.join(DIST, route), { rootPath: DIST });
  const page = simulate.render(id);
  const parent = document.createElement('parent-wrapper');
  page.attach(parent);
  return { page, simulate };
}

/** Waits until `check` passes (the app logs in and loads over a few ticks). */
export async function until(check: () => boolean | void, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  let last: unknown;
  for (;;) {
    try {
      if (check() !== false) return;
    } catch (e) {
      last = e;
    }
    if (Date.now() - start > timeoutMs) throw last ?? new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function text(page: { dom: Element }): string {
  return (page.dom.textContent ?? '').replace(/\s+/g, ' ');
}
