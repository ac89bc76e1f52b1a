import { useEffect, useRef, useState } from 'react';
import { Input, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { activityCreateBody, activityTypeLabels, activityTypes, addDays, type ActivityType, type ActivityView, type FieldErrors } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, ChoiceGrid, Field, FieldError, Loading, Notice, P } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { shanghaiToday } from '../../services/format';
import { newIdempotencyKey } from '../../services/idempotency';
import { Routes } from '../../services/navigate';
import { isApiError, messageOf } from '../../services/request';
import { pathErrorsOf } from '../../services/validation';
import { CentreOnly } from '../CentreOnly';
import { dayText } from '../dates';
import '../admin.scss';
import '../volunteer.scss';

interface Form {
  type: ActivityType | null;
  title: string;
  description: string;
  place: string;
  organiser: string;
  date: string;
  start: string;
  end: string;
  opensDate: string;
  opensTime: string;
  closesDate: string;
  closesTime: string;
  capacity: string;
  cancelCutoffMinutes: string;
  skills: string;
  minAge: string;
  maxAge: string;
  pointsPerHour: string;
  graceMinutes: string;
}

/** Wall-clock date and time in Shanghai of an ISO instant: ['2026-12-05', '09:00']. */
function wallClock(iso: string): [string, string] {
  const local = new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  return [local.slice(0, 10), local.slice(11, 16)];
}

/** The instant of a typed Shanghai date and time, as the API takes it ('' stays '' so the schema asks for it). */
const instant = (date: string, time: string) => (date.trim() && time.trim() ? `${date.trim()}T${time.trim()}:00+08:00` : '');

function blank(now = new Date()): Form {
  const today = shanghaiToday(now);
  const date = addDays(today, 7);
  const [, time] = wallClock(now.toISOString());
  return {
    type: null,
    title: '',
    description: '',
    place: '',
    organiser: '',
    date,
    start: '09:00',
    end: '11:00',
    opensDate: today,
    opensTime: time,
    closesDate: addDays(date, -1),
    closesTime: '18:00',
    capacity: '20',
    cancelCutoffMinutes: '120',
    skills: '',
    minAge: '',
    maxAge: '',
    pointsPerHour: '10',
    graceMinutes: '30',
  };
}

function formOf(a: ActivityView): Form {
  const [date, start] = wallClock(a.startAt);
  const [, end] = wallClock(a.endAt);
  const [opensDate, opensTime] = wallClock(a.signupOpensAt);
  const [closesDate, closesTime] = wallClock(a.signupClosesAt);
  return {
    type: a.type,
    title: a.title,
    description: a.description,
    place: a.place,
    organiser: a.organiser,
    date,
    start,
    end,
    opensDate,
    opensTime,
    closesDate,
    closesTime,
    capacity: String(a.capacity),
    cancelCutoffMinutes: String(a.cancelCutoffMinutes),
    skills: a.skills.join('、'),
    minAge: a.minAge === null ? '' : String(a.minAge),
    maxAge: a.maxAge === null ? '' : String(a.maxAge),
    pointsPerHour: String(a.pointsPerHour),
    graceMinutes: String(a.graceMinutes),
  };
}

/** '' → undefined (the schema's default or its "required" message applies), else a number. */
const num = (s: string) => (s.trim() === '' ? undefined : Number(s.trim()));
/** '' → null (no limit). */
const numOrNull = (s: string) => (s.trim() === '' ? null : Number(s.trim()));

/** The form as the API body; the activity ends on the day it starts. */
function activityBodyOf(f: Form) {
  return {
    type: f.type ?? undefined,
    title: f.title,
    description: f.description,
    place: f.place,
    organiser: f.organiser,
    startAt: instant(f.date, f.start),
    endAt: instant(f.date, f.end),
    signupOpensAt: instant(f.opensDate, f.opensTime),
    signupClosesAt: instant(f.closesDate, f.closesTime),
    capacity: num(f.capacity),
    cancelCutoffMinutes: num(f.cancelCutoffMinutes),
    skills: f.skills
      .split(/[、,，;；\s]+/)
      .map((s) => s.trim())
      .filter(Boolean),
    minAge: numOrNull(f.minAge),
    maxAge: numOrNull(f.maxAge),
    pointsPerHour: num(f.pointsPerHour),
    graceMinutes: num(f.graceMinutes),
  };
}

function Line({ value, onChange, placeholder, maxlength, testId, type }: { value: string; onChange: (v: string) => void; placeholder?: string; maxlength?: number; testId?: string; type?: 'text' | 'number' }) {
  return <Input className='input' type={type ?? 'text'} value={value} maxlength={maxlength} placeholder={placeholder} onInput={(e) => onChange(e.detail.value)} data-testid={testId} />;
}

