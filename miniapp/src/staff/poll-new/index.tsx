import { useEffect, useRef, useState } from 'react';
import { Input, Text, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import {
  addDays,
  isSpecialMatter,
  ownerMatterLabels,
  ownerMatters,
  pollCreateBody,
  secretLiveRefusal,
  type BuildingView,
  type FieldErrors,
  type OwnerMatter,
  type PollCountingUnit,
  type PollQuestionKind,
  type PollView,
} from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, ChoiceGrid, Field, FieldError, Loading, Notice, P, type Choice } from '../../components/ui';
import { Api, type GridItem } from '../../services/endpoints';
import { shanghaiToday } from '../../services/format';
import { newIdempotencyKey } from '../../services/idempotency';
import { Routes } from '../../services/navigate';
import { isApiError, messageOf } from '../../services/request';
import { pathErrorsOf } from '../../services/validation';
import { CentreOnly } from '../CentreOnly';
import { dayText } from '../dates';
import { byGridName, countingShort, mayRetry, missingRoomsOf } from '../pollDesk';
import { toggled, Toggles } from '../Toggles';
import '../admin.scss';
import '../poll.scss';

const MAX_QUESTIONS = 10;
const MAX_OPTIONS = 20;

interface OptionRow {
  key: number;
  text: string;
}

interface QuestionRow {
  key: number;
  title: string;
  kind: PollQuestionKind;
  options: OptionRow[];
  minPicks: string;
  maxPicks: string;
  matter: OwnerMatter | null;
}

type ScopeKind = 'community' | 'grids' | 'buildings';

interface Form {
  title: string;
  description: string;
  questions: QuestionRow[];
  opensDate: string;
  opensTime: string;
  closesDate: string;
  closesTime: string;
  countingUnit: PollCountingUnit | null;
  secrecy: 'secret' | 'named';
  resultVisibility: 'after_close' | 'live';
  scopeKind: ScopeKind;
  gridIds: string[];
  buildingIds: string[];
  noticeDays: string;
}

let nextKey = 1;
const k = () => nextKey++;

const newQuestion = (owner: boolean): QuestionRow => ({
  key: k(),
  title: '',
  kind: owner ? 'yesno' : 'single',
  options: [
    { key: k(), text: '' },
    { key: k(), text: '' },
  ],
  minPicks: '1',
  maxPicks: '2',
  matter: null,
});

function blank(today: string): Form {
  return {
    title: '',
    description: '',
    questions: [newQuestion(false)],
    opensDate: today,
    opensTime: '08:00',
    closesDate: addDays(today, 7),
    closesTime: '20:00',
    countingUnit: null,
    secrecy: 'secret',
    resultVisibility: 'after_close',
    scopeKind: 'community',
    gridIds: [],
    buildingIds: [],
    noticeDays: '7',
  };
}

/** '' → undefined (the schema's default or its "required" message applies), else a number. */
const num = (s: string) => (s.trim() === '' ? undefined : Number(s.trim()));

/** A Shanghai wall-clock date and time as the API's ISO form; undefined while either is blank. */
const isoOf = (date: string, time: string) => (date.trim() && time.trim() ? `${date.trim()}T${time.trim()}:00+08:00` : undefined);

/**
 * The form as the API body. Blank option lines are left out; `optionKeys` says
 * which form line each sent option came from, so "questions.0.options.1" shows
 * beside the right line.
 */
function bodyOf(f: Form, topicId: string | undefined) {
  const owner = f.countingUnit === 'owner';
  const optionKeys: number[][] = [];
  const questions = f.questions.map((q) => {
    const lines = q.kind === 'yesno' ? [] : q.options.filter((o) => o.text.trim());
    optionKeys.push(lines.map((o) => o.key));
    return {
      title: q.title,
      kind: q.kind,
      options: lines.map((o) => o.text),
      minPicks: q.kind === 'multiple' ? num(q.minPicks) : 1,
      maxPicks: q.kind === 'multiple' ? num(q.maxPicks) : 1,
      ...(owner && q.matter !== null ? { matter: q.matter } : {}),
    };
  });
  const scope =
    f.scopeKind === 'community'
      ? { kind: 'community' as const }
      : f.scopeKind === 'grids'
        ? { kind: 'grids' as const, ids: f.gridIds }
        : { kind: 'buildings' as const, ids: f.buildingIds };
  return {
    body: {
      title: f.title,
      description: f.description,
      questions,
      opensAt: isoOf(f.opensDate, f.opensTime),
      closesAt: isoOf(f.closesDate, f.closesTime),
      countingUnit: f.countingUnit ?? undefined,
      secrecy: f.secrecy,
      resultVisibility: f.resultVisibility,
      scope,
      noticeDays: num(f.noticeDays),
      ...(topicId ? { topicId } : {}),
    },
    optionKeys,
  };
}

