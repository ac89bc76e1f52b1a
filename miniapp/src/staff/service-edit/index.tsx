import { useEffect, useRef, useState } from 'react';
import { Input, Text, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import {
  serviceCategories,
  serviceCategoryLabels,
  serviceCreateBody,
  weekdayLabels,
  type FieldErrors,
  type ServiceCategory,
  type ServiceView,
} from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, ChoiceGrid, Field, FieldError, Loading, Notice, P } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { Routes } from '../../services/navigate';
import { isApiError, messageOf } from '../../services/request';
import { pathErrorsOf } from '../../services/validation';
import { CentreOnly } from '../CentreOnly';
import { toggled, Toggles } from '../Toggles';
import '../admin.scss';

interface HoursRow {
  key: number;
  weekday: number;
  start: string;
  end: string;
}
interface ClosedRow {
  key: number;
  date: string;
  reason: string;
}
interface LineRow {
  key: number;
  text: string;
}

interface Form {
  name: string;
  category: ServiceCategory | null;
  summary: string;
  location: string;
  duration: string;
  materials: LineRow[];
  steps: LineRow[];
  notes: string;
  flags: Array<'oneWindow' | 'fullAgency'>;
  slotMinutes: string;
  capacity: string;
  cutoffMinutes: string;
  maxActivePerResident: string;
  bookingWindowDays: string;
  contactPhone: string;
  weeklyHours: HoursRow[];
  closedDays: ClosedRow[];
}

let nextKey = 1;
const k = () => nextKey++;

const blank = (): Form => ({
  name: '',
  category: null,
  summary: '',
  location: '',
  duration: '',
  materials: [{ key: k(), text: '' }],
  steps: [],
  notes: '',
  flags: ['oneWindow'],
  slotMinutes: '30',
  capacity: '2',
  cutoffMinutes: '120',
  maxActivePerResident: '1',
  bookingWindowDays: '14',
  contactPhone: '',
  weeklyHours: [],
  closedDays: [],
});

function formOf(s: ServiceView): Form {
  return {
    name: s.name,
    category: s.category,
    summary: s.summary,
    location: s.guide.location,
    duration: s.guide.duration,
    materials: s.guide.materials.map((text) => ({ key: k(), text })),
    steps: s.guide.steps.map((text) => ({ key: k(), text })),
    notes: s.guide.notes,
    flags: [...(s.oneWindow ? (['oneWindow'] as const) : []), ...(s.fullAgency ? (['fullAgency'] as const) : [])],
    slotMinutes: String(s.slotMinutes),
    capacity: String(s.capacity),
    cutoffMinutes: String(s.cutoffMinutes),
    maxActivePerResident: String(s.maxActivePerResident),
    bookingWindowDays: String(s.bookingWindowDays),
    contactPhone: s.contactPhone,
    weeklyHours: s.weeklyHours.map((h) => ({ key: k(), ...h })),
    closedDays: s.closedDays.map((d) => ({ key: k(), ...d })),
  };
}

/** '' → undefined (so the schema's default or its "required" message applies), else a number. */
const num = (s: string) => (s.trim() === '' ? undefined : Number(s.trim()));

/**
 * The form as the API body. Blank material and step lines are left out; the
 * returned maps say which form line each sent item came from, so an error on
 * "guide.materials.1" shows beside the right line.
 */
function bodyOf(f: Form) {
  const materials = f.materials.filter((m) => m.text.trim());
  const steps = f.steps.filter((m) => m.text.trim());
  return {
    body: {
      name: f.name,
      category: f.category ?? undefined,
      summary: f.summary,
      guide: {
        materials: materials.map((m) => m.text),
        location: f.location,
        duration: f.duration,
        steps: steps.map((m) => m.text),
        notes: f.notes,
      },
      oneWindow: f.flags.includes('oneWindow'),
      fullAgency: f.flags.includes('fullAgency'),
      slotMinutes: num(f.slotMinutes),
      capacity: num(f.capacity),
      weeklyHours: f.weeklyHours.map(({ weekday, start, end }) => ({ weekday, start: start.trim(), end: end.trim() })),
      closedDays: f.closedDays.map(({ date, reason }) => ({ date: date.trim(), reason })),
      cutoffMinutes: num(f.cutoffMinutes),
      maxActivePerResident: num(f.maxActivePerResident),
      bookingWindowDays: num(f.bookingWindowDays),
      contactPhone: f.contactPhone,
    },
    materialKeys: materials.map((m) => m.key),
    stepKeys: steps.map((m) => m.key),
  };
}

