import { roleLabels } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Card, Row } from '../../components/ui';
import { useMe } from '../../components/useMe';
import { displayNameOf } from '../../components/Welcome';
import { go, Routes } from '../../services/navigate';
import { AdminRoutes } from '../routes';
import { StaffOnly } from '../StaffOnly';

export default function StaffHome() {
  const { me } = useMe();
  const who = me ? `${displayNameOf(me)}（${me.roles.map((r) => roleLabels[r]).join('、')}）` : '';
  const isAdmin = !!me?.roles.includes('admin');
  // The service centre's work is for centre staff and admins (the API refuses others).
  const isCentre = !!me?.roles.some((r) => r === 'community_staff' || r === 'admin');
  // Grid workers take paper ballots door to door and visit the non-voters of their grids.
  const isGridWorker = !!me?.roles.includes('grid_worker');
  return (
    <PageShell title='工作台' subtitle={who} className='page-staff-home'>
      <StaffOnly>
        {isCentre ? (
          <Card title='便民服务中心'>
            <Row label='今日窗口' value='核验到场、办结' onClick={() => go(Routes.staffWindow)} testId='staff-window' />
            <Row label='窗口代约' value='选事项，替居民预约' onClick={() => go(Routes.services)} testId='staff-act-for' />
            <Row label='服务事项管理' value='办事指南、开放时间' onClick={() => go(Routes.staffServices)} testId='staff-services' />
            <Row label='全程代办' value='接办、记进展、办结' onClick={() => go(Routes.staffMatters)} testId='staff-matters' />
            <Row label='差评跟进' value='回访不满意的居民' onClick={() => go(Routes.staffFollowUps)} testId='staff-follow-ups' />
            <Row label='服务统计' value='按事项统计、导出表格' onClick={() => go(Routes.staffStats)} testId='staff-stats' />
          </Card>
        ) : null}
        {isCentre ? (
          <Card title='居民议事'>
            <Row label='投票管理' value='发布、提醒、结束、导出' onClick={() => go(Routes.staffPolls)} testId='staff-polls' />
            <Row label='发起投票' value='问题、计票方式、范围' onClick={() => go(Routes.staffPollNew)} testId='staff-poll-new' />
            <Row label='议题审核' value='待审核的议题和意见' onClick={() => go(Routes.staffTopicReview)} testId='staff-topic-review' />
            <Row label='议事会' value='召开会议、签到、纪要、决议' onClick={() => go(Routes.staffMeetings)} testId='staff-meetings' />
            <Row label='议事会成员' value='添加、移出成员' onClick={() => go(Routes.staffCouncil)} testId='staff-council' />
          </Card>
        ) : isGridWorker ? (
          <Card title='居民议事'>
            <Row label='投票管理' value='纸质票、未投票名单' onClick={() => go(Routes.staffPolls)} testId='staff-polls' />
          </Card>
        ) : null}
        {me?.roles.some((r) => r === 'property_staff' || r === 'grid_worker' || r === 'community_staff' || r === 'admin') ? (
          <Card title='物业服务反馈'>
            <Row label='工单' value='受理、处理、转单' onClick={() => go(Routes.staffCases)} testId='staff-cases' />
            {isCentre ? <Row label='分派规则和服务承诺' value='交给谁、多久办好' onClick={() => go(Routes.staffCaseRules)} testId='staff-case-rules' /> : null}
          </Card>
        ) : null}
        {isCentre ? (
          <Card title='志愿服务'>
            <Row label='活动管理' value='发布、签到码、确认时长' onClick={() => go(Routes.staffActivities)} testId='staff-activities' />
            <Row label='积分超市' value='发放物品、上架' onClick={() => go(Routes.staffRewards)} testId='staff-rewards' />
            <Row label='评选活动' value='审核、公示、投票、公布' onClick={() => go(Routes.staffCampaigns)} testId='staff-campaigns' />
          </Card>
        ) : null}
        <Card title='居民与房屋'>
          <Row label='房屋绑定审核' value='待审核的申请' onClick={() => go(Routes.staffBindings)} testId='staff-bindings' />
          <Row label='发放邀请码' value='免审核绑定' onClick={() => go(Routes.staffInvitations)} testId='staff-invitations' />
        </Card>
        {isAdmin ? (
          <Card title='社区管理'>
            <Row label='导入房屋台账' value='从表格批量导入' onClick={() => go(AdminRoutes.imports)} testId='staff-imports' />
            <Row label='人员与身份' value='账号和身份' onClick={() => go(AdminRoutes.people)} testId='staff-people' />
            <Row label='网格与网格员' value='谁负责哪个网格' onClick={() => go(AdminRoutes.grids)} testId='staff-grids' />
            <Row label='楼栋物业' value='每栋楼的物业' onClick={() => go(AdminRoutes.buildings)} testId='staff-buildings' />
          </Card>
        ) : null}
        <Row label='回到首页' onClick={() => go(Routes.home)} />
      </StaffOnly>
    </PageShell>
  );
}
