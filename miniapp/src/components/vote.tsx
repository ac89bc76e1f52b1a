import { Text, View } from '@tarojs/components';
import {
  ballotChannelLabels,
  pollStatusLabels,
  topicStatusLabels,
  type PollCountingUnit,
  type PollView,
  type TopicStatus,
  type TopicView,
} from '@community/shared';
import { formatMonthDayTime } from '../services/format';
import { Tag, type Tone } from './ui';
import './vote.scss';

/**
 * Pieces of 居民议事与投票 used both by the 议事 tab (main package) and by the
 * vote subpackage: a bar with an optional threshold line, one poll and one topic
 * in a list, and how a poll's state is said in words.
 */

/** What one ballot stands for, after a number: "12/30户". */
export const unitNoun: Record<PollCountingUnit, string> = { person: '人', room: '户', owner: '位业主' };

/** Percent of part in whole for drawing (the legal judgement is the API's, in integers). */
export function percent(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Math.max(0, Math.min(100, (part / whole) * 100));
}

/**
 * A horizontal bar: how much of the whole is filled, and where the line is that
 * it must reach (2/3, 3/4, 1/2). Screen readers get the numbers as a progressbar.
 */
export function Meter({
  part,
  whole,
  line,
  met,
  small,
  label,
  testId,
}: {
  part: number;
  whole: number;
  /** The threshold as a fraction of the whole. */
  line?: { numerator: number; denominator: number } | null;
  /** Colours the fill: reached (green) or not (orange); neutral when undefined. */
  met?: boolean;
  small?: boolean;
  label?: string;
  testId?: string;
}) {
  const fill = percent(part, whole);
  const at = line ? (line.numerator / line.denominator) * 100 : null;
  const tone = met === undefined ? '' : met ? 'meter--met' : 'meter--short';
  return (
    <View
      className={`meter ${small ? 'meter--small' : ''} ${tone}`}
      role='progressbar'
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={whole}
      aria-valuenow={part}
      data-testid={testId}
    >
      <View className='meter__fill' style={{ width: `${fill.toFixed(2)}%` }} />
      {at !== null ? <View className='meter__line' data-testid={testId ? `${testId}-line` : undefined} style={{ left: `${at.toFixed(2)}%` }} /> : null}
    </View>
  );
}

export function pollIsUpcoming(p: Pick<PollView, 'status' | 'opensAt'>, now = Date.now()): boolean {
  return p.status === 'open' && now < Date.parse(p.opensAt);
}

/** The caller's household (or self) has voted with every unit they hold. */
export function votedAll(p: Pick<PollView, 'myUnits'>): boolean {
  return p.myUnits.length > 0 && p.myUnits.every((u) => u.voted);
}

/** "您家已投票（纸质票）", or with the household's rooms when there are several. */
export function votedWords(p: Pick<PollView, 'countingUnit' | 'myUnits'>, u: PollView['myUnits'][number]): string {
  const how = u.channel ? `（${ballotChannelLabels[u.channel]}）` : '';
  if (!u.voted) return p.countingUnit === 'person' ? '您还没有投票' : `${p.myUnits.length > 1 ? u.label : '您家'}还没有投票`;
  if (p.countingUnit === 'person') return `您已投票${how}`;
  return `${p.myUnits.length > 1 ? u.label : '您家'}已投票${how}`;
}

/** The tag on a poll in a list: 待我表决 first of all. */
export function pollTag(p: PollView, now = Date.now()): { tone: Tone; text: string } {
  if (p.canVote) return { tone: 'wait', text: '待我表决' };
  if (pollIsUpcoming(p, now)) return { tone: 'info', text: '未开始' };
  if (p.status === 'open') return votedAll(p) ? { tone: 'ok', text: '已投票' } : { tone: 'info', text: pollStatusLabels.open };
  return { tone: 'info', text: pollStatusLabels[p.status] };
}

/** One line under a poll's title: when it closes, starts, or what to look at. */
export function pollLine(p: PollView, now = Date.now()): string {
  if (pollIsUpcoming(p, now)) return `${formatMonthDayTime(p.opensAt)} 开始投票`;
  if (p.status === 'open') return `${formatMonthDayTime(p.closesAt)} 截止`;
  if (p.status === 'closed') return p.resultAvailable ? '结果已公布' : '正在计票';
  return pollStatusLabels[p.status];
}

export function PollItem({ p, onOpen }: { p: PollView; onOpen: () => void }) {
  const tag = pollTag(p);
  const part = p.participation;
  return (
    <View className='tap card poll-item' role='button' data-testid='poll-item' data-poll={p.id} onClick={onOpen}>
      <View className='poll-item__head'>
        <Text className='poll-item__title'>{p.title}</Text>
        <Tag tone={tag.tone}>{tag.text}</Tag>
      </View>
      <Text className='poll-item__line'>{pollLine(p)}</Text>
      {part && p.status === 'open' && !pollIsUpcoming(p) ? (
        <View className='poll-item__part'>
          <Meter part={part.heads} whole={part.totalHeads} small label='参与情况' />
          <Text className='poll-item__muted'>{`已投 ${part.heads}/${part.totalHeads}${unitNoun[p.countingUnit]}`}</Text>
        </View>
      ) : null}
      <Text className='poll-item__more'>{p.canVote ? '去投票 ›' : p.status === 'closed' && p.resultAvailable ? '查看结果 ›' : '查看 ›'}</Text>
    </View>
  );
}

export const topicTone: Record<TopicStatus, Tone> = { held: 'wait', collecting: 'info', agenda: 'ok', hidden: 'bad' };

/** "已有12人支持，满20人列入议事会" in a few words. */
export function supportWords(t: Pick<TopicView, 'status' | 'supportCount' | 'supportThreshold'>): string {
  if (t.status === 'agenda') return `${t.supportCount}人支持 · 已列入议事会`;
  const left = Math.max(0, t.supportThreshold - t.supportCount);
  return `${t.supportCount}/${t.supportThreshold}人支持${left > 0 ? ` · 还差${left}人` : ''}`;
}

export function TopicItem({ t, onOpen }: { t: TopicView; onOpen: () => void }) {
  return (
    <View className='tap topic-item' role='button' data-testid='topic-item' data-topic={t.id} onClick={onOpen}>
      <View className='poll-item__head'>
        <Text className='topic-item__title'>{t.title}</Text>
        <Tag tone={topicTone[t.status]}>{topicStatusLabels[t.status]}</Tag>
      </View>
      {/* On the agenda the threshold no longer matters (staff may have put it there at 0). */}
      {t.status === 'agenda' ? null : <Meter part={t.supportCount} whole={t.supportThreshold} small label='支持人数' />}
      <View className='topic-item__foot'>
        <Text className='poll-item__muted'>{supportWords(t)}</Text>
        <Text className='poll-item__muted'>{`${t.commentCount}条意见`}</Text>
      </View>
    </View>
  );
}
