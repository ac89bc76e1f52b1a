import { useCallback, useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { bookingStatusLabels, checkInBody, closeBookingBody, type BookingView, type FieldErrors } from '@community/shared';
import { bookingTone } from '../../components/bookingTone';
import { PageShell } from '../../components/PageShell';
import { useMountAndShow } from '../../components/useShow';
import { Btn, Card, Empty, Field, FieldError, Loading, Notice, P, Tag } from '../../components/ui';
import { IS_WEAPP } from '../../env';
import { Api } from '../../services/endpoints';
import { formatDay, formatTime, shanghaiToday } from '../../services/format';
import { messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { CentreOnly } from '../CentreOnly';
import '../admin.scss';

function isCancel(e: unknown): boolean {
  const msg = typeof e === 'object' && e !== null && 'errMsg' in e ? String((e as { errMsg: unknown }).errMsg) : String(e);
  return /cancel/i.test(msg);
}

const who = (b: BookingView) => b.residentName ?? '居民';

/** 核验: scan the resident's QR code (WeChat) or type the 6-character code (both; a desk scanner types too). */
function CheckIn({ onChecked }: { onChecked: (b: BookingView) => void }) {
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<BookingView | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(raw: string) {
    setError(null);
    setDone(null);
    const parsed = checkInBody.safeParse({ code: raw });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const b = await Api.checkIn(parsed.data.code);
      setDone(b);
      setCode('');
      onChecked(b);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  async function scan() {
    setError(null);
    try {
      const res = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] });
      setCode(res.result.trim().toUpperCase());
      await submit(res.result);
    } catch (e) {
      if (!isCancel(e)) setError('没能打开扫一扫，请输入核验码');
    }
  }

  return (
    <Card title='核验到场' testId='check-in'>
      {IS_WEAPP ? (
        <View className='actions'>
          <Btn testId='check-in-scan' loading={busy} onClick={() => void scan()}>
            扫居民的预约码
          </Btn>
        </View>
      ) : null}
      <Field label={IS_WEAPP ? '或输入6位核验码' : '输入居民的6位核验码'} hint='居民念给您听的字母和数字，不分大小写' error={errors.code} testId='check-in-code'>
        <Input
          className='input check-in__input'
          value={code}
          maxlength={6}
          placeholder='例如 K7M2Q9'
          onInput={(e) => setCode(e.detail.value.toUpperCase())}
          onConfirm={() => void submit(code)}
          data-testid='check-in-input'
        />
      </Field>
      <Notice tone='bad' text={error} testId='check-in-error' />
      {done ? (
        <Notice
          tone='ok'
          testId='check-in-done'
          text={`已核验：${who(done)}，${done.serviceName}，${formatTime(done.startAt)}–${formatTime(done.endAt)}`}
        />
      ) : null}
      <Btn kind={IS_WEAPP ? 'secondary' : 'primary'} testId='check-in-submit' loading={busy} onClick={() => void submit(code)}>
        核验
      </Btn>
    </Card>
  );
}

function closingNote(b: BookingView): string | null {
  const entry = [...b.history].reverse().find((h) => h.status === 'closed');
  return entry?.note ?? null;
}

