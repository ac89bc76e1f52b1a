import Taro from '@tarojs/taro';

/** Storage keys in one place, versioned so a format change can start clean. */
export const StorageKeys = {
  tokens: 'cs.tokens.v1',
  elderly: 'cs.elderly.v1',
} as const;

export function readJson<T>(key: string): T | null {
  try {
    const raw: unknown = Taro.getStorageSync(key);
    if (raw === '' || raw === null || raw === undefined) return null;
    return (typeof raw === 'string' ? JSON.parse(raw) : raw) as T;
  } catch {
    return null;
  }
}

export function writeJson(key: string, value: unknown): void {
  try {
    Taro.setStorageSync(key, JSON.stringify(value));
  } catch {
    // Storage full or unavailable: the app still works for this session.
  }
}

export function remove(key: string): void {
  try {
    Taro.removeStorageSync(key);
  } catch {
    // ignore
  }
}