/** Errors on "guide.materials.N" re-keyed by the form line's key ("materials#key"). */
function rekey(errors: FieldErrors, list: string, prefix: string, keys: number[]): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, messages] of Object.entries(errors)) {
    const m = new RegExp(`^${list.replace('.', '\\.')}\\.(\\d+)$`).exec(path);
    if (m) out[`${prefix}#${keys[Number(m[1])]}`] = messages;
    else out[path] = messages;
  }
  return out;
}

const flagOptions = [
  { value: 'oneWindow' as const, label: '一窗受理', hint: '一个窗口办完' },
  { value: 'fullAgency' as const, label: '全程代办', hint: '工作人员跑全程' },
];

function TextLine({
  value,
  onChange,
  placeholder,
  maxlength,
  testId,
}: {
  value: string;
  onChange: (v: string) => void;
  placeholder?: string;
  maxlength?: number;
  testId?: string;
}) {
  return (
    <Input
      className='input'
      value={value}
      maxlength={maxlength}
      placeholder={placeholder}
      onInput={(e) => onChange(e.detail.value)}
      data-testid={testId}
    />
  );
}

/** A list of one-line entries (materials, steps) with 添加 / 删除. */
function Lines({
  rows,
  onChange,
  errors,
  prefix,
  placeholder,
  addLabel,
  max,
}: {
  rows: LineRow[];
  onChange: (rows: LineRow[]) => void;
  errors: FieldErrors;
  prefix: string;
  placeholder: string;
  addLabel: string;
  max: number;
}) {
  return (
    <View className='edit-lines' data-testid={`${prefix}-lines`}>
      {rows.map((r, i) => (
        <View key={r.key} className='edit-line'>
          <View className='edit-line__row'>
            <Text className='edit-line__num'>{i + 1}.</Text>
            <View className='edit-line__input'>
              <TextLine
                value={r.text}
                placeholder={placeholder}
                maxlength={80}
                testId={`${prefix}-${i}`}
                onChange={(text) => onChange(rows.map((x) => (x.key === r.key ? { ...x, text } : x)))}
              />
            </View>
            <Btn kind='plain' className='admin-btn-inline' onClick={() => onChange(rows.filter((x) => x.key !== r.key))}>
              删除
            </Btn>
          </View>
          <FieldError messages={errors[`${prefix}#${r.key}`]} />
        </View>
      ))}
      {rows.length < max ? (
        <Btn kind='secondary' testId={`${prefix}-add`} onClick={() => onChange([...rows, { key: k(), text: '' }])}>
          {addLabel}
        </Btn>
      ) : null}
    </View>
  );
}

