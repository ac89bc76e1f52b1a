import { useCallback, useEffect, useRef, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { campaignStageLabels, type ActivityType, type ActivityView, type CampaignView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { RoomStatus } from '../../components/RoomStatus';
import { Btn, Card, ChoiceGrid, Empty, Loading, Notice, Row, Tag, type Tone } from '../../components/ui';
import { useMe } from '../../components/useMe';
import { ActivityItem, activityTabs, Balances } from '../../components/volunteer';
import { Welcome } from '../../components/Welcome';
import { Api, type VolunteerMe } from '../../services/endpoints';
import { formatDate } from '../../services/format';
import { go, Routes, withQuery } from '../../services/navigate';
import { messageOf } from '../../services/request';
import { ensureLoggedIn } from '../../store/session';

type Tab = ActivityType | 'all';

const stageTone: Record<CampaignView['stage'], Tone> = {
  nominating: 'ok',
  reviewing: 'info',
  notice: 'wait',
  voting: 'ok',
  appraisal: 'info',
  published: 'info',
};

/** What a resident can do in a campaign now, in a few words. */
function campaignHint(c: CampaignView): string {
  switch (c.stage) {
    case 'nominating':
      return `${formatDate(c.nominateUntil)}前可以推荐`;
    case 'notice':
      return c.noticeUntil ? `公示到${formatDate(c.noticeUntil)}，有意见可以提` : '正在公示';
    case 'voting':
      return '正在投票，每人一票';
    case 'published':
      return '看看光荣榜';
    default:
      return '结果出来后会在这里公布';
  }
}

export default function Volunteer() {
  const { me, roomsKnown } = useMe();
  const [tab, setTab] = useState<Tab>('all');
  const [items, setItems] = useState<ActivityView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [mine, setMine] = useState<VolunteerMe | null>(null);
  const [campaigns, setCampaigns] = useState<CampaignView[]>([]);
  const shown = useRef(false);

  const loadActivities = useCallback(async (t: Tab) => {
    if (!(await ensureLoggedIn())) return;
    try {
      setItems((await Api.activities(t === 'all' ? undefined : t)).items);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);

  async function loadSummary() {
    if (!(await ensureLoggedIn())) return;
    // The summary and the campaigns are extras: the list still shows without them.
    const [m, c] = await Promise.all([Api.volunteerMe().catch(() => null), Api.campaigns().catch(() => null)]);
    if (m) setMine(m);
    if (c) setCampaigns(c.items);
  }

  useEffect(() => {
    setItems(null);
    void loadActivities(tab);
  }, [tab, loadActivities]);

  // Back from an activity (signed up, cancelled): places and hours as they are now.
  useDidShow(() => {
    void loadSummary();
    if (shown.current) void loadActivities(tab);
    shown.current = true;
  });

  return (
    <PageShell className='page-volunteer'>
      <Welcome me={me} line='邻里互助，一起把社区变得更好。' />

      <Card title='我的志愿' testId='vol-summary'>
        {mine ? <Balances minutes={mine.minutes} points={mine.points} /> : null}
        <Row label='我的志愿' value='报名、时长、积分' onClick={() => go(Routes.volunteerMe)} testId='vol-me' />
        <Row label='积分超市' value='用积分换物品' onClick={() => go(Routes.volunteerRewards)} testId='vol-rewards' />
        <Row label='排行榜' value='看看谁服务得多' onClick={() => go(Routes.volunteerLeaderboard)} testId='vol-leaderboard' />
      </Card>

      <View className='vol-tabs'>
        <ChoiceGrid options={activityTabs} value={tab} onChange={setTab} columns={3} testId='activity-tabs' />
      </View>
      <Notice tone='bad' text={error} testId='activities-error' />
      {error ? (
        <Btn kind='secondary' onClick={() => void loadActivities(tab)}>
          重新加载
        </Btn>
      ) : null}
      {items === null && !error ? <Loading text='正在加载活动…' /> : null}
      {items && items.length === 0 ? <Empty text={tab === 'all' ? '近期还没有活动，过几天再来看看。' : '这一类近期还没有活动。'} /> : null}
      <View data-testid='activity-list'>
        {items?.map((a) => (
          <ActivityItem key={a.id} a={a} onOpen={() => go(withQuery(Routes.volunteerActivity, { id: a.id }))} />
        ))}
      </View>

      {campaigns.length ? (
        <Card title='评选活动' testId='vol-campaigns'>
          {campaigns.map((c) => (
            <View
              key={c.id}
              className='tap row'
              role='button'
              data-testid='campaign-item'
              onClick={() => go(withQuery(Routes.volunteerCampaign, { id: c.id }))}
            >
              <View className='vol-row__main'>
                <Text className='row__label'>{c.title}</Text>
                <Text className='vol-row__sub'>{campaignHint(c)}</Text>
              </View>
              <Tag tone={stageTone[c.stage]}>{campaignStageLabels[c.stage]}</Tag>
            </View>
          ))}
        </Card>
      ) : null}

      <RoomStatus me={me} known={roomsKnown} compact />
    </PageShell>
  );
}
