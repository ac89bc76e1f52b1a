import Taro from '@tarojs/taro';
import { API_BASE, IS_WEAPP } from '../env';
import { ApiError, refreshTokens } from '../services/request';
import { getTokens } from '../services/tokens';

/** The API's limit for one photo (api/src/modules/upload/routes.ts). */
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;

export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';

/** The photo's kind from its first bytes (a name or a temporary path says nothing reliable). */
export function photoTypeOf(data: ArrayBuffer): PhotoType | null {
  const b = new Uint8Array(data.slice(0, 12));
  if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png';
  const ascii = (from: number, to: number) => String.fromCharCode(...b.slice(from, to));
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return null;
}

export interface ChosenPhoto {
  /** Where the phone keeps it now: shown as the thumbnail before and after uploading. */
  path: string;
  size: number;
}

function isCancel(e: unknown): boolean {
  const msg = typeof e === 'object' && e !== null && 'errMsg' in e ? String((e as { errMsg: unknown }).errMsg) : String(e);
  return /cancel/i.test(msg);
}

/** Opens WeChat's (or the browser's) photo chooser: album or camera, compressed. An empty list when cancelled. */
export async function choosePhotos(count: number): Promise<ChosenPhoto[]> {
  try {
    const res = await Taro.chooseImage({ count, sizeType: ['compressed'], sourceType: ['album', 'camera'] });
    const files = res.tempFiles?.length ? res.tempFiles : (res.tempFilePaths ?? []).map((path) => ({ path, size: 0 }));
    return files.slice(0, count).map((f) => ({ path: f.path, size: f.size ?? 0 }));
  } catch (e) {
    if (isCancel(e)) return [];
    throw new ApiError('CHOOSE_IMAGE_FAILED', '没能打开相册，请稍后再试', 0);
  }
}

/** A chosen photo's bytes: WeChat reads its temporary file; the browser fetches its blob: URL. */
export function readPhoto(path: string): Promise<ArrayBuffer> {
  if (IS_WEAPP) {
    return new Promise((resolve, reject) => {
      Taro.getFileSystemManager().readFile({
        filePath: path,
        success: (res) => resolve(res.data as ArrayBuffer),
        fail: reject,
      });
    });
  }
  return fetch(path).then((r) => r.arrayBuffer());
}

// --- Photos the API serves only with the token ---
// A view's photoUrls go through the object holding the photo
// (/api/v1/cases/:id/photos/:photoId and the like), which decides who sees it;
// GET /api/v1/uploads/:id answers only the uploader. Either way the path is
// fetched as given, with the token: nothing here builds a photo's address.

interface Loaded {
  status: number;
  src: string | null;
}

async function fetchInBrowser(url: string, token: string | null): Promise<Loaded> {
  const res = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (res.status < 200 || res.status >= 300) return { status: res.status, src: null };
  return { status: res.status, src: URL.createObjectURL(await res.blob()) };
}

async function downloadInWeapp(url: string, token: string | null): Promise<Loaded> {
  const res = await Taro.downloadFile({ url, header: token ? { Authorization: `Bearer ${token}` } : {} });
  const ok = res.statusCode >= 200 && res.statusCode < 300;
  return { status: res.statusCode, src: ok ? res.tempFilePath : null };
}

const cache = new Map<string, Promise<string>>();

/**
 * A protected photo as something an <Image> can show: a blob: URL in the browser,
 * a temporary file in WeChat. Sent with the token (refreshed once on a 401, as
 * every request is); kept for the session, failures are not.
 */
export function protectedPhoto(path: string): Promise<string> {
  const known = cache.get(path);
  if (known) return known;
  const url = /^https?:/.test(path) ? path : `${API_BASE}${path}`;
  const load = IS_WEAPP ? downloadInWeapp : fetchInBrowser;
  const p = (async () => {
    let res = await load(url, getTokens()?.accessToken ?? null);
    if (res.status === 401) {
      const pair = await refreshTokens();
      if (pair) res = await load(url, pair.accessToken);
    }
    if (!res.src) throw new ApiError('PHOTO_UNAVAILABLE', '这张照片暂时看不到', res.status);
    return res.src;
  })();
  cache.set(path, p);
  p.catch(() => cache.delete(path));
  return p;
}

/** Tests start without remembered photos. */
export function forgetPhotos(): void {
  cache.clear();
}