/** "questions.0.options.1" re-keyed by the option line's key ("option#17"). */
function rekeyOptions(errors: FieldErrors, optionKeys: number[][]): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, messages] of Object.entries(errors)) {
    const m = /^questions\.(\d+)\.options\.(\d+)$/.exec(path);
    const key = m ? optionKeys[Number(m[1])]?.[Number(m[2])] : undefined;
    if (key !== undefined) out[`option#${key}`] = messages;
    else out[path] = messages;
  }
  return out;
}

const countingOptions: Choice<PollCountingUnit>[] = [
  { value: 'person', label: countingShort.person, hint: '每位已认证的居民一票' },
  { value: 'room', label: countingShort.room, hint: '每户一票，家人谁先投都算这一户' },
  { value: 'owner', label: `${countingShort.owner}（民法典第278条）`, hint: '按专有部分面积和人数双重计票' },
];

const kindOptions: Choice<PollQuestionKind>[] = [
  { value: 'single', label: '单选', hint: '只能选一项' },
  { value: 'multiple', label: '多选', hint: '可以选几项，下面定最少、最多' },
  { value: 'yesno', label: '同意 / 反对 / 弃权', hint: '三个固定选项，不用填' },
];

const secrecyOptions: Choice<'secret' | 'named'>[] = [
  { value: 'secret', label: '不记名', hint: '谁投了什么谁也看不到' },
  { value: 'named', label: '记名', hint: '工作人员能看到每张票' },
];

const visibilityOptions: Choice<'after_close' | 'live'>[] = [
  { value: 'after_close', label: '结束后公布', hint: '投票期间看不到票数' },
  { value: 'live', label: '实时公布', hint: '投票期间就能看到票数' },
];

const scopeOptions: Choice<ScopeKind>[] = [
  { value: 'community', label: '全社区' },
  { value: 'grids', label: '选网格' },
  { value: 'buildings', label: '选楼栋' },
];

const matterOptions: Choice<string>[] = ownerMatters.map((m) => ({
  value: String(m),
  label: `${m}. ${ownerMatterLabels[m]}`,
  hint: isSpecialMatter(m) ? '同意要达到参与业主的四分之三以上' : '同意要超过参与业主的一半',
}));

function TextLine({
  value,
  onChange,
  placeholder,
  maxlength,
  type,
  testId,
}: {
  value: string;
  onChange: (v: string) => void;
  placeholder?: string;
  maxlength?: number;
  type?: 'text' | 'number';
  testId?: string;
}) {
  return (
    <Input
      className='input'
      type={type ?? 'text'}
      value={value}
      maxlength={maxlength}
      placeholder={placeholder}
      onInput={(e) => onChange(e.detail.value)}
      data-testid={testId}
    />
  );
}

