import { Text, View } from '@tarojs/components';
import { Empty, P } from '../components/ui';
import { hoursText } from '../components/volunteer';
import type { LedgerEntry, Redemption } from '../services/endpoints';
import { formatDateTime } from '../services/format';
import { QrCode } from '../booking/QrCode';

/** Pieces shared by the volunteer subpackage's pages. */

/** +1.5小时 / −0.5小时 (amounts in minutes), +15积分 / −200积分. */
export function amountText(kind: 'hours' | 'points', amount: number): string {
  const sign = amount < 0 ? '−' : '+';
  const size = Math.abs(amount);
  return kind === 'hours' ? `${sign}${hoursText(size)}小时` : `${sign}${size}积分`;
}

export function Ledger({ kind, entries }: { kind: 'hours' | 'points'; entries: LedgerEntry[] }) {
  if (entries.length === 0) {
    return <Empty text={kind === 'hours' ? '还没有确认的志愿时长。参加活动、签到签退，组织方确认后就会记在这里。' : '还没有积分。志愿时长确认后会按小时得到积分。'} />;
  }
  return (
    <View data-testid={`${kind}-ledger`}>
      {entries.map((e) => (
        <View key={e.id} className='ledger-entry' data-testid='ledger-entry'>
          <View className='ledger-entry__main'>
            <Text className='ledger-entry__reason'>{e.activityTitle ? `${e.activityTitle} · ${e.reason}` : e.reason}</Text>
            <Text className='ledger-entry__meta'>{`${formatDateTime(e.at)} · ${e.byName}`}</Text>
          </View>
          <Text className={`ledger-entry__amount ${e.amount < 0 ? 'ledger-entry__amount--minus' : ''}`}>{amountText(kind, e.amount)}</Text>
        </View>
      ))}
    </View>
  );
}

/** A pickup code to show at the desk: large letters and a QR code staff can scan. */
export function PickupCode({ r }: { r: Redemption }) {
  return (
    <View className='pickup' data-testid='pickup'>
      <Text className='pickup__title'>{r.rewardTitle}</Text>
      <QrCode text={r.pickupCode} testId='pickup-qr' />
      <Text className='p booking-code__label'>兑换码</Text>
      <Text className='pickup-code' data-testid='pickup-code'>
        {r.pickupCode}
      </Text>
      <P muted>到社区服务中心，请工作人员扫二维码，或把兑换码念给工作人员听。</P>
    </View>
  );
}


/** Several choices at once as round chips; “✓” says which are on (not only colour). */
export function Chips<V extends string>({
  options,
  values,
  onToggle,
  testId,
}: {
  options: { value: V; label: string }[];
  values: readonly V[];
  onToggle: (v: V) => void;
  testId?: string;
}) {
  return (
    <View className='chips' data-testid={testId}>
      {options.map((o) => {
        const on = values.includes(o.value);
        return (
          <View
            key={o.value}
            className={`tap chip ${on ? 'chip--on' : ''}`}
            role='checkbox'
            aria-checked={on}
            data-testid={testId ? `${testId}-${o.value}` : undefined}
            onClick={() => onToggle(o.value)}
          >
            <Text className='chip__text'>{on ? `✓ ${o.label}` : o.label}</Text>
          </View>
        );
      })}
    </View>
  );
}

export function toggled<V>(list: readonly V[], v: V): V[] {
  return list.includes(v) ? list.filter((x) => x !== v) : [...list, v];
}