function ServiceForm({ original }: { original: ServiceView | null }) {
  const [f, setF] = useState<Form>(() => (original ? formOf(original) : blank()));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<ServiceView | null>(null);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setF((x) => ({ ...x, [key]: value }));

  async function save() {
    setError(null);
    const { body, materialKeys, stepKeys } = bodyOf(f);
    const parsed = serviceCreateBody.safeParse(body);
    const withLines = (e: FieldErrors) =>
      rekey(rekey(e, 'guide.materials', 'materials', materialKeys), 'guide.steps', 'steps', stepKeys);
    if (!parsed.success) {
      setErrors(withLines(pathErrorsOf(parsed.error.issues)));
      setError('还有内容没有填好，请看红字提示');
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const result = original ? await Api.updateService(original.id, parsed.data) : await Api.createService(parsed.data);
      setSaved(result);
    } catch (e) {
      if (isApiError(e) && e.code === 'VALIDATION_FAILED') setErrors(withLines(e.fieldErrors));
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  if (saved) {
    return (
      <Card title='已保存'>
        <Notice tone='ok' text={`“${saved.name}”已保存，新的开放时间和名额已生效。`} testId='service-saved' />
        <Btn
          testId='service-back'
          onClick={() => void Taro.navigateBack().catch(() => Taro.redirectTo({ url: Routes.staffServices }).catch(() => undefined))}
        >
          返回事项列表
        </Btn>
      </Card>
    );
  }

  const e = (path: string) => errors[path];
  const hoursOf = (weekday: number) => f.weeklyHours.map((h, i) => ({ h, i })).filter(({ h }) => h.weekday === weekday);

  return (
    <>
      <Card title='基本信息'>
        <Field label='事项名称' error={e('name')} testId='svc-name'>
          <TextLine value={f.name} onChange={(v) => set('name', v)} maxlength={30} placeholder='例如：社保卡申领与补换' testId='svc-name-input' />
        </Field>
        <Field label='类别' error={e('category')} testId='svc-category'>
          <ChoiceGrid
            columns={3}
            testId='svc-category-choices'
            options={serviceCategories.map((c) => ({ value: c, label: serviceCategoryLabels[c] }))}
            value={f.category}
            onChange={(v) => set('category', v)}
          />
        </Field>
        <Field label='一句话简介（可不填）' error={e('summary')} testId='svc-summary'>
          <TextLine value={f.summary} onChange={(v) => set('summary', v)} maxlength={120} placeholder='例如：第三代社保卡申领、挂失补换' />
        </Field>
        <Field label='办理方式' error={e('oneWindow') ?? e('fullAgency')}>
          <Toggles options={flagOptions} values={f.flags} onToggle={(v) => set('flags', toggled(f.flags, v))} testId='svc-flag' />
        </Field>
      </Card>

      <Card title='办事指南'>
        <Field label='办理地点' error={e('guide.location')} testId='svc-location'>
          <TextLine value={f.location} onChange={(v) => set('location', v)} maxlength={60} placeholder='例如：党群服务中心一楼 1号窗口' testId='svc-location-input' />
        </Field>
        <Field label='大约多久（可不填）' error={e('guide.duration')}>
          <TextLine value={f.duration} onChange={(v) => set('duration', v)} maxlength={30} placeholder='例如：约20分钟' />
        </Field>
        <Field label='要带的材料' error={e('guide.materials')}>
          <Lines rows={f.materials} onChange={(v) => set('materials', v)} errors={errors} prefix='materials' placeholder='例如：居民身份证原件' addLabel='＋ 添加一项材料' max={20} />
        </Field>
        <Field label='办理步骤（可不填）' error={e('guide.steps')}>
          <Lines rows={f.steps} onChange={(v) => set('steps', v)} errors={errors} prefix='steps' placeholder='例如：取号后到1号窗口' addLabel='＋ 添加一步' max={10} />
        </Field>
        <Field label='注意事项（可不填）' error={e('guide.notes')}>
          <Textarea className='input textarea' value={f.notes} maxlength={300} placeholder='例如：代办需带双方身份证' onInput={(ev) => set('notes', ev.detail.value)} />
        </Field>
        <Field label='咨询电话' error={e('contactPhone')} testId='svc-phone'>
          <TextLine value={f.contactPhone} onChange={(v) => set('contactPhone', v)} maxlength={20} placeholder='例如：0936-8210001' testId='svc-phone-input' />
        </Field>
      </Card>

      <Card title='时段和名额'>
        <Field label='每段多少分钟' hint='10到240分钟' error={e('slotMinutes')} testId='svc-slot'>
          <Input className='input' type='number' value={f.slotMinutes} onInput={(ev) => set('slotMinutes', ev.detail.value)} data-testid='svc-slot-input' />
        </Field>
        <Field label='每段可约几人' error={e('capacity')} testId='svc-capacity'>
          <Input className='input' type='number' value={f.capacity} onInput={(ev) => set('capacity', ev.detail.value)} data-testid='svc-capacity-input' />
        </Field>
        <Field label='开始前多少分钟停止取消和改约' hint='120 就是提前2小时' error={e('cutoffMinutes')}>
          <Input className='input' type='number' value={f.cutoffMinutes} onInput={(ev) => set('cutoffMinutes', ev.detail.value)} />
        </Field>
        <Field label='每人同时最多几个预约' error={e('maxActivePerResident')}>
          <Input className='input' type='number' value={f.maxActivePerResident} onInput={(ev) => set('maxActivePerResident', ev.detail.value)} />
        </Field>
        <Field label='可以预约多少天以内' error={e('bookingWindowDays')}>
          <Input className='input' type='number' value={f.bookingWindowDays} onInput={(ev) => set('bookingWindowDays', ev.detail.value)} />
        </Field>
      </Card>

      <Card title='每周开放时间' testId='svc-hours'>
        <P muted>每天可以有几段（例如上午一段、下午一段），时间写成 09:00 这样。</P>
        <FieldError messages={e('weeklyHours')} />
        {[1, 2, 3, 4, 5, 6, 7].map((weekday) => (
          <View key={weekday} className='edit-day' data-testid={`svc-day-${weekday}`}>
            <Text className='edit-day__name'>{weekdayLabels[weekday]}</Text>
            {hoursOf(weekday).length === 0 ? <Text className='admin-item__meta'>休息</Text> : null}
            {hoursOf(weekday).map(({ h, i }) => (
              <View key={h.key} className='edit-line'>
                <View className='edit-line__row'>
                  <View className='edit-line__input'>
                    <TextLine
                      value={h.start}
                      placeholder='09:00'
                      maxlength={5}
                      testId={`hours-${weekday}-start`}
                      onChange={(v) => set('weeklyHours', f.weeklyHours.map((x) => (x.key === h.key ? { ...x, start: v } : x)))}
                    />
                  </View>
                  <Text className='edit-line__to'>到</Text>
                  <View className='edit-line__input'>
                    <TextLine
                      value={h.end}
                      placeholder='12:00'
                      maxlength={5}
                      testId={`hours-${weekday}-end`}
                      onChange={(v) => set('weeklyHours', f.weeklyHours.map((x) => (x.key === h.key ? { ...x, end: v } : x)))}
                    />
                  </View>
                  <Btn kind='plain' className='admin-btn-inline' onClick={() => set('weeklyHours', f.weeklyHours.filter((x) => x.key !== h.key))}>
                    删除
                  </Btn>
                </View>
                <FieldError messages={e(`weeklyHours.${i}.start`) ?? e(`weeklyHours.${i}.end`) ?? e(`weeklyHours.${i}`)} />
              </View>
            ))}
            <Btn
              kind='secondary'
              testId={`hours-${weekday}-add`}
              onClick={() => {
                const last = hoursOf(weekday).pop()?.h;
                const next = last ? { start: '14:30', end: '17:30' } : { start: '09:00', end: '12:00' };
                set('weeklyHours', [...f.weeklyHours, { key: k(), weekday, ...next }]);
              }}
            >
              {`＋ ${weekdayLabels[weekday]}加一段`}
            </Btn>
          </View>
        ))}
      </Card>

      <Card title='休息日' testId='svc-closed'>
        <P muted>节假日等不开放的日子，日期写成 2026-12-01 这样。</P>
        <FieldError messages={e('closedDays')} />
        {f.closedDays.map((d, i) => (
          <View key={d.key} className='edit-line'>
            <View className='edit-line__row'>
              <View className='edit-line__input edit-line__input--date'>
                <TextLine
                  value={d.date}
                  placeholder='2026-12-01'
                  maxlength={10}
                  testId={`closed-${i}-date`}
                  onChange={(v) => set('closedDays', f.closedDays.map((x) => (x.key === d.key ? { ...x, date: v } : x)))}
                />
              </View>
              <View className='edit-line__input'>
                <TextLine
                  value={d.reason}
                  placeholder='原因，例如：元旦'
                  maxlength={40}
                  testId={`closed-${i}-reason`}
                  onChange={(v) => set('closedDays', f.closedDays.map((x) => (x.key === d.key ? { ...x, reason: v } : x)))}
                />
              </View>
              <Btn kind='plain' className='admin-btn-inline' onClick={() => set('closedDays', f.closedDays.filter((x) => x.key !== d.key))}>
                删除
              </Btn>
            </View>
            <FieldError messages={e(`closedDays.${i}.date`) ?? e(`closedDays.${i}.reason`) ?? e(`closedDays.${i}`)} />
          </View>
        ))}
        <Btn kind='secondary' testId='closed-add' onClick={() => set('closedDays', [...f.closedDays, { key: k(), date: '', reason: '' }])}>
          ＋ 添加休息日
        </Btn>
      </Card>

      <Notice tone='bad' text={error} testId='service-error' />
      <Btn testId='service-save' loading={busy} onClick={() => void save()}>
        {original ? '保存修改' : '建好事项'}
      </Btn>
    </>
  );
}

function EditLoader() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const [original, setOriginal] = useState<ServiceView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    if (!id || started.current) return;
    started.current = true;
    Api.service(id)
      .then(setOriginal)
      .catch((e: unknown) => setError(messageOf(e)));
  }, [id]);

  if (!id) return <ServiceForm original={null} />;
  if (error) return <Notice tone='bad' text={error} />;
  if (!original) return <Loading />;
  return <ServiceForm original={original} />;
}

export default function StaffServiceEdit() {
  const { params } = useRouter();
  return (
    <PageShell title={params.id ? '修改服务事项' : '新建服务事项'} className='page-staff-service-edit'>
      <CentreOnly>
        <EditLoader />
      </CentreOnly>
    </PageShell>
  );
}
