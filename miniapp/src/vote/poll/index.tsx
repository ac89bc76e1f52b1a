import { useRef, useState } from 'react';
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import {
  answerProblems,
  formatArea,
  participationRule,
  pollStatusLabels,
  secretLiveRefusal,
  yesNoOptions,
  type PollView,
} from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, ChoiceGrid, Notice, P, Row, Tag } from '../../components/ui';
import { Meter, pollIsUpcoming, pollTag, unitNoun, votedWords } from '../../components/vote';
import { Api, type BallotCast } from '../../services/endpoints';
import { formatMonthDayTime } from '../../services/format';
import { newIdempotencyKey } from '../../services/idempotency';
import { go, Routes, withQuery } from '../../services/navigate';
import { messageOf } from '../../services/request';
import { useElderly } from '../../store/elderly';
import { ensureLoggedIn, goToLogin } from '../../store/session';
import { Fact, failureOf, type Failure } from '../parts';
import '../vote.scss';

type Question = PollView['questions'][number];
type Step = 'choose' | 'confirm';

const yesNoClass = ['yes', 'no', 'abstain'] as const;

function labelsOf(q: Question): readonly string[] {
  return q.kind === 'yesno' ? yesNoOptions : q.options;
}

/** How many to pick, in words: "请选2项", "可以选1到3项". */
function pickHint(q: Question): string | null {
  if (q.kind !== 'multiple') return null;
  return q.minPicks === q.maxPicks ? `请选${q.maxPicks}项` : `可以选${q.minPicks}到${q.maxPicks}项`;
}

/** What a receipt is for, in plain words: it proves the ballot arrived, never what it chose. */
const receiptMeaning = '这张回执能查到您的票已收到并计入，但看不出您投了什么。';

/** The picks of one question in words: "同意", "书画展、老年合唱". */
function pickedWords(q: Question, picks: readonly number[]): string {
  const labels = labelsOf(q);
  return picks.map((j) => labels[j] ?? '').join('、');
}

/**
 * The ballot (V3–V8, V11). Built for three taps in 长辈版: an answer, 提交, then
 * 确认投票 on an inline step that repeats the choice in words (no pop-up in any
 * mode). The receipt code comes back once and is shown large with 复制.
 * Several households: which one first. A family member with 议事投票 authority
 * can vote for the person who gave it (the page reloads as that person's).
 */
