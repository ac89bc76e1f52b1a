import Taro from '@tarojs/taro';
import { API_BASE } from '../env';
import { ApiError, refreshTokens } from '../services/request';
import { getTokens } from '../services/tokens';

/** The kinds of photo the API keeps (POST /uploads) and its size limit (api/src/modules/upload). */
export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;

const byExtension: Record<string, PhotoType> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/**
 * What a photo is: its first bytes (the API checks them the same way), else the
 * browser's blob type or the file's extension; null for anything else (HEIC, GIF).
 */
export function photoTypeOf(data: ArrayBuffer, hint: { path?: string; blobType?: string } = {}): PhotoType | null {
  const b = new Uint8Array(data.slice(0, 12));
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png';
  const ascii = (from: number, to: number) => String.fromCharCode(...Array.from(b.slice(from, to)));
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  // Too short to tell by its bytes: what the phone said it is.
  if (b.length < 12) {
    const blob = hint.blobType?.toLowerCase();
    if (blob === 'image/jpeg' || blob === 'image/png' || blob === 'image/webp') return blob;
    const ext = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(hint.path ?? '')?.[1]?.toLowerCase();
    if (ext && byExtension[ext]) return byExtension[ext];
  }
  return null;
}

function isCancel(e: unknown): boolean {
  const msg = typeof e === 'object' && e !== null && 'errMsg' in e ? String((e as { errMsg: unknown }).errMsg) : String(e);
  return /cancel/i.test(msg);
}

/** WeChat's (or the browser's) photo chooser: album or camera, compressed. [] when cancelled. */
export async function choosePhotos(count: number): Promise<string[]> {
  if (count <= 0) return [];
  try {
    const res = await Taro.chooseImage({ count, sizeType: ['compressed'], sourceType: ['album', 'camera'] });
    const paths = res.tempFiles?.length ? res.tempFiles.map((f) => f.path) : (res.tempFilePaths ?? []);
    return paths.slice(0, count);
  } catch (e) {
    if (isCancel(e)) return [];
    throw new ApiError('CHOOSE_IMAGE_FAILED', '没能打开相册，请稍后再试', 0);
  }
}

/** A chosen photo's bytes and type: WeChat reads its temporary file, the browser fetches its blob: URL. */
export async function readPhoto(path: string): Promise<{ data: ArrayBuffer; type: PhotoType | null }> {
  // The build-time constant is written out so each build drops the other's code.
  if (process.env.TARO_ENV === 'h5') {
    const blob = await fetch(path).then((r) => r.blob());
    const data = await blob.arrayBuffer();
    return { data, type: photoTypeOf(data, { blobType: blob.type, path }) };
  }
  const data = await new Promise<ArrayBuffer>((resolve, reject) => {
    Taro.getFileSystemManager().readFile({ filePath: path, success: (res) => resolve(res.data as ArrayBuffer), fail: reject });
  });
  return { data, type: photoTypeOf(data, { path }) };
}

// --- Photos the API serves only with the token (GET /api/v1/uploads/:id) ---

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
 * A topic's photo as an <Image> can show it. An <Image src> sends no
 * Authorization header (in WeChat or the browser), so the photo is fetched with
 * the token — Taro.downloadFile into a temporary file in WeChat, fetch → blob: URL
 * in the browser — refreshing the token once on a 401 like every request. Kept for
 * the session; a failure is not kept, so the next show tries again.
 */
export function protectedPhoto(path: string): Promise<string> {
  const known = cache.get(path);
  if (known) return known;
  const url = /^https?:/.test(path) ? path : `${API_BASE}${path}`;
  const load = process.env.TARO_ENV === 'h5' ? fetchInBrowser : downloadInWeapp;
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