function QuestionEditor({
  q,
  index,
  owner,
  errors,
  canRemove,
  onChange,
  onRemove,
}: {
  q: QuestionRow;
  index: number;
  owner: boolean;
  errors: FieldErrors;
  canRemove: boolean;
  onChange: (q: QuestionRow) => void;
  onRemove: () => void;
}) {
  const e = (field: string) => errors[`questions.${index}.${field}`];
  const set = <K extends keyof QuestionRow>(key: K, value: QuestionRow[K]) => onChange({ ...q, [key]: value });
  const t = `q${index}`;
  return (
    <View className='poll-question' data-testid={`question-${index}`}>
      <View className='poll-question__head'>
        <Text className='poll-question__num'>{`第${index + 1}题`}</Text>
        {canRemove ? (
          <Btn kind='plain' className='admin-btn-inline' testId={`${t}-remove`} onClick={onRemove}>
            删除这题
          </Btn>
        ) : null}
      </View>
      <FieldError messages={errors[`questions.${index}`]} testId={`${t}-error`} />
      <Field label='问题' error={e('title')} testId={`${t}-title`}>
        <TextLine value={q.title} onChange={(v) => set('title', v)} maxlength={100} placeholder='例如：是否同意加装电梯' testId={`${t}-title-input`} />
      </Field>
      {owner ? (
        <>
          <P muted>业主表决的问题都是“同意 / 反对 / 弃权”。</P>
          <FieldError messages={e('kind')} testId={`${t}-kind-error`} />
          <Field label='这个问题属于哪一项表决事项' error={e('matter')} testId={`${t}-matter`}>
            <View className='poll-matters'>
              <ChoiceGrid
                columns={1}
                options={matterOptions}
                value={q.matter === null ? null : String(q.matter)}
                onChange={(v) => set('matter', Number(v) as OwnerMatter)}
                testId={`${t}-matter-choices`}
              />
            </View>
          </Field>
        </>
      ) : (
        <Field label='题型' error={e('kind')} testId={`${t}-kind`}>
          <ChoiceGrid columns={1} options={kindOptions} value={q.kind} onChange={(v) => set('kind', v)} testId={`${t}-kind-choices`} />
        </Field>
      )}
      {!owner && q.kind !== 'yesno' ? (
        <Field label='选项' error={e('options')} testId={`${t}-options`}>
          <View className='edit-lines'>
            {q.options.map((o, i) => (
              <View key={o.key} className='edit-line'>
                <View className='edit-line__row'>
                  <Text className='edit-line__num'>{`${i + 1}.`}</Text>
                  <View className='edit-line__input'>
                    <TextLine
                      value={o.text}
                      maxlength={40}
                      placeholder={`选项${i + 1}`}
                      testId={`${t}-option-${i}`}
                      onChange={(text) => set('options', q.options.map((x) => (x.key === o.key ? { ...x, text } : x)))}
                    />
                  </View>
                  <Btn kind='plain' className='admin-btn-inline' testId={`${t}-option-${i}-remove`} onClick={() => set('options', q.options.filter((x) => x.key !== o.key))}>
                    删除
                  </Btn>
                </View>
                <FieldError messages={errors[`option#${o.key}`]} />
              </View>
            ))}
            {q.options.length < MAX_OPTIONS ? (
              <Btn kind='secondary' testId={`${t}-option-add`} onClick={() => set('options', [...q.options, { key: k(), text: '' }])}>
                ＋ 添加一个选项
              </Btn>
            ) : null}
          </View>
        </Field>
      ) : null}
      {!owner && q.kind === 'multiple' ? (
        <View className='poll-picks'>
          <Field label='最少选几项' error={e('minPicks')} testId={`${t}-min`}>
            <TextLine type='number' value={q.minPicks} onChange={(v) => set('minPicks', v)} testId={`${t}-min-input`} />
          </Field>
          <Field label='最多选几项' error={e('maxPicks')} testId={`${t}-max`}>
            <TextLine type='number' value={q.maxPicks} onChange={(v) => set('maxPicks', v)} testId={`${t}-max-input`} />
          </Field>
        </View>
      ) : (
        // With too few options the pick counts cannot be right either: the options' message says what to do.
        <FieldError messages={e('options') ? undefined : (e('minPicks') ?? e('maxPicks'))} testId={`${t}-picks-error`} />
      )}
    </View>
  );
}

/** 开始 / 结束: a few dates as buttons, then the date and the time as text (filled by the buttons). */
function When({
  label,
  date,
  time,
  choices,
  error,
  testId,
  onDate,
  onTime,
}: {
  label: string;
  date: string;
  time: string;
  choices: Choice<string>[];
  error: string[] | undefined;
  testId: string;
  onDate: (d: string) => void;
  onTime: (t: string) => void;
}) {
  return (
    <View className={`field ${error?.length ? 'field--invalid' : ''}`}>
      <Text className='field__label'>{label}</Text>
      <View className='poll-days'>
        <ChoiceGrid columns={3} options={choices} value={date.trim()} onChange={onDate} testId={`${testId}-days`} />
      </View>
      <View className='poll-when'>
        <View className='poll-when__date'>
          <Text className='field__hint'>日期，如 2026-12-01</Text>
          <TextLine value={date} onChange={onDate} maxlength={10} placeholder='年-月-日' testId={`${testId}-date`} />
        </View>
        <View className='poll-when__time'>
          <Text className='field__hint'>时间，如 08:00</Text>
          <TextLine value={time} onChange={onTime} maxlength={5} placeholder='时:分' testId={`${testId}-time`} />
        </View>
      </View>
      <FieldError messages={error} testId={`${testId}-error`} />
    </View>
  );
}

