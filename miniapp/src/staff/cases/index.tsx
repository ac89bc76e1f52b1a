import { useEffect, useRef, useState } from 'react';
import { Input, Text, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import {
  addDays,
  casePauseBody,
  caseResolveBody,
  caseReturnBody,
  caseTransferBody,
  caseVisitBody,
  deskLevelLabels,
  deskLevels,
  type CaseView,
  type DeskLevel,
  type FieldErrors,
} from '@community/shared';
import type { z } from 'zod';
import { PageShell } from '../../components/PageShell';
import { useMountAndShow } from '../../components/useShow';
import { Btn, Card, ChoiceGrid, Empty, Field, Loading, Notice, P, Row } from '../../components/ui';
import { useMe } from '../../components/useMe';
import { Api } from '../../services/endpoints';
import { toast } from '../../services/feedback';
import { formatMonthDayTime, shanghaiToday } from '../../services/format';
import { go, Routes } from '../../services/navigate';
import { callPhone } from '../../services/phone';
import { isApiError, messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { CasePhotos, CaseTags, caseTitle, Countdown, History, pausedText, useNow } from '../../feedback/parts';
import { PhotoPicker, usePhotoUploads } from '../../feedback/PhotoPicker';
import { monthsAround } from '../../feedback/time';
import { dayText } from '../dates';
import { StaffOnly } from '../StaffOnly';
import '../admin.scss';
import '../../feedback/feedback.scss';

type Tab = 'open' | 'done';
type Mode = 'idle' | 'transfer' | 'return' | 'pause' | 'resolve' | 'visit';

const tabs: { value: Tab; label: string }[] = [
  { value: 'open', label: '待处理' },
  { value: 'done', label: '已处理' },
];

const emptyText: Record<Tab, string> = {
  open: '现在没有要处理的工单。',
  done: '还没有处理完的工单。',
};

/** The API's rule for 暂停 (service.ts): resume from tomorrow up to 60 days ahead. */
const PAUSE_MAX_DAYS = 60;

function resumeChoices(today: string) {
  const ahead: Array<[number, string]> = [
    [1, '明天'],
    [3, '3天后'],
    [7, '一周后'],
    [14, '两周后'],
    [30, '一个月后'],
  ];
  return ahead.map(([days, label]) => {
    const date = addDays(today, days);
    return { value: date, label, hint: dayText(date, today) };
  });
}

/** A reason (or note) box, the shared schema's message under it. */
function ReasonBox({
  label,
  hint,
  placeholder,
  value,
  onChange,
  error,
  testId,
}: {
  label: string;
  hint?: string;
  placeholder: string;
  value: string;
  onChange: (v: string) => void;
  error?: string[];
  testId: string;
}) {
  return (
    <Field label={label} hint={hint} error={error} testId={testId}>
      <Textarea
        className='input fb-textarea'
        value={value}
        maxlength={200}
        placeholder={placeholder}
        onInput={(e) => onChange(e.detail.value)}
        data-testid={`${testId}-input`}
      />
    </Field>
  );
}

/** One open action's form (转单, 退单, 暂停, 处理完成, 回访), checked with its shared schema before sending. */
function ActionPanel({
  mode,
  c,
  busy,
  onSend,
  onCancel,
}: {
  mode: Exclude<Mode, 'idle'>;
  c: CaseView;
  busy: boolean;
  onSend: (run: () => Promise<CaseView>, done: string) => void;
  onCancel: () => void;
}) {
  const today = shanghaiToday();
  const [text, setText] = useState('');
  const [toLevel, setToLevel] = useState<DeskLevel | null>(null);
  const [resumeOn, setResumeOn] = useState<string | null>(null);
  const [typedDate, setTypedDate] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const photos = usePhotoUploads(9);

  function check<S extends z.ZodType>(schema: S, body: unknown): z.output<S> | null {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      return null;
    }
    setErrors({});
    return parsed.data;
  }

  function submit() {
    switch (mode) {
      case 'transfer': {
        const body = check(caseTransferBody, { toLevel: toLevel ?? undefined, reason: text });
        if (body) onSend(() => Api.transferCase(c.id, body.toLevel, body.reason), `已转给${deskLevelLabels[body.toLevel]}：${c.number}`);
        return;
      }
      case 'return': {
        const body = check(caseReturnBody, { reason: text });
        if (body) onSend(() => Api.returnCase(c.id, body.reason), `已退回社区服务中心：${c.number}`);
        return;
      }
      case 'pause': {
        const date = typedDate.trim() || resumeOn || '';
        const body = check(casePauseBody, { reason: text, resumeOn: date });
        if (!body) return;
        if (body.resumeOn <= today || body.resumeOn > addDays(today, PAUSE_MAX_DAYS)) {
          setErrors({ resumeOn: [`恢复日期要在明天到${PAUSE_MAX_DAYS}天之内`] });
          return;
        }
        onSend(() => Api.pauseCase(c.id, body.reason, body.resumeOn), `已暂停到${dayText(body.resumeOn, today)}：${c.number}`);
        return;
      }
      case 'resolve': {
        if (photos.uploading) {
          setErrors({ photoIds: ['照片还在上传，请稍等一下'] });
          return;
        }
        const body = check(caseResolveBody, { note: text, photoIds: photos.ids });
        if (body) onSend(() => Api.resolveCase(c.id, body.note, body.photoIds), `已处理完成，等居民确认：${c.number}`);
        return;
      }
      case 'visit': {
        const body = check(caseVisitBody, { note: text });
        if (body) onSend(() => Api.recordCaseVisit(c.id, body.note), `已记下回访：${c.number}`);
        return;
      }
    }
  }

  const submitText: Record<typeof mode, string> = { transfer: '确认转单', return: '确认退单', pause: '确认暂停', resolve: '确认处理完成', visit: '记下回访' };

  return (
    <View className='admin-item__panel' data-testid={`${mode}-panel`}>
      {mode === 'transfer' ? (
        <>
          <Field label='转给谁' error={errors.toLevel} testId='transfer-level'>
            <ChoiceGrid
              testId='transfer-to'
              columns={2}
              options={deskLevels.filter((l) => l !== c.level).map((l) => ({ value: l, label: deskLevelLabels[l] }))}
              value={toLevel}
              onChange={setToLevel}
            />
          </Field>
          <ReasonBox label='转单原因（居民能看到）' placeholder='例如：属于供电公司管的线路' value={text} onChange={setText} error={errors.reason} testId='transfer-reason' />
        </>
      ) : null}
      {mode === 'return' ? (
        <ReasonBox
          label='退单原因'
          hint='退回社区服务中心，由中心重新安排'
          placeholder='例如：不属于物业服务范围'
          value={text}
          onChange={setText}
          error={errors.reason}
          testId='return-reason'
        />
      ) : null}
      {mode === 'pause' ? (
        <>
          <ReasonBox label='暂停原因（居民能看到）' placeholder='例如：等配件到货' value={text} onChange={setText} error={errors.reason} testId='pause-reason' />
          <Text className='field__label'>哪天恢复处理？</Text>
          <ChoiceGrid
            testId='resume-on'
            columns={2}
            options={resumeChoices(today)}
            value={typedDate.trim() ? null : resumeOn}
            onChange={(v) => {
              setResumeOn(v);
              setTypedDate('');
            }}
          />
          <View className='fb-gap'>
            <Field label='或者写一个日期' hint={`例如 ${addDays(today, 10)}，最晚${PAUSE_MAX_DAYS}天后`} error={errors.resumeOn} testId='resume'>
              <Input className='input' value={typedDate} maxlength={10} placeholder='年-月-日' onInput={(e) => setTypedDate(e.detail.value)} data-testid='resume-input' />
            </Field>
          </View>
        </>
      ) : null}
      {mode === 'resolve' ? (
        <>
          <ReasonBox label='处理结果（居民能看到）' placeholder='例如：已更换水管接头，试水不漏了' value={text} onChange={setText} error={errors.note} testId='resolve-note' />
          <Field label='照片（可不加）' error={errors.photoIds} testId='resolve-photo'>
            <PhotoPicker uploads={photos} max={9} testId='resolve-photos' />
          </Field>
        </>
      ) : null}
      {mode === 'visit' ? (
        <ReasonBox label='回访记录' placeholder='例如：电话回访，居民表示已满意' value={text} onChange={setText} error={errors.note} testId='visit-note' />
      ) : null}
      <View className='actions actions--row'>
        <Btn loading={busy} testId={`${mode}-submit`} onClick={submit}>
          {submitText[mode]}
        </Btn>
        <Btn kind='plain' onClick={onCancel}>
          取消
        </Btn>
      </View>
    </View>
  );
}

function CaseItem({
  c,
  tab,
  centre,
  highlighted,
  now,
  onChanged,
  onStale,
}: {
  c: CaseView;
  tab: Tab;
  centre: boolean;
  highlighted: boolean;
  now: number;
  onChanged: (text: string) => void;
  onStale: (message: string) => void;
}) {
  const [mode, setMode] = useState<Mode>('idle');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [showHistory, setShowHistory] = useState(highlighted);

  async function send(run: () => Promise<CaseView>, done: string) {
    setBusy(true);
    setError(null);
    try {
      await run();
      setMode('idle');
      onChanged(done);
    } catch (e) {
      // Someone else moved it (another desk, the escalation): the API's words, then the list as it is now.
      if (isApiError(e) && (e.code === 'CASE_WRONG_STATE' || e.code === 'FORBIDDEN' || e.code === 'NOT_FOUND')) onStale(e.message);
      else setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  const open = tab === 'open';
  const s = c.status;
  const canAck = open && s === 'submitted' && c.awaitingAcknowledgement;
  const canAccept = open && s === 'submitted' && !c.awaitingAcknowledgement;
  const canWork = open && s === 'accepted';
  const canTransfer = open && (s === 'submitted' || s === 'accepted');
  const canReturn = canTransfer && c.level !== 'centre' && c.level !== 'street';
  const canVisit = centre && c.rectification?.status === 'open';
  const phone = c.reporterPhone && !c.reporterPhone.includes('*') ? c.reporterPhone : null;

  return (
    <View id={`case-${c.id}`} className={`admin-item fb-desk-item ${highlighted ? 'fb-desk-item--on' : ''}`} data-testid='desk-case'>
      <View className='admin-item__main'>
        <Text className='admin-item__name'>{caseTitle(c)}</Text>
        <CaseTags c={c} desk />
        <Text className='admin-item__meta'>{`编号 ${c.number} · ${formatMonthDayTime(c.createdAt)}`}</Text>
        <Text className='fb-desk-item__line' data-testid='desk-case-place'>{`位置：${c.placeLabel}`}</Text>
        <Text className='fb-desk-item__line' data-testid='desk-case-reporter'>{`反映人：${c.reporterName}${c.reporterPhone ? `（${c.reporterPhone}）` : ''}`}</Text>
        {c.visibility === 'staff_only' ? (
          <Text className='fb-desk-item__line' data-testid='desk-case-anonymous'>
            {c.reporterName === '匿名居民'
              ? '居民选择了只让社区工作人员知道是谁，看不到姓名和房号。需要上门时，请联系社区服务中心安排。'
              : '居民选择了对物业匿名：请不要把姓名、电话、房号告诉物业或其他居民。'}
          </Text>
        ) : null}
        <Text className='fb-desk-item__line'>{`现在：${c.holderLabel}`}</Text>
        {c.promisedBy || s === 'paused' ? (
          <View className='fb-item__now'>
            {c.promisedBy ? <Text className='admin-item__meta'>{`承诺 ${formatMonthDayTime(c.promisedBy)} 前`}</Text> : null}
            <Countdown c={c} now={now} testId='desk-countdown' />
          </View>
        ) : null}
        {c.awaitingAcknowledgement ? <Notice tone='wait' text='这是超时上报来的工单，请先“报到”表示已接手，报到后重新计算承诺时间。' /> : null}
      </View>
      <Text className='fb-case-text' data-testid='desk-case-text'>
        {c.text}
      </Text>
      <CasePhotos urls={c.photoUrls} testId='desk-case-photos' />
      {c.rating ? <Text className='fb-desk-item__line'>{`居民评价：${c.rating.level}分${c.rating.comment ? `，“${c.rating.comment}”` : ''}`}</Text> : null}
      {c.rectification ? (
        <Text className='fb-desk-item__line' data-testid='desk-rectification'>
          {c.rectification.status === 'open' ? `差评整改：${c.rectification.dueOn}前整改并回访` : `整改已回访：${c.rectification.visitNote ?? ''}`}
        </Text>
      ) : null}
      {s === 'paused' ? (
        <Text className='p p--muted' data-testid='desk-paused'>{`${pausedText(c) ?? '暂停中'}，到那天会自动接着处理。`}</Text>
      ) : null}
      {s === 'resolved' ? <P muted>等居民确认是否解决。</P> : null}

      <View className='tap fb-toggle' role='button' data-testid='history-toggle' onClick={() => setShowHistory(!showHistory)}>
        <Text className='fb-toggle__text'>{showHistory ? '收起处理经过' : `看处理经过（${c.history.length}步）`}</Text>
      </View>
      {showHistory ? <History steps={c.history} testId='desk-history' /> : null}

      <Notice tone='bad' text={error} testId='desk-case-error' />
      {phone && mode === 'idle' ? (
        <Btn kind='plain' testId='call-reporter' onClick={() => callPhone(phone)}>
          {`打电话给居民 ${phone}`}
        </Btn>
      ) : null}
      {mode === 'idle' && (canAck || canAccept || canWork || canTransfer || canVisit) ? (
        <View className='actions fb-desk-actions'>
          {canAck ? (
            <Btn testId='ack' loading={busy} onClick={() => void send(() => Api.acknowledgeCase(c.id), `已报到：${c.number}，请尽快受理`)}>
              报到
            </Btn>
          ) : null}
          {canAccept ? (
            <Btn testId='accept' loading={busy} onClick={() => void send(() => Api.acceptCase(c.id), `已受理：${c.number}，居民会收到消息`)}>
              受理
            </Btn>
          ) : null}
          {canWork ? (
            <Btn testId='resolve-open' onClick={() => setMode('resolve')}>
              处理完成
            </Btn>
          ) : null}
          {canWork ? (
            <Btn kind='secondary' testId='pause-open' onClick={() => setMode('pause')}>
              暂停
            </Btn>
          ) : null}
          {canTransfer ? (
            <Btn kind='secondary' testId='transfer-open' onClick={() => setMode('transfer')}>
              转单
            </Btn>
          ) : null}
          {canReturn ? (
            <Btn kind='danger' testId='return-open' onClick={() => setMode('return')}>
              退单
            </Btn>
          ) : null}
          {canVisit ? (
            <Btn testId='visit-open' onClick={() => setMode('visit')}>
              回访
            </Btn>
          ) : null}
        </View>
      ) : mode !== 'idle' ? (
        <ActionPanel mode={mode} c={c} busy={busy} onSend={(run, done) => void send(run, done)} onCancel={() => setMode('idle')} />
      ) : null}
    </View>
  );
}

function DeskCases() {
  const { params } = useRouter();
  const highlight = params.id ?? '';
  const { me } = useMe();
  const centre = !!me?.roles.some((r) => r === 'community_staff' || r === 'admin');
  const [tab, setTab] = useState<Tab>('open');
  const [items, setItems] = useState<CaseView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [exportNote, setExportNote] = useState<{ tone: 'ok' | 'bad'; text: string } | null>(null);
  // The case to show (a message's link): looked for in 待处理, then in 已处理, once.
  const sought = useRef(!!highlight);
  const now = useNow();

  async function load(t: Tab) {
    try {
      const list = (await Api.deskCases(t)).items;
      const found = list.some((c) => c.id === highlight);
      if (sought.current && !found && t === 'open') {
        setTab('done');
        return;
      }
      setItems(list);
      setError(null);
      if (sought.current) {
        sought.current = false;
        if (found) {
          setTimeout(() => {
            void Promise.resolve(Taro.pageScrollTo({ selector: `#case-${highlight}`, duration: 200 })).catch(() => undefined);
          }, 100);
        }
      }
    } catch (e) {
      setError(messageOf(e));
    }
  }

  useEffect(() => {
    setItems(null);
    setConflict(null);
    void load(tab);
  }, [tab]);

  // Back on the page: the queue as it is now (escalations and colleagues move cases).
  useMountAndShow(() => {
    if (items !== null) void load(tab);
  });

  function changed(text: string) {
    setConflict(null);
    toast(text, setNotice);
    void load(tab);
  }

  function stale(message: string) {
    setNotice(null);
    setConflict(`${message}。名单已经刷新。`);
    void load(tab);
  }

  async function exportMonth() {
    const { thisMonth } = monthsAround(shanghaiToday());
    setExporting(true);
    setExportNote(null);
    try {
      const file = await Api.exportScorecard(thisMonth);
      setExportNote({ tone: 'ok', text: `已导出：${file.filename}` });
    } catch (e) {
      setExportNote({ tone: 'bad', text: messageOf(e) });
    } finally {
      setExporting(false);
    }
  }

  return (
    <>
      <View className='admin-tabs'>
        <ChoiceGrid options={tabs} value={tab} onChange={setTab} columns={2} testId='case-tabs' />
      </View>
      <Notice tone='ok' text={notice} testId='cases-notice' />
      <Notice tone='bad' text={conflict} testId='cases-conflict' />
      <Notice tone='bad' text={error} testId='cases-error' />
      {items === null && !error ? <Loading /> : null}
      {items && items.length === 0 ? <Empty text={emptyText[tab]} /> : null}
      {items && items.length ? (
        <View className='card' data-testid='case-list'>
          {tab === 'open' ? <P muted>快到期和已超时的排在前面。超时没办好会自动上报到上一级。</P> : null}
          {items.map((c) => (
            <CaseItem key={c.id} c={c} tab={tab} centre={centre} highlighted={c.id === highlight} now={now} onChanged={changed} onStale={stale} />
          ))}
        </View>
      ) : null}
      <View className='fb-reload'>
        <Btn kind='secondary' testId='cases-reload' onClick={() => void load(tab)}>
          刷新
        </Btn>
      </View>
      {centre ? (
        <Card title='考核和规则'>
          <Btn kind='secondary' testId='export-scorecard' loading={exporting} onClick={() => void exportMonth()}>
            导出本月考核
          </Btn>
          {exportNote ? <Notice tone={exportNote.tone} text={exportNote.text} testId='export-note' /> : null}
          <Row label='分派规则和服务承诺' onClick={() => go(Routes.staffCaseRules)} testId='go-case-rules' />
          <Row label='物业服务考核（公开）' onClick={() => go(Routes.feedbackScorecard)} testId='go-scorecard' />
        </Card>
      ) : null}
    </>
  );
}

export default function StaffCases() {
  return (
    <PageShell title='物业工单' subtitle='居民反映的问题：受理、处理、转单，每一步居民都能看到' className='page-staff-cases'>
      <StaffOnly>
        <DeskCases />
      </StaffOnly>
    </PageShell>
  );
}
