import { useRef, useState } from 'react';
import { View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { serviceCategoryLabels, type BookingView, type ServiceView, type SlotView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, ChoiceGrid, Loading, Notice, P } from '../../components/ui';
import { Api, type ResidentFound } from '../../services/endpoints';
import { formatSpan } from '../../services/format';
import { newIdempotencyKey } from '../../services/idempotency';
import { go, Routes, withQuery } from '../../services/navigate';
import { callPhone } from '../../services/phone';
import { messageOf } from '../../services/request';
import { useMe } from '../../components/useMe';
import { askForBookingNotices, type BookingTemplates } from '../../services/subscriptions';
import { useElderly } from '../../store/elderly';
import { ensureLoggedIn, goToLogin } from '../../store/session';
import { ActFor } from '../ActFor';
import { cutoffWords, Fact, Flags, Guide } from '../parts';
import { SlotPicker } from '../SlotPicker';
import { failureOf, type Failure } from '../failure';
import '../booking.scss';

export default function BookingService() {
  const { params } = useRouter();
  const serviceId = params.id ?? '';
  const [service, setService] = useState<ServiceView | null>(null);
  const [slots, setSlots] = useState<SlotView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [picked, setPicked] = useState<SlotView | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [done, setDone] = useState<BookingView | null>(null);
  // Centre staff may book for a resident (窗口代约).
  const { me } = useMe();
  const centre = !!me?.roles.some((r) => r === 'community_staff' || r === 'admin');
  const [forResident, setForResident] = useState<ResidentFound | null>(null);
  // Residents who authorised this person to book for them (授权家人代办).
  const [grantors, setGrantors] = useState<{ id: string; name: string }[]>([]);
  // Booking for someone whose authority has just been taken back: why the choice went away.
  const [actingRefused, setActingRefused] = useState<string | null>(null);
  // One key per booking attempt: kept only while the answer is unknown (a network
  // failure), so 重试 cannot book twice; any answer clears it.
  const key = useRef<string | null>(null);
  // Loaded with the page: WeChat shows the notice prompt only if it is asked straight from the tap.
  const templates = useRef<BookingTemplates | null>(null);
  const elderly = useElderly();

  async function loadSlots() {
    try {
      setSlots((await Api.slots(serviceId)).items);
    } catch (e) {
      setLoadError(messageOf(e));
    }
  }

  async function loadGrantors() {
    const lists = await Api.authorities().catch(() => null);
    setGrantors(
      (lists?.received ?? []).filter((a) => a.active && a.scopes.includes('bookings')).map((a) => ({ id: a.grantorId, name: a.grantorName })),
    );
  }

  async function load() {
    setLoadError(null);
    try {
      const [s] = await Promise.all([Api.service(serviceId), loadSlots()]);
      setService(s);
      templates.current ??= await Api.subscriptionTemplates().catch(() => null);
      await loadGrantors();
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

  function pick(slot: SlotView) {
    setPicked(slot);
    setFailure(null);
    setActingRefused(null);
    setDone(null);
    key.current = null;
    // The confirmation appears below the times: bring it into view.
    setTimeout(() => {
      void Promise.resolve(Taro.pageScrollTo({ selector: '#booking-confirm', duration: 200 })).catch(() => undefined);
    }, 50);
  }

  async function confirm() {
    if (!picked) return;
    // Not awaited: the booking does not wait on the person's answer to WeChat's prompt.
    if (!forResident) void askForBookingNotices(templates.current, { elderly });
    key.current ??= newIdempotencyKey();
    setBusy(true);
    setFailure(null);
    try {
      const booking = await Api.book(picked.id, key.current, forResident?.id);
      key.current = null;
      setDone(booking);
      setPicked(null);
      void loadSlots();
    } catch (e) {
      const f = failureOf(e);
      if (!f.retry) key.current = null;
      setFailure(f);
      // The seats changed under the person's finger: show the slots as they are now.
      if (['SLOT_FULL', 'SLOT_PAST', 'SLOT_OUTSIDE_WINDOW', 'SERVICE_RETIRED'].includes(f.code)) void loadSlots();
      // The resident took the authority back meanwhile: the choices as they are now, and
      // nobody chosen, so the next tap cannot book for them (nor quietly for oneself).
      if (f.code === 'ACTING_NOT_ALLOWED' && !centre) {
        setForResident(null);
        setPicked(null);
        setActingRefused(f.message);
        void loadGrantors();
        setTimeout(() => {
          void Promise.resolve(Taro.pageScrollTo({ selector: '#book-for-refused', duration: 200 })).catch(() => undefined);
        }, 50);
      }
    } finally {
      setBusy(false);
    }
  }

  if (!service) {
    return (
      <PageShell title='预约办事' className='page-booking-service'>
        <Notice tone='bad' text={loadError} testId='load-error' />
        {loadError ? (
          <Btn kind='secondary' onClick={() => void load()}>
            重新加载
          </Btn>
        ) : (
          <Loading />
        )}
      </PageShell>
    );
  }

  const retired = service.status !== 'active';
  const open = (slots ?? []).filter((s) => s.bookable);
  const full = picked ? picked.seatsLeft <= 0 : false;

  return (
    <PageShell title={service.name} subtitle={service.summary || serviceCategoryLabels[service.category]} className='page-booking-service'>
      <Flags service={service} />
      {centre && !retired ? (
        <ActFor
          value={forResident}
          onChange={(r) => {
            setForResident(r);
            setFailure(null);
            setDone(null);
            key.current = null;
          }}
        />
      ) : null}

      {actingRefused ? (
        <View id='book-for-refused'>
          <Notice tone='bad' text={actingRefused} testId='book-for-refused' />
        </View>
      ) : null}
      {!centre && !retired && grantors.length ? (
        <Card title='为谁预约'>
          <ChoiceGrid
            testId='book-for'
            options={[{ value: 'self', label: '我自己' }, ...grantors.map((g) => ({ value: g.id, label: g.name, hint: '已授权我代办' }))]}
            value={forResident?.id ?? 'self'}
            onChange={(v) => {
              const g = grantors.find((x) => x.id === v);
              setForResident(g ? { id: g.id, name: g.name, rooms: [], phoneMasked: null } : null);
              setFailure(null);
              setActingRefused(null);
              setDone(null);
              key.current = null;
            }}
          />
          <P muted>替家人预约后，对方会收到消息，预约记录里会写明是您代约的。</P>
        </Card>
      ) : null}

      <Guide service={service} />

      <Card title='选择办理时间' id='booking-slots' testId='booking-slots'>
        {retired ? <Notice tone='bad' text='这个事项已停止预约。' /> : null}
        {!retired && slots === null ? <Loading text='正在查看可预约的时间…' /> : null}
        {!retired && slots !== null && open.length === 0 ? (
          <P>{`最近${service.bookingWindowDays}天都没有可预约的时间了。需要帮助请致电 ${service.contactPhone}。`}</P>
        ) : null}
        {!retired && slots ? <SlotPicker slots={slots} picked={picked} onPick={pick} /> : null}
        <P muted>{`可以预约${service.bookingWindowDays}天以内的时间；开始${cutoffWords(service.cutoffMinutes)}前都可以取消或改约。`}</P>
      </Card>

      {picked ? (
        <Card title={full ? '确认候补' : '确认预约'} id='booking-confirm' testId='booking-confirm' className='card--accent'>
          <View className='facts'>
            {forResident ? <Fact k='为谁约' v={`${forResident.name}（代约）`} /> : null}
            <Fact k='办什么' v={service.name} />
            <Fact k='什么时间' v={formatSpan(picked.startAt, picked.endAt)} />
            <Fact k='在哪里' v={service.guide.location} />
          </View>
          {full ? (
            <Notice
              tone='wait'
              text={`这个时间已约满。您可以排队候补${picked.waitlistLength > 0 ? `（前面有${picked.waitlistLength}人）` : ''}，有人取消就按顺序为您补上，并发消息告诉您。`}
            />
          ) : null}
          <Notice tone='bad' text={failure?.message} testId='booking-error' />
          <View className='actions'>
            <Btn testId='booking-submit' loading={busy} onClick={() => void confirm()}>
              {failure?.retry ? '重试' : full ? '我要候补' : '确认预约'}
            </Btn>
            {failure && ['ALREADY_BOOKED', 'BOOKING_LIMIT_REACHED'].includes(failure.code) ? (
              <Btn kind='secondary' onClick={() => go(Routes.bookingMine)}>
                查看我的预约
              </Btn>
            ) : null}
            <Btn
              kind='plain'
              onClick={() => {
                setPicked(null);
                setFailure(null);
                key.current = null;
              }}
            >
              再想想
            </Btn>
          </View>
        </Card>
      ) : null}

      {done ? (
        <Card title={done.status === 'waitlisted' ? '已排队候补' : '预约成功'} id='booking-confirm' testId='booking-done' className='card--accent'>
          <Notice
            tone={done.status === 'waitlisted' ? 'wait' : 'ok'}
            text={
              done.status === 'waitlisted'
                ? `您是候补第${done.waitlistPosition ?? 1}位。有人取消会按顺序为您补上，并发消息告诉您。`
                : done.actedByName
                  ? `已为${done.residentName ?? '居民'}预约 ${formatSpan(done.startAt, done.endAt)}，居民会收到消息。核验码 ${done.code}。`
                  : `已为您预约 ${formatSpan(done.startAt, done.endAt)}。到窗口出示预约里的核验码就能办理。`
            }
          />
          <View className='actions'>
            <Btn testId='booking-open' onClick={() => go(withQuery(Routes.bookingDetail, { id: done.id }))}>
              {done.status === 'waitlisted' ? '查看候补' : '查看核验码'}
            </Btn>
          </View>
        </Card>
      ) : null}

      <Card title='有问题，打电话问'>
        <P>{`服务中心电话：${service.contactPhone}`}</P>
        <Btn kind='secondary' testId='call-centre' onClick={() => callPhone(service.contactPhone)}>
          拨打电话
        </Btn>
      </Card>
    </PageShell>
  );
}