/** After saving: publish now (which fixes the roll) or later from 投票管理. */
function Created({ poll }: { poll: PollView }) {
  const [opened, setOpened] = useState<PollView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState<string[]>([]);

  async function publish() {
    setBusy(true);
    setError(null);
    setMissing([]);
    try {
      setOpened(await Api.openPoll(poll.id));
    } catch (e) {
      setError(messageOf(e));
      setMissing(missingRoomsOf(e));
    } finally {
      setBusy(false);
    }
  }

  const back = () => void Taro.navigateBack().catch(() => Taro.redirectTo({ url: Routes.staffPolls }).catch(() => undefined));
  const total = opened?.participation?.totalHeads;
  return (
    <Card title={opened ? '已发布' : '已保存，还没有发布'} testId='poll-created'>
      {opened ? (
        <Notice
          tone='ok'
          testId='poll-opened'
          text={`“${opened.title}”已发布，名册已固定${total === undefined ? '' : `，共${total}${opened.countingUnit === 'room' ? '户' : '人'}`}。到开始时间居民就能投票，名册里的人会收到通知。`}
        />
      ) : (
        <>
          <Notice tone='ok' text={`“${poll.title}”已保存。现在居民还看不到。`} testId='poll-saved' />
          <P>发布时按现在的房屋台账固定投票名册，之后台账再有变动也不影响这次投票。发布后不能修改、不能取消。</P>
          <Notice tone='bad' text={error} testId='poll-open-error' />
          {missing.length ? (
            <View className='poll-missing' data-testid='poll-missing'>
              <Text className='admin-item__meta'>{`没有业主的房屋（${missing.length}套）：${missing.join('、')}`}</Text>
              <Text className='admin-item__meta'>补全房屋台账后，可以在“投票管理”里再发布。</Text>
            </View>
          ) : null}
          <Btn loading={busy} testId='poll-open-now' onClick={() => void publish()}>
            立即发布
          </Btn>
        </>
      )}
      <View className='actions'>
        <Btn kind='secondary' testId='poll-back' onClick={back}>
          {opened ? '回到投票管理' : '以后再发布，回到投票管理'}
        </Btn>
      </View>
    </Card>
  );
}

