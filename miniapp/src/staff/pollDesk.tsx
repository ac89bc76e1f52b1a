import type { ReactNode } from 'react';
import {
  formatArea,
  participationRule,
  smallestMeeting,
  type MeView,
  type PollCountingUnit,
  type PollStatus,
  type PollView,
} from '@community/shared';
import { Loading, Notice, type Tone } from '../components/ui';
import { useMe } from '../components/useMe';
import { isApiError } from '../services/request';

/** 投票管理 (staff/polls, poll-new, non-voters, paper-ballot, objections, topic-review): who does what. */

/** Centre staff and admins run polls (create, publish, close, remind, export, objections). */
export function isCentreStaff(me: MeView | null): boolean {
  return !!me?.roles.some((r) => r === 'community_staff' || r === 'admin');
}

/** Grid workers take paper ballots door to door and visit the non-voters of their grids. */
export function isGridWorker(me: MeView | null): boolean {
  return !!me?.roles.includes('grid_worker');
}

/**
 * Renders its children for centre staff and grid workers (the API's `field`
 * roles for polls); others, such as property staff, get a plain explanation.
 */
export function PollDeskOnly({ children }: { children: ReactNode }) {
  const { me, status, error } = useMe();
  if (!me) return status === 'error' ? <Notice tone='bad' text={error} /> : <Loading />;
  if (!isCentreStaff(me) && !isGridWorker(me)) {
    return <Notice tone='bad' text='这一页是社区工作人员和网格员管理投票用的，您没有权限查看。' />;
  }
  return <>{children}</>;
}

export const pollStatusTone: Record<PollStatus, Tone> = { draft: 'wait', open: 'ok', closed: 'info', cancelled: 'bad' };

/** Short names of the counting units, for lists and buttons (the shared labels are whole sentences). */
export const countingShort: Record<PollCountingUnit, string> = {
  person: '按人计票',
  room: '按户计票',
  owner: '业主表决',
};

/** What one ballot stands for: a person, a household (户) or an owner (counted by headcount). */
export const unitWord: Record<PollCountingUnit, string> = { person: '人', room: '户', owner: '人' };

/** Whole percent, rounded down (a display figure only; the legal tests use the shared integer rules). */
export function percent(part: number, whole: number): number {
  return whole > 0 ? Math.floor((part * 100) / whole) : 0;
}

/** "已投 120 / 600 户（20%）", and for owner votes the exclusive area too. */
export function participationLines(p: PollView): string[] {
  const t = p.participation;
  if (!t) return [];
  const lines = [`已投 ${t.heads} / ${t.totalHeads} ${unitWord[p.countingUnit]}（${percent(t.heads, t.totalHeads)}%）`];
  if (p.countingUnit === 'owner' && t.area !== null && t.totalArea !== null) {
    lines.push(`专有面积 ${formatArea(t.area)} / ${formatArea(t.totalArea)}（${percent(t.area, t.totalArea)}%）`);
    // Art. 278: both the headcount and the area must reach two thirds of the roll for anything to pass.
    const heads = smallestMeeting(t.totalHeads, participationRule);
    const area = smallestMeeting(t.totalArea, participationRule);
    lines.push(`参与表决需达到 ${heads} 人、${formatArea(area)}（都要三分之二以上）`);
  }
  return lines;
}

/** A write the API may not have received (network, 5xx, still in progress): a retry sends the same Idempotency-Key. */
export function mayRetry(e: unknown): boolean {
  if (!isApiError(e)) return true;
  return e.status === 0 || e.status >= 500 || e.code === 'IDEMPOTENCY_IN_PROGRESS';
}

/** The room labels a POLL_ROLL_INCOMPLETE answer carries (rooms with no owner in the register). */
export function missingRoomsOf(e: unknown): string[] {
  if (!isApiError(e) || e.code !== 'POLL_ROLL_INCOMPLETE') return [];
  const rooms = e.details?.rooms;
  return Array.isArray(rooms) ? rooms.map(String) : [];
}

/** A query value as sent by withQuery: WeChat may hand it over still percent-encoded (unit keys hold ':' and '+'). */
export function queryValue(value: string | undefined): string {
  if (!value) return '';
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** "十二" → 12 (one to ninety-nine, as grid names use them). */
function cnToNumber(run: string): number {
  const [tens, ones] = run.includes('十') ? run.split('十') : ['', run];
  const t = run.includes('十') ? (tens ? (CN_DIGITS[tens] ?? 0) : 1) : 0;
  return t * 10 + (ones ? (CN_DIGITS[ones] ?? 0) : 0);
}

/** 第一网格, 第二网格, 第三网格 … in counting order (a plain sort puts 第三 before 第二). */
export function byGridName<T extends { name: string }>(list: readonly T[]): T[] {
  const key = (name: string) => name.replace(/[一二三四五六七八九十]+/g, (run) => String(cnToNumber(run)));
  return [...list].sort((a, b) => key(a.name).localeCompare(key(b.name), 'zh-CN', { numeric: true }));
}
