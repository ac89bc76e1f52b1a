import { useRef, useState } from 'react';
import { Input, Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { handoverBody, rewardCreateBody, type FieldErrors } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { useMountAndShow } from '../../components/useShow';
import { Btn, Card, ChoiceGrid, Empty, Field, Loading, Notice, P, Tag } from '../../components/ui';
import { IS_WEAPP } from '../../env';
import { Api, type Redemption, type Reward } from '../../services/endpoints';
import { formatDateTime } from '../../services/format';
import { newIdempotencyKey } from '../../services/idempotency';
import { isApiError, messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { CentreOnly } from '../CentreOnly';
import '../admin.scss';
import '../volunteer.scss';
import { ConfirmPanel } from '../ConfirmPanel';

function isCancel(e: unknown): boolean {
  const msg = typeof e === 'object' && e !== null && 'errMsg' in e ? String((e as { errMsg: unknown }).errMsg) : String(e);
  return /cancel/i.test(msg);
}

/** 发放: the resident shows a QR code of the 8-character code (WeChat scans it) or reads it out. */
function Handover() {
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Redemption | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(raw: string) {
    setError(null);
    setDone(null);
    const parsed = handoverBody.safeParse({ code: raw });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      setDone(await Api.handOverReward(parsed.data.code));
      setCode('');
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  async function scan() {
    setError(null);
    try {
      const res = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] });
      setCode(res.result.trim().toUpperCase());
      await submit(res.result);
    } catch (e) {
      if (!isCancel(e)) setError('没能打开扫一扫，请输入兑换码');
    }
  }

  return (
    <Card title='发放物品' testId='handover'>
      {IS_WEAPP ? (
        <View className='actions'>
          <Btn testId='handover-scan' loading={busy} onClick={() => void scan()}>
            扫居民的兑换码
          </Btn>
        </View>
      ) : null}
      <Field label={IS_WEAPP ? '或输入8位兑换码' : '输入居民的8位兑换码'} hint='居民念给您听的字母和数字，不分大小写' error={errors.code} testId='handover-code'>
        <Input
          className='input code-input'
          value={code}
          maxlength={8}
          placeholder='例如 K7M2Q9XA'
          onInput={(e) => setCode(e.detail.value.toUpperCase())}
          onConfirm={() => void submit(code)}
          data-testid='handover-input'
        />
      </Field>
      <Notice tone='bad' text={error} testId='handover-error' />
      {done ? <Notice tone='ok' testId='handover-done' text={`已登记领取：请把“${done.rewardTitle}”交给${done.residentName}（${formatDateTime(done.createdAt)}兑换）。`} /> : null}
      <Btn kind={IS_WEAPP ? 'secondary' : 'primary'} testId='handover-submit' loading={busy} onClick={() => void submit(code)}>
        核对并发放
      </Btn>
    </Card>
  );
}

