import { useCallback, useEffect, useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import {
  bindingRejectBody,
  bindingRelationLabels,
  bindingStatusLabels,
  type BindingReviewView,
  type BindingStatus,
  type BindingView,
} from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, ChoiceGrid, Empty, FieldError, Loading, Notice, P, Tag } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { toast } from '../../services/feedback';
import { formatDateTime } from '../../services/format';
import { messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { ConfirmPanel } from '../ConfirmPanel';
import { StaffOnly } from '../StaffOnly';

/** 待复核 is pending with a first approval: the API lists it with the pending ones. */
type Filter = BindingStatus | 'second';
const filters: { value: Filter; label: string }[] = [
  { value: 'pending', label: '待审核' },
  { value: 'second', label: '待复核' },
  { value: 'approved', label: '已通过' },
  { value: 'rejected', label: '未通过' },
];

/** Older answers carry no review fields; they read as a plain one-person check. */
type Item = BindingView & Partial<Omit<BindingReviewView, keyof BindingView>>;

function RegisterBeside({ b }: { b: Item }) {
  if (!b.register) return null;
  const { owners, nameMatches, phoneMatches } = b.register;
  const listed = owners.map((o) => (o.phoneMasked ? `${o.name}（${o.phoneMasked}）` : o.name)).join('、');
  return (
    <View className='binding-register' data-testid='register'>
      <P>{owners.length ? `登记业主：${listed}` : '房屋台账里没有这套房屋的业主'}</P>
      <View className='actions actions--row'>
        {b.relation === 'owner' ? <Tag tone={nameMatches ? 'ok' : 'bad'}>{nameMatches ? '姓名与登记一致' : '姓名与登记不一致'}</Tag> : null}
        {phoneMatches === null || phoneMatches === undefined ? (
          <Tag tone='info'>未用微信手机号核对</Tag>
        ) : (
          <Tag tone={phoneMatches ? 'ok' : 'bad'}>{`微信手机号${b.applicantPhoneMasked ?? ''}${phoneMatches ? '与登记一致' : '与登记不一致'}`}</Tag>
        )}
        {b.applicantIsStaff ? <Tag tone='wait'>申请人是工作人员</Tag> : null}
      </View>
    </View>
  );
}

function confirmText(b: Item): string {
  if (b.reviewPath === 'two_staff' && !b.firstApproval) {
    return `请先核对身份证件或房产证。这条需要两位工作人员核对：您通过后还要另一位工作人员复核，${b.realName}才会绑定${b.roomLabel}。确定通过吗？`;
  }
  if (b.reviewPath === 'two_staff') return `您是第二位核对人：通过后${b.realName}即绑定${b.roomLabel}。确定通过吗？`;
  return `请确认已核对过身份：通过后${b.realName}即以${bindingRelationLabels[b.relation]}身份绑定${b.roomLabel}。确定通过吗？`;
}

const viaLabels: Record<BindingView['via'], string> = { request: '居民申请', invitation: '邀请码', import: '批量导入' };

function BindingCard({ b, onDecided }: { b: Item; onDecided: (b: Item, text: string) => void }) {
  const [rejecting, setRejecting] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string[] | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function act(fn: () => Promise<BindingView>, text: string | ((b: Item) => string)) {
    setBusy(true);
    setError(null);
    try {
      const decided: Item = await fn();
      setConfirming(false);
      onDecided(decided, typeof text === 'string' ? text : text(decided));
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
        <RegisterBeside b={b} />
        {b.reviewPath === 'two_staff' && b.status === 'pending' ? (
          <P>
            <Tag tone='wait'>{b.firstApproval ? '待复核' : '需两位工作人员核对'}</Tag>
            {b.firstApproval ? ` ${b.firstApproval.byName}已于${formatDateTime(b.firstApproval.at)}初审通过，需要另一位工作人员复核` : ''}
          </P>
        ) : null}
        {b.status === 'approved' && b.decidedByName ? (
          <Text className='room__meta'>
            {b.firstApproval ? `初审：${b.firstApproval.byName} · 复核：${b.decidedByName}` : `审核：${b.decidedByName}`}
          </Text>
        ) : null}
      </View>
      <Notice tone='bad' text={error} />
      {b.status === 'pending' && b.canDecide === false ? <Notice tone='info' text={b.cannotDecideReason ?? '这条申请需要另一位工作人员处理'} testId='cannot-decide' /> : null}
      {b.status === 'pending' && b.canDecide !== false ? (
        confirming ? (
          <ConfirmPanel
            text={confirmText(b)}
            confirmLabel='确认通过'
            backLabel='再想想'
            danger={false}
            busy={busy}
            testId='approve-confirm'
            confirmTestId='approve-yes'
            onBack={() => setConfirming(false)}
            onConfirm={() =>
              void act(
                () => Api.approveBinding(b.id),
                (d) => (d.status === 'pending' ? `已初审：${b.roomLabel}，等待另一位工作人员复核` : `已通过：${b.roomLabel}`),
              )
            }
          />
        ) : rejecting ? (
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
            <Btn loading={busy} testId='approve' onClick={() => setConfirming(true)}>
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
  const [filter, setFilter] = useState<Filter>('pending');
  const status: BindingStatus = filter === 'second' ? 'pending' : filter;
  const [items, setItems] = useState<Item[] | null>(null);
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
  const shown = filter === 'second' ? (items?.filter((b) => !!b.firstApproval) ?? null) : items;

  return (
    <>
      <ChoiceGrid options={filters} value={filter} onChange={setFilter} columns={2} testId='review-filter' />
      <Notice tone='ok' text={notice} />
      <Notice tone='bad' text={error} />
      {items === null && !error ? <Loading /> : null}
      {shown && shown.length === 0 ? <Empty text={`没有${filter === 'second' ? '待复核' : bindingStatusLabels[status]}的申请。`} /> : null}
      <View className='list'>
        {shown?.map((b) => (
          <BindingCard
            key={b.id}
            b={b}
            onDecided={(decided, text) => {
              // A first approval stays in the list as 待复核 (for the next person); anything decided leaves it.
              setItems((prev) => (decided.status === 'pending' ? (prev?.map((x) => (x.id === decided.id ? decided : x)) ?? null) : (prev?.filter((x) => x.id !== decided.id) ?? null)));
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
