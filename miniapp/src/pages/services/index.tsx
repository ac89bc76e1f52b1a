import { ComingSoon } from '../../components/ComingSoon';
import { PageShell } from '../../components/PageShell';
import { RoomStatus } from '../../components/RoomStatus';
import { useMe } from '../../components/useMe';
import { Welcome } from '../../components/Welcome';

export default function Services() {
  const { me, roomsKnown } = useMe();
  return (
    <PageShell className='page-services'>
      <Welcome me={me} line='少跑腿，在手机上预约办事。' />
      <ComingSoon
        title='便民服务预约'
        intro='社区便民服务中心的办事项目，会陆续搬到这里。'
        items={[
          '查看办事指南：要带哪些材料、到哪个窗口',
          '选一个时段预约，约满了可以排队候补',
          '到窗口出示预约码，扫码就能办理',
          '需要代办的事，工作人员全程帮您跑，进度随时看',
        ]}
      />
      <ComingSoon
        title='物业报修与意见'
        intro='家里或楼里有问题，拍张照片告诉我们。'
        items={['报修、投诉、建议、表扬、咨询', '看到处理进度和承诺完成时间', '办完后评价，不满意会有人回访']}
      />
      <RoomStatus me={me} known={roomsKnown} compact />
    </PageShell>
  );
}
