import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { caseStatusLabels, type CaseView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, Empty, Loading, Notice, Tag } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { formatMonthDayTime } from '../../services/format';
import { go, Routes, withQuery } from '../../services/navigate';
import { messageOf } from '../../services/request';
import { ensureLoggedIn, goToLogin } from '../../store/session';
import { caseTitle, Countdown, pausedText, statusTone, useNow } from '../parts';
import '../feedback.scss';

function CaseItem({ c, now }: { c: CaseView; now: number }) {
  const open = c.status === 'submitted' || c.status === 'accepted' || c.status === 'paused';
  return (
    <View className='tap card fb-item' role='button' data-testid='case-item' onClick={() => go(withQuery(Routes.feedbackCase, { id: c.id }))}>
      <View className='fb-item__head'>
        <Text className='fb-item__title'>{caseTitle(c)}</Text>
        <Tag tone={statusTone[c.status]}>{caseStatusLabels[c.status]}</Tag>
      </View>
      <Text className='fb-item__meta'>{c.placeLabel}</Text>
      <Text className='fb-item__meta'>{`${formatMonthDayTime(c.createdAt)} 反映 · 编号 ${c.number}`}</Text>
      {open ? (
        <View className='fb-item__now'>
          <Text className='fb-item__meta'>{`现在由 ${c.holderLabel} 处理`}</Text>
          <Countdown c={c} now={now} />
          {pausedText(c) ? <Text className='fb-item__meta' data-testid='case-item-paused'>{pausedText(c)}</Text> : null}
        </View>
      ) : null}
      {c.mine && c.status === 'resolved' ? <Text className='fb-item__ask'>请确认是否解决 ›</Text> : null}
      {c.mine && c.status === 'closed' && !c.rating ? <Text className='fb-item__ask'>请评价一下 ›</Text> : null}
      {!(c.mine && (c.status === 'resolved' || (c.status === 'closed' && !c.rating))) ? <Text className='fb-item__more'>查看详情 ›</Text> : null}
    </View>
  );
}

export default function FeedbackMine() {
  const [items, setItems] = useState<CaseView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const now = useNow();

  async function load() {
    if (!(await ensureLoggedIn())) return goToLogin();
    try {
      setItems((await Api.myCases()).items);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  // Each time the page shows: coming back from a case (confirmed, rated) lists it as it is now.
  useDidShow(() => {
    void load();
  });

  const mine = (items ?? []).filter((c) => c.mine);
  const followed = (items ?? []).filter((c) => !c.mine);

  return (
    <PageShell title='我的反映' subtitle='您反映的问题和关注的问题，处理到哪一步都在这里' className='page-feedback-mine'>
      <Btn testId='go-report' onClick={() => go(Routes.feedbackReport)}>
        反映问题
      </Btn>
      <Notice tone='bad' text={error} />
      {items === null && !error ? <Loading /> : null}
      {items && items.length === 0 ? <Empty text='您还没有反映过问题。家里或楼里有什么要修、要改的，点上面的“反映问题”告诉我们。' /> : null}
      {mine.length ? (
        <View className='fb-list' data-testid='my-cases'>
          <Text className='fb-list__title'>我反映的</Text>
          {mine.map((c) => (
            <CaseItem key={c.id} c={c} now={now} />
          ))}
        </View>
      ) : null}
      {followed.length ? (
        <View className='fb-list' data-testid='followed-cases'>
          <Text className='fb-list__title'>我关注的</Text>
          {followed.map((c) => (
            <CaseItem key={c.id} c={c} now={now} />
          ))}
        </View>
      ) : null}
      <Card>
        <Btn kind='plain' testId='go-scorecard' onClick={() => go(Routes.feedbackScorecard)}>
          看看物业服务考核
        </Btn>
      </Card>
    </PageShell>
  );
}
