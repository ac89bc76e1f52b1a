import { useRef, useState, type ChangeEvent } from 'react';
import { Image, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Btn, Notice, P } from '../components/ui';
import { Api, type UploadedPhoto } from '../services/endpoints';
import { messageOf } from '../services/request';
import { isCancel } from './poster';

/** The API's limit for one photo (api/src/modules/upload/routes.ts). */
const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';

function typeOf(name: string): PhotoType | null {
  const ext = (name.split('.').pop() ?? '').toLowerCase();
  if (ext === 'jpg' || ext === 'jpeg') return 'image/jpeg';
  if (ext === 'png') return 'image/png';
  if (ext === 'webp') return 'image/webp';
  return null;
}

function readWeappFile(filePath: string): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    Taro.getFileSystemManager().readFile({ filePath, success: (res) => resolve(res.data as ArrayBuffer), fail: reject });
  });
}

export interface PickedPhoto {
  id: string;
  /** A local preview (blob URL or WeChat temporary file). */
  preview: string;
}

/**
 * 附照片 (optional): each chosen photo is uploaded at once and kept by its id;
 * the form sends the ids. In the browser a hidden file input, in WeChat the
 * album or camera (chooseMedia, compressed).
 */
export function PhotoPicker({ photos, onChange, max = 9 }: { photos: PickedPhoto[]; onChange: (p: PickedPhoto[]) => void; max?: number }) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function upload(files: { name: string; size: number; preview: string; read: () => Promise<ArrayBuffer> }[]) {
    setError(null);
    setBusy(true);
    const added: PickedPhoto[] = [];
    try {
      for (const f of files.slice(0, max - photos.length)) {
        const type = typeOf(f.name);
        if (!type) throw new Error('只能上传 JPG、PNG 或 WebP 格式的照片');
        if (f.size > PHOTO_MAX_BYTES) throw new Error('照片太大了（最大 5 MB），请换一张');
        const saved: UploadedPhoto = await Api.uploadPhoto(await f.read(), type);
        added.push({ id: saved.id, preview: f.preview });
      }
    } catch (e) {
      setError(e instanceof Error && !('code' in e) ? e.message : messageOf(e));
    } finally {
      setBusy(false);
      if (added.length) onChange([...photos, ...added]);
    }
  }

  async function chooseInWeapp() {
    try {
      const res = await Taro.chooseMedia({ count: max - photos.length, mediaType: ['image'], sizeType: ['compressed'] });
      await upload(res.tempFiles.map((f) => ({ name: f.tempFilePath, size: f.size, preview: f.tempFilePath, read: () => readWeappFile(f.tempFilePath) })));
    } catch (e) {
      if (!isCancel(e)) setError('没能打开相册，请稍后再试');
    }
  }

  function onBrowserChange(e: ChangeEvent<HTMLInputElement>) {
    const files = Array.from(e.target.files ?? []);
    e.target.value = '';
    void upload(files.map((f) => ({ name: f.name, size: f.size, preview: URL.createObjectURL(f), read: () => f.arrayBuffer() })));
  }

  return (
    <View data-testid='photo-picker'>
      {photos.length ? (
        <View className='photos'>
          {photos.map((p) => (
            <View key={p.id} className='tap' role='button' aria-label='去掉这张照片' onClick={() => onChange(photos.filter((x) => x.id !== p.id))}>
              <Image className='photo' src={p.preview} mode='aspectFill' />
            </View>
          ))}
        </View>
      ) : null}
      {photos.length ? <P muted>{`已选${photos.length}张，点照片可以去掉。`}</P> : null}
      {process.env.TARO_ENV === 'h5' ? (
        <input ref={input} className='photo-input' type='file' accept='image/jpeg,image/png,image/webp' multiple data-testid='photo-input' onChange={onBrowserChange} />
      ) : null}
      {photos.length < max ? (
        <Btn kind='secondary' testId='photo-add' loading={busy} onClick={() => (process.env.TARO_ENV === 'h5' ? input.current?.click() : void chooseInWeapp())}>
          {photos.length ? '再加照片' : '添加照片（可不加）'}
        </Btn>
      ) : null}
      <Notice tone='bad' text={error} testId='photo-error' />
    </View>
  );
}