function WindowItem({ b, now, onChanged }: { b: BookingView; now: number; onChanged: (b: BookingView, text: string) => void }) {
  const [mode, setMode] = useState<'idle' | 'no-show' | 'close'>('idle');
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string[] | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ended = now >= Date.parse(b.endAt);

  async function act(fn: () => Promise<BookingView>, text: string) {
    setBusy(true);
    setError(null);
    try {
      const changed = await fn();
      setMode('idle');
      setNote('');
      onChanged(changed, text);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  function close() {
    const parsed = closeBookingBody.safeParse({ note });
    if (!parsed.success) {
      setNoteError(fieldErrorsOf(parsed.error.issues).note);
      return;
    }
    setNoteError(undefined);
    void act(() => Api.closeBooking(b.id, parsed.data.note), `已办结：${who(b)}`);
  }

  const done = closingNote(b);
  return (
    <View className='admin-item window-item' data-testid='window-item'>
      <View className='admin-item__head'>
        <View className='admin-item__main'>
          <Text className='admin-item__name'>{`${formatTime(b.startAt)}–${formatTime(b.endAt)} ${who(b)}`}</Text>
          <Text className='admin-item__meta'>{b.serviceName}</Text>
          <Text className='admin-item__meta'>{`核验码 ${b.code}${b.actedByName ? ` · ${b.actedByName}代约` : ''}`}</Text>
        </View>
        <Tag tone={bookingTone(b.status)}>{bookingStatusLabels[b.status]}</Tag>
      </View>
      {done ? <P muted>{`办结说明：${done}`}</P> : null}
      <Notice tone='bad' text={error} />

      {b.status === 'confirmed' && ended && mode === 'idle' ? (
        <View className='actions'>
          <Btn kind='danger' testId='no-show-open' onClick={() => setMode('no-show')}>
            标记未到场
          </Btn>
        </View>
      ) : null}
      {b.status === 'confirmed' && !ended ? <P muted>时段结束后，没来的可以标记为未到场。</P> : null}
      {mode === 'no-show' ? (
        <View className='admin-item__panel'>
          <P>{`确定${who(b)}没有来吗？标记后不能撤回。`}</P>
          <View className='actions actions--row'>
            <Btn kind='danger' loading={busy} testId='no-show-submit' onClick={() => void act(() => Api.markNoShow(b.id), `已标记未到场：${who(b)}`)}>
              确定未到场
            </Btn>
            <Btn kind='plain' onClick={() => setMode('idle')}>
              取消
            </Btn>
          </View>
        </View>
      ) : null}

      {b.status === 'checked_in' && mode === 'idle' ? (
        <View className='actions'>
          <Btn testId='close-open' onClick={() => setMode('close')}>
            办结
          </Btn>
        </View>
      ) : null}
      {mode === 'close' ? (
        <View className='admin-item__panel'>
          <Text className='field__label'>办理结果（居民能看到）</Text>
          <Input
            className='input'
            value={note}
            maxlength={200}
            placeholder='例如：已受理，7个工作日后来领卡'
            onInput={(e) => setNote(e.detail.value)}
            data-testid='close-note-input'
          />
          <FieldError messages={noteError} testId='close-note-error' />
          <View className='actions actions--row'>
            <Btn loading={busy} testId='close-submit' onClick={close}>
              确认办结
            </Btn>
            <Btn kind='plain' onClick={() => setMode('idle')}>
              取消
            </Btn>
          </View>
        </View>
      ) : null}
    </View>
  );
}

function WindowList() {
  const [items, setItems] = useState<BookingView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const today = shanghaiToday();

  const load = useCallback(async () => {
    try {
      setItems((await Api.windowList()).items);
      setNow(Date.now());
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);

  useMountAndShow(() => {
    void load();
  });

  function changed(b: BookingView, text: string) {
    setItems((list) => list?.map((x) => (x.id === b.id ? b : x)) ?? null);
    setNotice(text);
  }

  const waiting = items?.filter((b) => b.status === 'confirmed').length ?? 0;
  const arrived = items?.filter((b) => b.status === 'checked_in' || b.status === 'closed').length ?? 0;

  return (
    <>
      <CheckIn
        onChecked={(b) => {
          setNotice(null);
          if (items?.some((x) => x.id === b.id)) changed(b, `已核验：${who(b)}`);
          else void load();
        }}
      />
      <Card title={`今日窗口 · ${formatDay(today)}`} testId='window-list'>
        {items ? <P muted>{`共${items.length}个预约：已到场${arrived}个，待到场${waiting}个。`}</P> : null}
        <Notice tone='ok' text={notice} />
        <Notice tone='bad' text={error} />
        {items === null && !error ? <Loading /> : null}
        {items && items.length === 0 ? <Empty text='今天还没有预约。' /> : null}
        {items?.map((b) => <WindowItem key={b.id} b={b} now={now} onChanged={changed} />)}
        <View className='actions'>
          <Btn kind='secondary' testId='window-reload' onClick={() => void load()}>
            刷新名单
          </Btn>
        </View>
      </Card>
    </>
  );
}

export default function StaffWindow() {
  return (
    <PageShell title='今日窗口' subtitle='核验到场、标记未到场、办结' className='page-staff-window'>
      <CentreOnly>
        <WindowList />
      </CentreOnly>
    </PageShell>
  );
}
