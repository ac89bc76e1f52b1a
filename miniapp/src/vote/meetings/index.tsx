import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import type { MeetingView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, Empty, Loading, Notice, P, Tag } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { formatTime } from '../../services/format';
import { go, Routes, withQuery } from '../../services/navigate';
import { messageOf } from '../../services/request';
import { ensureLoggedIn, goToLogin } from '../../store/session';
import { attendanceText, meetingPhase, meetingWhen, phaseLabels, phaseTones, started } from '../meetingParts';
import '../vote.scss';

function MeetingItem({ m }: { m: MeetingView }) {
  const phase = meetingPhase(m);
  return (
    <View
      className='tap mtg-item'
      role='button'
      data-testid='meeting-item'
      data-id={m.id}
      onClick={() => go(withQuery(Routes.voteMeeting, { id: m.id }))}
    >
      <View className='mtg-item__head'>
        <Text className='mtg-item__title'>{m.title}</Text>
        <Tag tone={phaseTones[phase]}>{phaseLabels[phase]}</Tag>
      </View>
      <Text className='mtg-item__line'>{meetingWhen(m)}</Text>
      <Text className='mtg-item__line'>{`地点：${m.place}`}</Text>
      {phase === 'cancelled' ? (
        <Text className='mtg-item__muted'>{m.cancelReason ? `取消原因：${m.cancelReason}` : '这次会议已取消'}</Text>
      ) : started(m) ? (
        <Text className='mtg-item__line' data-testid='meeting-item-attendance'>
          {`${attendanceText(m)}${m.quorumMet ? '，已过半数' : ''}`}
        </Text>
      ) : (
        <Text className='mtg-item__muted'>{`${m.agenda.length}项议题`}</Text>
      )}
      {m.me.member && m.me.signedInAt ? <Text className='mtg-item__muted'>{`我已签到（${formatTime(m.me.signedInAt)}）`}</Text> : null}
      {m.resolutionCount ? <Text className='mtg-item__muted'>{`形成决议${m.resolutionCount}项`}</Text> : null}
      <Text className='mtg-item__more'>查看详情 ›</Text>
    </View>
  );
}

/**
 * 议事会 (V10) for residents: the meetings to come first (with 实到/应到 once they
 * have begun), then those held. Each opens its agenda, minutes and resolutions.
 */
export default function Meetings() {
  const [upcoming, setUpcoming] = useState<MeetingView[] | null>(null);
  const [past, setPast] = useState<MeetingView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function load() {
    if (!(await ensureLoggedIn())) return goToLogin();
    try {
      const [u, p] = await Promise.all([Api.meetings('upcoming'), Api.meetings('past')]);
      setUpcoming(u.items);
      setPast(p.items);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  useDidShow(() => {
    void load();
  });
  usePullDownRefresh(() => {
    void load().finally(() => void Promise.resolve(Taro.stopPullDownRefresh()).catch(() => undefined));
  });

  return (
    <PageShell title='议事会' subtitle='居民代表坐下来商量小区的事' className='page-meetings'>
      <Notice tone='bad' text={error} testId='meetings-error' />
      {error ? (
        <Btn kind='secondary' testId='meetings-reload' onClick={() => void load()}>
          重新加载
        </Btn>
      ) : null}
      {upcoming === null && !error ? <Loading text='正在加载议事会…' /> : null}
      {upcoming ? (
        <Card title='近期的会议' testId='meetings-upcoming'>
          {upcoming.length === 0 ? <Empty text='近期没有安排议事会。有新的会议会在这里公布。' /> : null}
          {upcoming.map((m) => (
            <MeetingItem key={m.id} m={m} />
          ))}
        </Card>
      ) : null}
      {past ? (
        <Card title='开过的会议' testId='meetings-past'>
          {past.length === 0 ? <Empty text='还没有开过议事会。' /> : null}
          {past.map((m) => (
            <MeetingItem key={m.id} m={m} />
          ))}
        </Card>
      ) : null}
      {upcoming ? <P muted>会议纪要和决议都公开，决议落实到哪一步也会在这里更新。</P> : null}
    </PageShell>
  );
}
