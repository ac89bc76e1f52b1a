import { useRef, useState, type ReactNode } from 'react';
import { Input, Text, Textarea, View } from '@tarojs/components';
import { useDidShow, useRouter } from '@tarojs/taro';
import {
  answerProblems,
  campaignStageLabels,
  nominationBody,
  nomineeKindLabels,
  nomineeKinds,
  reason,
  type CampaignView,
  type FieldErrors,
  type PollView,
} from '@community/shared';
import { AuthImage } from '../../components/AuthImage';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, ChoiceGrid, Empty, Field, FieldError, Loading, Notice, P, Tag, type Tone } from '../../components/ui';
import { Api, type BallotCast } from '../../services/endpoints';
import { formatDate, formatMonthDayTime } from '../../services/format';
import { newIdempotencyKey } from '../../services/idempotency';
import { go, Routes } from '../../services/navigate';
import { isApiError, messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { ensureLoggedIn, goToLogin } from '../../store/session';
import { Chips, toggled } from '../parts';
import { PhotoPicker, type PickedPhoto } from '../PhotoPicker';
import '../../booking/booking.scss';
import '../volunteer.scss';

type Nomination = CampaignView['nominations'][number];
type Kind = (typeof nomineeKinds)[number];

const objectionText = reason('异议内容');

const statusWords: Record<Nomination['status'], { label: string; tone: Tone }> = {
  submitted: { label: '待审核', tone: 'wait' },
  accepted: { label: '已通过', tone: 'ok' },
  rejected: { label: '未通过', tone: 'bad' },
};

const nameLabel: Record<Kind, string> = { self: '您的姓名', neighbour: '被推荐人姓名', family: '家庭名称' };
const namePlaceholder: Record<Kind, string> = { self: '和身份证上一样', neighbour: '例如：刘桂兰', family: '例如：王秀英家庭' };

/** A write that must not happen twice: one key per attempt, kept while the answer is unknown. */
function useOnce() {
  const key = useRef<string | null>(null);
  return {
    get: () => (key.current ??= newIdempotencyKey()),
    settle: (e?: unknown) => {
      const status = isApiError(e) ? e.status : e === undefined ? 200 : 0;
      if (!(status === 0 || status >= 500)) key.current = null;
    },
  };
}

function NominateForm({ c, onDone }: { c: CampaignView; onDone: (c: CampaignView) => void }) {
  const [category, setCategory] = useState<string | null>(c.categories.length === 1 ? c.categories[0]! : null);
  const [kind, setKind] = useState<Kind | null>(null);
  const [name, setName] = useState('');
  const [why, setWhy] = useState('');
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const once = useOnce();

  async function submit() {
    setError(null);
    const parsed = nominationBody.safeParse({ category: category ?? '', kind: kind ?? undefined, nomineeName: name, reason: why, photoIds: photos.map((p) => p.id) });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const next = await Api.nominate(c.id, parsed.data, once.get());
      once.settle();
      setName('');
      setWhy('');
      setPhotos([]);
      setKind(null);
      onDone(next);
    } catch (e) {
      once.settle(e);
      if (isApiError(e) && e.code === 'VALIDATION_FAILED') setErrors(e.fieldErrors);
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title='我要推荐' testId='nominate'>
      <P muted>{`${formatMonthDayTime(c.nominateUntil)} 前都可以推荐。工作人员审核后进入公示。`}</P>
      <Field label='评选类别' error={errors.category} testId='nominate-category'>
        <ChoiceGrid options={c.categories.map((x) => ({ value: x, label: x }))} value={category} onChange={setCategory} testId='nominate-categories' />
      </Field>
      <Field label='推荐谁' error={errors.kind} testId='nominate-kind'>
        <ChoiceGrid options={nomineeKinds.map((k) => ({ value: k, label: nomineeKindLabels[k] }))} value={kind} onChange={setKind} columns={3} testId='nominate-kinds' />
      </Field>
      <Field label={kind ? nameLabel[kind] : '被推荐人（家庭）'} error={errors.nomineeName} testId='nominate-name'>
        <Input className='input' value={name} maxlength={30} placeholder={kind ? namePlaceholder[kind] : '姓名或家庭名称'} onInput={(e) => setName(e.detail.value)} data-testid='nominate-name-input' />
      </Field>
      <Field label='推荐理由' hint={`说说做过的好事，至少20个字（已写${why.trim().length}字）`} error={errors.reason} testId='nominate-reason'>
        <Textarea className='input textarea' value={why} maxlength={1000} placeholder='例如：十年如一日照顾独居老人…' onInput={(e) => setWhy(e.detail.value)} data-testid='nominate-reason-input' />
      </Field>
      <Field label='照片（可不加，最多9张）' error={errors.photoIds}>
        <PhotoPicker photos={photos} onChange={setPhotos} />
      </Field>
      <Notice tone='bad' text={error} testId='nominate-error' />
      <Btn testId='nominate-submit' loading={busy} onClick={() => void submit()}>
        提交推荐
      </Btn>
    </Card>
  );
}

function ObjectionForm({ c, n, onDone }: { c: CampaignView; n: Nomination; onDone: (c: CampaignView) => void }) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [fieldError, setFieldError] = useState<string[] | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const once = useOnce();

  async function submit() {
    setError(null);
    const parsed = objectionText.safeParse(text);
    if (!parsed.success) {
      setFieldError(parsed.error.issues.map((i) => i.message));
      return;
    }
    setFieldError(undefined);
    setBusy(true);
    try {
      const next = await Api.objectToNominee(c.id, n.id, parsed.data, once.get());
      once.settle();
      setOpen(false);
      setText('');
      onDone(next);
    } catch (e) {
      once.settle(e);
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <Btn kind='plain' testId={`object-open-${n.id}`} onClick={() => setOpen(true)}>
        对这一位有意见
      </Btn>
    );
  }
  return (
    <View className='confirm' data-testid='objection-form'>
      <Text className='field__label'>{`您对“${n.nomineeName}”有什么意见？`}</Text>
      <P muted>请写清楚事实，工作人员会核实并答复您。您的名字不会公开。</P>
      <Textarea className='input textarea' value={text} maxlength={200} placeholder='例如：据我所知…' onInput={(e) => setText(e.detail.value)} data-testid='objection-input' />
      <FieldError messages={fieldError} testId='objection-error' />
      <Notice tone='bad' text={error} testId='objection-api-error' />
      <View className='actions'>
        <Btn testId='objection-submit' loading={busy} onClick={() => void submit()}>
          提交意见
        </Btn>
        <Btn kind='plain' onClick={() => setOpen(false)}>
          不提了
        </Btn>
      </View>
    </View>
  );
}

