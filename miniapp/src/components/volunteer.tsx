import { Text, View } from '@tarojs/components';
import { activityTypeLabels, ageLimitText, signupStatusLabels, type ActivityType, type ActivityView, type SignupStatus } from '@community/shared';
import { formatMonthDayTime, formatSpan } from '../services/format';
import { Tag, type Tone } from './ui';
import './volunteer.scss';

/**
 * Pieces of the 志愿 pages used both by the tab page (main package) and by the
 * volunteer subpackage: how an activity's time, places, sign-up window and
 * limits are said, and one activity in a list.
 */

/** Minutes → hours with one decimal: 90 → "1.5". */
export function hoursText(minutes: number): string {
  return (Math.round(minutes / 6) / 10).toFixed(1);
}

export const activityTabs: { value: ActivityType | 'all'; label: string }[] = [
  { value: 'all', label: '全部' },
  ...(Object.keys(activityTypeLabels) as ActivityType[]).map((t) => ({ value: t, label: activityTypeLabels[t] })),
];

export type SignupWindowState = 'soon' | 'open' | 'closed';

/** Where the sign-up window stands now, and the words for it. */
export function signupWindow(a: Pick<ActivityView, 'signupOpensAt' | 'signupClosesAt'>, now = Date.now()): { state: SignupWindowState; text: string } {
  if (now < Date.parse(a.signupOpensAt)) return { state: 'soon', text: `${formatMonthDayTime(a.signupOpensAt)} 开始报名` };
  if (now < Date.parse(a.signupClosesAt)) return { state: 'open', text: `报名中，${formatMonthDayTime(a.signupClosesAt)} 截止` };
  return { state: 'closed', text: '报名已截止' };
}

/** 剩3个名额 / 名额已满 · 候补2人. */
export function seatsText(a: Pick<ActivityView, 'seatsLeft' | 'waiting' | 'capacity'>): string {
  if (a.seatsLeft > 0) return `共${a.capacity}人，剩${a.seatsLeft}个名额`;
  return a.waiting > 0 ? `名额已满 · ${a.waiting}人在候补` : '名额已满 · 可以候补';
}

/** 18–65岁 / 60岁以上 / 65岁以下, or null for anyone (the API's refusals say it the same way). */
export const ageText = ageLimitText;

/** Skills and ages the organiser asked for, in one line, or null. */
export function limitsText(a: Pick<ActivityView, 'skills' | 'minAge' | 'maxAge'>): string | null {
  const parts = [a.skills.length ? `需要${a.skills.join('、')}` : null, ageText(a.minAge, a.maxAge) ? `年龄${ageText(a.minAge, a.maxAge)}` : null].filter(Boolean);
  return parts.length ? parts.join('；') : null;
}

export function signupTone(status: SignupStatus): Tone {
  switch (status) {
    case 'confirmed':
    case 'checked_in':
    case 'checked_out':
      return 'ok';
    case 'waitlisted':
      return 'wait';
    case 'no_show':
    case 'expired':
      return 'bad';
    default:
      return 'info';
  }
}

/** 候补第2位, else the status label. */
export function signupLabel(s: { status: SignupStatus; waitPosition: number | null }): string {
  return s.status === 'waitlisted' && s.waitPosition ? `候补第${s.waitPosition}位` : signupStatusLabels[s.status];
}

/** One activity in a list: what, when, where, who organises, places and the sign-up window. */
export function ActivityItem({ a, onOpen, now = Date.now() }: { a: ActivityView; onOpen: () => void; now?: number }) {
  const window = signupWindow(a, now);
  const limits = limitsText(a);
  return (
    <View className='tap card activity-item' role='button' data-testid='activity-item' onClick={onOpen}>
      <View className='activity-item__head'>
        <Text className='activity-item__title'>{a.title}</Text>
        {a.mySignup ? <Tag tone={signupTone(a.mySignup.status)}>{signupLabel(a.mySignup)}</Tag> : <Tag tone='info'>{activityTypeLabels[a.type]}</Tag>}
      </View>
      <Text className='activity-item__line'>{`时间：${formatSpan(a.startAt, a.endAt)}`}</Text>
      <Text className='activity-item__line'>{`地点：${a.place}`}</Text>
      <Text className='activity-item__line activity-item__muted'>{`组织：${a.organiser}`}</Text>
      <Text className='activity-item__line' data-testid='activity-seats'>
        {seatsText(a)}
      </Text>
      {limits ? <Text className='activity-item__line activity-item__muted'>{limits}</Text> : null}
      <View className='activity-item__foot'>
        <Text className={`activity-item__window activity-item__window--${window.state}`} data-testid='activity-window'>
          {window.text}
        </Text>
        <Text className='activity-item__more'>详情 ›</Text>
      </View>
    </View>
  );
}

/** 志愿时长 and 积分, large, side by side. */
export function Balances({ minutes, points }: { minutes: number; points: number }) {
  return (
    <View className='vol-balances' data-testid='vol-balances'>
      <View className='vol-balance'>
        <View className='vol-balance__line'>
          <Text className='vol-balance__value' data-testid='vol-hours'>
            {hoursText(minutes)}
          </Text>
          <Text className='vol-balance__unit'>小时</Text>
        </View>
        <Text className='vol-balance__label'>志愿时长</Text>
      </View>
      <View className='vol-balance'>
        <View className='vol-balance__line'>
          <Text className='vol-balance__value' data-testid='vol-points'>
            {String(points)}
          </Text>
          <Text className='vol-balance__unit'>分</Text>
        </View>
        <Text className='vol-balance__label'>积分</Text>
      </View>
    </View>
  );
}
