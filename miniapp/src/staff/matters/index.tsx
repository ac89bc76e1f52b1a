import { useCallback, useEffect, useState } from 'react';
import { Input, Text, Textarea, View } from '@tarojs/components';
import { matterAcceptBody, matterNoteBody, matterStatusLabels, type MatterStatus, type MatterView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { useMountAndShow } from '../../components/useShow';
import { Btn, ChoiceGrid, Empty, Field, FieldError, Loading, Notice, P, Tag, type Tone } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { toast } from '../../services/feedback';
import { formatDateTime, formatMonthDayTime, shanghaiToday } from '../../services/format';
import { isApiError, messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { CentreOnly } from '../CentreOnly';
import { dayText, promiseChoices } from '../dates';
import '../admin.scss';

const tabs: { value: MatterStatus; label: string }[] = [
  { value: 'open', label: matterStatusLabels.open },
  { value: 'accepted', label: matterStatusLabels.accepted },
  { value: 'done', label: matterStatusLabels.done },
];

const emptyText: Record<MatterStatus, string> = {
  open: '没有等人接办的事项。居民到窗口办理全程代办的事项后，会出现在这里。',
  accepted: '没有正在办理的事项。',
  done: '还没有办结的事项。',
};

const tone: Record<MatterStatus, Tone> = { open: 'wait', accepted: 'info', done: 'ok' };

const who = (m: MatterView) => m.residentName ?? '居民';

/** The shared note rule's messages speak of 进展; the 办结 form calls its text 办结说明. */
const asCompletion = (messages: string[] | undefined) => messages?.map((m) => m.replace('进展', '办结说明'));

type Mode = 'idle' | 'accept' | 'note' | 'complete';

function AcceptPanel({ m, onAccept, onCancel, busy }: { m: MatterView; onAccept: (date: string) => void; onCancel: () => void; busy: boolean }) {
  const today = shanghaiToday();
  const choices = promiseChoices(today);
  const [picked, setPicked] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string[] | undefined>();

  function submit() {
    const promisedBy = typed.trim() || picked;
    if (!promisedBy) {
      setError(['请选一个承诺办结的日期']);
      return;
    }
    const parsed = matterAcceptBody.safeParse({ promisedBy });
    if (!parsed.success) {
      setError(fieldErrorsOf(parsed.error.issues).promisedBy);
      return;
    }
    // The API's own rule (matters.ts), said before asking.
    if (parsed.data.promisedBy < today) {
      setError(['承诺办结日期不能早于今天']);
      return;
    }
    setError(undefined);
    onAccept(parsed.data.promisedBy);
  }

  return (
    <View className='admin-item__panel' data-testid='accept-panel'>
      <P>{`接办后，${who(m)}的这件事由您负责到底（首问负责），居民会收到通知。`}</P>
      <Text className='field__label'>承诺哪天前办结？</Text>
      <ChoiceGrid
        options={choices}
        value={typed.trim() ? null : picked}
        onChange={(v) => {
          setPicked(v);
          setTyped('');
          setError(undefined);
        }}
        columns={2}
        testId='promise'
      />
      <View className='matter-other-date'>
        <Field label='或者写一个日期' hint='例如 2026-12-20' testId='promise-other'>
          <Input
          className='input'
          value={typed}
          maxlength={10}
          placeholder='年-月-日'
          onInput={(e) => setTyped(e.detail.value)}
          data-testid='promise-input'
          />
        </Field>
      </View>
      <FieldError messages={error} testId='promise-error' />
      <View className='actions actions--row'>
        <Btn loading={busy} testId='accept-submit' onClick={submit}>
          确认接办
        </Btn>
        <Btn kind='plain' onClick={onCancel}>
          取消
        </Btn>
      </View>
    </View>
  );
}

function TextPanel({
  label,
  hint,
  placeholder,
  submitText,
  busy,
  testId,
  relabel,
  onSubmit,
  onCancel,
}: {
  label: string;
  hint: string;
  placeholder: string;
  submitText: string;
  busy: boolean;
  testId: string;
  relabel?: (messages: string[] | undefined) => string[] | undefined;
  onSubmit: (text: string) => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string[] | undefined>();

  function submit() {
    const parsed = matterNoteBody.safeParse({ text });
    if (!parsed.success) {
      const messages = fieldErrorsOf(parsed.error.issues).text;
      setError(relabel ? relabel(messages) : messages);
      return;
    }
    setError(undefined);
    onSubmit(parsed.data.text);
  }

  return (
    <View className='admin-item__panel' data-testid={`${testId}-panel`}>
      <Field label={label} hint={hint}>
        <Textarea
          className='input textarea'
          value={text}
          maxlength={300}
          placeholder={placeholder}
          onInput={(e) => setText(e.detail.value)}
          data-testid={`${testId}-input`}
        />
      </Field>
      <FieldError messages={error} testId={`${testId}-error`} />
      <View className='actions actions--row'>
        <Btn loading={busy} testId={`${testId}-submit`} onClick={submit}>
          {submitText}
        </Btn>
        <Btn kind='plain' onClick={onCancel}>
          取消
        </Btn>
      </View>
    </View>
  );
}

function MatterItem({
  m,
  today,
  onChanged,
  onTaken,
}: {
  m: MatterView;
  today: string;
  onChanged: (m: MatterView, text: string) => void;
  /** Someone else accepted it first (首问负责): the list shows the API's words and reloads. */
  onTaken: (message: string) => void;
}) {
  const [mode, setMode] = useState<Mode>('idle');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const late = m.status === 'accepted' && m.promisedBy !== null && m.promisedBy < today;

  async function act(fn: () => Promise<MatterView>, text: (changed: MatterView) => string) {
    setBusy(true);
    setError(null);
    try {
      const changed = await fn();
      setMode('idle');
      onChanged(changed, text(changed));
    } catch (e) {
      if (mode === 'accept' && isApiError(e) && e.code === 'CONFLICT') onTaken(e.message);
      else setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className='admin-item' data-testid='matter-item'>
      <View className='admin-item__head'>
        <View className='admin-item__main'>
          <Text className='admin-item__name'>{m.serviceName}</Text>
          <Text className='admin-item__meta'>{`居民：${who(m)}`}</Text>
          {m.startAt ? <Text className='admin-item__meta'>{`预约时间：${formatDateTime(m.startAt)}`}</Text> : null}
          <Text className='admin-item__meta'>{`窗口受理：${formatDateTime(m.createdAt)}`}</Text>
          {m.ownerName ? <Text className='admin-item__meta'>{`负责人：${m.ownerName}`}</Text> : null}
          {m.promisedBy ? (
            <Text className='admin-item__meta' data-testid='matter-promised'>{`承诺办结：${dayText(m.promisedBy, today)}前`}</Text>
          ) : null}
        </View>
        <Tag tone={late ? 'bad' : tone[m.status]}>{late ? '已过承诺日期' : matterStatusLabels[m.status]}</Tag>
      </View>

      {m.notes.length ? (
        <View className='matter-notes' data-testid='matter-notes'>
          <Text className='matter-notes__title'>办理记录（居民能看到）</Text>
          {m.notes.map((n, i) => (
            <View key={i} className='matter-note'>
              <Text className='matter-note__by'>{`${formatMonthDayTime(n.at)} ${n.byName}：`}</Text>
              <Text className='matter-note__text'>{n.text}</Text>
            </View>
          ))}
        </View>
      ) : null}
      <Notice tone='bad' text={error} />

      {mode === 'idle' && m.status === 'open' ? (
        <View className='actions'>
          <Btn testId='accept-open' onClick={() => setMode('accept')}>
            接办
          </Btn>
        </View>
      ) : null}
      {mode === 'idle' && m.status === 'accepted' ? (
        <View className='actions actions--row'>
          <Btn kind='secondary' testId='note-open' onClick={() => setMode('note')}>
            记录进展
          </Btn>
          <Btn testId='complete-open' onClick={() => setMode('complete')}>
            办结
          </Btn>
        </View>
      ) : null}

      {mode === 'accept' ? (
        <AcceptPanel
          m={m}
          busy={busy}
          onCancel={() => setMode('idle')}
          onAccept={(date) => void act(() => Api.acceptMatter(m.id, date), (c) => `已接办：${who(c)}的${c.serviceName}，请在${dayText(date, today)}前办结`)}
        />
      ) : null}
      {mode === 'note' ? (
        <TextPanel
          label='进展（居民能看到）'
          hint='写清楚办到哪一步、还要等什么。居民会在预约详情里看到，也会收到消息。'
          placeholder='例如：材料已交街道审核，预计下周出结果'
          submitText='记下进展'
          busy={busy}
          testId='note'
          onCancel={() => setMode('idle')}
          onSubmit={(text) => void act(() => Api.addMatterNote(m.id, text), () => `已记下进展，${who(m)}会收到消息`)}
        />
      ) : null}
      {mode === 'complete' ? (
        <TextPanel
          label='办结说明（居民能看到）'
          hint='写明办理结果和居民还要做的事。办结后不能再记录进展。'
          placeholder='例如：已审批通过，次月起按月发放'
          submitText='确认办结'
          busy={busy}
          testId='complete'
          relabel={asCompletion}
          onCancel={() => setMode('idle')}
          onSubmit={(text) => void act(() => Api.completeMatter(m.id, text), () => `已办结：${who(m)}的${m.serviceName}`)}
        />
      ) : null}
    </View>
  );
}

function MatterList() {
  const [status, setStatus] = useState<MatterStatus>('open');
  const [items, setItems] = useState<MatterView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const today = shanghaiToday();

  const load = useCallback(async (s: MatterStatus) => {
    try {
      setItems((await Api.matters(s)).items);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);

  useEffect(() => {
    setItems(null);
    setNotice(null);
    setConflict(null);
    void load(status);
  }, [status, load]);

  // Back on the page: the list as it is now (colleagues accept and complete too).
  useMountAndShow(() => {
    if (items !== null) void load(status);
  });

  function changed(m: MatterView, text: string) {
    setConflict(null);
    // Accepted or completed, it belongs to another tab now; a note keeps it here.
    setItems((list) => (m.status === status ? (list?.map((x) => (x.id === m.id ? m : x)) ?? null) : (list?.filter((x) => x.id !== m.id) ?? null)));
    toast(text, setNotice);
  }

  function taken(message: string) {
    setNotice(null);
    setConflict(`${message}，名单已经刷新。`);
    void load(status);
  }

  return (
    <>
      <View className='admin-tabs'>
        <ChoiceGrid options={tabs} value={status} onChange={setStatus} columns={3} testId='matter-tabs' />
      </View>
      <Notice tone='ok' text={notice} testId='matter-notice' />
      <Notice tone='bad' text={conflict} testId='matter-conflict' />
      <Notice tone='bad' text={error} testId='matter-error' />
      {items === null && !error ? <Loading /> : null}
      {items && items.length === 0 ? <Empty text={emptyText[status]} /> : null}
      {items && items.length ? (
        <View className='card' data-testid='matter-list'>
          {status === 'open' ? <P muted>谁先接办谁负责到底。接办时请选一个能办完的日期，居民会看到。</P> : null}
          {items.map((m) => (
            <MatterItem key={m.id} m={m} today={today} onChanged={changed} onTaken={taken} />
          ))}
        </View>
      ) : null}
      <Btn kind='secondary' testId='matters-reload' onClick={() => void load(status)}>
        刷新
      </Btn>
    </>
  );
}

export default function StaffMatters() {
  return (
    <PageShell title='全程代办' subtitle='接办、记录进展、办结，居民都能看到' className='page-staff-matters'>
      <CentreOnly>
        <MatterList />
      </CentreOnly>
    </PageShell>
  );
}
