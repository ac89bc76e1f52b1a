import { useCallback, useRef, useState } from 'react';
import { Input, Text, Textarea, View } from '@tarojs/components';
import { hideBody, topicCreateBody, type CommentView, type FieldErrors, type TopicView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { useMountAndShow } from '../../components/useShow';
import { Btn, Card, Empty, Field, Loading, Notice, P, Tag } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { formatMonthDayTime } from '../../services/format';
import { newIdempotencyKey } from '../../services/idempotency';
import { go, Routes, withQuery } from '../../services/navigate';
import { isApiError, messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { CentreOnly } from '../CentreOnly';
import { mayRetry } from '../pollDesk';
import '../admin.scss';
import '../poll.scss';

type HeldComment = CommentView & { topicId: string };

/** 通过 / 隐藏 for one held topic or comment; 隐藏 asks for the reason the author will see. */
function Decide({
  what,
  testId,
  onRelease,
  onHide,
}: {
  what: string;
  testId: string;
  onRelease: () => Promise<void>;
  onHide: (reason: string) => Promise<void>;
}) {
  const [hiding, setHiding] = useState(false);
  const [reason, setReason] = useState('');
  const [fieldError, setFieldError] = useState<string[] | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'release' | 'hide' | null>(null);

  async function act(which: 'release' | 'hide', fn: () => Promise<void>) {
    setBusy(which);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(null);
    }
  }

  function hide() {
    const parsed = hideBody.safeParse({ reason });
    if (!parsed.success) {
      setFieldError(fieldErrorsOf(parsed.error.issues).reason);
      return;
    }
    setFieldError(undefined);
    void act('hide', () => onHide(parsed.data.reason));
  }

  return (
    <>
      <Notice tone='bad' text={error} testId={`${testId}-failed`} />
      {hiding ? (
        <View className='admin-item__panel' data-testid={`${testId}-hide-panel`}>
          <Field label={`隐藏原因（${what}的作者能看到）`} hint='原文会保留，不会删除' error={fieldError} testId={`${testId}-reason`}>
            <Textarea
              className='input textarea'
              value={reason}
              maxlength={200}
              placeholder='例如：含有他人电话号码，请去掉后重新发布'
              onInput={(e) => setReason(e.detail.value)}
              data-testid={`${testId}-reason-input`}
            />
          </Field>
          <View className='actions actions--row poll-actions'>
            <Btn kind='danger' loading={busy === 'hide'} testId={`${testId}-hide-submit`} onClick={hide}>
              确定隐藏
            </Btn>
            <Btn kind='plain' onClick={() => setHiding(false)}>
              不隐藏
            </Btn>
          </View>
        </View>
      ) : (
        <View className='actions actions--row poll-actions'>
          <Btn loading={busy === 'release'} testId={`${testId}-release`} onClick={() => void act('release', onRelease)}>
            通过
          </Btn>
          <Btn kind='danger' testId={`${testId}-hide`} onClick={() => setHiding(true)}>
            隐藏
          </Btn>
        </View>
      )}
    </>
  );
}

function RaiseTopic() {
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [raised, setRaised] = useState<TopicView | null>(null);
  const attempt = useRef<{ key: string; json: string } | null>(null);

  async function submit() {
    setError(null);
    const parsed = topicCreateBody.safeParse({ title, body, photoIds: [] });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    setErrors({});
    const json = JSON.stringify(parsed.data);
    if (attempt.current?.json !== json) attempt.current = { key: newIdempotencyKey(), json };
    setBusy(true);
    try {
      setRaised(await Api.staffRaiseTopic(parsed.data, attempt.current.key));
      attempt.current = null;
      setTitle('');
      setBody('');
      setOpen(false);
    } catch (e) {
      if (!mayRetry(e)) attempt.current = null;
      if (isApiError(e) && e.code === 'VALIDATION_FAILED') setErrors(e.fieldErrors);
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title='发起社区议题' testId='raise-topic'>
      <P muted>社区发起的议题直接列入议事会议题，居民在“议事”里能看到、能发表意见。</P>
      {raised ? <Notice tone='ok' text={`已发起“${raised.title}”，已列入议事会议题。`} testId='raise-done' /> : null}
      {open ? (
        <>
          <Field label='议题标题' error={errors.title} testId='raise-title'>
            <Input className='input' value={title} maxlength={40} placeholder='例如：小区公共收益怎么用' onInput={(e) => setTitle(e.detail.value)} data-testid='raise-title-input' />
          </Field>
          <Field label='具体情况' error={errors.body} testId='raise-body'>
            <Textarea
              className='input textarea'
              value={body}
              maxlength={2000}
              placeholder='说清楚是什么事、为什么要议、有哪些想法'
              onInput={(e) => setBody(e.detail.value)}
              data-testid='raise-body-input'
            />
          </Field>
          <Notice tone='bad' text={error} testId='raise-error' />
          <View className='actions actions--row poll-actions'>
            <Btn loading={busy} testId='raise-submit' onClick={() => void submit()}>
              发起
            </Btn>
            <Btn kind='plain' onClick={() => setOpen(false)}>
              先不发
            </Btn>
          </View>
        </>
      ) : (
        <View className='actions'>
          <Btn kind='secondary' testId='raise-open' onClick={() => setOpen(true)}>
            写一个议题
          </Btn>
        </View>
      )}
    </Card>
  );
}

function ReviewQueue() {
  const [topics, setTopics] = useState<TopicView[] | null>(null);
  const [comments, setComments] = useState<HeldComment[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const r = await Api.topicReview();
      setTopics(r.topics);
      setComments(r.comments);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);

  useMountAndShow(() => {
    void load();
  });

  /** Done, or already done by a colleague (CONFLICT): either way it leaves the queue. */
  async function decided(fn: () => Promise<unknown>, remove: () => void, text: string) {
    try {
      await fn();
      remove();
      setNotice(text);
    } catch (e) {
      if (isApiError(e) && e.code === 'CONFLICT') {
        setNotice(`${e.message}，列表已经刷新。`);
        void load();
        return;
      }
      throw e;
    }
  }

  const dropTopic = (id: string) => () => setTopics((list) => list?.filter((t) => t.id !== id) ?? null);
  const dropComment = (id: string) => () => setComments((list) => list?.filter((c) => c.id !== id) ?? null);

  return (
    <>
      <Text className='p p--muted poll-intro'>微信内容检测拿不准的议题和意见在这里，通过后大家才能看到。隐藏的原文会保留，作者能看到原因。</Text>
      <Notice tone='bad' text={error} testId='review-error' />
      <Notice tone='ok' text={notice} testId='review-notice' />
      {topics === null && !error ? <Loading /> : null}

      {topics ? (
        <Card title={`待审核的议题（${topics.length}）`} testId='held-topics'>
          {topics.length === 0 ? <Empty text='没有待审核的议题。' /> : null}
          {topics.map((t) => (
            <View key={t.id} className='admin-item' data-testid='held-topic'>
              <View className='admin-item__head'>
                <View className='admin-item__main'>
                  <Text className='admin-item__name'>{t.title}</Text>
                  <Text className='admin-item__meta'>{`${t.authorName} · ${formatMonthDayTime(t.createdAt)}${t.photoUrls.length ? ` · ${t.photoUrls.length}张照片` : ''}`}</Text>
                </View>
                <Tag tone='wait'>审核中</Tag>
              </View>
              <Text className='poll-quote'>{t.body}</Text>
              <Decide
                what='议题'
                testId='topic'
                onRelease={() => decided(() => Api.releaseTopic(t.id), dropTopic(t.id), `已通过：“${t.title}”，居民能看到了。`)}
                onHide={(reason) => decided(() => Api.hideTopic(t.id, reason), dropTopic(t.id), `已隐藏：“${t.title}”，发起人能看到原因。`)}
              />
            </View>
          ))}
        </Card>
      ) : null}

      {comments ? (
        <Card title={`待审核的意见（${comments.length}）`} testId='held-comments'>
          {comments.length === 0 ? <Empty text='没有待审核的意见。' /> : null}
          {comments.map((c) => (
            <View key={c.id} className='admin-item' data-testid='held-comment'>
              <View className='admin-item__head'>
                <View className='admin-item__main'>
                  <Text className='admin-item__meta'>{`${c.authorName} · ${formatMonthDayTime(c.createdAt)}`}</Text>
                </View>
                <Tag tone='wait'>审核中</Tag>
              </View>
              <Text className='poll-quote'>{c.text ?? ''}</Text>
              <View className='actions'>
                <Btn kind='plain' testId='comment-topic' onClick={() => go(withQuery(Routes.voteTopic, { id: c.topicId }))}>
                  看这条意见所在的议题
                </Btn>
              </View>
              <Decide
                what='意见'
                testId='comment'
                onRelease={() => decided(() => Api.releaseComment(c.id), dropComment(c.id), '已通过这条意见，大家能看到了。')}
                onHide={(reason) => decided(() => Api.hideComment(c.id, reason), dropComment(c.id), '已隐藏这条意见，作者能看到原因。')}
              />
            </View>
          ))}
        </Card>
      ) : null}

      <Btn kind='secondary' testId='review-reload' onClick={() => void load()}>
        刷新
      </Btn>
      <View className='divider' />
      <RaiseTopic />
    </>
  );
}

export default function StaffTopicReview() {
  return (
    <PageShell title='议题审核' subtitle='待审核的议题和意见，发起社区议题' className='page-staff-topic-review'>
      <CentreOnly>
        <ReviewQueue />
      </CentreOnly>
    </PageShell>
  );
}
