import Taro from '@tarojs/taro';
import { isStaff, type LoginResponse, type MeView } from '@community/shared';
import { IS_WEAPP } from '../env';
import { Api } from '../services/endpoints';
import { ApiError, messageOf, setSessionLostHandler } from '../services/request';
import { clearTokens, getTokens, setTokens } from '../services/tokens';
import { createStore } from './createStore';

/**
 * Who is using the app. In the mini-program, login is silent: wx.login's code
 * goes to the API, which answers with our own tokens. In the browser (H5) there
 * is no wx.login, so a page without a session sends the person to the login page.
 */

export type SessionStatus = 'idle' | 'loading' | 'ready' | 'signed-out' | 'error';

export interface SessionState {
  status: SessionStatus;
  me: MeView | null;
  /** True once /me has answered: the login answer alone has no rooms. */
  roomsKnown: boolean;
  error: string | null;
}

export const LOGIN_PAGE = '/pages/login/index';
export const HOME_PAGE = '/pages/index/index';

export const sessionStore = createStore<SessionState>(() => ({ status: 'idle', me: null, roomsKnown: false, error: null }));

export function useSession(): SessionState {
  return sessionStore.use();
}

export function isStaffUser(me: MeView | null): boolean {
  return !!me && isStaff(me.roles);
}

let wechatLoginInFlight: Promise<boolean> | null = null;

/** Silent WeChat login (weapp only). Single flight: pages opening together share one. */
export function wechatSilentLogin(): Promise<boolean> {
  if (!IS_WEAPP) return Promise.resolve(false);
  if (wechatLoginInFlight) return wechatLoginInFlight;
  wechatLoginInFlight = (async () => {
    try {
      const { code } = await Taro.login();
      const res = await Api.wechatLogin(code);
      acceptLogin(res);
      return true;
    } catch (e) {
      sessionStore.set((s) => ({ ...s, status: 'error', error: e instanceof ApiError ? e.message : '微信登录没有成功，请稍后再试' }));
      return false;
    } finally {
      wechatLoginInFlight = null;
    }
  })();
  return wechatLoginInFlight;
}

export function acceptLogin(res: LoginResponse): void {
  setTokens(res);
  sessionStore.set((s) => {
    // The login answer has no rooms; keep what we had for the same person until /me arrives.
    const same = !!s.me && s.me.id === res.user.id;
    return {
      status: 'ready',
      error: null,
      me: { ...res.user, rooms: same && s.me ? s.me.rooms : [] },
      roomsKnown: same && s.roomsKnown,
    };
  });
}

/** True when there are tokens (logging in silently first in the mini-program). */
export async function ensureLoggedIn(): Promise<boolean> {
  if (getTokens()?.accessToken) return true;
  if (IS_WEAPP) return wechatSilentLogin();
  sessionStore.set({ status: 'signed-out', me: null, roomsKnown: false, error: null });
  return false;
}

let meInFlight: Promise<MeView | null> | null = null;

/** Loads /me (after logging in if needed). Pages call it on show. */
export function loadMe(): Promise<MeView | null> {
  if (meInFlight) return meInFlight;
  meInFlight = (async () => {
    try {
      if (!(await ensureLoggedIn())) {
        goToLogin();
        return null;
      }
      if (!sessionStore.get().me) sessionStore.set((s) => ({ ...s, status: 'loading' }));
      const me = await Api.me();
      sessionStore.set({ status: 'ready', me, roomsKnown: true, error: null });
      return me;
    } catch (e) {
      if (!getTokens()) {
        sessionStore.set({ status: 'signed-out', me: null, roomsKnown: false, error: null });
      } else {
        sessionStore.set((s) => ({ ...s, status: s.me ? 'ready' : 'error', error: messageOf(e) }));
      }
      return null;
    } finally {
      meInFlight = null;
    }
  })();
  return meInFlight;
}

export async function logout(): Promise<void> {
  const tokens = getTokens();
  if (tokens?.refreshToken) {
    try {
      await Api.logout(tokens.refreshToken);
    } catch {
      // Logging out locally is what matters to the person; the server token expires anyway.
    }
  }
  clearTokens();
  sessionStore.set({ status: 'signed-out', me: null, roomsKnown: false, error: null });
  goToLogin();
}

function currentRoute(): string {
  try {
    const pages = Taro.getCurrentPages();
    const top = pages[pages.length - 1];
    return top?.route ? `/${top.route.replace(/^\//, '')}` : '';
  } catch {
    return '';
  }
}

const RETURN_KEY = 'loginReturnTo';
/** A deep link older than this is not where the person wants to land any more. */
const RETURN_TTL_MS = 15 * 60_000;

const safeDecode = (v: string) => {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
};

/** The page (and its query) that sent the person to log in. */
function routeWithQuery(): string | null {
  if (!IS_WEAPP && typeof window !== 'undefined') {
    // H5: the hash is the route as opened, e.g. #/vote/meeting-sign/index?c=…
    const hash = window.location.hash.replace(/^#/, '');
    return hash.startsWith('/') ? hash : null;
  }
  const pages = Taro.getCurrentPages();
  const top = pages[pages.length - 1] as { route?: string; options?: Record<string, string> } | undefined;
  if (!top?.route) return null;
  const query = Object.entries(top.options ?? {})
    .filter(([k]) => !k.startsWith('$taro'))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(safeDecode(String(v)))}`)
    .join('&');
  return `/${top.route.replace(/^\//, '')}${query ? `?${query}` : ''}`;
}

/**
 * Where to go after logging in: the page a deep link opened (a poster's QR
 * code, a certificate to verify, a case shared in a message), when it sent the
 * person here within the last minutes; read once.
 */
export function takeReturnTo(sentHere: boolean, now = Date.now()): string | null {
  try {
    const raw = Taro.getStorageSync(RETURN_KEY);
    Taro.removeStorageSync(RETURN_KEY);
    if (!raw || !sentHere) return null;
    const { url, at } = JSON.parse(String(raw)) as { url?: unknown; at?: unknown };
    if (typeof url !== 'string' || typeof at !== 'number' || !url.startsWith('/') || url.startsWith(LOGIN_PAGE) || now - at > RETURN_TTL_MS) return null;
    return url;
  } catch {
    return null;
  }
}

export function goToLogin(): void {
  if (currentRoute().startsWith(LOGIN_PAGE)) return;
  try {
    const url = routeWithQuery();
    if (url && !url.startsWith(LOGIN_PAGE)) Taro.setStorageSync(RETURN_KEY, JSON.stringify({ url, at: Date.now() }));
  } catch {
    // Without storage the person lands on 首页 after logging in, as before.
  }
  // `back` tells the login page it was sent here; opened any other way it forgets an old deep link.
  void Taro.reLaunch({ url: `${LOGIN_PAGE}?back=1` }).catch(() => undefined);
}

// A refused refresh means the session is over: in the mini-program we log in
// again silently once; in the browser the person goes to the login page.
setSessionLostHandler(() => {
  sessionStore.set({ status: 'signed-out', me: null, roomsKnown: false, error: null });
  if (IS_WEAPP) {
    void wechatSilentLogin().then((ok) => {
      if (ok) void loadMe();
      else goToLogin();
    });
  } else {
    goToLogin();
  }
});
