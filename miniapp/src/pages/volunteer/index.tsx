import { ComingSoon } from '../../components/ComingSoon';
import { PageShell } from '../../components/PageShell';
import { RoomStatus } from '../../components/RoomStatus';
import { useMe } from '../../components/useMe';
import { Welcome } from '../../components/Welcome';

export default function Volunteer() {
  const { me, roomsKnown } = useMe();
  return (
    <PageShell className='page-volunteer'>
      <Welcome me={me} line='邻里互助，一起把社区变得更好。' />
      <ComingSoon
        title='志愿服务与文明实践'
        intro='志愿活动、广场舞、运动会、法治宣传，都会在这里发布。'
        items={[
          '报名参加活动，名额满了可以候补',
          '到现场扫码签到、签退，自动记录服务时长',
          '积累积分，到积分超市兑换',
          '开具志愿服务记录证明',
        ]}
      />
      <RoomStatus me={me} known={roomsKnown} compact />
    </PageShell>
  );
}