function PollForm({ topicId }: { topicId: string | undefined }) {
  const today = shanghaiToday();
  const [f, setF] = useState<Form>(() => blank(today));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<PollView | null>(null);
  const [grids, setGrids] = useState<GridItem[] | null>(null);
  const [buildings, setBuildings] = useState<BuildingView[] | null>(null);
  const [placesError, setPlacesError] = useState<string | null>(null);
  /** The Idempotency-Key of the last attempt and the body it was for: a retry of the same body reuses it. */
  const attempt = useRef<{ key: string; json: string } | null>(null);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setF((x) => ({ ...x, [key]: value }));
  const owner = f.countingUnit === 'owner';

  useEffect(() => {
    if (f.scopeKind === 'grids' && grids === null) {
      Api.grids()
        .then((r) => setGrids(byGridName(r.items)))
        .catch((e: unknown) => setPlacesError(messageOf(e)));
    }
    if (f.scopeKind === 'buildings' && buildings === null) {
      Api.buildings()
        .then((r) => setBuildings(r.items))
        .catch((e: unknown) => setPlacesError(messageOf(e)));
    }
  }, [f.scopeKind, grids, buildings]);

  function chooseSecrecy(secrecy: Form['secrecy']) {
    setF((x) => ({ ...x, secrecy, resultVisibility: secrecy === 'secret' ? 'after_close' : x.resultVisibility }));
  }

  function chooseCounting(unit: PollCountingUnit) {
    setF((x) => {
      if (unit !== 'owner') return { ...x, countingUnit: unit };
      // Art. 278 votes: named by default (the street office files the ballot register), a notice of at
      // least 7 days, and every question is yes / no / abstain.
      const days = num(x.noticeDays);
      return {
        ...x,
        countingUnit: unit,
        secrecy: 'named',
        noticeDays: days === undefined || Number.isNaN(days) || days < 7 ? '7' : x.noticeDays,
        questions: x.questions.map((q) => ({ ...q, kind: 'yesno' })),
      };
    });
  }

  async function save() {
    setError(null);
    const { body, optionKeys } = bodyOf(f, topicId);
    const parsed = pollCreateBody.safeParse(body);
    if (!parsed.success) {
      setErrors(rekeyOptions(pathErrorsOf(parsed.error.issues), optionKeys));
      setError('还有内容没有填好，请看红字提示');
      return;
    }
    // The API refuses to publish a poll whose end has passed: said now, not after saving.
    if (Date.parse(parsed.data.closesAt) <= Date.now()) {
      setErrors({ closesAt: ['结束时间已经过了，请改到以后的时间'] });
      setError('还有内容没有填好，请看红字提示');
      return;
    }
    setErrors({});
    const json = JSON.stringify(parsed.data);
    if (attempt.current?.json !== json) attempt.current = { key: newIdempotencyKey(), json };
    setBusy(true);
    try {
      const poll = await Api.createPoll(parsed.data, attempt.current.key);
      attempt.current = null;
      setCreated(poll);
      void Promise.resolve(Taro.pageScrollTo({ scrollTop: 0, duration: 0 })).catch(() => undefined);
    } catch (e) {
      if (!mayRetry(e)) attempt.current = null;
      if (isApiError(e) && e.code === 'VALIDATION_FAILED') setErrors(rekeyOptions(e.fieldErrors, optionKeys));
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  if (created) return <Created poll={created} />;

  const e = (path: string) => errors[path];
  const openChoices = [0, 1, 2].map((d) => {
    const date = addDays(today, d);
    return { value: date, label: ['今天', '明天', '后天'][d]!, hint: dayText(date, today) };
  });
  const from = /^\d{4}-\d{2}-\d{2}$/.test(f.opensDate.trim()) ? f.opensDate.trim() : today;
  const closeChoices = [3, 7, 14].map((d) => {
    const date = addDays(from, d);
    return { value: date, label: `${d}天后`, hint: dayText(date, today) };
  });

  return (
    <>
      {topicId ? <Notice tone='info' text='这次投票会关联到议题，居民在议题页面能看到。' /> : null}
      <Card title='投票内容'>
        <Field label='标题' error={e('title')} testId='poll-title'>
          <TextLine value={f.title} onChange={(v) => set('title', v)} maxlength={60} placeholder='例如：1号楼加装电梯' testId='poll-title-input' />
        </Field>
        <Field label='说明（可不填）' hint='写清楚为什么投、方案在哪里看' error={e('description')} testId='poll-description'>
          <Textarea
            className='input textarea'
            value={f.description}
            maxlength={2000}
            placeholder='例如：1、2单元各加装一部电梯，费用按楼层分摊，方案见楼道公告栏。'
            onInput={(ev) => set('description', ev.detail.value)}
            data-testid='poll-description-input'
          />
        </Field>
      </Card>

      <Card title='计票方式' testId='poll-counting'>
        <Field label='谁来投、怎么算票' error={e('countingUnit')} testId='poll-counting-field'>
          <ChoiceGrid columns={1} options={countingOptions} value={f.countingUnit} onChange={chooseCounting} testId='poll-counting-choices' />
        </Field>
        {owner ? (
          <Text className='poll-rule' data-testid='owner-rule'>
            业主表决一般记名、结果至少公示7天：街道备案要有表决票清册（不记名时清册只列出谁投了票），公示期内业主可以提出异议。
          </Text>
        ) : null}
      </Card>

      <Card title={`问题（${f.questions.length}/${MAX_QUESTIONS}）`} testId='poll-questions'>
        <FieldError messages={e('questions')} testId='questions-error' />
        {f.questions.map((q, i) => (
          <QuestionEditor
            key={q.key}
            q={q}
            index={i}
            owner={owner}
            errors={errors}
            canRemove={f.questions.length > 1}
            onChange={(changed) => set('questions', f.questions.map((x) => (x.key === q.key ? changed : x)))}
            onRemove={() => set('questions', f.questions.filter((x) => x.key !== q.key))}
          />
        ))}
        {f.questions.length < MAX_QUESTIONS ? (
          <View className='actions'>
            <Btn kind='secondary' testId='question-add' onClick={() => set('questions', [...f.questions, newQuestion(owner)])}>
              ＋ 添加一个问题
            </Btn>
          </View>
        ) : null}
      </Card>

      <Card title='投票时间'>
        <When
          label='开始'
          date={f.opensDate}
          time={f.opensTime}
          choices={openChoices}
          error={e('opensAt')}
          testId='opens'
          onDate={(v) => set('opensDate', v)}
          onTime={(v) => set('opensTime', v)}
        />
        <When
          label='结束'
          date={f.closesDate}
          time={f.closesTime}
          choices={closeChoices}
          error={e('closesAt')}
          testId='closes'
          onDate={(v) => set('closesDate', v)}
          onTime={(v) => set('closesTime', v)}
        />
      </Card>

      <Card title='投票规则'>
        <Field label='记名吗' error={e('secrecy')} testId='poll-secrecy'>
          <ChoiceGrid columns={2} options={secrecyOptions} value={f.secrecy} onChange={chooseSecrecy} testId='poll-secrecy-choices' />
        </Field>
        <Field label='什么时候公布票数' error={e('resultVisibility')} testId='poll-visibility'>
          {f.secrecy === 'secret' ? (
            // Read between two ballots, a live tally of a secret poll is those ballots: only after the close.
            <Text className='poll-rule' data-testid='poll-visibility-secret'>{`结束后公布。${secretLiveRefusal}。`}</Text>
          ) : (
            <ChoiceGrid columns={2} options={visibilityOptions} value={f.resultVisibility} onChange={(v) => set('resultVisibility', v)} testId='poll-visibility-choices' />
          )}
        </Field>
        <Field label='结果公示几天' hint={owner ? '业主表决至少7天，最多30天' : '1到30天，一般7天'} error={e('noticeDays')} testId='poll-notice'>
          <TextLine type='number' value={f.noticeDays} onChange={(v) => set('noticeDays', v)} testId='poll-notice-input' />
        </Field>
      </Card>

      <Card title='谁能投票' testId='poll-scope'>
        <ChoiceGrid columns={3} options={scopeOptions} value={f.scopeKind} onChange={(v) => set('scopeKind', v)} testId='poll-scope-choices' />
        <Notice tone='bad' text={placesError} />
        {f.scopeKind === 'grids' ? (
          grids === null ? (
            placesError ? null : <Loading />
          ) : (
            <View className='field admin-item__sub'>
              <Text className='field__label'>选哪些网格（可多选）</Text>
              <Toggles
                columns={3}
                options={grids.map((g) => ({ value: g.id, label: g.name }))}
                values={f.gridIds}
                onToggle={(id) => set('gridIds', toggled(f.gridIds, id))}
                testId='poll-grids'
              />
            </View>
          )
        ) : null}
        {f.scopeKind === 'buildings' ? (
          buildings === null ? (
            placesError ? null : <Loading />
          ) : (
            <View className='field admin-item__sub'>
              <Text className='field__label'>选哪些楼（可多选）</Text>
              <Toggles
                columns={3}
                options={buildings.map((b) => ({ value: b.id, label: b.name }))}
                values={f.buildingIds}
                onToggle={(id) => set('buildingIds', toggled(f.buildingIds, id))}
                testId='poll-buildings'
              />
            </View>
          )
        ) : null}
        <FieldError messages={e('scope.ids') ?? e('scope')} testId='poll-scope-error' />
        <Text className='poll-rule'>发布时按这个范围和当时的房屋台账生成投票名册。</Text>
      </Card>

      <Notice tone='bad' text={error} testId='poll-form-error' />
      <Btn testId='poll-save' loading={busy} onClick={() => void save()}>
        保存（下一步发布）
      </Btn>
    </>
  );
}

export default function StaffPollNew() {
  const { params } = useRouter();
  const topicId = params.topic && /^[0-9a-f]{24}$/.test(params.topic) ? params.topic : undefined;
  return (
    <PageShell title='发起投票' subtitle='先保存，检查无误再发布' className='page-staff-poll-new'>
      <CentreOnly>
        <PollForm topicId={topicId} />
      </CentreOnly>
    </PageShell>
  );
}
