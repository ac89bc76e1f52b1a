import { resetTokenCache } from '../../../miniapp/src/services/tokens';
import { sessionStore } from '../../../miniapp/src/store/session';
import { elderlyStore } from '../../../miniapp/src/store/elderly';
import { unreadStore } from '../../../miniapp/src/store/inbox';
import Taro from '@tarojs/taro';

/** Each test starts with empty storage, no session and normal mode. */
export function resetAppState(): void {
  window.localStorage.clear();
  resetTokenCache();
  sessionStore.set({ status: 'idle', me: null, roomsKnown: false, error: null });
  elderlyStore.set(false);
  unreadStore.set(null);
  for (const fn of Object.values(Taro)) {
    if (typeof fn === 'function' && 'mockClear' in fn) (fn as jest.Mock).mockClear();
  }
}

export function signIn(suffix = '1'): void {
  Taro.setStorageSync(
    'cs.tokens.v1',
    JSON.stringify({
      accessToken: `access-${suffix}`,
      accessTokenExpiresAt: '2026-11-26T12:00:00+08:00',
      refreshToken: `refresh-token-${suffix}-0123456789abcdef`,
      refreshTokenExpiresAt: '2026-12-26T12:00:00+08:00',
    }),
  );
  resetTokenCache();
}