export default function PollPage() {
  const { params } = useRouter();
  const pollId = params.id ?? '';
  const [poll, setPoll] = useState<PollView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [grantors, setGrantors] = useState<{ id: string; name: string }[]>([]);
  const [forId, setForId] = useState<string | null>(null);
  const [unitKey, setUnitKey] = useState<string | null>(null);
  const [answers, setAnswers] = useState<number[][]>([]);
  const [step, setStep] = useState<Step>('choose');
  const [problem, setProblem] = useState<string | null>(null);
  const [limit, setLimit] = useState<{ q: number; text: string } | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const [cast, setCast] = useState<BallotCast | null>(null);
  const [copied, setCopied] = useState(false);
  const elderly = useElderly();
  // One key per confirmation: made when the confirmation step opens, sent again only by 重试
  // after an unknown answer (network failure, 5xx), dropped when the choice changes.
  const key = useRef<string | null>(null);

  async function load(forResidentId: string | null = forId) {
    try {
      const p = await Api.poll(pollId, forResidentId ?? undefined);
      setPoll(p);
      setAnswers((a) => (a.length === p.questions.length ? a : p.questions.map(() => [])));
      setUnitKey((k) => (k && p.myUnits.some((u) => u.key === k && !u.voted) ? k : null));
      setLoadError(null);
    } catch (e) {
      setLoadError(messageOf(e));
    }
  }

  async function loadGrantors() {
    const lists = await Api.authorities().catch(() => null);
    setGrantors((lists?.received ?? []).filter((a) => a.active && a.scopes.includes('votes')).map((a) => ({ id: a.grantorId, name: a.grantorName })));
  }

  useDidShow(() => {
    void (async () => {
      if (!(await ensureLoggedIn())) return goToLogin();
      await Promise.all([load(), loadGrantors()]);
    })();
  });

  function restart() {
    setStep('choose');
    setProblem(null);
    setLimit(null);
    setFailure(null);
    key.current = null;
  }

  function chooseWho(id: string) {
    const next = id === 'self' ? null : id;
    if (next === forId) return;
    setForId(next);
    setCast(null);
    setUnitKey(null);
    setAnswers([]);
    restart();
    void load(next);
  }

  function pick(qi: number, j: number) {
    if (!poll) return;
    const q = poll.questions[qi]!;
    const current = answers[qi] ?? [];
    let next: number[];
    if (q.kind !== 'multiple') next = [j];
    else if (current.includes(j)) next = current.filter((x) => x !== j);
    else if (current.length >= q.maxPicks) {
      setLimit({ q: qi, text: `这一题最多选${q.maxPicks}项。要换一项，先点一下已选的取消。` });
      return;
    } else next = [...current, j].sort((a, b) => a - b);
    setAnswers(poll.questions.map((_, i) => (i === qi ? next : (answers[i] ?? []))));
    setLimit(null);
    setProblem(null);
    setFailure(null);
  }

  function scrollToBallot() {
    setTimeout(() => {
      void Promise.resolve(Taro.pageScrollTo({ selector: '#ballot', offsetTop: -16, duration: 200 })).catch(() => undefined);
    }, 50);
  }

  function submit() {
    if (!poll) return;
    const wrong = answerProblems(poll.questions, answers);
    setProblem(wrong);
    setFailure(null);
    if (wrong) return;
    key.current = newIdempotencyKey();
    setStep('confirm');
    scrollToBallot();
  }

  async function confirm() {
    if (!poll) return;
    const open = poll.myUnits.filter((u) => !u.voted);
    key.current ??= newIdempotencyKey();
    setBusy(true);
    setFailure(null);
    try {
      const body: { answers: number[][]; unitKey?: string; forResidentId?: string } = { answers };
      if (open.length > 1 && unitKey) body.unitKey = unitKey;
      if (forId) body.forResidentId = forId;
      const done = await Api.castBallot(poll.id, body, key.current);
      key.current = null;
      setCast(done);
      setCopied(false);
      setStep('choose');
      setAnswers(poll.questions.map(() => []));
      setUnitKey(null);
      scrollToBallot();
      void load();
    } catch (e) {
      const f = failureOf(e);
      setFailure(f);
      if (f.retry) return;
      key.current = null;
      setStep('choose');
      if (f.code === 'ACTING_NOT_ALLOWED') {
        // The authority was taken back meanwhile: back to one's own ballot, with the choices as they are now.
        setForId(null);
        setAnswers([]);
        void loadGrantors();
        void load(null);
        return;
      }
      // Voted on paper meanwhile, closed, not on the roll: show the poll as it is now.
      void load();
    } finally {
      setBusy(false);
    }
  }

  async function copy(receipt: string) {
    try {
      await Taro.setClipboardData({ data: receipt });
      setCopied(true);
      // WeChat (and Taro's H5) confirm a copy with a toast; 长辈版 has no pop-ups, the notice on the page says it.
      if (elderly) void Promise.resolve(Taro.hideToast()).catch(() => undefined);
    } catch {
      setCopied(false);
    }
  }

  if (!poll) {
    return (
      <PageShell title='投票' className='page-poll'>
        <Notice tone='bad' text={loadError} testId='load-error' />
        {loadError ? (
          <Btn kind='secondary' onClick={() => void load()}>
            重新加载
          </Btn>
        ) : (
          <P muted>正在加载…</P>
        )}
      </PageShell>
    );
  }

  const now = Date.now();
  const upcoming = pollIsUpcoming(poll, now);
  const ended = poll.status === 'closed' || (poll.status === 'open' && now >= Date.parse(poll.closesAt));
  const openUnits = poll.myUnits.filter((u) => !u.voted);
  const needUnit = openUnits.length > 1;
  const unit = needUnit ? openUnits.find((u) => u.key === unitKey) ?? null : openUnits[0] ?? null;
  const grantor = forId ? grantors.find((g) => g.id === forId) ?? null : null;
  const whose = grantor ? `替${grantor.name}` : '';
  const tag = pollTag(poll, now);
  const part = poll.participation;
  const owner = poll.countingUnit === 'owner';
  const showBallot = poll.canVote && !cast && (!needUnit || !!unit);
  // "您家还没有投票" above the answers says nothing the ballot does not: shown only when it does.
  const showStatus = poll.myUnits.length === 0 || poll.myUnits.some((u) => u.voted) || upcoming || ended || !!grantor || !!cast;

  // A replay, or a second tap that lost the race, is told it has voted, with the receipt of the ballot that counts.
  const alreadyReceipt = failure?.code === 'ALREADY_VOTED' && typeof failure.details?.receipt === 'string' ? failure.details.receipt : null;

  const confirmWords =
    poll.questions.length === 1
      ? `您选择了：${pickedWords(poll.questions[0]!, answers[0] ?? [])}。投了就不能改。`
      : `您的选择如下，投了就不能改。`;

  return (
    <PageShell title={poll.title} subtitle={`投票范围：${poll.scopeLabel}`} className='page-poll'>
      <View className='tags vote-tags'>
        <Tag tone={tag.tone}>{tag.text}</Tag>
        {owner ? <Tag tone='info'>业主表决</Tag> : null}
      </View>
      {poll.description ? (
        <Card testId='poll-description'>
          <Text className='vote-body'>{poll.description}</Text>
        </Card>
      ) : null}

      {grantors.length && !ended ? (
        <Card title='替家人投票' testId='vote-for-card'>
          <ChoiceGrid
            testId='vote-for'
            options={[{ value: 'self', label: '我自己' }, ...grantors.map((g) => ({ value: g.id, label: g.name, hint: '已授权我投票' }))]}
            value={forId ?? 'self'}
            onChange={chooseWho}
          />
          <P muted>替家人投票后，对方会收到消息。</P>
        </Card>
      ) : null}

      {showStatus ? (
        <Card title={grantor ? `${grantor.name}的投票` : '我的投票'} testId='my-status'>
          {poll.myUnits.length === 0 ? (
            <P>{`${grantor ? `${grantor.name}` : '您'}不在本次投票的名册里（投票范围：${poll.scopeLabel}）。有疑问请联系社区。`}</P>
          ) : (
            poll.myUnits.map((u) => (
              <View key={u.key} className='vote-unit' data-testid='my-unit'>
                <Text className={`vote-unit__text ${u.voted ? 'vote-unit__text--done' : ''}`}>{votedWords(poll, u)}</Text>
                {u.receipt && !cast ? (
                  <View className='vote-unit__receipt' data-testid='my-unit-receipt'>
                    <Fact k='回执码' v={u.receipt} />
                    <Btn kind='plain' onClick={() => go(withQuery(Routes.voteReceipt, { code: u.receipt! }))}>
                      查一查我的票
                    </Btn>
                  </View>
                ) : null}
              </View>
            ))
          )}
          {upcoming ? <Notice tone='info' testId='poll-upcoming' text={`投票${formatMonthDayTime(poll.opensAt)}开始，到时再来。`} /> : null}
          {ended ? <Notice tone='info' testId='poll-ended' text={poll.resultAvailable ? '投票已经结束，结果已公布。' : '投票已经结束，正在计票，结果公布后会发消息告诉您。'} /> : null}
          {ended ? (
            <Btn testId='go-result' onClick={() => go(withQuery(Routes.voteResult, { id: poll.id }))}>
              查看结果
            </Btn>
          ) : null}
        </Card>
      ) : null}

      <Notice tone='bad' text={alreadyReceipt ? null : failure?.message} testId='vote-error' />
      {alreadyReceipt ? (
        <Card title='您已经投过了' className='card--accent' testId='vote-already'>
          <P>{failure?.message}</P>
          <Text className='receipt__label'>您的回执码</Text>
          <View className='receipt-code-box'>
            <Text className='receipt-code' data-testid='already-receipt' userSelect>
              {alreadyReceipt}
            </Text>
          </View>
          <P>{receiptMeaning}</P>
          <Btn kind='plain' onClick={() => go(withQuery(Routes.voteReceipt, { code: alreadyReceipt }))}>
            查一查我的票
          </Btn>
        </Card>
      ) : null}

      {cast ? (
        <Card title='投票成功' className='card--accent' id='ballot' testId='vote-done'>
          <Notice tone='ok' text={`${whose ? `已${whose}投票` : '已投票'}：${cast.unitLabel}。谢谢您参与！`} />
          <Text className='receipt__label'>您的回执码</Text>
          <View className='receipt-code-box'>
            <Text className='receipt-code' data-testid='receipt-code' userSelect>
              {cast.receipt}
            </Text>
          </View>
          <View data-testid='receipt-meaning'>
            <P>{receiptMeaning}</P>
          </View>
          <Notice tone='ok' text={copied ? '已复制回执码，可以粘贴保存。' : null} testId='receipt-copied' />
          <View className='actions'>
            <Btn kind='secondary' className='receipt-copy' testId='receipt-copy' onClick={() => void copy(cast.receipt)}>
              复制回执码
            </Btn>
            <Btn kind='plain' testId='receipt-check' onClick={() => go(withQuery(Routes.voteReceipt, { code: cast.receipt }))}>
              查一查我的票
            </Btn>
            {poll.canVote ? (
              <Btn kind='plain' testId='vote-next' onClick={() => setCast(null)}>
                为另一户投票
              </Btn>
            ) : null}
          </View>
        </Card>
      ) : null}

      {poll.canVote && !cast && needUnit && step === 'choose' ? (
        <Card title='这一票投给哪一户？' testId='pick-unit'>
          <P muted>{`${grantor ? `${grantor.name}` : '您'}有${openUnits.length}户可以投票，每户一票，请一户一户地投。`}</P>
          <ChoiceGrid testId='unit' columns={1} options={openUnits.map((u) => ({ value: u.key, label: u.label }))} value={unitKey} onChange={(k) => { setUnitKey(k); restart(); }} />
        </Card>
      ) : null}

      {showBallot && step === 'choose' ? (
        <View id='ballot' data-testid='ballot'>
          {poll.questions.map((q, qi) => (
            <Card key={qi} title={poll.questions.length > 1 ? `第${qi + 1}题` : needUnit && unit ? `为${unit.label}投票` : whose ? `${whose}投票` : undefined} testId={`question-${qi}`}>
              <Text className='ballot-q'>{q.title}</Text>
              {pickHint(q) ? <P muted>{pickHint(q)}</P> : null}
              <View className={`ballot-options ballot-options--${q.kind}`}>
                {labelsOf(q).map((label, j) => {
                  const on = (answers[qi] ?? []).includes(j);
                  const kind = q.kind === 'yesno' ? yesNoClass[j] : 'pick';
                  return (
                    <View
                      key={label}
                      className={`tap ballot-option ballot-option--${kind} ${on ? 'ballot-option--on' : ''} ballot-option-${qi}-${j}`}
                      role={q.kind === 'multiple' ? 'checkbox' : 'radio'}
                      aria-checked={on}
                      data-testid={`option-${qi}-${j}`}
                      onClick={() => pick(qi, j)}
                    >
                      <Text className='ballot-option__mark'>{on ? '✓' : ''}</Text>
                      <Text className='ballot-option__label'>{label}</Text>
                    </View>
                  );
                })}
              </View>
              {limit?.q === qi ? <Notice tone='wait' text={limit.text} testId={`limit-${qi}`} /> : null}
            </Card>
          ))}
          <Notice tone='bad' text={problem} testId='ballot-problem' />
          <Btn className='ballot-submit' testId='ballot-submit' onClick={submit}>
            提交
          </Btn>
        </View>
      ) : null}

      {showBallot && step === 'confirm' ? (
        <Card title='请确认您的选择' className='card--accent' id='ballot' testId='ballot-confirm'>
          <Text className='ballot-confirm__words' data-testid='confirm-words'>
            {confirmWords}
          </Text>
          {poll.questions.length > 1 ? (
            <View className='vote-facts'>
              {poll.questions.map((q, qi) => (
                <Fact key={qi} k={`第${qi + 1}题`} v={`${q.title}：${pickedWords(q, answers[qi] ?? [])}`} />
              ))}
            </View>
          ) : null}
          {(needUnit && unit) || grantor ? <P>{`${whose}${needUnit && unit ? `为${unit.label}` : ''}投票。`}</P> : null}
          <View className='actions'>
            <Btn className='ballot-confirm' testId='ballot-confirm-submit' loading={busy} onClick={() => void confirm()}>
              {failure?.retry ? '重试' : '确认投票'}
            </Btn>
            <Btn kind='plain' testId='ballot-back' onClick={restart}>
              返回修改
            </Btn>
          </View>
        </Card>
      ) : null}

      <Card title='怎么计票' testId='poll-rule'>
        <P>{poll.ruleText}</P>
        {poll.secrecy === 'secret' && !ended ? (
          <View data-testid='secret-no-live'>
            <P muted>{`${secretLiveRefusal}。`}</P>
          </View>
        ) : null}
        <View className='vote-facts'>
          <Fact k='开始' v={formatMonthDayTime(poll.opensAt)} />
          <Fact k='截止' v={formatMonthDayTime(poll.closesAt)} />
          <Fact k='状态' v={pollStatusLabels[poll.status]} />
        </View>
      </Card>

      {part ? (
        <Card title='参与情况' testId='participation'>
          <P>{`已投 ${part.heads}/${part.totalHeads}${unitNoun[poll.countingUnit]}`}</P>
          <Meter part={part.heads} whole={part.totalHeads} line={owner ? participationRule : null} label='已投票的人数' testId='participation-heads' />
          {owner && part.area !== null && part.totalArea !== null ? (
            <>
              <P>{`面积 ${formatArea(part.area)} / ${formatArea(part.totalArea)}`}</P>
              <Meter part={part.area} whole={part.totalArea} line={participationRule} label='已投票的面积' testId='participation-area' />
              <P muted>黑线是三分之二：人数和面积都要过这条线，表决才有效。</P>
            </>
          ) : null}
        </Card>
      ) : null}

      <Card>
        {poll.resultAvailable && !ended ? <Row label='看实时结果' onClick={() => go(withQuery(Routes.voteResult, { id: poll.id }))} testId='go-live-result' /> : null}
        <Row label='查回执' value='看看我的票已经计入' onClick={() => go(Routes.voteReceipt)} testId='go-receipt' />
      </Card>
    </PageShell>
  );
}
