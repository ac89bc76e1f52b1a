import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import type { PollView, TopicView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { RoomStatus } from '../../components/RoomStatus';
import { Btn, Card, Empty, Loading, Notice, P, Row } from '../../components/ui';
import { useMe } from '../../components/useMe';
import { PollItem, TopicItem } from '../../components/vote';
import { Welcome } from '../../components/Welcome';
import { Api } from '../../services/endpoints';
import { go, Routes, withQuery } from '../../services/navigate';
import { messageOf } from '../../services/request';
import { ensureLoggedIn, isStaffUser } from '../../store/session';

/** 待我表决 first, then the other open polls, then the finished ones (the API's order, kept if it changes). */
function pollSections(items: PollView[]) {
  return {
    mine: items.filter((p) => p.canVote),
    open: items.filter((p) => !p.canVote && p.status === 'open'),
    closed: items.filter((p) => !p.canVote && p.status === 'closed'),
  };
}

/** My own topics still waiting for staff (or hidden) first, so their author can find them; then everyone's. */
function mergeTopics(all: TopicView[], mine: TopicView[]): TopicView[] {
  const waiting = mine.filter((t) => t.status === 'held' || t.status === 'hidden');
  return [...waiting, ...all.filter((t) => !waiting.some((w) => w.id === t.id))];
}

export default function Deliberation() {
  const { me, roomsKnown } = useMe();
  const [polls, setPolls] = useState<PollView[] | null>(null);
  const [topics, setTopics] = useState<TopicView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function load() {
    if (!(await ensureLoggedIn())) return;
    try {
      const [p, t, mine] = await Promise.all([Api.polls(), Api.topics(), Api.topics('mine').catch(() => ({ items: [] }))]);
      setPolls(p.items);
      setTopics(mergeTopics(t.items, mine.items));
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  // Back from voting or a topic: the lists as they are now.
  useDidShow(() => {
    void load();
  });
  usePullDownRefresh(() => {
    void load().finally(() => void Promise.resolve(Taro.stopPullDownRefresh()).catch(() => undefined));
  });

  const bound = !!me?.rooms.some((r) => r.status === 'approved');
  const unbound = roomsKnown && !!me && !isStaffUser(me) && !me.rooms.some((r) => r.status === 'approved' || r.status === 'pending');
  const sections = polls ? pollSections(polls) : null;
  const openPoll = (p: PollView) =>
    go(withQuery(p.status === 'closed' && p.resultAvailable ? Routes.voteResult : Routes.votePoll, { id: p.id }));

  return (
    <PageShell className='page-deliberation'>
      <Welcome me={me} line='小区的事，大家商量着办。' />
      {unbound ? <RoomStatus me={me} known={roomsKnown} compact /> : null}

      <Notice tone='bad' text={error} testId='delib-error' />
      {error ? (
        <Btn kind='secondary' onClick={() => void load()}>
          重新加载
        </Btn>
      ) : null}
      {polls === null && !error ? <Loading text='正在加载投票和议题…' /> : null}

      {sections ? (
        <View data-testid='polls'>
          {sections.mine.length ? (
            <View data-testid='polls-mine'>
              <Text className='delib-section'>{`待我表决（${sections.mine.length}）`}</Text>
              {sections.mine.map((p) => (
                <PollItem key={p.id} p={p} onOpen={() => openPoll(p)} />
              ))}
            </View>
          ) : null}
          {sections.open.length ? (
            <View data-testid='polls-open'>
              <Text className='delib-section'>正在投票</Text>
              {sections.open.map((p) => (
                <PollItem key={p.id} p={p} onOpen={() => openPoll(p)} />
              ))}
            </View>
          ) : null}
          {sections.closed.length ? (
            <View data-testid='polls-closed'>
              <Text className='delib-section'>已结束的投票</Text>
              {sections.closed.map((p) => (
                <PollItem key={p.id} p={p} onOpen={() => openPoll(p)} />
              ))}
            </View>
          ) : null}
          {polls && polls.length === 0 ? (
            <Card title='投票'>
              <Empty text={unbound ? '绑定房屋后，这里会出现请您参加的投票。' : '现在没有投票。有新的投票会发消息告诉您。'} />
            </Card>
          ) : null}
        </View>
      ) : null}

      {topics ? (
        <Card title='议题' testId='topics'>
          <P muted>{`有想法就提出来，支持的邻居${topics[0] ? `满${topics[0].supportThreshold}人` : '多了'}，社区就会安排议事会讨论。`}</P>
          {bound || isStaffUser(me) ? (
            <Btn testId='topic-new' onClick={() => go(Routes.voteTopicNew)}>
              发起议题
            </Btn>
          ) : null}
          {topics.length === 0 ? <Empty text='还没有议题，您可以第一个提出来。' /> : null}
          <View className='topic-list'>
            {topics.map((t) => (
              <TopicItem key={t.id} t={t} onOpen={() => go(withQuery(Routes.voteTopic, { id: t.id }))} />
            ))}
          </View>
        </Card>
      ) : null}

      <Card>
        <Row label='议事会' value='会议、纪要、决议落实' onClick={() => go(Routes.voteMeetings)} testId='go-meetings' />
        <Row label='查回执' value='看看我的票已经计入' onClick={() => go(Routes.voteReceipt)} testId='go-receipt' />
      </Card>
    </PageShell>
  );
}
