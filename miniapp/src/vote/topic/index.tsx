import { useEffect, useRef, useState } from 'react';
import { Image, Text, Textarea, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { commentCreateBody, pollStatusLabels, resolutionStatusLabels, topicStatusLabels, type CommentView, type FieldErrors, type TopicDetailView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, Empty, Field, Loading, Notice, P, Row, Tag } from '../../components/ui';
import { Meter, supportWords, topicTone } from '../../components/vote';
import { Api } from '../../services/endpoints';
import { formatDateTime, formatMonthDayTime } from '../../services/format';
import { newIdempotencyKey } from '../../services/idempotency';
import { go, Routes, withQuery } from '../../services/navigate';
import { isApiError, messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { ensureLoggedIn, goToLogin } from '../../store/session';
import { failureOf, type Failure } from '../parts';
import { protectedPhoto } from '../photos';
import '../vote.scss';

/** The topic's photos, fetched with the token (an <Image src> sends none); a tap opens them full size. */
function Photos({ paths }: { paths: string[] }) {
  const [srcs, setSrcs] = useState<(string | null | false)[]>(() => paths.map(() => null));
  useEffect(() => {
    let live = true;
    paths.forEach((path, i) => {
      protectedPhoto(path)
        .then((src) => live && setSrcs((s) => s.map((x, j) => (j === i ? src : x))))
        .catch(() => live && setSrcs((s) => s.map((x, j) => (j === i ? false : x))));
    });
    return () => {
      live = false;
    };
  }, [paths.join('|')]);
  const loaded = srcs.filter((s): s is string => !!s);
  return (
    <View className='vote-thumbs' data-testid='topic-photos'>
      {srcs.map((src, i) => (
        <View
          key={paths[i]}
          className='tap vote-thumb'
          role='button'
          aria-label={`看第${i + 1}张照片`}
          onClick={() => {
            if (src) void Promise.resolve(Taro.previewImage({ urls: loaded, current: src })).catch(() => undefined);
          }}
        >
          {src ? (
            <Image className='vote-thumb__img' src={src} mode='aspectFill' data-testid='topic-photo' />
          ) : (
            <Text className='vote-thumb__state'>{src === false ? '这张照片暂时看不到' : '照片加载中…'}</Text>
          )}
        </View>
      ))}
    </View>
  );
}

function Comment({ c }: { c: CommentView }) {
  return (
    <View className={`comment comment--${c.status}`} data-testid='comment' data-status={c.status}>
      <View className='comment__head'>
        <Text className='comment__name'>{c.mine ? `${c.authorName}（我）` : c.authorName}</Text>
        <Text className='comment__when'>{formatMonthDayTime(c.createdAt)}</Text>
      </View>
      {c.status === 'hidden' && c.text === null ? (
        <Text className='comment__text comment__text--gone'>这条意见已被隐藏</Text>
      ) : (
        <Text className='comment__text'>{c.text}</Text>
      )}
      {c.status === 'hidden' && c.text !== null ? (
        <Text className='comment__hidden' data-testid='comment-hidden-reason'>{`已被隐藏：${c.hiddenReason ?? '不符合社区公约'}`}</Text>
      ) : null}
      {c.status === 'held' ? (
        <View className='comment__tag'>
          <Tag tone='wait'>审核中，只有您能看到</Tag>
        </View>
      ) : null}
    </View>
  );
}

/**
 * One topic (V1, V2): what it is, its photos, support towards the agenda, the
 * polls it led to, and the discussion. A comment passes WeChat's content check
 * first: held ones are marked for their author, hidden ones keep their reason.
 */
export default function TopicPage() {
  const { params } = useRouter();
  const topicId = params.id ?? '';
  const [t, setT] = useState<TopicDetailView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [supportBusy, setSupportBusy] = useState(false);
  const [supportError, setSupportError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<Failure | null>(null);
  const [notice, setNotice] = useState<{ tone: 'ok' | 'wait'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef<string | null>(null);

  async function load() {
    try {
      const topic = await Api.topic(topicId);
      setT(topic);
      setLoadError(null);
    } catch (e) {
      setLoadError(messageOf(e));
    }
  }

  useDidShow(() => {
    void (async () => {
      if (!(await ensureLoggedIn())) return goToLogin();
      await load();
    })();
  });

  async function support() {
    if (!t) return;
    setSupportBusy(true);
    setSupportError(null);
    try {
      const updated = await Api.supportTopic(t.id);
      setT({ ...t, ...updated, comments: t.comments });
    } catch (e) {
      setSupportError(messageOf(e));
    } finally {
      setSupportBusy(false);
    }
  }

  async function send() {
    if (!t) return;
    setFailure(null);
    setNotice(null);
    const parsed = commentCreateBody.safeParse({ text });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    setErrors({});
    key.current ??= newIdempotencyKey();
    setBusy(true);
    try {
      const c = await Api.comment(t.id, parsed.data.text, key.current);
      key.current = null;
      setText('');
      setNotice(
        c.status === 'held'
          ? { tone: 'wait', text: '您的意见需要工作人员看一下，通过后大家就能看到。' }
          : { tone: 'ok', text: '您的意见已发表。' },
      );
      setT((cur) => (cur ? { ...cur, comments: [...cur.comments, c], commentCount: cur.commentCount + (c.status === 'visible' ? 1 : 0) } : cur));
    } catch (e) {
      const f = failureOf(e);
      if (!f.retry) key.current = null;
      if (isApiError(e) && e.code === 'VALIDATION_FAILED') setErrors(e.fieldErrors);
      setFailure(f);
    } finally {
      setBusy(false);
    }
  }

  if (!t) {
    return (
      <PageShell title='议题' className='page-topic'>
        <Notice tone='bad' text={loadError} testId='load-error' />
        {loadError ? (
          <Btn kind='secondary' onClick={() => go(Routes.deliberation)}>
            回到议事
          </Btn>
        ) : (
          <Loading />
        )}
      </PageShell>
    );
  }

  const live = t.status === 'collecting' || t.status === 'agenda';
  return (
    <PageShell title={t.title} subtitle={`${t.authorName} · ${formatDateTime(t.createdAt)}`} className='page-topic'>
      <View className='tags vote-tags'>
        <Tag tone={topicTone[t.status]}>{topicStatusLabels[t.status]}</Tag>
        {t.byStaff ? <Tag tone='info'>社区发起</Tag> : null}
      </View>
      {t.status === 'held' ? <Notice tone='wait' testId='topic-held' text='审核中：内容需要工作人员看一下，通过后大家就能看到。现在只有您能看到。' /> : null}
      {t.status === 'hidden' ? <Notice tone='bad' testId='topic-hidden' text={`这个议题已被隐藏：${t.hiddenReason ?? '不符合社区公约'}`} /> : null}

      <Card testId='topic-body'>
        <Text className='vote-body'>{t.body}</Text>
        {t.photoUrls.length ? <Photos paths={t.photoUrls} /> : null}
      </Card>

      {live ? (
        <Card title='支持这个议题' testId='topic-support'>
          {t.status === 'agenda' ? null : <Meter part={t.supportCount} whole={t.supportThreshold} label='支持人数' testId='support-meter' />}
          <P>{t.status === 'agenda' ? `${t.supportCount}人支持` : supportWords(t)}</P>
          {t.status === 'agenda' ? (
            <Notice tone='ok' text={`已列入议事会议题${t.agendaAt ? `（${formatMonthDayTime(t.agendaAt)}）` : ''}，社区会安排大家讨论。`} />
          ) : (
            <P muted>{`支持的邻居满${t.supportThreshold}人，就会列入议事会。`}</P>
          )}
          <Notice tone='bad' text={supportError} testId='support-error' />
          {t.supported ? (
            <Notice tone='ok' testId='supported' text={t.mine ? '您是发起人，已算作支持。' : '您已支持这个议题。'} />
          ) : (
            <Btn testId='support' loading={supportBusy} onClick={() => void support()}>
              我支持
            </Btn>
          )}
        </Card>
      ) : null}

      {t.meetings.length ? (
        <Card title='议事会' testId='topic-meetings'>
          {t.meetings.map((m) => (
            <View key={m.id}>
              <Row label={m.title} value={m.cancelled ? '已取消' : formatMonthDayTime(m.startsAt)} onClick={() => go(withQuery(Routes.voteMeeting, { id: m.id }))} testId={`topic-meeting-${m.id}`} />
              {m.resolution ? (
                <Notice
                  tone={m.resolution.passed ? 'ok' : 'bad'}
                  testId={`topic-resolution-${m.id}`}
                  text={`议事会决议${m.resolution.passed ? '通过' : '未通过'}：${m.resolution.text}${m.resolution.passed ? `（${resolutionStatusLabels[m.resolution.status]}）` : ''}`}
                />
              ) : null}
            </View>
          ))}
        </Card>
      ) : null}

      {t.polls.length ? (
        <Card title='相关投票' testId='topic-polls'>
          {t.polls.map((p) => (
            <Row key={p.id} label={p.title} value={pollStatusLabels[p.status]} onClick={() => go(withQuery(Routes.votePoll, { id: p.id }))} testId={`topic-poll-${p.id}`} />
          ))}
        </Card>
      ) : null}

      <Card title={`大家的意见（${t.commentCount}）`} testId='comments'>
        {t.comments.length === 0 ? <Empty text='还没有人发表意见。' /> : null}
        {t.comments.map((c) => (
          <Comment key={c.id} c={c} />
        ))}
      </Card>

      {live ? (
        <Card title='说说您的想法' testId='comment-box'>
          <Field label='您的意见' error={errors.text} testId='comment'>
            <Textarea
              className='input vote-textarea'
              value={text}
              maxlength={500}
              placeholder='文明发言，最多500个字'
              onInput={(e) => {
                setText(e.detail.value);
                key.current = null;
              }}
              data-testid='comment-input'
            />
          </Field>
          <Notice tone={notice?.tone ?? 'ok'} text={notice?.text} testId='comment-notice' />
          <Notice tone='bad' text={failure?.message} testId='comment-error' />
          <Btn testId='comment-submit' loading={busy} onClick={() => void send()}>
            {failure?.retry ? '重试' : '发表意见'}
          </Btn>
          <P muted>发表前会经过内容安全检查。</P>
        </Card>
      ) : null}
    </PageShell>
  );
}
