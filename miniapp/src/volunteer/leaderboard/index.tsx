import { useCallback, useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { PageShell } from '../../components/PageShell';
import { Card, ChoiceGrid, Empty, Loading, Notice, P } from '../../components/ui';
import { hoursText } from '../../components/volunteer';
import { Api, type Leaderboard } from '../../services/endpoints';
import { messageOf } from '../../services/request';
import { ensureLoggedIn, goToLogin } from '../../store/session';
import '../volunteer.scss';

type Period = Leaderboard['period'];

const periods: { value: Period; label: string }[] = [
  { value: 'month', label: '本月' },
  { value: 'all', label: '累计' },
];

/** '2026-11' → 2026年11月 */
const monthWords = (m: string | null) => (m ? `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月` : '');

export default function VolunteerLeaderboard() {
  const [period, setPeriod] = useState<Period>('month');
  const [board, setBoard] = useState<Leaderboard | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (p: Period) => {
    if (!(await ensureLoggedIn())) return goToLogin();
    try {
      setBoard(await Api.leaderboard(p));
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);

  useEffect(() => {
    setBoard(null);
    void load(period);
  }, [period, load]);

  return (
    <PageShell title='志愿排行榜' subtitle='按组织方确认的志愿时长排名，名字隐去中间的字' className='page-volunteer-leaderboard'>
      <View className='vol-tabs'>
        <ChoiceGrid options={periods} value={period} onChange={setPeriod} columns={2} testId='board-tabs' />
      </View>
      <Notice tone='bad' text={error} />
      {board === null && !error ? <Loading /> : null}
      {board ? (
        <>
          <Card title={board.period === 'month' ? `我的排名 · ${monthWords(board.month)}` : '我的排名 · 累计'} testId='my-rank'>
            {board.mine.rank ? (
              <Text className='my-rank'>{`第${board.mine.rank}名，${hoursText(board.mine.minutes)}小时`}</Text>
            ) : (
              <P>{board.period === 'month' ? '这个月还没有确认的时长。参加活动、签到签退，组织方确认后就会上榜。' : '还没有确认的时长。参加活动、签到签退，组织方确认后就会上榜。'}</P>
            )}
          </Card>
          <Card title={board.period === 'month' ? '本月排行' : '累计排行'} testId='board'>
            {board.items.length === 0 ? <Empty text='还没有人上榜。' /> : null}
            {board.items.map((i) => (
              <View key={`${i.rank}-${i.name}`} className={`rank ${i.mine ? 'rank--mine' : ''}`} data-testid='rank'>
                <Text className='rank__no'>{String(i.rank)}</Text>
                <Text className='rank__name'>{i.mine ? `${i.name}（我）` : i.name}</Text>
                <Text className='rank__hours'>{`${hoursText(i.minutes)}小时`}</Text>
              </View>
            ))}
          </Card>
        </>
      ) : null}
    </PageShell>
  );
}
