import Taro from '@tarojs/taro';

/** The kinds of photo the API keeps (POST /uploads), and its size limit. */
export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;

export interface PickedPhoto {
  /** A local path to show the photo from (wxfile:// in WeChat, blob: in the browser). */
  path: string;
  size: number;
  contentType: PhotoType;
  data: ArrayBuffer;
}

export type PhotoOutcome = { photo: PickedPhoto } | { problem: string } | null;

/** What the bytes are, by their first bytes (the API checks the same way; a file name can say anything). */
export function photoTypeOf(data: ArrayBuffer): PhotoType | null {
  const b = new Uint8Array(data.slice(0, 12));
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png';
  const ascii = (from: number, to: number) => String.fromCharCode(...Array.from(b.slice(from, to)));
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return null;
}

function readBytes(path: string): Promise<ArrayBuffer> {
  // The build-time constant is written out so each build drops the other's code.
  if (process.env.TARO_ENV === 'h5') return fetch(path).then((r) => r.arrayBuffer());
  return new Promise((resolve, reject) => {
    Taro.getFileSystemManager().readFile({
      filePath: path,
      success: (res) => resolve(res.data as ArrayBuffer),
      fail: reject,
    });
  });
}

function isCancel(e: unknown): boolean {
  const msg = typeof e === 'object' && e !== null && 'errMsg' in e ? String((e as { errMsg: unknown }).errMsg) : String(e);
  return /cancel/i.test(msg);
}

/**
 * Takes a photo (or picks one from the album) and reads its bytes. null when the
 * person cancelled; a problem in words when it cannot be used.
 */
export async function choosePhoto(): Promise<PhotoOutcome> {
  let file: { path: string; size: number } | undefined;
  try {
    const res = await Taro.chooseImage({ count: 1, sizeType: ['compressed'], sourceType: ['camera', 'album'] });
    file = res.tempFiles?.[0] ?? (res.tempFilePaths?.[0] ? { path: res.tempFilePaths[0], size: 0 } : undefined);
  } catch (e) {
    return isCancel(e) ? null : { problem: '没能打开相机或相册，请稍后再试' };
  }
  if (!file) return null;
  if (file.size > PHOTO_MAX_BYTES) return { problem: '照片太大了（最大 5 MB），请重新拍一张' };
  let data: ArrayBuffer;
  try {
    data = await readBytes(file.path);
  } catch {
    return { problem: '读取照片没有成功，请重新拍照' };
  }
  if (data.byteLength === 0) return { problem: '这张照片是空的，请重新拍照' };
  if (data.byteLength > PHOTO_MAX_BYTES) return { problem: '照片太大了（最大 5 MB），请重新拍一张' };
  const contentType = photoTypeOf(data);
  if (!contentType) return { problem: '只能上传 JPG、PNG 或 WebP 格式的照片' };
  return { photo: { path: file.path, size: data.byteLength, contentType, data } };
}
