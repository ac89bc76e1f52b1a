import { useCallback, useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { bookingStatusLabels, type BookingView } from '@community/shared';
import { bookingTone } from '../../components/bookingTone';
import { PageShell } from '../../components/PageShell';
import { Btn, ChoiceGrid, Empty, Loading, Notice, Tag } from '../../components/ui';
import { Api, type BookingScope } from '../../services/endpoints';
import { formatSpan } from '../../services/format';
import { go, Routes, withQuery } from '../../services/navigate';
import { messageOf } from '../../services/request';
import { ensureLoggedIn, goToLogin } from '../../store/session';
import '../booking.scss';

type Tab = Extract<BookingScope, 'upcoming' | 'waitlisted' | 'past'>;

const tabs: { value: Tab; label: string }[] = [
  { value: 'upcoming', label: '待办理' },
  { value: 'waitlisted', label: '候补中' },
  { value: 'past', label: '已结束' },
];

const emptyText: Record<Tab, string> = {
  upcoming: '现在没有要去办理的预约。',
  waitlisted: '没有正在候补的预约。',
  past: '还没有办过的预约。',
};

function BookingItem({ b }: { b: BookingView }) {
  return (
    <View
      className='tap card booking-item'
      role='button'
      data-testid='booking-item'
      onClick={() => go(withQuery(Routes.bookingDetail, { id: b.id }))}
    >
      <View className='booking-item__head'>
        <Text className='booking-item__name'>{b.serviceName}</Text>
        <Tag tone={bookingTone(b.status)}>
          {b.status === 'waitlisted' && b.waitlistPosition ? `候补第${b.waitlistPosition}位` : bookingStatusLabels[b.status]}
        </Tag>
      </View>
      <Text className='booking-item__meta'>{formatSpan(b.startAt, b.endAt)}</Text>
      <Text className='booking-item__meta'>{b.location}</Text>
      <Text className='booking-item__more'>查看详情 ›</Text>
    </View>
  );
}

export default function BookingMine() {
  const [tab, setTab] = useState<Tab>('upcoming');
  const [items, setItems] = useState<BookingView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (t: Tab) => {
    if (!(await ensureLoggedIn())) return goToLogin();
    try {
      setItems((await Api.myBookings(t)).items);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);

  useEffect(() => {
    setItems(null);
    void load(tab);
  }, [tab, load]);

  // Coming back from a booking (cancelled, rescheduled): the list as it is now.
  useDidShow(() => {
    if (items !== null) void load(tab);
  });

  return (
    <PageShell title='我的预约' className='page-booking-mine'>
      <ChoiceGrid options={tabs} value={tab} onChange={setTab} columns={3} testId='booking-tabs' />
      <Notice tone='bad' text={error} />
      {items === null && !error ? <Loading /> : null}
      {items && items.length === 0 ? (
        <Empty text={emptyText[tab]}>
          <Btn testId='go-book' onClick={() => go(Routes.services)}>
            去预约办事
          </Btn>
        </Empty>
      ) : null}
      <View className='booking-list'>{items?.map((b) => <BookingItem key={b.id} b={b} />)}</View>
    </PageShell>
  );
}
