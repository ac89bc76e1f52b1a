import { Text, View } from '@tarojs/components';
import { PageShell } from '../../components/PageShell';
import { RoomStatus } from '../../components/RoomStatus';
import { Card, Loading, Notice, Tag } from '../../components/ui';
import { useMe } from '../../components/useMe';
import { Welcome } from '../../components/Welcome';
import { go, Routes } from '../../services/navigate';

const services = [
  { title: '办事', text: '便民服务预约、物业报修', url: Routes.services },
  { title: '议事', text: '居民议事、线上投票', url: Routes.deliberation },
  { title: '志愿', text: '志愿活动、服务时长', url: Routes.volunteer },
];

export default function Home() {
  const { me, status, error, roomsKnown } = useMe();
  return (
    <PageShell className='page-home'>
      <Welcome me={me} line='欢迎来到社区服务，有事找社区，我们帮您办。' />
      {status === 'loading' && !me ? <Loading /> : null}
      <Notice tone='bad' text={error} />
      <RoomStatus me={me} known={roomsKnown} />
      <Card title='社区服务'>
        {services.map((s) => (
          <View key={s.title} className='tap row' role='button' onClick={() => go(s.url)}>
            <View className='room__main'>
              <Text className='row__label'>{s.title}</Text>
              <Text className='room__meta'>{s.text}</Text>
            </View>
            <Tag tone='wait'>即将开放</Tag>
          </View>
        ))}
      </Card>
    </PageShell>
  );
}
