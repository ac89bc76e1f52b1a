import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, ChoiceGrid, Empty, Loading, Notice, Row, Tag } from '../../components/ui';
import { Balances, hoursText, signupLabel, signupTone } from '../../components/volunteer';
import { Api, type Redemption, type VolunteerMe } from '../../services/endpoints';
import { formatDateTime } from '../../services/format';
import { go, Routes, withQuery } from '../../services/navigate';
import { messageOf } from '../../services/request';
import { ensureLoggedIn, goToLogin } from '../../store/session';
import { Ledger, PickupCode } from '../parts';
import { Certificates } from './Certificates';
import '../../booking/booking.scss';
import '../volunteer.scss';

type Tab = 'signups' | 'hours' | 'points' | 'redemptions';

const tabs: { value: Tab; label: string }[] = [
  { value: 'signups', label: '报名' },
  { value: 'hours', label: '时长' },
  { value: 'points', label: '积分' },
  { value: 'redemptions', label: '兑换' },
];

export default function VolunteerMePage() {
  const [data, setData] = useState<VolunteerMe | null>(null);
  const [redemptions, setRedemptions] = useState<Redemption[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('signups');

  async function load() {
    try {
      const [me, r] = await Promise.all([Api.volunteerMe(), Api.myRedemptions()]);
      setData(me);
      setRedemptions(r.items);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  useDidShow(() => {
    void (async () => {
      if (!(await ensureLoggedIn())) return goToLogin();
      await load();
    })();
  });

  if (!data) {
    return (
      <PageShell title='我的志愿' className='page-volunteer-me'>
        <Notice tone='bad' text={error} testId='load-error' />
        {error ? (
          <Btn kind='secondary' onClick={() => void load()}>
            重新加载
          </Btn>
        ) : (
          <Loading />
        )}
      </PageShell>
    );
  }

  const pending = redemptions.filter((r) => r.status === 'pending');

  return (
    <PageShell title='我的志愿' subtitle='时长和积分都按记录累加，每一笔都能查到' className='page-volunteer-me'>
      <Card>
        <Balances minutes={data.minutes} points={data.points} />
        <Row label='积分超市' value='用积分换物品' onClick={() => go(Routes.volunteerRewards)} testId='me-rewards' />
        <Row label='排行榜' onClick={() => go(Routes.volunteerLeaderboard)} testId='me-leaderboard' />
        <Row label='志愿者资料' value='姓名、技能、空闲时间' onClick={() => go(Routes.volunteerProfile)} testId='me-profile' />
      </Card>

      {pending.length ? (
        <Card title='待领取的物品' className='card--accent' testId='pending-pickups'>
          {pending.map((r) => (
            <PickupCode key={r.id} r={r} />
          ))}
        </Card>
      ) : null}

      <View className='vol-tabs'>
        <ChoiceGrid options={tabs} value={tab} onChange={setTab} columns={2} testId='me-tabs' />
      </View>

      {tab === 'signups' ? (
        <Card title='我的报名' testId='my-signups'>
          {data.signups.length === 0 ? (
            <Empty text='还没有报名过活动。'>
              <Btn onClick={() => go(Routes.volunteer)}>去看看活动</Btn>
            </Empty>
          ) : null}
          {data.signups.map((s) => (
            <View
              key={s.id}
              className='tap row'
              role='button'
              data-testid='my-signup'
              onClick={() => go(withQuery(Routes.volunteerActivity, { id: s.activityId }))}
            >
              <View className='vol-row__main'>
                <Text className='row__label'>{s.activityTitle}</Text>
                <Text className='vol-row__sub'>
                  {[
                    s.confirmedMinutes !== null ? `已确认${hoursText(s.confirmedMinutes)}小时` : s.scannedMinutes !== null ? `签到签退${hoursText(s.scannedMinutes)}小时，待确认` : null,
                    s.actedByName ? `${s.actedByName}代报` : null,
                  ]
                    .filter(Boolean)
                    .join(' · ') || '查看活动 ›'}
                </Text>
              </View>
              <Tag tone={signupTone(s.status)}>{signupLabel(s)}</Tag>
            </View>
          ))}
        </Card>
      ) : null}

      {tab === 'hours' ? (
        <Card title='时长明细' testId='hours-card'>
          <Ledger kind='hours' entries={data.hoursLedger} />
        </Card>
      ) : null}

      {tab === 'points' ? (
        <Card title='积分明细' testId='points-card'>
          <Ledger kind='points' entries={data.pointsLedger} />
        </Card>
      ) : null}

      {tab === 'redemptions' ? (
        <Card title='兑换记录' testId='redemptions-card'>
          {redemptions.length === 0 ? <Empty text='还没有兑换过物品。' /> : null}
          {redemptions.map((r) => (
            <View key={r.id} className='row' data-testid='redemption'>
              <View className='vol-row__main'>
                <Text className='row__label'>{r.rewardTitle}</Text>
                <Text className='vol-row__sub'>
                  {r.status === 'pending' ? `兑换码 ${r.pickupCode} · ${r.pointsPrice}积分` : `${formatDateTime(r.handedOverAt)} 已领取 · ${r.pointsPrice}积分`}
                </Text>
              </View>
              <Tag tone={r.status === 'pending' ? 'wait' : 'ok'}>{r.status === 'pending' ? '待领取' : '已领取'}</Tag>
            </View>
          ))}
        </Card>
      ) : null}

      <Certificates minutes={data.minutes} />
    </PageShell>
  );
}
