import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { PageShell } from '../../components/PageShell';
import { RoomStatus } from '../../components/RoomStatus';
import { Card, Loading, Notice, Row, Tag } from '../../components/ui';
import { useMe } from '../../components/useMe';
import { Welcome } from '../../components/Welcome';
import { go, Routes } from '../../services/navigate';
import { refreshUnread, useUnread } from '../../store/inbox';

const services = [
  { title: '办事', text: '便民服务预约、物业报修', url: Routes.services, tag: '去预约', testId: 'home-go-services' },
  { title: '议事', text: '居民议事、线上投票', url: Routes.deliberation, tag: '去参与', testId: 'home-go-deliberation' },
  { title: '志愿', text: '志愿活动、服务时长', url: Routes.volunteer, tag: '去报名', testId: 'home-go-volunteer' },
];

/** "3条未读" or nothing. */
function unreadText(unread: number | null): string | undefined {
  return unread ? `${unread}条未读` : undefined;
}

export default function Home() {
  const { me, status, error, roomsKnown } = useMe();
  const unread = useUnread();
  useDidShow(() => {
    void refreshUnread();
  });
  return (
    <PageShell className='page-home'>
      <Welcome me={me} line='欢迎来到社区服务，有事找社区，我们帮您办。' />
      {status === 'loading' && !me ? <Loading /> : null}
      <Notice tone='bad' text={error} />
      <RoomStatus me={me} known={roomsKnown} />
      {me ? (
        <Card title='我的办事'>
          <Row label='我的预约' value='核验码、取消、改约' onClick={() => go(Routes.bookingMine)} testId='home-bookings' />
          <Row label='消息' value={unreadText(unread)} onClick={() => go(Routes.inbox)} testId='home-inbox' />
        </Card>
      ) : null}
      <Card title='物业服务反馈'>
        <Row label='反映问题' value='报修、投诉、建议' onClick={() => go(Routes.feedbackReport)} testId='home-feedback-report' />
        <Row label='我的反映' value='处理到哪一步' onClick={() => go(Routes.feedbackMine)} testId='home-feedback-mine' />
        <Row label='物业考核' value='每月公开' onClick={() => go(Routes.feedbackScorecard)} testId='home-feedback-scorecard' />
      </Card>
      <Card title='社区服务'>
        {services.map((s) => (
          <View key={s.title} className='tap row' role='button' onClick={() => go(s.url)} data-testid={s.testId}>
            <View className='room__main'>
              <Text className='row__label'>{s.title}</Text>
              <Text className='room__meta'>{s.text}</Text>
            </View>
            <Tag tone='ok'>{s.tag}</Tag>
          </View>
        ))}
      </Card>
    </PageShell>
  );
}
