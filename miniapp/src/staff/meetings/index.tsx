import { useCallback, useEffect, useRef, useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { addDays, meetingAgendaItemInput, meetingCancelBody, meetingCreateBody, type FieldErrors, type MeetingView, type TopicView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { useMountAndShow } from '../../components/useShow';
import { Btn, Card, ChoiceGrid, Empty, Field, FieldError, Loading, Notice, P, Tag } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { shanghaiToday } from '../../services/format';
import { newIdempotencyKey } from '../../services/idempotency';
import { go, Routes, withQuery } from '../../services/navigate';
import { isApiError, messageOf } from '../../services/request';
import { fieldErrorsOf, pathErrorsOf } from '../../services/validation';
import { attendanceText, meetingPhase, meetingWhen, phaseLabels, phaseTones, started } from '../../vote/meetingParts';
import { CentreOnly } from '../CentreOnly';
import { dayText } from '../dates';
import '../admin.scss';
import '../meeting.scss';

type When = 'upcoming' | 'past';
const whens: { value: When; label: string }[] = [
  { value: 'upcoming', label: '近期的会议' },
  { value: 'past', label: '开过的会议' },
];

interface AgendaItem {
  title: string;
  topicId?: string;
}

interface Form {
  title: string;
  place: string;
  date: string;
  start: string;
  end: string;
  agenda: AgendaItem[];
}

const START_TIMES = ['09:00', '09:30', '10:00', '14:00', '14:30', '15:00', '19:00', '19:30', '20:00'];
const LENGTHS: Array<[number, string]> = [
  [60, '1小时'],
  [90, '1个半小时'],
  [120, '2小时'],
  [180, '3小时'],
];

/** "09:30" + 90 minutes → "11:00" (null past midnight or when the start is not a time). */
function later(time: string, minutes: number): string | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(time.trim());
  if (!m) return null;
  const total = Number(m[1]) * 60 + Number(m[2]) + minutes;
  if (total >= 24 * 60) return null;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** The instant of a typed Shanghai date and time ('' stays '' so the schema asks for it). */
function instant(date: string, time: string): string {
  const d = date.trim();
  const t = time.trim().replace('：', ':');
  if (!d || !t) return '';
  const padded = /^\d:\d{2}$/.test(t) ? `0${t}` : t;
  return `${d}T${padded}:00+08:00`;
}

function blank(today = shanghaiToday()): Form {
  return { title: '', place: '', date: addDays(today, 7), start: '14:30', end: '16:30', agenda: [] };
}

function Line({ value, onChange, placeholder, maxlength, testId }: { value: string; onChange: (v: string) => void; placeholder?: string; maxlength?: number; testId?: string }) {
  return <Input className='input' value={value} maxlength={maxlength} placeholder={placeholder} onInput={(e) => onChange(e.detail.value)} data-testid={testId} />;
}

/** 召开议事会: name, place, day and hours as big choices (or typed), and the agenda from residents' topics or typed. */
function MeetingForm({ onCreated, onClose }: { onCreated: (m: MeetingView) => void; onClose: () => void }) {
  const today = shanghaiToday();
  const [f, setF] = useState<Form>(() => blank(today));
  const [topics, setTopics] = useState<TopicView[] | null>(null);
  const [topicsError, setTopicsError] = useState<string | null>(null);
  const [free, setFree] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per attempt, kept while the answer is unknown: a retry cannot call the meeting twice.
  const key = useRef<string | null>(null);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    key.current = null;
    setF((x) => ({ ...x, [k]: v }));
    // What was wrong with this field is answered by the change; the schema speaks again on the next submit.
    setErrors((e) => {
      const next = { ...e };
      for (const path of Object.keys(next)) if (path === k || path.startsWith(`${String(k)}.`) || (k === 'date' && path === 'startsAt') || (k === 'start' && path === 'startsAt') || (k === 'end' && path === 'endsAt')) delete next[path];
      return next;
    });
  };
  const days = Array.from({ length: 14 }, (_, i) => addDays(today, i));

  useEffect(() => {
    Api.topics('agenda')
      .then((r) => setTopics(r.items.filter((t) => t.status === 'agenda')))
      .catch((e: unknown) => setTopicsError(messageOf(e)));
  }, []);

  function toggleTopic(t: TopicView) {
    const on = f.agenda.some((a) => a.topicId === t.id);
    set('agenda', on ? f.agenda.filter((a) => a.topicId !== t.id) : [...f.agenda, { title: t.title.slice(0, 60), topicId: t.id }]);
  }

  function addFree() {
    const parsed = meetingAgendaItemInput.safeParse({ title: free });
    if (!parsed.success) {
      setErrors((x) => ({ ...x, free: parsed.error.issues.map((i) => i.message) }));
      return;
    }
    if (f.agenda.length >= 10) {
      setErrors((x) => ({ ...x, free: ['一次最多10项议题'] }));
      return;
    }
    setErrors((x) => ({ ...x, free: [], agenda: [] }));
    set('agenda', [...f.agenda, { title: parsed.data.title }]);
    setFree('');
  }

  function bodyOf(form: Form) {
    return {
      title: form.title,
      place: form.place,
      startsAt: instant(form.date, form.start),
      endsAt: instant(form.date, form.end),
      agenda: form.agenda.map((a) => (a.topicId ? { title: a.title, topicId: a.topicId } : { title: a.title })),
    };
  }

  async function submit() {
    setError(null);
    const parsed = meetingCreateBody.safeParse(bodyOf(f));
    if (!parsed.success) {
      setErrors(pathErrorsOf(parsed.error.issues));
      setError('还有内容没有填好，请看红字提示');
      return;
    }
    if (Date.parse(parsed.data.startsAt) < Date.now()) {
      setErrors({ startsAt: ['开始时间已经过了，请选以后的时间'] });
      return;
    }
    setErrors({});
    key.current ??= newIdempotencyKey();
    setBusy(true);
    try {
      const m = await Api.createMeeting(parsed.data, key.current);
      key.current = null;
      onCreated(m);
    } catch (e) {
      const status = isApiError(e) ? e.status : 0;
      if (!(status === 0 || status >= 500 || (isApiError(e) && e.code === 'IDEMPOTENCY_IN_PROGRESS'))) key.current = null;
      if (isApiError(e) && e.code === 'VALIDATION_FAILED') setErrors(e.fieldErrors);
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  const e = (path: string) => (errors[path]?.length ? errors[path] : undefined);
  const itemError = Object.entries(errors).find(([k, v]) => k.startsWith('agenda.') && v.length)?.[1];
  const ends = LENGTHS.map(([min, label]) => ({ end: later(f.start, min), label })).filter((x): x is { end: string; label: string } => !!x.end);

  return (
    <Card title='召开议事会' testId='meeting-form'>
      <Field label='会议名称' error={e('title')} testId='mf-title'>
        <Line value={f.title} onChange={(v) => set('title', v)} maxlength={60} placeholder='例如：12月居民议事会' testId='mf-title-input' />
      </Field>
      <Field label='地点' error={e('place')} testId='mf-place'>
        <Line value={f.place} onChange={(v) => set('place', v)} maxlength={60} placeholder='例如：社区党群服务中心二楼会议室' testId='mf-place-input' />
      </Field>
      <Field label='哪一天' hint='点一个日子，或写成 2026-12-05 这样' error={e('startsAt')} testId='mf-date'>
        <ChoiceGrid columns={2} testId='mf-days' options={days.map((d) => ({ value: d, label: dayText(d, today) }))} value={days.includes(f.date) ? f.date : null} onChange={(v) => set('date', v)} />
        <View className='mtg-gap'>
          <Line value={f.date} onChange={(v) => set('date', v)} maxlength={10} placeholder='2026-12-05' testId='mf-date-input' />
        </View>
      </Field>
      <Field label='几点开始' hint='点一个时间，或自己写，例如 14:30' testId='mf-start'>
        <ChoiceGrid columns={3} testId='mf-starts' options={START_TIMES.map((t) => ({ value: t, label: t }))} value={START_TIMES.includes(f.start) ? f.start : null} onChange={(v) => {
          const oldLength = LENGTHS.find(([min]) => later(f.start, min) === f.end)?.[0] ?? 120;
          setF((x) => ({ ...x, start: v, end: later(v, oldLength) ?? x.end }));
          key.current = null;
        }} />
        <View className='mtg-gap'>
          <Line value={f.start} onChange={(v) => set('start', v)} maxlength={5} placeholder='14:30' testId='mf-start-input' />
        </View>
      </Field>
      <Field label='几点结束' hint='当天结束，最长8小时' error={e('endsAt')} testId='mf-end'>
        <ChoiceGrid columns={2} testId='mf-ends' options={ends.map((x) => ({ value: x.end, label: x.end, hint: x.label }))} value={ends.some((x) => x.end === f.end) ? f.end : null} onChange={(v) => set('end', v)} />
        <View className='mtg-gap'>
          <Line value={f.end} onChange={(v) => set('end', v)} maxlength={5} placeholder='16:30' testId='mf-end-input' />
        </View>
      </Field>

      <View className='field mtg-field--flush'>
        <Text className='field__label'>议题</Text>
        <Text className='field__hint'>从居民提出、已列入议事会的议题里选，也可以自己写。最多10项。</Text>
      </View>
      {topicsError ? <Notice tone='bad' text={topicsError} /> : null}
      {topics === null && !topicsError ? <Loading text='正在取待议的议题…' /> : null}
      {topics && topics.length === 0 ? <P muted>现在没有待议的居民议题。</P> : null}
      {topics && topics.length ? (
        <View data-testid='mf-topics'>
          {topics.map((t) => {
            const on = f.agenda.some((a) => a.topicId === t.id);
            return (
              <View key={t.id} className={`tap mtg-pick ${on ? 'mtg-pick--on' : ''}`} role='checkbox' aria-checked={on} data-testid={`mf-topic-${t.id}`} onClick={() => toggleTopic(t)}>
                <Text className='mtg-pick__mark'>{on ? '✓' : ''}</Text>
                <View className='admin-item__main'>
                  <Text className='admin-item__name'>{t.title}</Text>
                  <Text className='admin-item__meta'>{`${t.authorName} · ${t.supportCount}人支持`}</Text>
                </View>
              </View>
            );
          })}
        </View>
      ) : null}
      <Field label='自己写一项' error={e('free')} testId='mf-free'>
        <Line value={free} onChange={setFree} maxlength={60} placeholder='例如：电动车充电桩安装位置' testId='mf-free-input' />
      </Field>
      <Btn kind='secondary' testId='mf-free-add' onClick={addFree}>
        加入议题
      </Btn>
      {f.agenda.length ? (
        <View className='mtg-agenda-list' data-testid='mf-agenda'>
          {f.agenda.map((a, i) => (
            <View key={`${a.topicId ?? 'free'}-${i}`} className='mtg-agenda' data-testid='mf-agenda-item'>
              <Text className='mtg-agenda__num'>{`${i + 1}.`}</Text>
              <Text className='mtg-agenda__title'>{a.title}</Text>
              {a.topicId ? <Tag tone='info'>居民议题</Tag> : null}
              <Btn kind='plain' className='admin-btn-inline' testId={`mf-agenda-remove-${i}`} onClick={() => set('agenda', f.agenda.filter((_, j) => j !== i))}>
                去掉
              </Btn>
            </View>
          ))}
        </View>
      ) : null}
      <FieldError messages={e('agenda') ?? itemError} testId='mf-agenda-error' />

      <Notice tone='bad' text={error} testId='mf-error' />
      <View className='actions'>
        <Btn loading={busy} testId='mf-submit' onClick={() => void submit()}>
          {error && key.current ? '重试' : '召开议事会'}
        </Btn>
        <Btn kind='plain' onClick={onClose}>
          先不开
        </Btn>
      </View>
      <P muted>召开后，议事会成员会在“议事会”里看到；会议开始前1小时起可以扫码签到。</P>
    </Card>
  );
}

function CancelPanel({ m, onCancelled, onClose }: { m: MeetingView; onCancelled: (m: MeetingView) => void; onClose: () => void }) {
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    setError(null);
    const parsed = meetingCancelBody.safeParse({ reason: text });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      onCancelled(await Api.cancelMeeting(m.id, parsed.data.reason));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className='admin-item__panel' data-testid='meeting-cancel-panel'>
      <P>{`取消“${m.title}”后，居民在议事会页面会看到“已取消”和您写的原因，签到码也不能再用。`}</P>
      <Field label='取消原因' error={errors.reason} testId='meeting-cancel-reason'>
        <Line value={text} onChange={setText} maxlength={200} placeholder='例如：会议室临时检修，改期另行通知' testId='meeting-cancel-reason-input' />
      </Field>
      <Notice tone='bad' text={error} testId='meeting-cancel-error' />
      <View className='actions actions--row'>
        <Btn kind='danger' loading={busy} testId='meeting-cancel-submit' onClick={() => void submit()}>
          确定取消
        </Btn>
        <Btn kind='plain' onClick={onClose}>
          不取消
        </Btn>
      </View>
    </View>
  );
}

function MeetingRow({ m, onCancelled }: { m: MeetingView; onCancelled: (m: MeetingView) => void }) {
  const [cancelling, setCancelling] = useState(false);
  const phase = meetingPhase(m);
  return (
    <View className='admin-item' data-testid='staff-meeting' data-id={m.id}>
      <View className='admin-item__head'>
        <View className='admin-item__main'>
          <Text className='admin-item__name'>{m.title}</Text>
          <Text className='admin-item__meta'>{meetingWhen(m)}</Text>
          <Text className='admin-item__meta'>{m.place}</Text>
          {phase === 'cancelled' ? (
            <Text className='admin-item__meta admin-item__meta--bad'>{`已取消${m.cancelReason ? `：${m.cancelReason}` : ''}`}</Text>
          ) : (
            <Text className='admin-item__meta' data-testid='staff-meeting-attendance'>
              {started(m) ? `${attendanceText(m)}，${m.quorumMet ? '已过半数' : '未过半数'}` : `应到${m.expected}人，过半数要${m.quorum}人 · ${m.agenda.length}项议题`}
            </Text>
          )}
        </View>
        <Tag tone={phaseTones[phase]}>{phaseLabels[phase]}</Tag>
      </View>
      {cancelling ? (
        <CancelPanel m={m} onCancelled={(c) => { setCancelling(false); onCancelled(c); }} onClose={() => setCancelling(false)} />
      ) : (
        <View className='actions actions--row'>
          <Btn testId='open-desk' onClick={() => go(withQuery(Routes.staffMeetingDesk, { id: m.id }))}>
            {phase === 'ended' ? '纪要和决议' : '签到台'}
          </Btn>
          {phase === 'upcoming' || phase === 'ongoing' ? (
            <Btn kind='danger' testId='meeting-cancel-open' onClick={() => setCancelling(true)}>
              取消会议
            </Btn>
          ) : null}
        </View>
      )}
    </View>
  );
}

function Meetings() {
  const [when, setWhen] = useState<When>('upcoming');
  const [items, setItems] = useState<MeetingView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const current = useRef(when);

  const load = useCallback(async (w: When) => {
    try {
      const r = await Api.meetings(w);
      if (current.current === w) setItems(r.items);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);

  useEffect(() => {
    if (current.current === when) return;
    current.current = when;
    setItems(null);
    void load(when);
  }, [when, load]);

  useMountAndShow(() => {
    void load(current.current);
  });

  return (
    <>
      {creating ? (
        <MeetingForm
          onClose={() => setCreating(false)}
          onCreated={(m) => {
            setCreating(false);
            setNotice(`已召开“${m.title}”，应到${m.expected}人。会前可以在签到台打印签到码。`);
            if (current.current === 'upcoming') setItems((list) => [m, ...(list ?? []).filter((x) => x.id !== m.id)]);
          }}
        />
      ) : (
        <View className='actions'>
          <Btn testId='meeting-new' onClick={() => { setCreating(true); setNotice(null); }}>
            召开议事会
          </Btn>
          <Btn kind='secondary' testId='go-council' onClick={() => go(Routes.staffCouncil)}>
            议事会成员
          </Btn>
        </View>
      )}
      <Notice tone='ok' text={notice} testId='meetings-notice' />
      <View className='admin-tabs mtg-gap'>
        <ChoiceGrid options={whens} value={when} onChange={setWhen} columns={2} testId='meeting-tabs' />
      </View>
      <Notice tone='bad' text={error} testId='meetings-error' />
      {items === null && !error ? <Loading /> : null}
      {items && items.length === 0 ? <Empty text={when === 'upcoming' ? '近期没有安排议事会。' : '还没有开过的议事会。'} /> : null}
      {items && items.length ? (
        <Card>
          {items.map((m) => (
            <MeetingRow
              key={m.id}
              m={m}
              onCancelled={(c) => {
                setItems((list) => list?.map((x) => (x.id === c.id ? c : x)) ?? null);
                setNotice(`已取消“${c.title}”。`);
              }}
            />
          ))}
        </Card>
      ) : null}
    </>
  );
}

export default function StaffMeetings() {
  return (
    <PageShell title='议事会' subtitle='召开会议、签到、纪要和决议' className='page-staff-meetings'>
      <CentreOnly>
        <Meetings />
      </CentreOnly>
    </PageShell>
  );
}
