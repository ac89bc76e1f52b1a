import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import {
  resolutionStatusLabels,
  type MeetingView,
  type ResolutionStatus,
  type ResolutionView,
} from '@community/shared';
import { Tag, type Tone } from '../components/ui';
import { Meter } from '../components/vote';
import { formatDay, formatMonthDayTime, formatTime } from '../services/format';
import './meeting.scss';

/**
 * Pieces of 议事会 (V10) shared by the residents' pages (vote subpackage) and the
 * centre's desk (staff subpackage): how a meeting's time, state and attendance
 * are said, the minutes, and one resolution with its follow-up history.
 */

export type MeetingPhase = 'upcoming' | 'ongoing' | 'ended' | 'cancelled';

export function meetingPhase(m: Pick<MeetingView, 'status' | 'startsAt' | 'endsAt'>, now = Date.now()): MeetingPhase {
  if (m.status === 'cancelled') return 'cancelled';
  if (now < Date.parse(m.startsAt)) return 'upcoming';
  if (now < Date.parse(m.endsAt)) return 'ongoing';
  return 'ended';
}

export const phaseLabels: Record<MeetingPhase, string> = { upcoming: '未开始', ongoing: '正在开会', ended: '已结束', cancelled: '已取消' };
export const phaseTones: Record<MeetingPhase, Tone> = { upcoming: 'info', ongoing: 'ok', ended: 'info', cancelled: 'bad' };

/** Whether the meeting has begun (attendance then means something). */
export const started = (m: Pick<MeetingView, 'startsAt' | 'status'>, now = Date.now()) => m.status !== 'cancelled' && now >= Date.parse(m.startsAt);

/** "12月3日 周四 14:30–16:30" (the end's date too when it is another day). */
export function meetingWhen(m: Pick<MeetingView, 'startsAt' | 'endsAt'>): string {
  const day = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
  const start = `${formatDay(day(m.startsAt))} ${formatTime(m.startsAt)}`;
  return day(m.startsAt) === day(m.endsAt) ? `${start}–${formatTime(m.endsAt)}` : `${start} 至 ${formatMonthDayTime(m.endsAt)}`;
}

/** ["12月3日 周四", "14:30–16:30"]: the day and the hours, to be shown on two lines. */
export function meetingWhenLines(m: Pick<MeetingView, 'startsAt' | 'endsAt'>): [string, string] {
  const day = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
  if (day(m.startsAt) !== day(m.endsAt)) return [formatDay(day(m.startsAt)), `${formatTime(m.startsAt)} 至 ${formatMonthDayTime(m.endsAt)}`];
  return [formatDay(day(m.startsAt)), `${formatTime(m.startsAt)}–${formatTime(m.endsAt)}`];
}

/** "实到 6 / 应到 9 人". */
export const attendanceText = (m: Pick<MeetingView, 'present' | 'expected'>) => `实到 ${m.present} / 应到 ${m.expected} 人`;

/** Whether more than half are here, in words; before the start, how many are needed. */
export function quorumText(m: Pick<MeetingView, 'present' | 'quorum' | 'quorumMet' | 'expected'>): string {
  if (m.expected === 0) return '议事会还没有成员';
  if (m.quorumMet) return `已过半数（${m.quorum}人即可），可以表决`;
  return `还没过半数：要到${m.quorum}人，还差${Math.max(0, m.quorum - m.present)}人`;
}

/** 实到/应到 in big figures, with a bar whose line is the quorum. */
export function AttendanceBlock({ m, testId = 'meeting-attendance' }: { m: MeetingView; testId?: string }) {
  return (
    <View className='mtg-att' data-testid={testId}>
      <View className='mtg-att__figures'>
        <View className='mtg-att__figure'>
          <Text className='mtg-att__num' data-testid={`${testId}-present`}>
            {m.present}
          </Text>
          <Text className='mtg-att__label'>实到</Text>
        </View>
        <Text className='mtg-att__slash'>/</Text>
        <View className='mtg-att__figure'>
          <Text className='mtg-att__num' data-testid={`${testId}-expected`}>
            {m.expected}
          </Text>
          <Text className='mtg-att__label'>应到</Text>
        </View>
      </View>
      {m.expected > 0 ? (
        <Meter part={m.present} whole={m.expected} line={{ numerator: m.quorum, denominator: m.expected }} met={m.quorumMet} label='到会人数' />
      ) : null}
      <Text className={`mtg-att__quorum ${m.quorumMet ? 'mtg-att__quorum--ok' : ''}`} data-testid={`${testId}-quorum`}>
        {quorumText(m)}
      </Text>
    </View>
  );
}

