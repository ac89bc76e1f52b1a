import { useRef, useState } from 'react';
import { Image, Input, Text, Textarea, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { topicCreateBody, type FieldErrors, type TopicView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, Field, FieldError, Notice, P } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { newIdempotencyKey } from '../../services/idempotency';
import { go, Routes, withQuery } from '../../services/navigate';
import { isApiError, messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { ensureLoggedIn, goToLogin } from '../../store/session';
import { failureOf, type Failure } from '../parts';
import { choosePhotos, PHOTO_MAX_BYTES, readPhoto } from '../photos';
import '../vote.scss';

const MAX_PHOTOS = 9;

interface Photo {
  key: string;
  /** Where the phone keeps it: the thumbnail before and after uploading. */
  path: string;
  state: 'uploading' | 'done' | 'failed';
  id: string | null;
  problem: string | null;
}

const photoWords: Record<Photo['state'], string> = { uploading: '正在上传…', done: '已上传', failed: '没有传上' };

/**
 * 发起议题 (V1): a title, what it is about, up to nine photos. Each photo is
 * uploaded as soon as it is chosen; the topic is checked with the shared schema,
 * then sent once with an Idempotency-Key. WeChat's content check may hold it for
 * staff (said plainly) or refuse it (the API's words; the text stays to be changed).
 */
export default function TopicNew() {
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [photoError, setPhotoError] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<TopicView | null>(null);
  // One key per topic: kept only while the answer is unknown (network failure), so 重试 cannot post twice.
  const key = useRef<string | null>(null);
  const seq = useRef(0);
  const count = useRef(0);
  count.current = photos.length;

  useDidShow(() => {
    void (async () => {
      if (!(await ensureLoggedIn())) goToLogin();
    })();
  });

  const update = (k: string, patch: Partial<Photo>) => setPhotos((list) => list.map((p) => (p.key === k ? { ...p, ...patch } : p)));

  async function upload(p: Photo) {
    try {
      const { data, type } = await readPhoto(p.path);
      if (data.byteLength > PHOTO_MAX_BYTES) return update(p.key, { state: 'failed', problem: '照片太大了（超过5MB）' });
      if (!type) return update(p.key, { state: 'failed', problem: '只能用 JPG、PNG 或 WebP 照片' });
      const saved = await Api.uploadPhoto(data, type);
      update(p.key, { state: 'done', id: saved.id, problem: null });
    } catch (e) {
      update(p.key, { state: 'failed', problem: isApiError(e) ? e.message : '读取照片没有成功，请重新选择' });
    }
  }

  async function addPhotos() {
    setPhotoError(null);
    let paths: string[];
    try {
      paths = await choosePhotos(MAX_PHOTOS - count.current);
    } catch (e) {
      setPhotoError(messageOf(e));
      return;
    }
    const added: Photo[] = paths.slice(0, MAX_PHOTOS - count.current).map((path) => ({ key: `p${++seq.current}`, path, state: 'uploading', id: null, problem: null }));
    if (!added.length) return;
    key.current = null;
    setPhotos((list) => [...list, ...added].slice(0, MAX_PHOTOS));
    await Promise.all(added.map((p) => upload(p)));
  }

  function removePhoto(k: string) {
    key.current = null;
    setPhotos((list) => list.filter((p) => p.key !== k));
  }

  const uploading = photos.some((p) => p.state === 'uploading');
  const failed = photos.some((p) => p.state === 'failed');

  async function submit() {
    setFailure(null);
    const parsed = topicCreateBody.safeParse({ title, body, photoIds: photos.filter((p) => p.id).map((p) => p.id) });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    setErrors({});
    if (uploading) return setPhotoError('照片还在上传，请稍等一下再发');
    if (failed) return setPhotoError('有照片没有传上，请删除它（或重新添加）后再发');
    key.current ??= newIdempotencyKey();
    setBusy(true);
    try {
      const topic = await Api.raiseTopic(parsed.data, key.current);
      key.current = null;
      setDone(topic);
      setTitle('');
      setBody('');
      setPhotos([]);
    } catch (e) {
      const f = failureOf(e);
      if (!f.retry) key.current = null;
      if (isApiError(e) && e.code === 'VALIDATION_FAILED') setErrors(e.fieldErrors);
      setFailure(f);
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    const held = done.status === 'held';
    return (
      <PageShell title='发起议题' className='page-topic-new'>
        <Card title={held ? '已提交，等待审核' : '议题已发布'} className='card--accent' testId='topic-done'>
          <Notice
            tone={held ? 'wait' : 'ok'}
            testId='topic-done-notice'
            text={held ? '内容需要工作人员看一下，通过后大家就能看到。' : `《${done.title}》已经发布，邻居们可以支持和留言了。支持满${done.supportThreshold}人就会列入议事会。`}
          />
          <View className='actions'>
            <Btn testId='topic-open' onClick={() => go(withQuery(Routes.voteTopic, { id: done.id }))}>
              查看我的议题
            </Btn>
            <Btn kind='plain' onClick={() => go(Routes.deliberation)}>
              回到议事
            </Btn>
          </View>
        </Card>
      </PageShell>
    );
  }

  const edit = (set: (v: string) => void) => (e: { detail: { value: string } }) => {
    set(e.detail.value);
    key.current = null;
  };

  return (
    <PageShell title='发起议题' subtitle='小区里想改进的事，说出来大家一起商量' className='page-topic-new'>
      <Card>
        <Field label='标题' hint='一句话说清楚是什么事，4到40个字' error={errors.title} testId='title'>
          <Input className='input' value={title} maxlength={40} placeholder='例如：东门加装雨棚' onInput={edit(setTitle)} data-testid='title-input' />
        </Field>
        <Field label='具体情况' hint='在哪里、有什么问题、您的建议，至少10个字' error={errors.body} testId='body'>
          <Textarea
            className='input vote-textarea vote-textarea--large'
            value={body}
            maxlength={2000}
            placeholder='例如：下雨天东门口没有遮挡，老人进出不方便……'
            onInput={edit(setBody)}
            data-testid='body-input'
          />
          <Text className='vote-count'>{`已写${body.trim().length}个字`}</Text>
        </Field>

        <Field label={`照片（可不加，最多${MAX_PHOTOS}张）`} error={errors.photoIds} testId='photos'>
          {photos.length ? (
            <View className='vote-thumbs' data-testid='photos-list'>
              {photos.map((p, i) => (
                <View key={p.key} className={`vote-thumb vote-thumb--${p.state}`} data-testid='photo-item'>
                  <Image className='vote-thumb__img' src={p.path} mode='aspectFill' />
                  <Text className='vote-thumb__state'>{p.problem ?? photoWords[p.state]}</Text>
                  <View className='tap vote-thumb__remove' role='button' aria-label={`删除第${i + 1}张照片`} data-testid='photo-remove' onClick={() => removePhoto(p.key)}>
                    <Text className='vote-thumb__remove-text'>删除</Text>
                  </View>
                </View>
              ))}
            </View>
          ) : null}
          {photos.length < MAX_PHOTOS ? (
            <Btn kind='secondary' testId='photo-add' onClick={() => void addPhotos()}>
              {photos.length ? `再加照片（还能加${MAX_PHOTOS - photos.length}张）` : '添加照片'}
            </Btn>
          ) : (
            <P muted>{`已经${MAX_PHOTOS}张了，要换的话先删除一张。`}</P>
          )}
          <FieldError messages={photoError ? [photoError] : undefined} testId='photo-error' />
        </Field>

        <P muted>发布前会经过内容安全检查；大家都能看到您的名字和内容。</P>
        <Notice tone='bad' text={failure?.message} testId='topic-error' />
        <Btn testId='topic-submit' loading={busy} disabled={uploading} onClick={() => void submit()}>
          {failure?.retry ? '重试' : uploading ? '照片上传中…' : '发布议题'}
        </Btn>
      </Card>
    </PageShell>
  );
}
