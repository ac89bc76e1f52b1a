import { useCallback, useEffect, useRef, useState } from 'react';
import { Text, Textarea, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { reason, type PollView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { useMountAndShow } from '../../components/useShow';
import { Btn, Card, Empty, Field, Loading, Notice, P, Tag } from '../../components/ui';
import { Api, type PollObjection } from '../../services/endpoints';
import { formatMonthDayTime } from '../../services/format';
import { go, Routes, withQuery } from '../../services/navigate';
import { isApiError, messageOf } from '../../services/request';
import { CentreOnly } from '../CentreOnly';
import '../admin.scss';
import '../poll.scss';

/** The API's rule for an answer (POST /staff/poll-objections/:id/answer): the shared `reason`. */
const answerRule = reason('答复');

function ObjectionItem({ o, onAnswered, onTaken }: { o: PollObjection; onAnswered: (o: PollObjection) => void; onTaken: (message: string) => void }) {
  const [text, setText] = useState('');
  const [fieldError, setFieldError] = useState<string[] | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    const parsed = answerRule.safeParse(text);
    if (!parsed.success) {
      setFieldError(parsed.error.issues.map((i) => i.message));
      return;
    }
    setFieldError(undefined);
    setError(null);
    setBusy(true);
    try {
      onAnswered(await Api.answerObjection(o.id, parsed.data));
    } catch (e) {
      if (isApiError(e) && e.code === 'CONFLICT') onTaken(e.message);
      else setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className='admin-item' data-testid='objection'>
      <View className='admin-item__head'>
        <View className='admin-item__main'>
          <Text className='admin-item__meta'>{`${formatMonthDayTime(o.createdAt)} 收到`}</Text>
        </View>
        <Tag tone={o.answer ? 'ok' : 'wait'}>{o.answer ? '已答复' : '待答复'}</Tag>
      </View>
      <Text className='poll-quote'>{o.text}</Text>
      {o.answer ? (
        <View className='poll-answered' data-testid='objection-answer'>
          <Text className='poll-answered__label'>{`答复${o.answeredAt ? `（${formatMonthDayTime(o.answeredAt)}）` : ''}`}</Text>
          <Text className='poll-answered__text'>{o.answer}</Text>
        </View>
      ) : (
        <View className='admin-item__panel'>
          <Field label='答复（提出人会收到）' hint='写清楚核实了什么、结论是什么' error={fieldError} testId='answer'>
            <Textarea
              className='input textarea'
              value={text}
              maxlength={200}
              placeholder='例如：经核对表决票清册，502室的纸质票已计入，计票无误。'
              onInput={(e) => setText(e.detail.value)}
              data-testid='answer-input'
            />
          </Field>
          <Notice tone='bad' text={error} testId='answer-failed' />
          <Btn loading={busy} testId='answer-submit' onClick={() => void submit()}>
            发送答复
          </Btn>
        </View>
      )}
    </View>
  );
}

function ObjectionList({ pollId }: { pollId: string }) {
  const [poll, setPoll] = useState<PollView | null>(null);
  const [items, setItems] = useState<PollObjection[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const started = useRef(false);

  const load = useCallback(async () => {
    try {
      setItems((await Api.pollObjections(pollId)).items);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [pollId]);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    Api.poll(pollId)
      .then(setPoll)
      .catch(() => undefined);
  }, [pollId]);

  useMountAndShow(() => {
    void load();
  });

  const waiting = items?.filter((o) => !o.answer).length ?? 0;
  return (
    <>
      {poll ? (
        <Card title={poll.title}>
          {poll.noticeUntil ? <P muted>{`结果公示到 ${formatMonthDayTime(poll.noticeUntil)}，公示期内居民可以提出异议。`}</P> : <P muted>结果公布后开始公示，公示期内居民可以提出异议。</P>}
          <View className='actions'>
            <Btn kind='secondary' testId='objections-result' onClick={() => go(withQuery(Routes.voteResult, { id: pollId }))}>
              查看结果
            </Btn>
          </View>
        </Card>
      ) : null}
      <Notice tone='bad' text={error} testId='objections-error' />
      <Notice tone='ok' text={notice} testId='objections-notice' />
      <Notice tone='bad' text={conflict} testId='objections-conflict' />
      {items === null && !error ? <Loading /> : null}
      {items && items.length === 0 ? <Empty text='还没有收到异议。' /> : null}
      {items && items.length ? (
        <Card testId='objection-list'>
          <P muted>{`共${items.length}条，待答复${waiting}条。每条异议都要答复，答复会发给提出人。`}</P>
          {items.map((o) => (
            <ObjectionItem
              key={o.id}
              o={o}
              onAnswered={(a) => {
                setConflict(null);
                setItems((list) => list?.map((x) => (x.id === a.id ? a : x)) ?? null);
                setNotice('已答复，提出人会收到消息。');
              }}
              onTaken={(message) => {
                setNotice(null);
                setConflict(`${message}，列表已经刷新。`);
                void load();
              }}
            />
          ))}
        </Card>
      ) : null}
    </>
  );
}

export default function StaffObjections() {
  const { params } = useRouter();
  const pollId = params.id ?? '';
  return (
    <PageShell title='异议处理' subtitle='公示期内居民提出的异议，逐条答复' className='page-staff-objections'>
      <CentreOnly>{pollId ? <ObjectionList pollId={pollId} /> : <Notice tone='bad' text='没有指定投票，请从投票管理进入。' />}</CentreOnly>
    </PageShell>
  );
}
