import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { serviceCategoryLabels, type ServiceView } from '@community/shared';
import { hoursText } from '../../components/hours';
import { PageShell } from '../../components/PageShell';
import { useMountAndShow } from '../../components/useShow';
import { Btn, Card, Empty, Loading, Notice, P, Tag } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { go, Routes, withQuery } from '../../services/navigate';
import { messageOf } from '../../services/request';
import { CentreOnly } from '../CentreOnly';
import '../admin.scss';

function ServiceItem({ s, onRetired }: { s: ServiceView; onRetired: (s: ServiceView) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const retired = s.status !== 'active';

  async function retire() {
    setBusy(true);
    setError(null);
    try {
      onRetired(await Api.retireService(s.id));
      setConfirming(false);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  const flags = [s.oneWindow ? '一窗受理' : null, s.fullAgency ? '全程代办' : null].filter(Boolean).join('、');
  return (
    <View className='admin-item' data-testid='staff-service'>
      <View className='admin-item__head'>
        <View className='admin-item__main'>
          <Text className='admin-item__name'>{s.name}</Text>
          <Text className='admin-item__meta'>{[serviceCategoryLabels[s.category], flags].filter(Boolean).join(' · ')}</Text>
          <Text className='admin-item__meta'>{`每${s.slotMinutes}分钟一段，每段${s.capacity}人；可约${s.bookingWindowDays}天内`}</Text>
          <Text className='admin-item__meta'>{hoursText(s.weeklyHours) || '还没有设开放时间'}</Text>
        </View>
        <Tag tone={retired ? 'bad' : 'ok'}>{retired ? '已停用' : '可预约'}</Tag>
      </View>
      <Notice tone='bad' text={error} />
      {retired ? null : confirming ? (
        <View className='admin-item__panel' data-testid='retire-confirm'>
          <P>{`停用后居民不能再预约“${s.name}”，已有的预约保留。确定停用吗？`}</P>
          <View className='actions actions--row'>
            <Btn kind='danger' loading={busy} testId='retire-submit' onClick={() => void retire()}>
              确定停用
            </Btn>
            <Btn kind='plain' onClick={() => setConfirming(false)}>
              不停用
            </Btn>
          </View>
        </View>
      ) : (
        <View className='actions actions--row'>
          <Btn kind='secondary' testId='service-edit' onClick={() => go(withQuery(Routes.staffServiceEdit, { id: s.id }))}>
            修改
          </Btn>
          <Btn kind='danger' testId='retire-open' onClick={() => setConfirming(true)}>
            停用
          </Btn>
        </View>
      )}
    </View>
  );
}

function ServiceList() {
  const [items, setItems] = useState<ServiceView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useMountAndShow(() => {
    Api.staffServices()
      .then((r) => {
        setItems(r.items);
        setError(null);
      })
      .catch((e: unknown) => setError(messageOf(e)));
  });

  return (
    <>
      <Btn testId='service-new' onClick={() => go(Routes.staffServiceEdit)}>
        新建服务事项
      </Btn>
      <Notice tone='ok' text={notice} />
      <Notice tone='bad' text={error} />
      {items === null && !error ? <Loading /> : null}
      {items && items.length === 0 ? <Empty text='还没有服务事项。' /> : null}
      {items && items.length ? (
        <Card>
          {items.map((s) => (
            <ServiceItem
              key={s.id}
              s={s}
              onRetired={(r) => {
                setItems((list) => list?.map((x) => (x.id === r.id ? r : x)) ?? null);
                setNotice(`已停用：${r.name}`);
              }}
            />
          ))}
        </Card>
      ) : null}
    </>
  );
}

export default function StaffServices() {
  return (
    <PageShell title='服务事项管理' subtitle='办事指南、开放时间、名额和休息日' className='page-staff-services'>
      <CentreOnly>
        <ServiceList />
      </CentreOnly>
    </PageShell>
  );
}
