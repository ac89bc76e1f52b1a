import { useEffect, useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import {
  caseCategories,
  caseCategoryLabels,
  caseKindLabels,
  caseKinds,
  deskLevelLabels,
  promiseRuleBody,
  routingRuleBody,
  type BuildingView,
  type CaseCategory,
  type CaseKind,
  type FieldErrors,
} from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, ChoiceGrid, Field, FieldError, Loading, Notice, P } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { formatDay } from '../../services/format';
import { messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { CentreOnly } from '../CentreOnly';
import '../admin.scss';
import '../../feedback/feedback.scss';
import { ConfirmPanel } from '../ConfirmPanel';

type RoutingRule = Awaited<ReturnType<typeof Api.routingRules>>['items'][number];
type PromiseRule = Awaited<ReturnType<typeof Api.promiseRules>>['items'][number];

const ANY = 'any';
const categoryOptions = [{ value: ANY, label: '全部类别' }, ...caseCategories.map((c) => ({ value: c, label: caseCategoryLabels[c] }))];
const kindOptions = [{ value: ANY, label: '全部类型' }, ...caseKinds.map((k) => ({ value: k, label: caseKindLabels[k] }))];
const routeLevels = (['property', 'grid', 'centre'] as const).map((l) => ({ value: l, label: deskLevelLabels[l] }));
const urgentOptions = [
  { value: ANY, label: '不限' },
  { value: 'yes', label: '紧急' },
  { value: 'no', label: '不紧急' },
];
const unitOptions = [
  { value: 'hours', label: '小时', hint: '按钟点算' },
  { value: 'working_days', label: '个工作日', hint: '第N个工作日18点前' },
] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const realDate = (d: string) => DATE.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

function RoutingRules({ buildings }: { buildings: BuildingView[] }) {
  const [items, setItems] = useState<RoutingRule[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [category, setCategory] = useState<string>(ANY);
  const [buildingId, setBuildingId] = useState<string>(ANY);
  const [level, setLevel] = useState<'property' | 'grid' | 'centre' | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [deleting, setDeleting] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const buildingName = (id: string | null) => (id ? (buildings.find((b) => b.id === id)?.name ?? '（已删除的楼栋）') : '全部楼栋');

  async function load() {
    try {
      setItems((await Api.routingRules()).items);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  useEffect(() => {
    void load();
  }, []);

  async function add() {
    if (!level) {
      setErrors({ level: ['请选择交给谁'] });
      return;
    }
    const parsed = routingRuleBody.safeParse({ category: category === ANY ? null : category, buildingId: buildingId === ANY ? null : buildingId, level });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    setErrors({});
    setBusy(true);
    setError(null);
    try {
      await Api.addRoutingRule(parsed.data);
      setAdding(false);
      setCategory(ANY);
      setBuildingId(ANY);
      setLevel(null);
      setNotice('已新增规则，以后的工单按它分派。');
      await load();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  async function remove(id: string) {
    setBusy(true);
    setError(null);
    try {
      await Api.deleteRoutingRule(id);
      setDeleting(null);
      setNotice('已删除这条规则。');
      await load();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title='分派规则' testId='routing-rules'>
      <P muted>决定新工单先交给谁。没有规则时：有物业公司的楼栋先交给物业，没有物业的交给网格员。越具体的规则越优先（类别加楼栋 &gt; 楼栋 &gt; 类别）。</P>
      <Notice tone='ok' text={notice} testId='routing-notice' />
      <Notice tone='bad' text={error} testId='routing-error' />
      {items === null && !error ? <Loading /> : null}
      {items && items.length === 0 ? <P>还没有规则，按上面的默认办法分派。</P> : null}
      {items?.map((r) => (
        <View key={r.id} className='admin-item' data-testid='routing-rule'>
          <Text className='fb-desk-item__line'>{`${r.category ? caseCategoryLabels[r.category as CaseCategory] : '全部类别'} · ${buildingName(r.buildingId)} → ${deskLevelLabels[r.level]}`}</Text>
          {deleting === r.id ? (
            <ConfirmPanel
              text='确定删除这条规则吗？以后的工单不再按它分派。'
              confirmLabel='确认删除'
              backLabel='不删了'
              busy={busy}
              confirmTestId='routing-delete-confirm'
              onConfirm={() => void remove(r.id)}
              onBack={() => setDeleting(null)}
            />
          ) : (
            <Btn kind='plain' testId='routing-delete' onClick={() => setDeleting(r.id)}>
              删除
            </Btn>
          )}
        </View>
      ))}
      {adding ? (
        <View className='admin-item__panel' data-testid='routing-form'>
          <Field label='哪类问题' error={errors.category} testId='routing-category'>
            <ChoiceGrid testId='routing-category' columns={3} options={categoryOptions} value={category} onChange={setCategory} />
          </Field>
          <Field label='哪栋楼' error={errors.buildingId} testId='routing-building'>
            <ChoiceGrid
              testId='routing-building'
              columns={3}
              options={[{ value: ANY, label: '全部楼栋' }, ...buildings.map((b) => ({ value: b.id, label: b.name }))]}
              value={buildingId}
              onChange={setBuildingId}
            />
          </Field>
          <Field label='先交给谁' error={errors.level} testId='routing-level'>
            <ChoiceGrid testId='routing-level' columns={3} options={routeLevels} value={level} onChange={setLevel} />
          </Field>
          <View className='actions actions--row'>
            <Btn loading={busy} testId='routing-save' onClick={() => void add()}>
              保存规则
            </Btn>
            <Btn kind='plain' onClick={() => setAdding(false)}>
              取消
            </Btn>
          </View>
        </View>
      ) : (
        <Btn kind='secondary' testId='routing-add' onClick={() => setAdding(true)}>
          新增分派规则
        </Btn>
      )}
    </Card>
  );
}

function promiseText(r: PromiseRule): string {
  const who = [
    r.urgent === null ? null : r.urgent ? '紧急' : '不紧急',
    r.category ? caseCategoryLabels[r.category as CaseCategory] : '全部类别',
    r.kind ? caseKindLabels[r.kind as CaseKind] : '全部类型',
  ]
    .filter(Boolean)
    .join(' · ');
  return `${who} → ${r.amount}${r.unit === 'hours' ? '小时' : '个工作日'}内办好`;
}

function Calendar({ initial, onSaved }: { initial: { holidays: string[]; workdays: string[] }; onSaved: (c: { holidays: string[]; workdays: string[] }) => void }) {
  const [holidays, setHolidays] = useState(initial.holidays);
  const [workdays, setWorkdays] = useState(initial.workdays);
  const [typed, setTyped] = useState<{ holidays: string; workdays: string }>({ holidays: '', workdays: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const lists = { holidays: [holidays, setHolidays], workdays: [workdays, setWorkdays] } as const;

  function addDate(which: 'holidays' | 'workdays') {
    const d = typed[which].trim();
    if (!realDate(d)) {
      setErrors({ [which]: ['请按“年-月-日”写，例如 2027-01-01'] });
      return;
    }
    setErrors({});
    const [list, set] = lists[which];
    if (!list.includes(d)) set([...list, d].sort());
    setTyped({ ...typed, [which]: '' });
    setNotice(null);
  }

  async function save() {
    setBusy(true);
    setError(null);
    try {
      const saved = await Api.saveCaseCalendar(holidays, workdays);
      onSaved(saved);
      setNotice('已保存。以后计算“工作日”时按这个日历。');
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  function DateList({ which, label, hint }: { which: 'holidays' | 'workdays'; label: string; hint: string }) {
    const [list, set] = lists[which];
    return (
      <View className='fb-dates' data-testid={`calendar-${which}`}>
        <Text className='field__label'>{label}</Text>
        <Text className='field__hint'>{hint}</Text>
        {list.length === 0 ? <P muted>还没有。</P> : null}
        {list.map((d) => (
          <View key={d} className='fb-date'>
            <Text className='fb-date__text'>{`${d.slice(0, 4)}年${formatDay(d)}`}</Text>
            <View className='tap fb-date__remove' role='button' data-testid={`${which}-remove`} onClick={() => set(list.filter((x) => x !== d))}>
              <Text className='fb-thumb__remove-text'>删除</Text>
            </View>
          </View>
        ))}
        <View className='fb-date-add'>
          <Input
            className='input fb-date-add__input'
            value={typed[which]}
            maxlength={10}
            placeholder='年-月-日'
            onInput={(e) => setTyped({ ...typed, [which]: e.detail.value })}
            data-testid={`${which}-input`}
          />
          <Btn kind='secondary' className='admin-btn-inline' testId={`${which}-add`} onClick={() => addDate(which)}>
            添加
          </Btn>
        </View>
        <FieldError messages={errors[which]} testId={`${which}-error`} />
      </View>
    );
  }

  return (
    <Card title='节假日' testId='calendar'>
      <P muted>“工作日”不算周末和下面的节假日；调休要上班的周末也写上。</P>
      {DateList({ which: 'holidays', label: '放假的日子', hint: '例如国庆、春节假期' })}
      {DateList({ which: 'workdays', label: '调休上班的周末', hint: '这些周六、周日也算工作日' })}
      <Notice tone='ok' text={notice} testId='calendar-notice' />
      <Notice tone='bad' text={error} testId='calendar-error' />
      <Btn loading={busy} testId='calendar-save' onClick={() => void save()}>
        保存日历
      </Btn>
    </Card>
  );
}

function PromiseRules() {
  const [data, setData] = useState<{ items: PromiseRule[]; holidays: string[]; workdays: string[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [urgent, setUrgent] = useState<string>(ANY);
  const [category, setCategory] = useState<string>(ANY);
  const [kind, setKind] = useState<string>(ANY);
  const [amount, setAmount] = useState('');
  const [unit, setUnit] = useState<'hours' | 'working_days' | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState<string | null>(null);

  async function load() {
    try {
      setData(await Api.promiseRules());
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  useEffect(() => {
    void load();
  }, []);

  async function add() {
    const fe: FieldErrors = {};
    if (!amount.trim()) fe.amount = ['请写多长时间，例如 24'];
    if (!unit) fe.unit = ['请选择按小时还是按工作日'];
    const parsed = promiseRuleBody.safeParse({
      urgent: urgent === ANY ? null : urgent === 'yes',
      category: category === ANY ? null : category,
      kind: kind === ANY ? null : kind,
      amount: Number(amount.trim()),
      unit: unit ?? undefined,
    });
    if (!parsed.success) Object.assign(fe, { ...fieldErrorsOf(parsed.error.issues), ...fe });
    if (!parsed.success || Object.keys(fe).length) {
      setErrors(fe);
      return;
    }
    setErrors({});
    setBusy(true);
    setError(null);
    try {
      await Api.addPromiseRule(parsed.data);
      setAdding(false);
      setAmount('');
      setUnit(null);
      setNotice('已新增承诺，只对以后的新工单生效。');
      await load();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  async function remove(id: string) {
    setBusy(true);
    setError(null);
    setNotice(null);
    let failed: string | null = null;
    try {
      await Api.deletePromiseRule(id);
    } catch (e) {
      // Already deleted (by a colleague, or a second tap): said, and the list below shows how it is now.
      failed = messageOf(e);
    }
    setDeleting(null);
    await load();
    setBusy(false);
    if (failed) setError(failed);
    else setNotice('已删除这条承诺。以后的新工单按其他规则或默认承诺，已有的工单不变。');
  }

  return (
    <>
      <Card title='服务承诺' testId='promise-rules'>
        <P muted>多长时间内办好，居民会看到倒计时。没有规则时按默认：紧急2小时；水电、电梯24小时；投诉15个工作日；其他7个工作日。越具体的规则越优先。</P>
        <Notice tone='ok' text={notice} testId='promise-notice' />
        <Notice tone='bad' text={error} testId='promise-error' />
        {data === null && !error ? <Loading /> : null}
        {data && data.items.length === 0 ? <P>还没有自定的承诺，按默认。</P> : null}
        {data?.items.map((r) => (
          <View key={r.id} className='admin-item' data-testid='promise-rule'>
            <Text className='fb-desk-item__line'>{promiseText(r)}</Text>
            {deleting === r.id ? (
              <ConfirmPanel
                text='确定删除这条承诺吗？以后的新工单按其他规则或默认承诺，已有的工单不变。'
                confirmLabel='确认删除'
                backLabel='不删了'
                busy={busy}
                confirmTestId='promise-delete-confirm'
                onConfirm={() => void remove(r.id)}
                onBack={() => setDeleting(null)}
              />
            ) : (
              <Btn kind='plain' testId='promise-delete' onClick={() => setDeleting(r.id)}>
                删除
              </Btn>
            )}
          </View>
        ))}
        {adding ? (
          <View className='admin-item__panel' data-testid='promise-form'>
            <Field label='是否紧急' error={errors.urgent} testId='promise-urgent'>
              <ChoiceGrid testId='promise-urgent' columns={3} options={urgentOptions} value={urgent} onChange={setUrgent} />
            </Field>
            <Field label='哪类问题' error={errors.category} testId='promise-category'>
              <ChoiceGrid testId='promise-category' columns={3} options={categoryOptions} value={category} onChange={setCategory} />
            </Field>
            <Field label='哪种反映' error={errors.kind} testId='promise-kind'>
              <ChoiceGrid testId='promise-kind' columns={3} options={kindOptions} value={kind} onChange={setKind} />
            </Field>
            <Field label='多长时间内办好' error={errors.amount} testId='promise-amount'>
              <Input className='input' type='number' value={amount} maxlength={3} placeholder='例如 24' onInput={(e) => setAmount(e.detail.value)} data-testid='promise-amount-input' />
            </Field>
            <Field label='单位' error={errors.unit} testId='promise-unit'>
              <ChoiceGrid testId='promise-unit' columns={2} options={[...unitOptions]} value={unit} onChange={setUnit} />
            </Field>
            <View className='actions actions--row'>
              <Btn loading={busy} testId='promise-save' onClick={() => void add()}>
                保存承诺
              </Btn>
              <Btn kind='plain' onClick={() => setAdding(false)}>
                取消
              </Btn>
            </View>
          </View>
        ) : (
          <Btn kind='secondary' testId='promise-add' onClick={() => setAdding(true)}>
            新增服务承诺
          </Btn>
        )}
      </Card>
      {data ? <Calendar initial={data} onSaved={(c) => setData((d) => (d ? { ...d, ...c } : d))} /> : null}
    </>
  );
}

function Rules() {
  const [buildings, setBuildings] = useState<BuildingView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    Api.buildings()
      .then((r) => setBuildings(r.items))
      .catch((e: unknown) => setError(messageOf(e)));
  }, []);
  if (!buildings) return error ? <Notice tone='bad' text={error} /> : <Loading />;
  return (
    <>
      <RoutingRules buildings={buildings} />
      <PromiseRules />
    </>
  );
}

export default function StaffCaseRules() {
  return (
    <PageShell title='分派规则和服务承诺' subtitle='新工单交给谁、多长时间内办好' className='page-staff-case-rules'>
      <CentreOnly>
        <Rules />
      </CentreOnly>
    </PageShell>
  );
}
