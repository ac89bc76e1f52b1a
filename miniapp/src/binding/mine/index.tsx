import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { bindingRelationLabels, bindingStatusLabels, type BindingView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { statusTone } from '../../components/RoomStatus';
import { Btn, Card, Empty, Loading, Notice, Tag } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { formatDateTime } from '../../services/format';
import { go, Routes } from '../../services/navigate';
import { messageOf } from '../../services/request';
import { ensureLoggedIn, goToLogin, loadMe } from '../../store/session';
import { BindingApi, outcomeOf } from '../outcome';

/** One request: its state in words and, while nobody has decided, a way to take it back. */
function BindingItem({ b, onChanged }: { b: BindingView; onChanged: (b: BindingView) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const outcome = outcomeOf(b);

  async function withdraw() {
    setBusy(true);
    setError(null);
    try {
      onChanged(await BindingApi.withdraw(b.id));
      setConfirming(false);
      void loadMe();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className='room' data-testid='binding-item'>
      <View className='room__main'>
        <Text className='room__label'>{b.roomLabel}</Text>
        <Text className='room__meta'>
          {bindingRelationLabels[b.relation]} · {b.realName} · {formatDateTime(b.createdAt)}
        </Text>
        {outcome ? (
          <Text className='room__meta' data-testid='binding-outcome'>
            {outcome}
          </Text>
        ) : null}
        {b.status === 'rejected' && b.reason ? <Text className='room__reason'>原因：{b.reason}</Text> : null}
        <Notice tone='bad' text={error} />
        {b.status === 'pending' ? (
          confirming ? (
            <View data-testid='withdraw-confirm'>
              <Text className='room__meta'>撤回后这条申请就不再审核了，以后还可以重新申请。确定撤回吗？</Text>
              <View className='actions actions--row'>
                <Btn kind='danger' loading={busy} testId='withdraw-yes' onClick={() => void withdraw()}>
                  确定撤回
                </Btn>
                <Btn kind='plain' onClick={() => setConfirming(false)}>
                  不撤回
                </Btn>
              </View>
            </View>
          ) : (
            <View className='actions actions--row'>
              <Btn kind='plain' testId='withdraw' onClick={() => setConfirming(true)}>
                撤回申请
              </Btn>
            </View>
          )
        ) : null}
      </View>
      <Tag tone={statusTone(b.status)}>{bindingStatusLabels[b.status]}</Tag>
    </View>
  );
}

export default function BindingMine() {
  const [items, setItems] = useState<BindingView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useDidShow(() => {
    void (async () => {
      if (!(await ensureLoggedIn())) return goToLogin();
      try {
        setItems((await Api.myBindings()).items);
        setError(null);
      } catch (e) {
        setError(messageOf(e));
      }
    })();
  });

  return (
    <PageShell title='我的房屋' subtitle='您提交的绑定申请和审核结果' className='page-binding-mine'>
      <Notice tone='bad' text={error} />
      {items === null && !error ? <Loading /> : null}
      {items && items.length === 0 ? (
        <Empty text='您还没有提交过绑定申请。' />
      ) : null}
      {items && items.length > 0 ? (
        <Card>
          {items.map((b) => (
            <BindingItem key={b.id} b={b} onChanged={(changed) => setItems((prev) => prev?.map((x) => (x.id === changed.id ? changed : x)) ?? null)} />
          ))}
        </Card>
      ) : null}
      <View className='actions'>
        <Btn onClick={() => go(Routes.bindingApply)}>绑定一套房屋</Btn>
        <Btn kind='secondary' onClick={() => go(Routes.bindingRedeem)}>
          我有邀请码
        </Btn>
      </View>
    </PageShell>
  );
}
