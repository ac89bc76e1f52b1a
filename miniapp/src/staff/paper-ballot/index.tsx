import { useEffect, useRef, useState } from 'react';
import { Image, Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { answerProblems, ballotChannelLabels, formatArea, paperBallotBody, type FieldErrors, type PollView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, ChoiceGrid, Empty, Field, FieldError, Loading, Notice, P, type Choice } from '../../components/ui';
import { Api, type BallotCast, type NonVoters, type UploadedPhoto } from '../../services/endpoints';
import { newIdempotencyKey } from '../../services/idempotency';
import { go, Routes, withQuery } from '../../services/navigate';
import { isApiError, messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { choosePhoto, type PickedPhoto } from '../photo';
import { mayRetry, PollDeskOnly, queryValue } from '../pollDesk';
import { Toggles } from '../Toggles';
import '../admin.scss';
import '../poll.scss';

type Unit = NonVoters['items'][number];
type Channel = 'paper' | 'door';

const SHOWN_UNITS = 20;

const channelOptions: Choice<Channel>[] = [
  { value: 'paper', label: ballotChannelLabels.paper, hint: '收回签了字的表决票' },
  { value: 'door', label: ballotChannelLabels.door, hint: '上门当面填写、签字' },
];

/** The options of a question as big buttons, as residents see them; values are the options' indexes. */
function optionChoices(q: PollView['questions'][number]): Choice<string>[] {
  return q.options.map((label, i) => ({ value: String(i), label }));
}

function picksHint(q: PollView['questions'][number]): string {
  if (q.kind === 'yesno') return '选一项';
  if (q.kind === 'single') return '单选';
  return q.minPicks === q.maxPicks ? `多选，选${q.maxPicks}项` : `多选，至少选${q.minPicks}项，最多选${q.maxPicks}项`;
}

function UnitPicker({ units, onPick }: { units: Unit[]; onPick: (u: Unit) => void }) {
  const [search, setSearch] = useState('');
  const q = search.trim();
  const matches = q ? units.filter((u) => u.label.includes(q) || u.holder.includes(q)) : units;
  return (
    <View data-testid='unit-picker'>
      <Field label='找房屋' hint='输入楼号或房号，例如 1号楼 或 502'>
        <Input className='input' value={search} placeholder='楼号、房号或姓名' onInput={(e) => setSearch(e.detail.value)} data-testid='unit-search' />
      </Field>
      {units.length === 0 ? <Empty text='名单里的户都投过票了。' /> : null}
      {units.length > 0 && matches.length === 0 ? <Empty text='没有找到这一户。它可能已经投过票，或不在您负责的网格里。' /> : null}
      <ChoiceGrid
        columns={1}
        options={matches.slice(0, SHOWN_UNITS).map((u) => ({ value: u.unitKey, label: u.label, hint: u.holder || undefined }))}
        value={null}
        onChange={(key) => {
          const u = units.find((x) => x.unitKey === key);
          if (u) onPick(u);
        }}
        testId='unit-choices'
      />
      {matches.length > SHOWN_UNITS ? <P muted>{`还有${matches.length - SHOWN_UNITS}户没有列出，请输入房号缩小范围。`}</P> : null}
    </View>
  );
}

function Receipt({ cast, owner, onNext, pollId }: { cast: BallotCast; owner: boolean; onNext: () => void; pollId: string }) {
  return (
    <Card title='已登记' testId='ballot-done'>
      <Notice tone='ok' text={`${cast.unitLabel}的${ballotChannelLabels[cast.channel]}已计入，不能再重复投票。`} />
      <P>{`请把回执码抄给${owner ? '业主' : '居民'}，凭它可以在小程序里查验这张票已经计入：`}</P>
      <Text className='code poll-receipt' data-testid='ballot-receipt'>
        {cast.receipt}
      </Text>
      <View className='actions'>
        <Btn testId='ballot-next' onClick={onNext}>
          登记下一户
        </Btn>
        <Btn kind='secondary' testId='ballot-non-voters' onClick={() => go(withQuery(Routes.staffNonVoters, { id: pollId }))}>
          看未投票名单
        </Btn>
      </View>
    </Card>
  );
}

function BallotForm({ pollId, initialUnit }: { pollId: string; initialUnit: string }) {
  const [poll, setPoll] = useState<PollView | null>(null);
  const [units, setUnits] = useState<Unit[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [unitsError, setUnitsError] = useState<string | null>(null);
  const [unit, setUnit] = useState<Unit | null>(null);
  const [unitMissing, setUnitMissing] = useState(false);
  const [answers, setAnswers] = useState<number[][]>([]);
  const [channel, setChannel] = useState<Channel | null>(null);
  const [photo, setPhoto] = useState<PickedPhoto | null>(null);
  const [evidence, setEvidence] = useState<UploadedPhoto | null>(null);
  const [uploading, setUploading] = useState(false);
  const [photoError, setPhotoError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<BallotCast | null>(null);
  const attempt = useRef<{ key: string; json: string } | null>(null);
  const started = useRef(false);

  async function loadUnits(preselect: string | null) {
    try {
      const r = await Api.nonVoters(pollId);
      setUnits(r.items);
      setUnitsError(null);
      if (preselect) {
        const found = r.items.find((u) => u.unitKey === preselect) ?? null;
        setUnit(found);
        setUnitMissing(!found);
      }
    } catch (e) {
      setUnitsError(messageOf(e));
    }
  }

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    Api.poll(pollId)
      .then((p) => {
        setPoll(p);
        setAnswers(p.questions.map(() => []));
      })
      .catch((e: unknown) => setLoadError(messageOf(e)));
    void loadUnits(initialUnit || null);
    // Loaded once for this page; 登记下一户 reloads the list itself.
  }, [pollId]);

  async function takePhoto() {
    setPhotoError(null);
    const outcome = await choosePhoto();
    if (!outcome) return;
    if ('problem' in outcome) {
      setPhotoError(outcome.problem);
      return;
    }
    setPhoto(outcome.photo);
    setEvidence(null);
    setUploading(true);
    try {
      setEvidence(await Api.uploadPhoto(outcome.photo.data, outcome.photo.contentType));
      setErrors((x) => ({ ...x, evidenceId: [] }));
    } catch (e) {
      setPhotoError(`照片没有传上去：${messageOf(e)}`);
    } finally {
      setUploading(false);
    }
  }

  function setAnswer(i: number, picks: number[]) {
    setAnswers((list) => list.map((a, j) => (j === i ? picks : a)));
  }

  async function submit() {
    if (!poll) return;
    setError(null);
    const body = { unitKey: unit?.unitKey ?? '', answers, channel: channel ?? undefined, evidenceId: evidence?.id, note };
    const parsed = paperBallotBody.safeParse(body);
    const found: FieldErrors = parsed.success ? {} : fieldErrorsOf(parsed.error.issues);
    if (!unit) found.unitKey = ['请先选择是哪一户'];
    const problem = answerProblems(poll.questions, answers);
    if (problem) found.answers = [problem];
    if (uploading) found.evidenceId = ['照片还在上传，请稍等一下'];
    if (!parsed.success || Object.values(found).some((m) => m?.length)) {
      setErrors(found);
      setError('还有内容没有填好，请看红字提示');
      return;
    }
    setErrors({});
    const json = JSON.stringify(parsed.data);
    if (attempt.current?.json !== json) attempt.current = { key: newIdempotencyKey(), json };
    setBusy(true);
    try {
      const cast = await Api.enterPaperBallot(pollId, parsed.data, attempt.current.key);
      attempt.current = null;
      setDone(cast);
      void Promise.resolve(Taro.pageScrollTo({ scrollTop: 0, duration: 0 })).catch(() => undefined);
    } catch (e) {
      if (!mayRetry(e)) attempt.current = null;
      if (isApiError(e) && e.code === 'VALIDATION_FAILED') setErrors(e.fieldErrors);
      setError(messageOf(e));
      // Counted already (another channel, or a colleague): the list as it is now.
      if (isApiError(e) && e.code === 'ALREADY_VOTED') void loadUnits(null);
    } finally {
      setBusy(false);
    }
  }

  function next() {
    setDone(null);
    setUnit(null);
    setUnitMissing(false);
    setAnswers(poll ? poll.questions.map(() => []) : []);
    setChannel(null);
    setPhoto(null);
    setEvidence(null);
    setNote('');
    setErrors({});
    setError(null);
    setUnits(null);
    void loadUnits(null);
  }

  if (loadError) return <Notice tone='bad' text={loadError} testId='ballot-load-error' />;
  if (!poll) return <Loading />;
  const owner = poll.countingUnit === 'owner';
  if (done) return <Receipt cast={done} owner={owner} onNext={next} pollId={pollId} />;
  if (poll.status !== 'open') {
    return (
      <Card title={poll.title}>
        <Notice tone='bad' text='这次投票不在进行中，不能登记纸质票。' testId='ballot-not-open' />
      </Card>
    );
  }

  const e = (key: string) => (errors[key]?.length ? errors[key] : undefined);
  return (
    <>
      <Card title={poll.title}>
        <P muted>{`每户只能投一次，投了不能改。${poll.secrecy === 'named' ? '这是记名投票。' : '这是不记名投票，登记后谁也看不到这一户投了什么。'}`}</P>
      </Card>

      <Card title='1. 哪一户' testId='ballot-unit'>
        <Notice tone='bad' text={unitsError} testId='units-error' />
        {unitMissing && !unit ? <Notice tone='wait' text='这一户不在未投票名单里，可能已经投过票了。请重新找一下。' testId='unit-missing' /> : null}
        {unit ? (
          <View className='poll-unit' data-testid='unit-chosen'>
            <Text className='poll-unit__label'>{unit.label}</Text>
            {unit.holder ? <Text className='admin-item__meta'>{`${owner ? '业主' : '住户'}：${unit.holder}`}</Text> : null}
            {owner ? <Text className='admin-item__meta'>{`专有面积 ${formatArea(unit.areaCenti)}`}</Text> : null}
            <View className='actions'>
              <Btn kind='plain' testId='unit-change' onClick={() => setUnit(null)}>
                换一户
              </Btn>
            </View>
          </View>
        ) : units === null ? (
          unitsError ? null : <Loading />
        ) : (
          <UnitPicker
            units={units}
            onPick={(u) => {
              setUnit(u);
              setUnitMissing(false);
            }}
          />
        )}
        <FieldError messages={e('unitKey')} testId='unit-error' />
      </Card>

      <Card title='2. 票上的选择' testId='ballot-answers'>
        {poll.questions.map((q, i) => (
          <View key={i} className='poll-answer' data-testid={`answer-${i}`}>
            <Text className='poll-answer__title'>{`第${i + 1}题 ${q.title}`}</Text>
            <Text className='field__hint'>{picksHint(q)}</Text>
            {q.kind === 'multiple' ? (
              <Toggles
                columns={2}
                options={optionChoices(q)}
                values={(answers[i] ?? []).map(String)}
                onToggle={(v) => {
                  const n = Number(v);
                  const now = answers[i] ?? [];
                  setAnswer(i, now.includes(n) ? now.filter((x) => x !== n) : [...now, n].sort((a, b) => a - b));
                }}
                testId={`answer-${i}-options`}
              />
            ) : (
              <ChoiceGrid
                columns={q.kind === 'yesno' ? 3 : 1}
                options={optionChoices(q)}
                value={answers[i]?.length ? String(answers[i]![0]) : null}
                onChange={(v) => setAnswer(i, [Number(v)])}
                testId={`answer-${i}-options`}
              />
            )}
          </View>
        ))}
        <FieldError messages={e('answers')} testId='answers-error' />
      </Card>

      <Card title='3. 怎么收的票' testId='ballot-channel'>
        <ChoiceGrid columns={2} options={channelOptions} value={channel} onChange={setChannel} testId='channel' />
        <FieldError messages={e('channel')} testId='channel-error' />
      </Card>

      <Card title='4. 拍照留档（必须）' testId='ballot-photo'>
        {poll.secrecy === 'secret' ? (
          // A photo of the marked choices would tie this unit to its choice for whoever sees the register.
          <View data-testid='photo-secret-hint'>
            <P>只拍签字的那一页或委托书，不要拍勾选了选项的那一面：这是不记名投票，照片里不能看出投了什么。</P>
          </View>
        ) : (
          <P muted>拍下签了字的表决票；家人代投的，拍下委托书。照片和这张票一起存档，导出清册时能看到。</P>
        )}
        {photo ? <Image className='poll-photo' src={photo.path} mode='aspectFit' data-testid='photo-preview' /> : null}
        {uploading ? <Notice tone='info' text='正在上传照片…' /> : null}
        {evidence ? <Notice tone='ok' text='照片已上传。' testId='photo-uploaded' /> : null}
        <Notice tone='bad' text={photoError} testId='photo-error' />
        <FieldError messages={e('evidenceId')} testId='photo-required' />
        <View className='actions'>
          <Btn kind={photo ? 'secondary' : 'primary'} loading={uploading} testId='photo-take' onClick={() => void takePhoto()}>
            {photo ? '重新拍照' : '拍照上传'}
          </Btn>
        </View>
      </Card>

      <Card title='5. 备注（可不填）'>
        <Input className='input' value={note} maxlength={200} placeholder='例如：业主委托儿子代签' onInput={(ev) => setNote(ev.detail.value)} data-testid='ballot-note' />
        <FieldError messages={e('note')} testId='note-error' />
      </Card>

      <Notice tone='bad' text={error} testId='ballot-error' />
      <Btn testId='ballot-submit' loading={busy} onClick={() => void submit()}>
        登记这张票
      </Btn>
    </>
  );
}

export default function StaffPaperBallot() {
  const { params } = useRouter();
  const pollId = params.id ?? '';
  return (
    <PageShell title='登记纸质票' subtitle='纸质票、上门投票，拍照留档' className='page-staff-paper-ballot'>
      <PollDeskOnly>
        {pollId ? <BallotForm pollId={pollId} initialUnit={queryValue(params.unit)} /> : <Notice tone='bad' text='没有指定投票，请从投票管理进入。' />}
      </PollDeskOnly>
    </PageShell>
  );
}