/** A date and a time side by side (one above the other in 长辈版), typed as 2026-12-05 and 09:00. */
function DateTime({ date, time, onDate, onTime, testId }: { date: string; time: string; onDate: (v: string) => void; onTime: (v: string) => void; testId: string }) {
  return (
    <View className='vol-datetime'>
      <View className='vol-datetime__date'>
        <Line value={date} onChange={onDate} placeholder='2026-12-05' maxlength={10} testId={`${testId}-date`} />
      </View>
      <View className='vol-datetime__time'>
        <Line value={time} onChange={onTime} placeholder='09:00' maxlength={5} testId={`${testId}-time`} />
      </View>
    </View>
  );
}

function ActivityForm({ original }: { original: ActivityView | null }) {
  const [f, setF] = useState<Form>(() => (original ? formOf(original) : blank()));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<ActivityView | null>(null);
  // A new activity: one key per attempt, kept while the answer is unknown (a retry cannot publish twice).
  const key = useRef<string | null>(null);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setF((x) => ({ ...x, [k]: v }));
  const today = shanghaiToday();
  const quickDays = [0, 1, 2, 3, 4, 5, 6, 7].map((d) => addDays(today, d));

  async function save() {
    setError(null);
    const parsed = activityCreateBody.safeParse(activityBodyOf(f));
    if (!parsed.success) {
      setErrors(pathErrorsOf(parsed.error.issues));
      setError('还有内容没有填好，请看红字提示');
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      if (original) {
        setSaved(await Api.updateActivity(original.id, parsed.data));
      } else {
        key.current ??= newIdempotencyKey();
        setSaved(await Api.createActivity(parsed.data, key.current));
        key.current = null;
      }
    } catch (e) {
      const status = isApiError(e) ? e.status : 0;
      if (!(status === 0 || status >= 500)) key.current = null;
      if (isApiError(e) && e.code === 'VALIDATION_FAILED') setErrors(e.fieldErrors);
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  if (saved) {
    return (
      <Card title='已保存'>
        <Notice tone='ok' text={original ? `“${saved.title}”已修改。改了时间或地点的，报名的人会收到消息。` : `“${saved.title}”已发布，居民在“志愿”里就能看到并报名。`} testId='activity-saved' />
        <Btn testId='activity-back' onClick={() => void Taro.navigateBack().catch(() => Taro.redirectTo({ url: Routes.staffActivities }).catch(() => undefined))}>
          返回活动列表
        </Btn>
      </Card>
    );
  }

  const e = (path: string) => errors[path];
  return (
    <>
      <Card title='活动内容'>
        <Field label='活动类型' error={e('type')} testId='act-type'>
          <ChoiceGrid columns={3} testId='act-type-choices' options={activityTypes.map((t) => ({ value: t, label: activityTypeLabels[t] }))} value={f.type} onChange={(v) => set('type', v)} />
        </Field>
        <Field label='活动名称' error={e('title')} testId='act-title'>
          <Line value={f.title} onChange={(v) => set('title', v)} maxlength={40} placeholder='例如：河滨公园清洁' testId='act-title-input' />
        </Field>
        <Field label='活动介绍（可不填）' error={e('description')}>
          <Textarea className='input textarea' value={f.description} maxlength={2000} placeholder='做什么、带什么、注意什么' onInput={(ev) => set('description', ev.detail.value)} data-testid='act-description-input' />
        </Field>
        <Field label='活动地点' error={e('place')} testId='act-place'>
          <Line value={f.place} onChange={(v) => set('place', v)} maxlength={60} placeholder='例如：河滨公园南门' testId='act-place-input' />
        </Field>
        <Field label='组织单位' error={e('organiser')} testId='act-organiser'>
          <Line value={f.organiser} onChange={(v) => set('organiser', v)} maxlength={40} placeholder='例如：滨河社区新时代文明实践站' testId='act-organiser-input' />
        </Field>
      </Card>

      <Card title='活动时间' testId='act-when'>
        <Field label='哪一天' hint='点一个日子，或写成 2026-12-05 这样' error={e('startAt')} testId='act-start'>
          <ChoiceGrid
            columns={2}
            testId='act-days'
            options={quickDays.map((d) => ({ value: d, label: dayText(d, today) }))}
            value={quickDays.includes(f.date) ? f.date : null}
            onChange={(v) => set('date', v)}
          />
          <View className='vol-gap'>
            <Line value={f.date} onChange={(v) => set('date', v)} placeholder='2026-12-05' maxlength={10} testId='act-date-input' />
          </View>
        </Field>
        <View className='vol-datetime'>
          <View className='vol-datetime__half'>
            <Field label='开始' hint='例如 09:00' testId='act-start-time'>
              <Line value={f.start} onChange={(v) => set('start', v)} placeholder='09:00' maxlength={5} testId='act-start-input' />
            </Field>
          </View>
          <View className='vol-datetime__half'>
            <Field label='结束' hint='当天结束' error={e('endAt')} testId='act-end'>
              <Line value={f.end} onChange={(v) => set('end', v)} placeholder='11:00' maxlength={5} testId='act-end-input' />
            </Field>
          </View>
        </View>
        <Field label='开始前多少分钟停止取消报名' hint='120 就是提前2小时；之后不能再取消' error={e('cancelCutoffMinutes')} testId='act-cutoff'>
          <Line type='number' value={f.cancelCutoffMinutes} onChange={(v) => set('cancelCutoffMinutes', v)} testId='act-cutoff-input' />
        </Field>
        <Field label='签到可以提前、签退可以推后几分钟' hint='扫签到码只在这段时间内有效' error={e('graceMinutes')}>
          <Line type='number' value={f.graceMinutes} onChange={(v) => set('graceMinutes', v)} testId='act-grace-input' />
        </Field>
      </Card>

      <Card title='报名' testId='act-signup'>
        <Field label='报名开始' hint='日期和时间，例如 2026-12-01 和 08:00' error={e('signupOpensAt')} testId='act-opens'>
          <DateTime date={f.opensDate} time={f.opensTime} onDate={(v) => set('opensDate', v)} onTime={(v) => set('opensTime', v)} testId='act-opens' />
        </Field>
        <Field label='报名截止' hint='要在活动开始前截止' error={e('signupClosesAt')} testId='act-closes'>
          <DateTime date={f.closesDate} time={f.closesTime} onDate={(v) => set('closesDate', v)} onTime={(v) => set('closesTime', v)} testId='act-closes' />
        </Field>
        <Field label='招多少人' hint='满了以后可以排队候补' error={e('capacity')} testId='act-capacity'>
          <Line type='number' value={f.capacity} onChange={(v) => set('capacity', v)} testId='act-capacity-input' />
        </Field>
        <Field label='需要的技能（可不填）' hint='几项用顿号隔开，例如：急救、摄影' error={e('skills') ?? Object.entries(errors).find(([k]) => k.startsWith('skills.'))?.[1]} testId='act-skills'>
          <Line value={f.skills} onChange={(v) => set('skills', v)} maxlength={200} placeholder='例如：急救、摄影' testId='act-skills-input' />
        </Field>
        <View className='vol-datetime'>
          <View className='vol-datetime__half'>
            <Field label='最小年龄（可不填）' error={e('minAge')} testId='act-min-age'>
              <Line type='number' value={f.minAge} onChange={(v) => set('minAge', v)} testId='act-min-age-input' />
            </Field>
          </View>
          <View className='vol-datetime__half'>
            <Field label='最大年龄（可不填）' error={e('maxAge')} testId='act-max-age'>
              <Line type='number' value={f.maxAge} onChange={(v) => set('maxAge', v)} testId='act-max-age-input' />
            </Field>
          </View>
        </View>
        <Field label='每服务1小时得多少积分' error={e('pointsPerHour')} testId='act-points'>
          <Line type='number' value={f.pointsPerHour} onChange={(v) => set('pointsPerHour', v)} testId='act-points-input' />
        </Field>
      </Card>

      <FieldError messages={e('')} />
      <Notice tone='bad' text={error} testId='activity-error' />
      <Btn testId='activity-save' loading={busy} onClick={() => void save()}>
        {original ? '保存修改' : '发布活动'}
      </Btn>
      {!original ? <P muted>发布后居民马上就能看到。改时间或地点时，已报名的人会收到消息。</P> : null}
    </>
  );
}

function EditLoader() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const [original, setOriginal] = useState<ActivityView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    if (!id || started.current) return;
    started.current = true;
    Api.activity(id)
      .then(setOriginal)
      .catch((e: unknown) => setError(messageOf(e)));
  }, [id]);

  if (!id) return <ActivityForm original={null} />;
  if (error) return <Notice tone='bad' text={error} />;
  if (!original) return <Loading />;
  return <ActivityForm original={original} />;
}

export default function StaffActivityEdit() {
  const { params } = useRouter();
  return (
    <PageShell title={params.id ? '修改活动' : '发布活动'} className='page-staff-activity-edit'>
      <CentreOnly>
        <EditLoader />
      </CentreOnly>
    </PageShell>
  );
}
