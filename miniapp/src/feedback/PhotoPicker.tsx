import { useRef, useState } from 'react';
import { Image, Text, View } from '@tarojs/components';
import { Btn, FieldError, P } from '../components/ui';
import { Api } from '../services/endpoints';
import { messageOf } from '../services/request';
import { choosePhotos, PHOTO_MAX_BYTES, photoTypeOf, readPhoto } from './photos';

export interface Photo {
  key: string;
  path: string;
  state: 'uploading' | 'done' | 'failed';
  id: string | null;
  problem: string | null;
}

/**
 * Photos chosen for a form, each uploaded as soon as it is chosen (so sending the
 * form needs only their ids). A photo that failed stays on screen, saying so, until removed.
 */
export function usePhotoUploads(max: number) {
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  const count = useRef(0);
  count.current = photos.length;

  const update = (key: string, patch: Partial<Photo>) => setPhotos((list) => list.map((p) => (p.key === key ? { ...p, ...patch } : p)));

  async function upload(p: Photo) {
    try {
      const data = await readPhoto(p.path);
      if (data.byteLength > PHOTO_MAX_BYTES) return update(p.key, { state: 'failed', problem: '照片太大了（超过5MB）' });
      const type = photoTypeOf(data);
      if (!type) return update(p.key, { state: 'failed', problem: '只能用 JPG、PNG 或 WebP 照片' });
      const uploaded = await Api.uploadPhoto(data, type);
      update(p.key, { state: 'done', id: uploaded.id, problem: null });
    } catch (e) {
      update(p.key, { state: 'failed', problem: messageOf(e) });
    }
  }

  async function add() {
    setError(null);
    const room = max - count.current;
    if (room <= 0) return;
    let chosen;
    try {
      chosen = await choosePhotos(room);
    } catch (e) {
      setError(messageOf(e));
      return;
    }
    const added: Photo[] = chosen.slice(0, room).map((c) => ({ key: `p${++seq.current}`, path: c.path, state: 'uploading', id: null, problem: null }));
    if (!added.length) return;
    setPhotos((list) => [...list, ...added].slice(0, max));
    await Promise.all(added.map((p) => upload(p)));
  }

  function remove(key: string) {
    setPhotos((list) => list.filter((p) => p.key !== key));
  }

  function clear() {
    setPhotos([]);
    setError(null);
  }

  return {
    photos,
    error,
    add,
    remove,
    clear,
    ids: photos.filter((p) => p.state === 'done' && p.id).map((p) => p.id!),
    uploading: photos.some((p) => p.state === 'uploading'),
    failed: photos.some((p) => p.state === 'failed'),
  };
}

export type PhotoUploads = ReturnType<typeof usePhotoUploads>;

const stateWords: Record<Photo['state'], string> = { uploading: '正在上传…', done: '已上传', failed: '没有传上' };

/** Thumbnails with 删除 under each, and a big 添加照片 button while there is room. */
export function PhotoPicker({ uploads, max, hint, testId = 'photos' }: { uploads: PhotoUploads; max: number; hint?: string; testId?: string }) {
  const left = max - uploads.photos.length;
  return (
    <View className='fb-photos' data-testid={testId}>
      {uploads.photos.length ? (
        <View className='fb-thumbs'>
          {uploads.photos.map((p, i) => (
            <View key={p.key} className={`fb-thumb fb-thumb--${p.state}`} data-testid={`${testId}-item`}>
              <Image className='fb-thumb__img' src={p.path} mode='aspectFill' />
              <Text className='fb-thumb__state'>{p.problem ?? stateWords[p.state]}</Text>
              <View
                className='tap fb-thumb__remove'
                role='button'
                aria-label={`删除第${i + 1}张照片`}
                data-testid={`${testId}-remove`}
                onClick={() => uploads.remove(p.key)}
              >
                <Text className='fb-thumb__remove-text'>删除</Text>
              </View>
            </View>
          ))}
        </View>
      ) : null}
      {hint ? <P muted>{hint}</P> : null}
      {left > 0 ? (
        <Btn kind='secondary' testId={`${testId}-add`} onClick={() => void uploads.add()}>
          {uploads.photos.length ? `再加照片（还能加${left}张）` : `添加照片（最多${max}张）`}
        </Btn>
      ) : (
        <P muted>{`已经${max}张了，要换的话先删除一张。`}</P>
      )}
      <FieldError messages={uploads.error ? [uploads.error] : undefined} testId={`${testId}-error`} />
    </View>
  );
}
