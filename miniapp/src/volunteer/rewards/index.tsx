import { useRef, useState } from 'react';
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, Empty, Loading, Notice, P } from '../../components/ui';
import { Api, type Redemption, type Reward } from '../../services/endpoints';
import { newIdempotencyKey } from '../../services/idempotency';
import { go, Routes } from '../../services/navigate';
import { messageOf } from '../../services/request';
import { ensureLoggedIn, goToLogin } from '../../store/session';
import { failureOf, type Failure } from '../../booking/failure';
import { PickupCode } from '../parts';
import '../../booking/booking.scss';
import '../volunteer.scss';

function RewardItem({ r, points, onRedeemed, onStale }: { r: Reward; points: number | null; onRedeemed: (x: Redemption) => void; onStale: () => void }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const key = useRef<string | null>(null);
  const short = points !== null && points < r.pointsPrice ? r.pointsPrice - points : 0;

  async function redeem() {
    key.current ??= newIdempotencyKey();
    setBusy(true);
    setFailure(null);
    try {
      const x = await Api.redeem(r.id, key.current);
      key.current = null;
      setAsking(false);
      onRedeemed(x);
    } catch (e) {
      const f = failureOf(e);
      if (!f.retry) key.current = null;
      setFailure(f);
      // Someone took the last one, or points changed: the shelf and balance as they are now.
      if (f.code === 'OUT_OF_STOCK' || f.code === 'POINTS_NOT_ENOUGH') onStale();
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className='reward' data-testid='reward'>
      <View className='reward__head'>
        <Text className='reward__title'>{r.title}</Text>
        <Text className='reward__price'>{`${r.pointsPrice}积分`}</Text>
      </View>
      {r.description ? <Text className='reward__meta'>{r.description}</Text> : null}
      <Text className='reward__meta' data-testid='reward-left'>
        {r.left > 0 ? `还剩${r.left}件` : '已经兑完了'}
      </Text>
      {r.left > 0 && short > 0 && !asking ? <P muted>{`还差${short}积分`}</P> : null}
      {r.left > 0 && short === 0 && !asking ? (
        <View className='actions'>
          <Btn kind='secondary' testId='redeem-open' onClick={() => { setAsking(true); setFailure(null); key.current = null; }}>
            兑换
          </Btn>
        </View>
      ) : null}
      {asking ? (
        <View className='confirm' data-testid='redeem-confirm'>
          <P>{`用${r.pointsPrice}积分兑换“${r.title}”吗？兑换后凭兑换码到社区服务中心领取。`}</P>
          <View className='actions'>
            <Btn testId='redeem-submit' loading={busy} onClick={() => void redeem()}>
              {failure?.retry ? '重试' : '确认兑换'}
            </Btn>
            <Btn kind='plain' onClick={() => { setAsking(false); setFailure(null); key.current = null; }}>
              再想想
            </Btn>
          </View>
        </View>
      ) : null}
      <Notice tone='bad' text={failure?.message} testId='redeem-error' />
    </View>
  );
}

export default function VolunteerRewards() {
  const [items, setItems] = useState<Reward[] | null>(null);
  const [points, setPoints] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Redemption | null>(null);

  async function load() {
    try {
      const [list, me] = await Promise.all([Api.rewards(), Api.volunteerMe().catch(() => null)]);
      setItems(list.items);
      setPoints(me ? me.points : null);
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

  return (
    <PageShell title='积分超市' subtitle='志愿服务攒下的积分，可以换这些物品' className='page-volunteer-rewards'>
      {points !== null ? (
        <Card>
          <Text className='my-rank' data-testid='my-points'>{`我的积分：${points}`}</Text>
        </Card>
      ) : null}

      {done ? (
        <Card title='兑换成功' id='redeem-done' className='card--accent' testId='redeem-done'>
          <PickupCode r={done} />
          <View className='actions'>
            <Btn kind='secondary' onClick={() => go(Routes.volunteerMe)}>
              在“我的志愿”里也能找到兑换码
            </Btn>
          </View>
        </Card>
      ) : null}

      <Notice tone='bad' text={error} />
      {items === null && !error ? <Loading /> : null}
      {items && items.length === 0 ? <Empty text='积分超市还没有上架物品，过些日子再来看看。' /> : null}
      {items && items.length ? (
        <Card title='可以兑换的物品' testId='rewards'>
          {items.map((r) => (
            <RewardItem
              key={r.id}
              r={r}
              points={points}
              onRedeemed={(x) => {
                setDone(x);
                void load();
                // The pickup code shows above the list: bring it into view.
                setTimeout(() => {
                  void Promise.resolve(Taro.pageScrollTo({ selector: '#redeem-done', duration: 200 })).catch(() => undefined);
                }, 50);
              }}
              onStale={() => void load()}
            />
          ))}
        </Card>
      ) : null}
    </PageShell>
  );
}
