import Taro from '@tarojs/taro';
import { elderlyStore } from '../store/elderly';
import { messageOf } from './request';

/**
 * A short pop-up message (Taro.showToast, no icon so the whole text shows).
 * In 长辈版 pop-ups are avoided: callers pass an inline setter, used instead.
 */
export function toast(text: string, inline?: (text: string) => void): void {
  if (inline && elderlyStore.get()) {
    inline(text);
    return;
  }
  void Taro.showToast({ title: text, icon: 'none', duration: 2500 }).catch(() => undefined);
}

/** Shows the API's own Chinese message for a failure. */
export function toastError(e: unknown, inline?: (text: string) => void): void {
  toast(messageOf(e), inline);
}