function Nominee({ n, children }: { n: Nomination; children?: ReactNode }) {
  return (
    <View className='nominee' data-testid='nominee'>
      <View className='nominee__head'>
        <Text className='nominee__name'>{n.nomineeName}</Text>
        <Text className='nominee__meta'>{nomineeKindLabels[n.kind]}</Text>
      </View>
      <Text className='nominee__reason'>{n.reason}</Text>
      {n.photoUrls.length ? (
        <View className='photos'>
          {n.photoUrls.map((u) => (
            <AuthImage key={u} path={u} className='photo' alt={`${n.nomineeName}的照片`} />
          ))}
        </View>
      ) : null}
      {n.objections.map((o) => (
        <View key={o.id} className='objection' data-testid='my-objection'>
          <Text className='nominee__meta'>{`我的意见：${o.text}`}</Text>
          <Text className='nominee__meta'>{o.answer ? `答复：${o.answer}` : '工作人员正在核实，答复后会发消息告诉您。'}</Text>
        </View>
      ))}
      {children}
    </View>
  );
}

/** Accepted nominees grouped by category, in the campaign's order. */
function byCategory(c: CampaignView, list: Nomination[]) {
  return c.categories.map((cat) => ({ cat, items: list.filter((n) => n.category === cat) })).filter((g) => g.items.length);
}

