import Taro from '@tarojs/taro';
import { readJson, StorageKeys, writeJson } from '../services/storage';
import { createStore } from './createStore';

/**
 * 长辈版 (elderly mode): one switch, remembered on the phone, read by every page's
 * <PageShell>. Until the person chooses, it follows WeChat's own font size: a
 * large system font (fontSizeSetting > 17) turns it on.
 */

interface Saved {
  on: boolean;
}

/** WeChat's font-size setting (weapp only; H5 has no such setting). */
export function systemFontIsLarge(): boolean {
  if (process.env.TARO_ENV !== 'weapp') return false;
  try {
    const t = Taro as unknown as { getAppBaseInfo?: () => { fontSizeSetting?: number } };
    const info = typeof t.getAppBaseInfo === 'function' ? t.getAppBaseInfo() : Taro.getSystemInfoSync();
    return typeof info.fontSizeSetting === 'number' && info.fontSizeSetting > 17;
  } catch {
    return false;
  }
}

function initial(): boolean {
  const saved = readJson<Saved>(StorageKeys.elderly);
  if (saved && typeof saved.on === 'boolean') return saved.on;
  return systemFontIsLarge();
}

export const elderlyStore = createStore<boolean>(initial);

function applyToDocument(on: boolean): void {
  // H5 only: the tab bar and toasts live outside the pages, so the mode is also
  // set on <html> for them.
  if (process.env.TARO_ENV === 'h5' && typeof document !== 'undefined') {
    document.documentElement.classList.toggle('elderly', on);
  }
}

elderlyStore.subscribe(() => applyToDocument(elderlyStore.get()));

export function useElderly(): boolean {
  return elderlyStore.use();
}

export function setElderly(on: boolean): void {
  writeJson(StorageKeys.elderly, { on } satisfies Saved);
  elderlyStore.set(on);
  applyToDocument(on);
}

export function toggleElderly(): void {
  setElderly(!elderlyStore.get());
}

/** Called once at launch so <html> carries the class before the first page paints. */
export function initElderly(): void {
  applyToDocument(elderlyStore.get());
}
