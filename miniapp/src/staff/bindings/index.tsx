import { useCallback, useEffect, useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import {
  bindingRejectBody,
  bindingRelationLabels,
  bindingStatusLabels,
  type BindingStatus,
  type BindingView,
} from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, ChoiceGrid, Empty, FieldError, Loading, Notice, P } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { toast } from '../../services/feedback';
import { formatDateTime } from '../../services/format';
import { messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { StaffOnly } from '../StaffOnly';

const filters: { value: BindingStatus; label: string }[] = [
  { value: 'pending', label: '待审核' },
  { value: 'approved', label: '已通过' },
  { value: 'rejected', label: '未通过' },
];

const viaLabels: Record<BindingView['via'], string> = { request: '居民申请', invitation: '邀请码', import: '批量导入' };

function BindingCard({ b, onDecided }: { b: BindingView; onDecided: (b: BindingView, text: string) => void }) {
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string[] | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function act(fn: () => Promise<BindingView>, text: string) {
    setBusy(true);
    setError(null);
    try {
      onDecided(await fn(), text);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  function reject() {
    const parsed = bindingRejectBody.safeParse({ reason });
    if (!parsed.success) {
      setReasonError(fieldErrorsOf(parsed.error.issues).reason);
      return;
    }
    setReasonError(undefined);
    void act(() => Api.rejectBinding(b.id, parsed.data.reason), `已退回：${b.roomLabel}`);
  }

  return (
    <Card className='binding-card'>
      <View data-testid='review-item'>
        <Text className='card__title'>{b.roomLabel}</Text>
        <P>
          {b.realName} · {bindingRelationLabels[b.relation]}
        </P>
        <Text className='room__meta'>
          {viaLabels[b.via]} · {formatDateTime(b.createdAt)}
        </Text>
        {b.note ? <P muted>备注：{b.note}</P> : null}
        {b.reason ? <Text className='room__reason'>原因：{b.reason}</Text> : null}
      </View>
      <Notice tone='bad' text={error} />
      {b.status === 'pending' ? (
        rejecting ? (
          <View className='field'>
            <Text className='field__label'>不通过的原因（居民会看到）</Text>
            <Input
              className='input'
              value={reason}
              maxlength={200}
              placeholder='例如：姓名与登记信息不一致'
              onInput={(e) => setReason(e.detail.value)}
            />
            <FieldError messages={reasonError} />
            <View className='actions actions--row'>
              <Btn kind='danger' loading={busy} onClick={reject}>
                确认不通过
              </Btn>
              <Btn kind='plain' onClick={() => setRejecting(false)}>
                取消
              </Btn>
            </View>
          </View>
        ) : (
          <View className='actions actions--row'>
            <Btn loading={busy} onClick={() => void act(() => Api.approveBinding(b.id), `已通过：${b.roomLabel}`)}>
              通过
            </Btn>
            <Btn kind='danger' onClick={() => setRejecting(true)}>
              不通过
            </Btn>
          </View>
        )
      ) : null}
    </Card>
  );
}

function ReviewList() {
  const [status, setStatus] = useState<BindingStatus>('pending');
  const [items, setItems] = useState<BindingView[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const load = useCallback(async (s: BindingStatus, after: string | null) => {
    try {
      const page = await Api.staffBindings(s, after);
      setItems((prev) => (after && prev ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor ?? null);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);

  useEffect(() => {
    setItems(null);
    void load(status, null);
  }, [status, load]);

  return (
    <>
      <ChoiceGrid options={filters} value={status} onChange={setStatus} columns={3} testId='review-filter' />
      <Notice tone='ok' text={notice} />
      <Notice tone='bad' text={error} />
      {items === null && !error ? <Loading /> : null}
      {items && items.length === 0 ? <Empty text={`没有${bindingStatusLabels[status]}的申请。`} /> : null}
      <View className='list'>
        {items?.map((b) => (
          <BindingCard
            key={b.id}
            b={b}
            onDecided={(decided, text) => {
              setItems((prev) => prev?.filter((x) => x.id !== decided.id) ?? null);
              toast(text, setNotice);
            }}
          />
        ))}
      </View>
      {cursor ? (
        <Btn
          kind='secondary'
          loading={loadingMore}
          onClick={() => {
            setLoadingMore(true);
            void load(status, cursor).finally(() => setLoadingMore(false));
          }}
        >
          加载更多
        </Btn>
      ) : null}
    </>
  );
}

/** Loads nothing until the person is known to be staff. */
export default function StaffBindings() {
  return (
    <PageShell title='房屋绑定审核' className='page-staff-bindings'>
      <StaffOnly>
        <ReviewList />
      </StaffOnly>
    </PageShell>
  );
}
