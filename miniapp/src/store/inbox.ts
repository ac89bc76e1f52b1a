import Taro from '@tarojs/taro';
import { Api } from '../services/endpoints';
import { getTokens } from '../services/tokens';
import { createStore } from './createStore';

/**
 * How many messages are unread: shown on the 首页 and 我的 rows and as the
 * badge on the 我的 tab. Refreshed when the app comes to the front, when 首页,
 * 我的 or 消息 show, and after reading.
 */
export const unreadStore = createStore<number | null>(() => null);

export function useUnread(): number | null {
  return unreadStore.use();
}

/** The 我的 tab (the fifth, counted from 0). */
const ME_TAB = 4;

function showBadge(unread: number): void {
  // Guarded: H5's tab bar is Taro's own component and may not be on screen (a
  // subpackage page, a desk login); the mini-program refuses too when a page
  // without the tab bar is in front. Neither matters: the count shows in the pages.
  try {
    const p =
      unread > 0
        ? Taro.setTabBarBadge({ index: ME_TAB, text: unread > 99 ? '99+' : String(unread) })
        : Taro.removeTabBarBadge({ index: ME_TAB });
    void Promise.resolve(p).catch(() => undefined);
  } catch {
    // no tab bar here
  }
}

export function setUnread(unread: number): void {
  unreadStore.set(unread);
  showBadge(unread);
}

/** Asks the API for the unread count (nothing when nobody is signed in). */
export async function refreshUnread(): Promise<number | null> {
  if (!getTokens()?.accessToken) return null;
  try {
    const { unread } = await Api.unreadCount();
    setUnread(unread);
    return unread;
  } catch {
    return unreadStore.get();
  }
}