/** The minutes as kept: the text, and which revision, by whom, when. */
export function Minutes({ minutes }: { minutes: NonNullable<MeetingView['minutes']> }) {
  return (
    <View className='mtg-minutes' data-testid='meeting-minutes'>
      <Text className='mtg-minutes__text'>{minutes.text}</Text>
      <Text className='mtg-minutes__meta' data-testid='meeting-minutes-meta'>
        {`第${minutes.revision}版 · ${minutes.byName} · ${formatMonthDayTime(minutes.at)}`}
      </Text>
    </View>
  );
}

export const resolutionTones: Record<ResolutionStatus, Tone> = { open: 'wait', in_progress: 'info', done: 'ok' };
const followUpLabels: Record<'in_progress' | 'done', string> = { in_progress: '落实中', done: '已落实' };

/** "12月31日 周四" from 'YYYY-MM-DD'. */
export const dueText = (date: string) => formatDay(date);

/** One resolution: what was decided, the show of hands, who carries it out by when, and how far it has got. */
export function Resolution({ r, children }: { r: ResolutionView; children?: ReactNode }) {
  return (
    <View className='mtg-res' data-testid='resolution' data-status={r.status}>
      <View className='mtg-res__head'>
        <Text className='mtg-res__agenda'>{r.agendaTitle}</Text>
        <Tag tone={r.passed ? 'ok' : 'bad'}>{r.passed ? '通过' : '未通过'}</Tag>
      </View>
      <Text className='mtg-res__text' data-testid='resolution-text'>
        {r.text}
      </Text>
      <Text className='mtg-res__votes' data-testid='resolution-votes'>
        {`赞成 ${r.yes} · 反对 ${r.no} · 弃权 ${r.abstain}`}
      </Text>
      <Text className='mtg-res__present' data-testid='resolution-present'>
        {`到会 ${r.present} 人，赞成过半数才通过`}
      </Text>
      <View className='mtg-res__line'>
        <Text className='mtg-res__key'>落实责任方</Text>
        <Text className='mtg-res__value' data-testid='resolution-owner'>
          {r.owner}
        </Text>
      </View>
      <View className='mtg-res__line'>
        <Text className='mtg-res__key'>完成期限</Text>
        <Text className='mtg-res__value'>{dueText(r.dueDate)}</Text>
      </View>
      <View className='mtg-res__line'>
        <Text className='mtg-res__key'>落实情况</Text>
        <Tag tone={resolutionTones[r.status]}>{resolutionStatusLabels[r.status]}</Tag>
      </View>
      {r.followUps.length ? (
        <View className='mtg-res__follow' data-testid='resolution-follow-ups'>
          {r.followUps.map((f, i) => (
            <View key={i} className='mtg-follow' data-testid='follow-up'>
              <Text className='mtg-follow__note'>{f.note}</Text>
              <Text className='mtg-follow__meta'>{`${followUpLabels[f.status]} · ${f.byName} · ${formatMonthDayTime(f.at)}`}</Text>
            </View>
          ))}
        </View>
      ) : null}
      {children}
    </View>
  );
}

// --- The poster's code ---

const CODE = /^[A-Za-z0-9]{10}$/;

function decode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/**
 * The code in what opened the page: `c` (the poster's path and the H5 link),
 * WeChat's `scene` (the code itself, or `c=…`), or `q` (WeChat wrapping a
 * scanned URL that holds `c=`).
 */
export function meetingCodeOf(params: Record<string, string | undefined>): string | null {
  const candidates: string[] = [];
  if (params.c) candidates.push(decode(params.c));
  if (params.scene) {
    const scene = decode(params.scene);
    candidates.push(scene, /(?:^|[?&])c=([^&#]+)/.exec(scene)?.[1] ?? '');
  }
  if (params.q) {
    const url = decode(params.q);
    candidates.push(decode(/[?&#]c=([^&#]+)/.exec(url)?.[1] ?? ''));
  }
  return candidates.map((c) => c.trim()).find((c) => CODE.test(c)) ?? null;
}
