import { useRef, useState } from 'react';
import { Text, Textarea, View } from '@tarojs/components';
import { useDidShow, useRouter } from '@tarojs/taro';
import { formatArea, objectionBody, ruleText, type FieldErrors, type PollResultView, type PollView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, Field, Loading, Notice, P, Tag } from '../../components/ui';
import { Meter, unitNoun } from '../../components/vote';
import { Api, type PollObjection, type PollVerify } from '../../services/endpoints';
import { formatDate, formatMonthDayTime } from '../../services/format';
import { newIdempotencyKey } from '../../services/idempotency';
import { go, Routes, withQuery } from '../../services/navigate';
import { isApiError, messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { ensureLoggedIn, goToLogin } from '../../store/session';
import { failureOf, type Failure } from '../parts';
import '../vote.scss';

type QuestionResult = PollResultView['questions'][number];
type OwnerResult = NonNullable<QuestionResult['owner']>;
type Test = OwnerResult['participation'];

/** One of the two tests of art. 278: area and headcount, each a bar with its threshold line, and the figures in words. */
function TestBlock({ title, t, whatPart, whatWhole, testId }: { title: string; t: Test; whatPart: string; whatWhole: string; testId: string }) {
  const met = (m: boolean) => (m ? '达到' : '未达到');
  return (
    <View className='art278-test' data-testid={testId}>
      <View className='art278-test__head'>
        <Text className='art278-test__title'>{title}</Text>
        <Tag tone={t.met ? 'ok' : 'bad'}>{met(t.met)}</Tag>
      </View>
      <Text className='art278-test__rule' data-testid={`${testId}-rule`}>{`需要${ruleText(t.rule)}`}</Text>

      <View className='art278-bar'>
        <View className='art278-bar__head'>
          <Text className='art278-bar__name'>面积</Text>
          <Text className={`art278-bar__met art278-bar__met--${t.areaMet ? 'ok' : 'bad'}`}>{met(t.areaMet)}</Text>
        </View>
        <Meter part={t.areaPart} whole={t.areaWhole} line={t.rule} met={t.areaMet} label={`${title}的面积`} testId={`${testId}-area`} />
        <Text className='art278-bar__figures' data-testid={`${testId}-area-figures`}>{`${formatArea(t.areaPart)} / ${formatArea(t.areaWhole)}`}</Text>
      </View>
      <View className='art278-bar'>
        <View className='art278-bar__head'>
          <Text className='art278-bar__name'>人数</Text>
          <Text className={`art278-bar__met art278-bar__met--${t.headsMet ? 'ok' : 'bad'}`}>{met(t.headsMet)}</Text>
        </View>
        <Meter part={t.headsPart} whole={t.headsWhole} line={t.rule} met={t.headsMet} label={`${title}的人数`} testId={`${testId}-heads`} />
        <Text className='art278-bar__figures' data-testid={`${testId}-heads-figures`}>{`${t.headsPart} / ${t.headsWhole} 人`}</Text>
      </View>

      <Text className='art278-test__words' data-testid={`${testId}-words`}>
        {`${whatPart}${t.headsPart}人、面积${formatArea(t.areaPart)}；${whatWhole}${t.headsWhole}人、面积${formatArea(t.areaWhole)}。至少需要${t.headsNeeded}人、${formatArea(t.areaNeeded)}。`}
      </Text>
    </View>
  );
}

function OwnerTests({ o, qi }: { o: OwnerResult; qi: number }) {
  return (
    <View className='art278' data-testid={`art278-${qi}`}>
      <Text className='art278__matter'>{`表决事项：第${o.matter}项，${o.matterLabel}`}</Text>
      <TestBlock title='① 参与表决' t={o.participation} whatPart='参与表决的业主' whatWhole='全体业主' testId={`participation-${qi}`} />
      <TestBlock title='② 同意' t={o.approval} whatPart='同意的业主' whatWhole='参与表决的业主' testId={`approval-${qi}`} />
      <View className={`art278-outcome art278-outcome--${o.passed ? 'pass' : 'fail'}`} data-testid={`outcome-${qi}`}>
        <Text className='art278-outcome__text'>{o.passed ? '通过' : '未通过'}</Text>
        <Text className='art278-outcome__why'>
          {o.passed
            ? '两项都达到了《民法典》第二百七十八条的要求。'
            : `${[o.participation.met ? null : '参与表决的面积或人数不够', o.approval.met ? null : '同意的面积或人数不够'].filter(Boolean).join('；')}。`}
        </Text>
      </View>
    </View>
  );
}

function QuestionCard({ q, qi, count, poll, ballots }: { q: QuestionResult; qi: number; count: number; poll: PollView; ballots: number }) {
  const owner = poll.countingUnit === 'owner';
  return (
    <Card title={count > 1 ? `第${qi + 1}题` : '投票结果'} testId={`result-q-${qi}`}>
      <Text className='ballot-q'>{q.title}</Text>
      {q.options.map((o, j) => (
        <View key={j} className='result-option' data-testid={`result-option-${qi}-${j}`}>
          <View className='result-option__head'>
            <Text className='result-option__label'>{o.label}</Text>
            <Text className='result-option__count'>{owner && o.area !== null ? `${o.heads}人 · ${formatArea(o.area)}` : `${o.heads}${unitNoun[poll.countingUnit]}`}</Text>
          </View>
          <Meter part={o.heads} whole={ballots} small label={o.label} />
        </View>
      ))}
      {q.owner ? <OwnerTests o={q.owner} qi={qi} /> : null}
    </Card>
  );
}

/**
 * 投票结果 (V6, V9, V11): each option's count; for owner votes both tests of
 * art. 278 drawn as bars with their threshold lines, the figures in words and the
 * outcome. 核验 recomputes the public chain; during the notice period an objection
 * can be filed, and one's own objections show with the community's answers.
 */
export default function ResultPage() {
  const { params } = useRouter();
  const pollId = params.id ?? '';
  const [poll, setPoll] = useState<PollView | null>(null);
  const [result, setResult] = useState<PollResultView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [verify, setVerify] = useState<PollVerify | null>(null);
  const [verifyBusy, setVerifyBusy] = useState(false);
  const [verifyError, setVerifyError] = useState<string | null>(null);
  const [objections, setObjections] = useState<PollObjection[]>([]);
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<Failure | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef<string | null>(null);

  async function load() {
    try {
      const p = await Api.poll(pollId);
      setPoll(p);
      const r = await Api.pollResult(pollId);
      setResult(r);
      setError(null);
      if (r.final) setObjections((await Api.myObjections(pollId).catch(() => ({ items: [] }))).items);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  useDidShow(() => {
    void (async () => {
      if (!(await ensureLoggedIn())) return goToLogin();
      await load();
    })();
  });

  async function check() {
    setVerifyBusy(true);
    setVerifyError(null);
    setVerify(null);
    try {
      setVerify(await Api.verifyPoll(pollId));
    } catch (e) {
      setVerifyError(messageOf(e));
    } finally {
      setVerifyBusy(false);
    }
  }

  async function object() {
    setFailure(null);
    setNotice(null);
    const parsed = objectionBody.safeParse({ text });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    setErrors({});
    key.current ??= newIdempotencyKey();
    setBusy(true);
    try {
      const filed = await Api.fileObjection(pollId, parsed.data.text, key.current);
      key.current = null;
      setText('');
      setNotice('异议已提交。社区答复后会发消息告诉您，答复也会写在这里。');
      setObjections((list) => [...list.filter((o) => o.id !== filed.id), filed]);
    } catch (e) {
      const f = failureOf(e);
      if (!f.retry) key.current = null;
      if (isApiError(e) && e.code === 'VALIDATION_FAILED') setErrors(e.fieldErrors);
      setFailure(f);
    } finally {
      setBusy(false);
    }
  }

  if (!poll || !result) {
    return (
      <PageShell title={poll?.title ?? '投票结果'} className='page-result'>
        <Notice tone={error ? 'wait' : 'info'} text={error} testId='result-error' />
        {error ? (
          <Btn kind='secondary' onClick={() => go(poll ? withQuery(Routes.votePoll, { id: poll.id }) : Routes.deliberation)}>
            {poll ? '回到投票' : '回到议事'}
          </Btn>
        ) : (
          <Loading />
        )}
      </PageShell>
    );
  }

  const owner = poll.countingUnit === 'owner';
  const noticeOpen = result.final && !!result.noticeUntil && Date.now() <= Date.parse(result.noticeUntil);
  const stateTag = result.final ? { tone: 'ok' as const, text: '结果已公布' } : result.status === 'open' ? { tone: 'wait' as const, text: '实时结果' } : { tone: 'wait' as const, text: '计票中' };

  return (
    <PageShell title={poll.title} subtitle={`投票范围：${poll.scopeLabel}`} className='page-result'>
      <Card testId='result-head'>
        <View className='tags vote-tags--flush'>
          <Tag tone={stateTag.tone}>{stateTag.text}</Tag>
          {owner ? <Tag tone='info'>业主表决</Tag> : null}
        </View>
        {!result.final ? (
          <Notice tone='wait' text={result.status === 'open' ? '投票还在进行，数字还会变，以结束后公布的为准。' : '投票已结束，正在计票，结果马上公布。'} testId='result-live' />
        ) : null}
        <P>{`共${result.ballots}张票；名册共${result.roll.heads}${unitNoun[poll.countingUnit]}${owner && result.roll.area !== null ? `，总面积${formatArea(result.roll.area)}` : ''}。`}</P>
        {result.publishedAt ? <P muted>{`公布于 ${formatMonthDayTime(result.publishedAt)}`}</P> : null}
        {result.noticeUntil ? <P>{`公示至 ${formatDate(result.noticeUntil)}`}</P> : null}
      </Card>

      {result.questions.map((q, qi) => (
        <QuestionCard key={qi} q={q} qi={qi} count={result.questions.length} poll={poll} ballots={result.ballots} />
      ))}

      <Card title='核验结果' testId='verify'>
        <P muted>每张票都封存在公开的哈希链里，任何人都可以重新计票，看结果和选票是否一致。</P>
        {verify ? (
          verify.ok ? (
            <Notice tone='ok' testId='verify-ok' text={`链完整，结果与选票一致（共核对${(verify as { ballots?: number }).ballots ?? verify.entries}张票）。`} />
          ) : (
            <View data-testid='verify-problems'>
              <Notice tone='bad' text='核验发现问题：' />
              {verify.problems.map((p) => (
                <P key={p}>{`· ${p}`}</P>
              ))}
            </View>
          )
        ) : null}
        <Notice tone='bad' text={verifyError} testId='verify-error' />
        <Btn kind='secondary' testId='verify-run' loading={verifyBusy} onClick={() => void check()}>
          核验
        </Btn>
      </Card>

      {noticeOpen ? (
        <Card title='对结果有异议？' testId='objection'>
          <P>{`公示到${formatDate(result.noticeUntil)}。这期间可以提出异议，社区会逐条答复。`}</P>
          <Field label='您的异议' error={errors.text} testId='objection-text'>
            <Textarea
              className='input vote-textarea'
              value={text}
              maxlength={200}
              placeholder='请写清楚哪里有问题，2到200个字'
              onInput={(e) => {
                setText(e.detail.value);
                key.current = null;
              }}
              data-testid='objection-input'
            />
          </Field>
          <Notice tone='ok' text={notice} testId='objection-notice' />
          <Notice tone='bad' text={failure?.message} testId='objection-error' />
          <Btn testId='objection-submit' loading={busy} onClick={() => void object()}>
            {failure?.retry ? '重试' : '提交异议'}
          </Btn>
        </Card>
      ) : null}

      {objections.length ? (
        <Card title='我提出的异议' testId='my-objections'>
          {objections.map((o) => (
            <View key={o.id} className='comment' data-testid='my-objection'>
              <Text className='comment__when'>{formatMonthDayTime(o.createdAt)}</Text>
              <Text className='comment__text'>{o.text}</Text>
              {o.answer ? (
                <Text className='objection-answer' data-testid='objection-answer'>{`社区答复：${o.answer}`}</Text>
              ) : (
                <Text className='comment__when'>等待社区答复</Text>
              )}
            </View>
          ))}
        </Card>
      ) : null}

      <Btn kind='plain' onClick={() => go(withQuery(Routes.votePoll, { id: poll.id }))}>
        回到投票
      </Btn>
    </PageShell>
  );
}
