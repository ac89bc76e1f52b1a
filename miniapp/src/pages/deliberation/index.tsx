import { ComingSoon } from '../../components/ComingSoon';
import { PageShell } from '../../components/PageShell';
import { RoomStatus } from '../../components/RoomStatus';
import { useMe } from '../../components/useMe';
import { Welcome } from '../../components/Welcome';

export default function Deliberation() {
  const { me, roomsKnown } = useMe();
  return (
    <PageShell className='page-deliberation'>
      <Welcome me={me} line='小区的事，大家商量着办。' />
      <ComingSoon
        title='居民议事与投票'
        intro='提议题、说想法、投一票，都可以在这里完成。'
        items={[
          '提出议题，支持的人多了就会上议事会',
          '在议题下留言讨论',
          '线上投票，业主大事按法律规定计票',
          '投票结果公示，可以核对自己的选票',
        ]}
      />
      <RoomStatus me={me} known={roomsKnown} compact />
    </PageShell>
  );
}