function NewReward({ onCreated }: { onCreated: (r: Reward) => void }) {
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [price, setPrice] = useState('');
  const [stock, setStock] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef<string | null>(null);
  const num = (s: string) => (s.trim() === '' ? undefined : Number(s.trim()));

  async function submit() {
    setError(null);
    const parsed = rewardCreateBody.safeParse({ title, description, pointsPrice: num(price), stock: num(stock) });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    setErrors({});
    key.current ??= newIdempotencyKey();
    setBusy(true);
    try {
      const r = await Api.createReward(parsed.data, key.current);
      key.current = null;
      setTitle('');
      setDescription('');
      setPrice('');
      setStock('');
      onCreated(r);
    } catch (e) {
      const status = isApiError(e) ? e.status : 0;
      if (!(status === 0 || status >= 500)) key.current = null;
      if (isApiError(e) && e.code === 'VALIDATION_FAILED') setErrors(e.fieldErrors);
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title='上架新物品' testId='new-reward'>
      <Field label='物品名称' error={errors.title} testId='reward-title'>
        <Input className='input' value={title} maxlength={30} placeholder='例如：环保布袋' onInput={(e) => setTitle(e.detail.value)} data-testid='reward-title-input' />
      </Field>
      <Field label='说明（可不填）' error={errors.description}>
        <Textarea className='input textarea' value={description} maxlength={200} placeholder='例如：印有社区标志，可装10斤' onInput={(e) => setDescription(e.detail.value)} data-testid='reward-description-input' />
      </Field>
      <Field label='需要多少积分' error={errors.pointsPrice} testId='reward-price'>
        <Input className='input' type='number' value={price} placeholder='例如 50' onInput={(e) => setPrice(e.detail.value)} data-testid='reward-price-input' />
      </Field>
      <Field label='一共多少件' error={errors.stock} testId='reward-stock'>
        <Input className='input' type='number' value={stock} placeholder='例如 100' onInput={(e) => setStock(e.detail.value)} data-testid='reward-stock-input' />
      </Field>
      <Notice tone='bad' text={error} testId='reward-error' />
      <Btn testId='reward-submit' loading={busy} onClick={() => void submit()}>
        上架
      </Btn>
    </Card>
  );
}

type Shelf = 'active' | 'retired';
const shelves: { value: Shelf; label: string }[] = [
  { value: 'active', label: '在架的物品' },
  { value: 'retired', label: '已下架的' },
];

/** One item on the shelf; 下架 asks once more, inline (no pop-ups in 长辈版). */
function ShelfItem({ r, onRetired }: { r: Reward; onRetired: (r: Reward) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const retired = r.status === 'retired';

  async function retire() {
    setBusy(true);
    setError(null);
    try {
      onRetired(await Api.retireReward(r.id));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className='admin-item' data-testid='shelf-item'>
      <View className='admin-item__head'>
        <View className='admin-item__main'>
          <Text className='admin-item__name'>{r.title}</Text>
          <Text className='admin-item__meta'>{`${r.pointsPrice}积分 · 上架${r.stock}件，${retired ? `兑出${r.stock - r.left}件` : `还剩${r.left}件`}`}</Text>
        </View>
        {retired ? <Tag tone='bad'>已下架</Tag> : <Tag tone={r.left > 0 ? 'ok' : 'bad'}>{r.left > 0 ? '可兑换' : '已兑完'}</Tag>}
      </View>
      <Notice tone='bad' text={error} />
      {retired ? null : confirming ? (
        <ConfirmPanel
          testId='retire-reward-confirm'
          text={`下架后居民就不能再兑换“${r.title}”了；已经兑换的，仍然凭兑换码发放。`}
          confirmLabel='确定下架'
          backLabel='不下架'
          busy={busy}
          confirmTestId='retire-reward-submit'
          onConfirm={() => void retire()}
          onBack={() => setConfirming(false)}
        />
      ) : (
        <View className='actions'>
          <Btn kind='secondary' testId='retire-reward-open' onClick={() => setConfirming(true)}>
            下架
          </Btn>
        </View>
      )}
    </View>
  );
}

function Shop() {
  const [shelf, setShelf] = useState<Shelf>('active');
  const [items, setItems] = useState<Reward[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const current = useRef<Shelf>('active');

  async function load(which: Shelf = current.current) {
    try {
      const list = (await Api.staffRewards(which)).items;
      // A slower answer for the other tab must not overwrite this one.
      if (which === current.current) setItems(list);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  function pick(which: Shelf) {
    if (which === current.current) return;
    current.current = which;
    setShelf(which);
    setItems(null);
    setNotice(null);
    void load(which);
  }

  useMountAndShow(() => {
    void load();
  });

  return (
    <>
      <Handover />
      <Card title='积分超市里的物品' testId='shelf'>
        <View className='admin-tabs'>
          <ChoiceGrid options={shelves} value={shelf} onChange={pick} columns={2} testId='shelf-tabs' />
        </View>
        <Notice tone='ok' text={notice} testId='reward-created' />
        <Notice tone='bad' text={error} />
        {items === null && !error ? <Loading /> : null}
        {items && items.length === 0 ? <Empty text={shelf === 'active' ? '还没有上架物品。' : '没有下架过物品。'} /> : null}
        {items?.map((r) => (
          <ShelfItem
            key={r.id}
            r={r}
            onRetired={(done) => {
              setItems((list) => list?.filter((x) => x.id !== done.id) ?? null);
              setNotice(`已下架：${done.title}。在“已下架的”里可以看到。`);
            }}
          />
        ))}
        <P muted>每件物品被兑换后扣减数量，兑完就不能再兑；居民的积分扣减记在积分明细里。</P>
      </Card>
      <NewReward
        onCreated={(r) => {
          setNotice(`已上架：${r.title}，${r.stock}件。`);
          pick('active');
          void load('active');
        }}
      />
    </>
  );
}

export default function StaffRewards() {
  return (
    <PageShell title='积分超市' subtitle='发放兑换的物品，上架新物品' className='page-staff-rewards'>
      <CentreOnly>
        <Shop />
      </CentreOnly>
    </PageShell>
  );
}
