import type { CaseView } from '@community/shared';
import type { Tone } from '../components/ui';

/**
 * A span of time in words: "2天3小时", "3小时12分", "2小时", "12分".
 * Days drop the minutes; under a minute still reads "1分" (never "0分").
 */
export function spanWords(ms: number): string {
  const minutes = Math.max(1, Math.floor(Math.abs(ms) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `${days}天${hours ? `${hours}小时` : ''}`;
  if (hours > 0) return `${hours}小时${mins ? `${mins}分` : ''}`;
  return `${mins}分`;
}

export interface CountdownState {
  text: string;
  tone: Tone;
  overdue: boolean;
}

/**
 * The service promise as the resident reads it: "还剩 3小时12分", "已超时 2小时",
 * "暂停" while paused; null once handled (resolved, closed: the API sends no promise then).
 */
export function countdownOf(c: Pick<CaseView, 'status' | 'promisedBy'>, now: number): CountdownState | null {
  if (c.status === 'paused') return { text: '暂停', tone: 'wait', overdue: false };
  if (!c.promisedBy) return null;
  const due = Date.parse(c.promisedBy);
  if (Number.isNaN(due)) return null;
  const left = due - now;
  if (left > 0) return { text: `还剩 ${spanWords(left)}`, tone: left < 3600_000 ? 'wait' : 'info', overdue: false };
  return { text: `已超时 ${spanWords(left)}`, tone: 'bad', overdue: true };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** 'YYYY-MM' of this month and the month before it, by the Shanghai calendar. */
export function monthsAround(today: string): { thisMonth: string; lastMonth: string } {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const lastMonth = m === 1 ? `${y - 1}-12` : `${y}-${pad2(m - 1)}`;
  return { thisMonth: today.slice(0, 7), lastMonth };
}

/** '2026-11' → "2026年11月". */
export function monthWords(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${y}年${m}月`;
}

/** A rate as a person reads it: 12/15 → "80%", with "暂无" when nothing was counted. */
export function rateOf(numerator: number, denominator: number): { percent: number | null; text: string; fraction: string } {
  if (denominator <= 0) return { percent: null, text: '暂无', fraction: '0/0' };
  const percent = Math.round((numerator / denominator) * 100);
  return { percent, text: `${percent}%`, fraction: `${numerator}/${denominator}` };
}
