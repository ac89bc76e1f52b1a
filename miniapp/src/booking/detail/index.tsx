import { useRef, useState } from 'react';
import { Text, Textarea, View } from '@tarojs/components';
import { useDidShow, useRouter } from '@tarojs/taro';
import {
  bookingStatusLabels,
  matterStatusLabels,
  ratingBody,
  ratingLabels,
  ratingLevels,
  type BookingView,
  type FieldErrors,
  type MatterStatus,
  type SlotView,
} from '@community/shared';
import { bookingTone } from '../../components/bookingTone';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, ChoiceGrid, Field, Loading, Notice, P, Tag } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { formatDateTime, formatMonthDayTime, formatSpan } from '../../services/format';
import { newIdempotencyKey } from '../../services/idempotency';
import { go, Routes, withQuery } from '../../services/navigate';
import { callPhone } from '../../services/phone';
import { isApiError, messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { ensureLoggedIn, goToLogin } from '../../store/session';
import { Fact } from '../parts';
import { QrCode } from '../QrCode';
import { SlotPicker } from '../SlotPicker';
import { failureOf, type Failure } from '../failure';
import '../booking.scss';

function CallButton({ phone, testId }: { phone: string; testId?: string }) {
  return (
    <Btn kind='secondary' testId={testId} onClick={() => callPhone(phone)}>
      {`拨打电话 ${phone}`}
    </Btn>
  );
}

/** What the booking means now, at the top of the page. */
function StatusPanel({ b }: { b: BookingView }) {
  switch (b.status) {
    case 'confirmed':
      return (
        <Card title='到窗口时出示' className='card--accent' testId='booking-pass'>
          <QrCode text={b.code} testId='booking-qr' />
          <Text className='p booking-code__label'>核验码</Text>
          <Text className='booking-code' data-testid='booking-code'>
            {b.code}
          </Text>
          <P muted>请工作人员扫一扫二维码，或把这6位核验码念给工作人员听。</P>
        </Card>
      );
    case 'waitlisted':
      return (
        <Card className='card--accent'>
          <Notice tone='wait' text={`候补第${b.waitlistPosition ?? 1}位`} testId='waitlist-position' />
          <P>有人取消后会按顺序为您补上，补上了会发消息告诉您。</P>
        </Card>
      );
    case 'checked_in':
      return <Notice tone='ok' text='您已到场，工作人员正在为您办理。' testId='status-notice' />;
    case 'closed':
      return <Notice tone='ok' text='这件事已经办结了。' testId='status-notice' />;
    case 'no_show':
      return <Notice tone='bad' text='这次预约没有到场。需要的话可以重新预约。' testId='status-notice' />;
    case 'expired':
      return <Notice tone='bad' text='很抱歉，候补没有等到名额。可以再约其他时间。' testId='status-notice' />;
    case 'cancelled':
      return <Notice tone='info' text='这个预约已取消。' testId='status-notice' />;
    default:
      return null;
  }
}

function Rating({ b, onRated }: { b: BookingView; onRated: (b: BookingView) => void }) {
  const [level, setLevel] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [thanks, setThanks] = useState<string | null>(null);

  if (b.rating) {
    return (
      <Card title='我的评价' testId='rating-done'>
        <Notice tone='ok' text={thanks ?? `您的评价：${ratingLabels[b.rating.level] ?? ''}`} testId='rating-thanks' />
        {thanks ? <P>{`您的评价：${ratingLabels[b.rating.level] ?? ''}`}</P> : null}
        {b.rating.comment ? <P muted>{`您说：${b.rating.comment}`}</P> : null}
      </Card>
    );
  }

  async function submit() {
    setError(null);
    const parsed = ratingBody.safeParse({ level: level ? Number(level) : undefined, comment: comment.trim() ? comment : undefined });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const rated = await Api.rateBooking(b.id, parsed.data);
      setThanks(
        parsed.data.level <= 2
          ? '谢谢您告诉我们。中心会有专人联系您，了解情况后尽快改进。'
          : '谢谢您的评价，我们会继续努力！',
      );
      onRated(rated);
    } catch (e) {
      if (isApiError(e) && e.code === 'VALIDATION_FAILED') setErrors(e.fieldErrors);
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title='这次办得怎么样？' testId='rating'>
      <Field label='请选一个' error={errors.level} testId='rating-level'>
        <ChoiceGrid
          testId='rating-levels'
          columns={1}
          options={ratingLevels.map((l) => ({ value: String(l), label: ratingLabels[l] ?? String(l) }))}
          value={level}
          onChange={setLevel}
        />
      </Field>
      {level && Number(level) <= 2 ? <Notice tone='info' text='很抱歉让您不满意。提交后，中心会有专人联系您。' /> : null}
      <Field label='想说的话（可不填）' error={errors.comment} testId='rating-comment'>
        <Textarea
          className='input textarea'
          value={comment}
          maxlength={300}
          placeholder='例如：工作人员很耐心'
          onInput={(e) => setComment(e.detail.value)}
          data-testid='rating-comment-input'
        />
      </Field>
      <Notice tone='bad' text={error} testId='rating-error' />
      <Btn testId='rating-submit' loading={busy} onClick={() => void submit()}>
        提交评价
      </Btn>
    </Card>
  );
}

type Mode = 'idle' | 'cancel' | 'reschedule';

export default function BookingDetail() {
  const { params } = useRouter();
  // After 改约 the page shows the new booking (the old one is cancelled).
  const [bookingId, setBookingId] = useState(params.id ?? '');
  const [b, setB] = useState<BookingView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [mode, setMode] = useState<Mode>('idle');
  const [slots, setSlots] = useState<SlotView[] | null>(null);
  const [picked, setPicked] = useState<SlotView | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const key = useRef<string | null>(null);

  async function load(id = bookingId) {
    try {
      setB(await Api.booking(id));
      setLoadError(null);
    } catch (e) {
      setLoadError(messageOf(e));
    }
  }

  useDidShow(() => {
    void (async () => {
      if (!(await ensureLoggedIn())) return goToLogin();
      await load();
    })();
  });

  function switchMode(next: Mode) {
    setMode(next);
    setFailure(null);
    setNotice(null);
    setPicked(null);
    key.current = null;
    if (next === 'reschedule' && b) {
      setSlots(null);
      Api.slots(b.serviceId)
        .then((r) => setSlots(r.items))
        .catch((e: unknown) => setFailure(failureOf(e, b.contactPhone)));
    }
  }

  async function write(run: (key: string) => Promise<BookingView>, done: (result: BookingView) => string) {
    if (!b) return;
    key.current ??= newIdempotencyKey();
    setBusy(true);
    setFailure(null);
    try {
      const result = await run(key.current);
      key.current = null;
      setB(result);
      setBookingId(result.id);
      setMode('idle');
      setPicked(null);
      setNotice(done(result));
    } catch (e) {
      const f = failureOf(e, b.contactPhone);
      if (!f.retry) key.current = null;
      setFailure(f);
      if (f.code === 'SLOT_FULL') {
        setPicked(null);
        void Api.slots(b.serviceId).then((r) => setSlots(r.items)).catch(() => undefined);
      }
      // The booking itself may have moved on (checked in, cancelled elsewhere).
      if (f.code === 'BOOKING_NOT_CHANGEABLE' || f.code === 'CHANGE_TOO_LATE') void load(b.id);
    } finally {
      setBusy(false);
    }
  }

  if (!b) {
    return (
      <PageShell title='我的预约' className='page-booking-detail'>
        <Notice tone='bad' text={loadError} testId='load-error' />
        {loadError ? (
          <Btn kind='secondary' onClick={() => go(Routes.bookingMine)}>
            查看我的预约
          </Btn>
        ) : (
          <Loading />
        )}
      </PageShell>
    );
  }

  const active = b.status === 'confirmed' || b.status === 'waitlisted';
  const deadline = formatMonthDayTime(b.cancelDeadline);
  // Past the cutoff (or the API just said so): whom to call instead of the buttons.
  const tooLate = failure?.code === 'CHANGE_TOO_LATE' ? failure : null;
  const late = !b.canChange || !!tooLate;
  const lateText = tooLate?.message ?? `已过截止时间，如需帮助请致电 ${b.contactPhone}`;
  const latePhone = tooLate?.phone ?? b.contactPhone;

  return (
    <PageShell title={b.serviceName} className='page-booking-detail'>
      <View className='tags booking-status'>
        <Tag tone={bookingTone(b.status)}>{bookingStatusLabels[b.status]}</Tag>
        {b.actedByName ? <Tag tone='info'>{`${b.actedByName}代约`}</Tag> : null}
      </View>
      <Notice tone='ok' text={notice} testId='booking-notice' />
      <StatusPanel b={b} />

      <Card title='时间和地点'>
        <View className='facts'>
          <Fact k='时间' v={formatSpan(b.startAt, b.endAt)} />
          <Fact k='地点' v={b.location} />
          {b.residentName ? <Fact k='办事人' v={b.residentName} /> : null}
        </View>
      </Card>

      {b.materials.length ? (
        <Card title='要带的材料' testId='booking-materials'>
          <View className='list'>
            {b.materials.map((m) => (
              <View key={m} className='list__item'>
                <Text className='list__mark'>☐</Text>
                <Text className='list__text'>{m}</Text>
              </View>
            ))}
          </View>
        </Card>
      ) : null}

      {active ? (
        <Card title={b.status === 'waitlisted' ? '退出候补' : '取消或改约'} id='booking-change' testId='booking-change'>
          {late ? (
            <>
              <Notice tone='wait' text={lateText} testId='deadline-passed' />
              <CallButton phone={latePhone} testId='call-centre' />
            </>
          ) : (
            <P>{b.status === 'waitlisted' ? '开始前都可以退出候补。' : `${deadline} 前可以取消或改约。`}</P>
          )}

          {!late && mode === 'idle' ? (
            <View className='actions'>
              {b.status === 'confirmed' ? (
                <Btn kind='secondary' testId='reschedule-open' onClick={() => switchMode('reschedule')}>
                  改约到其他时间
                </Btn>
              ) : null}
              <Btn kind='danger' testId='cancel-open' onClick={() => switchMode('cancel')}>
                {b.status === 'waitlisted' ? '退出候补' : '取消预约'}
              </Btn>
            </View>
          ) : null}

          {!late && mode === 'cancel' ? (
            <View className='confirm' data-testid='cancel-confirm'>
              <P>
                {b.status === 'waitlisted'
                  ? '确定不再排队候补了吗？'
                  : `确定要取消 ${formatSpan(b.startAt, b.endAt)} 的预约吗？取消后名额会让给别人。`}
              </P>
              <View className='actions'>
                <Btn
                  kind='danger'
                  testId='cancel-submit'
                  loading={busy}
                  onClick={() => void write((k) => Api.cancelBooking(b.id, k), () => (b.status === 'waitlisted' ? '已退出候补。' : '已取消预约。'))}
                >
                  {failure?.retry ? '重试' : b.status === 'waitlisted' ? '确认退出' : '确认取消'}
                </Btn>
                <Btn kind='plain' onClick={() => switchMode('idle')}>
                  不取消了
                </Btn>
              </View>
            </View>
          ) : null}

          {!late && mode === 'reschedule' ? (
            <View className='confirm' data-testid='reschedule'>
              <P>请选一个新的时间（只列出还有名额的）：</P>
              {slots === null && !failure ? <Loading text='正在查看可预约的时间…' /> : null}
              {slots && slots.filter((s) => s.bookable && s.seatsLeft > 0 && s.id !== b.slotId).length === 0 ? (
                <P>最近没有其他还有名额的时间了。</P>
              ) : null}
              {slots ? <SlotPicker slots={slots} picked={picked} onPick={(s) => { setPicked(s); setFailure(null); key.current = null; }} seatsOnly excludeSlotId={b.slotId} /> : null}
              {picked ? (
                <Notice tone='info' text={`改到 ${formatSpan(picked.startAt, picked.endAt)}，原来的预约会自动取消。`} testId='reschedule-summary' />
              ) : null}
              <View className='actions'>
                {picked ? (
                  <Btn
                    testId='reschedule-submit'
                    loading={busy}
                    onClick={() =>
                      void write(
                        (k) => Api.rescheduleBooking(b.id, picked.id, k),
                        (r) => `已改约到 ${formatSpan(r.startAt, r.endAt)}。`,
                      )
                    }
                  >
                    {failure?.retry ? '重试' : '确认改约'}
                  </Btn>
                ) : null}
                <Btn kind='plain' onClick={() => switchMode('idle')}>
                  不改了
                </Btn>
              </View>
            </View>
          ) : null}

          {late ? null : <Notice tone='bad' text={failure?.message} testId='change-error' />}
        </Card>
      ) : null}

      {b.status === 'checked_in' || b.status === 'closed' ? <Rating b={b} onRated={setB} /> : null}

      {b.matter ? (
        <Card title='全程代办进度' testId='booking-matter'>
          <View className='facts'>
            <Fact k='进度' v={matterStatusLabels[b.matter.status as MatterStatus] ?? b.matter.status} />
            <Fact k='负责人' v={b.matter.ownerName ?? '等待工作人员接办'} />
            {b.matter.promisedBy ? <Fact k='承诺办结' v={b.matter.promisedBy} /> : null}
          </View>
          {b.matter.notes.map((n) => (
            <View key={`${n.at}${n.text}`} className='event'>
              <Text className='event__when'>{`${formatDateTime(n.at)} · ${n.byName}`}</Text>
              <Text className='event__text'>{n.text}</Text>
            </View>
          ))}
        </Card>
      ) : null}

      <Card title='办理记录' testId='booking-history'>
        {b.history.map((h, i) => (
          <View key={`${h.at}${i}`} className='event'>
            {/* Who acted goes with the time, as on the notes above: the name may carry its own （代约）. */}
            <Text className='event__when'>{h.byName ? `${formatDateTime(h.at)} · ${h.byName}` : formatDateTime(h.at)}</Text>
            <Text className='event__text'>{[bookingStatusLabels[h.status], h.note].filter(Boolean).join(' ')}</Text>
          </View>
        ))}
      </Card>

      <View className='actions'>
        <Btn kind='plain' onClick={() => go(withQuery(Routes.bookingService, { id: b.serviceId }))}>
          查看办事指南
        </Btn>
        <Btn kind='plain' onClick={() => go(Routes.bookingMine)}>
          我的全部预约
        </Btn>
      </View>
    </PageShell>
  );
}