function Vote({ c, poll, onVoted }: { c: CampaignView; poll: PollView; onVoted: () => void }) {
  const [answers, setAnswers] = useState<number[][]>(() => poll.questions.map(() => []));
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [cast, setCast] = useState<BallotCast | null>(null);
  const once = useOnce();
  const voted = poll.myUnits.some((u) => u.voted);

  async function submit() {
    const p = answerProblems(poll.questions, answers);
    setProblem(p);
    if (p) return;
    setBusy(true);
    try {
      setCast(await Api.campaignVote(c.id, answers, once.get()));
      once.settle();
      onVoted();
    } catch (e) {
      once.settle(e);
      setProblem(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  if (cast) {
    return (
      <Card title='投票成功' className='card--accent' testId='vote-done'>
        <Notice tone='ok' text='谢谢您投票！这是您的回执码，可以凭它查到自己的票已经计入：' />
        <Text className='receipt-code' data-testid='vote-receipt'>
          {cast.receipt}
        </Text>
      </Card>
    );
  }
  if (voted) return <Notice tone='ok' text='您已经投过票了，谢谢！结果公布后会在这里显示光荣榜。' testId='vote-already' />;
  if (!poll.canVote) return <Notice tone='info' text={`现在不能投票。投票到${formatMonthDayTime(poll.closesAt)}结束。`} testId='vote-closed' />;

  const set = (qi: number, picks: number[]) => setAnswers((a) => a.map((x, i) => (i === qi ? picks : x)));
  return (
    <Card title='投票' testId='vote'>
      <P muted>{`不记名投票，每人一票，投了不能改。${formatMonthDayTime(poll.closesAt)} 结束。`}</P>
      {poll.questions.map((q, qi) => (
        <View key={q.title} className='question' data-testid={`question-${qi}`}>
          <Text className='question__title'>{q.title}</Text>
          {q.kind === 'multiple' ? (
            <Chips
              options={q.options.map((o, oi) => ({ value: String(oi), label: o }))}
              values={answers[qi]!.map(String)}
              onToggle={(v) => set(qi, toggled(answers[qi]!, Number(v)).sort((x, y) => x - y))}
              testId={`q${qi}`}
            />
          ) : (
            <ChoiceGrid
              options={q.options.map((o, oi) => ({ value: String(oi), label: o }))}
              value={answers[qi]![0] === undefined ? null : String(answers[qi]![0])}
              onChange={(v) => set(qi, [Number(v)])}
              testId={`q${qi}`}
            />
          )}
        </View>
      ))}
      <Notice tone='bad' text={problem} testId='vote-problem' />
      <Btn testId='vote-submit' loading={busy} onClick={() => void submit()}>
        投票
      </Btn>
    </Card>
  );
}

export default function VolunteerCampaign() {
  const { params } = useRouter();
  const campaignId = params.id ?? '';
  const [c, setC] = useState<CampaignView | null>(null);
  const [poll, setPoll] = useState<PollView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function load() {
    try {
      const next = await Api.campaign(campaignId);
      setC(next);
      setError(null);
      if (next.stage === 'voting' && next.pollId) setPoll(await Api.poll(next.pollId));
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

  if (!c) {
    return (
      <PageShell title='评选活动' className='page-volunteer-campaign'>
        <Notice tone='bad' text={error} testId='load-error' />
        {error ? (
          <Btn kind='secondary' onClick={() => go(Routes.volunteer)}>
            回到志愿首页
          </Btn>
        ) : (
          <Loading />
        )}
      </PageShell>
    );
  }

  const mine = c.nominations.filter((n) => n.mine);
  const accepted = c.nominations.filter((n) => n.status === 'accepted');
  const canNominate = c.stage === 'nominating' && Date.now() < Date.parse(c.nominateUntil);
  const noticeOpen = c.stage === 'notice' && !!c.noticeUntil && Date.now() <= Date.parse(c.noticeUntil);

  return (
    <PageShell title={c.title} className='page-volunteer-campaign'>
      <View className='tags vol-status'>
        <Tag tone='info'>{campaignStageLabels[c.stage]}</Tag>
        <Tag tone='info'>{c.decision === 'vote' ? '居民投票' : '评审小组评定'}</Tag>
      </View>
      <Card title='评选说明'>
        {c.description ? <P>{c.description}</P> : null}
        <P muted>{`评选类别：${c.categories.join('、')}；每类评出不超过${c.winnersPerCategory}位。`}</P>
      </Card>
      <Notice tone='ok' text={notice} testId='campaign-notice' />
      <Notice tone='bad' text={error} />

      {c.stage === 'published' ? (
        <Card title='光荣榜' className='card--accent' testId='honour-roll'>
          {c.publishedAt ? <P muted>{`${formatDate(c.publishedAt)}公布`}</P> : null}
          {c.honourRoll.length === 0 ? <Empty text='这次评选没有评出人选。' /> : null}
          {c.categories
            .map((cat) => ({ cat, names: c.honourRoll.filter((h) => h.category === cat) }))
            .filter((g) => g.names.length)
            .map((g) => (
              <View key={g.cat}>
                <Text className='category-title'>{g.cat}</Text>
                {g.names.map((h) => (
                  <View key={h.nominationId} className='honour' data-testid='honour'>
                    <Text className='honour__mark'>★</Text>
                    <Text className='honour__name'>{h.nomineeName}</Text>
                  </View>
                ))}
              </View>
            ))}
        </Card>
      ) : null}

      {c.stage === 'voting' && poll ? <Vote c={c} poll={poll} onVoted={() => void load()} /> : null}
      {c.stage === 'voting' && !poll ? <Loading text='正在打开选票…' /> : null}
      {c.stage === 'appraisal' ? <Notice tone='info' text='公示已结束，评审小组正在评定，结果公布后会在这里显示光荣榜。' /> : null}

      {canNominate ? (
        <NominateForm
          c={c}
          onDone={(next) => {
            setC(next);
            setNotice('推荐已提交。工作人员审核后会发消息告诉您。');
          }}
        />
      ) : null}
      {c.stage === 'nominating' && !canNominate ? <Notice tone='info' text='推荐已经截止了，工作人员正在审核。' /> : null}
      {c.stage === 'reviewing' ? <Notice tone='info' text='推荐已经截止了，工作人员正在审核，审核通过的候选会公示。' /> : null}

      {c.stage === 'notice' || c.stage === 'voting' || c.stage === 'appraisal' ? (
        <Card title={c.stage === 'notice' ? '公示名单' : '候选名单'} testId='notice-list'>
          {c.stage === 'notice' && c.noticeUntil ? (
            <P muted>{noticeOpen ? `公示到${formatMonthDayTime(c.noticeUntil)}。对名单上的人有不同意见，可以向社区提出，工作人员会答复。` : '公示期已结束。'}</P>
          ) : null}
          {accepted.length === 0 ? <Empty text='没有候选。' /> : null}
          {byCategory(c, accepted).map((g) => (
            <View key={g.cat}>
              <Text className='category-title'>{g.cat}</Text>
              {g.items.map((n) => (
                <Nominee key={n.id} n={n}>
                  {noticeOpen ? (
                    <ObjectionForm
                      c={c}
                      n={n}
                      onDone={(next) => {
                        setC(next);
                        setNotice('您的意见已提交，工作人员核实后会答复您。');
                      }}
                    />
                  ) : null}
                </Nominee>
              ))}
            </View>
          ))}
        </Card>
      ) : null}

      {mine.length ? (
        <Card title='我的推荐' testId='my-nominations'>
          {mine.map((n) => (
            <View key={n.id} className='nominee' data-testid='my-nomination'>
              <View className='nominee__head'>
                <Text className='nominee__name'>{n.nomineeName}</Text>
                <Tag tone={statusWords[n.status].tone}>{statusWords[n.status].label}</Tag>
              </View>
              <Text className='nominee__meta'>{`${n.category} · ${nomineeKindLabels[n.kind]}`}</Text>
              {n.reviewNote ? <Text className='nominee__meta'>{`审核意见：${n.reviewNote}`}</Text> : null}
            </View>
          ))}
        </Card>
      ) : null}
    </PageShell>
  );
}
