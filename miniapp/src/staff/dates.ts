import { addDays } from '@community/shared';
import { formatDay, shanghaiToday } from '../services/format';

/** Dates for the centre pages, as 'YYYY-MM-DD' in Asia/Shanghai (the API's days). */

export interface Period {
  from: string;
  to: string;
}

/** The last day of a date's month. */
function monthEnd(date: string): string {
  const d = new Date(`${date.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
}

export type QuickPeriod = 'today' | 'month' | 'lastMonth';

export const quickPeriods: { value: QuickPeriod; label: string }[] = [
  { value: 'today', label: '今天' },
  { value: 'month', label: '本月' },
  { value: 'lastMonth', label: '上月' },
];

/** 今天, 本月 (1st to last day) and 上月, by the Shanghai calendar. */
export function quickPeriod(which: QuickPeriod, today: string = shanghaiToday()): Period {
  if (which === 'today') return { from: today, to: today };
  const first = `${today.slice(0, 7)}-01`;
  if (which === 'month') return { from: first, to: monthEnd(first) };
  const lastMonthEnd = addDays(first, -1);
  return { from: `${lastMonthEnd.slice(0, 7)}-01`, to: lastMonthEnd };
}

/** Which quick choice a period is, if any (so its button shows as chosen). */
export function quickOf(p: Period, today: string = shanghaiToday()): QuickPeriod | null {
  return quickPeriods.map((q) => q.value).find((q) => {
    const x = quickPeriod(q, today);
    return x.from === p.from && x.to === p.to;
  }) ?? null;
}

/** Days from `from` to `to`, both counted (2026-12-01 to 2026-12-01 is 1). */
export function daysIn(p: Period): number {
  return Math.round((Date.parse(`${p.to}T00:00:00Z`) - Date.parse(`${p.from}T00:00:00Z`)) / 86400000) + 1;
}

/** The API's limit for figures and the export (api/src/modules/booking/reports.ts). */
export const MAX_PERIOD_DAYS = 62;

/** What is wrong with a well-formed period, in words for the page; null when it can be asked for. */
export function periodProblem(p: Period): string | null {
  if (p.to < p.from) return '结束日期不能早于开始日期，请改一下';
  if (daysIn(p) > MAX_PERIOD_DAYS) return `一次最多查看或导出${MAX_PERIOD_DAYS}天，现在选了${daysIn(p)}天，请缩短一些`;
  return null;
}

/** "12月1日 周二", or "2027年1月5日 周二" when it is not this year. */
export function dayText(date: string, today: string = shanghaiToday()): string {
  return date.slice(0, 4) === today.slice(0, 4) ? formatDay(date) : `${date.slice(0, 4)}年${formatDay(date)}`;
}

/** Promise choices for 接办: a few days ahead, each with its date and weekday. */
export function promiseChoices(today: string = shanghaiToday()): { value: string; label: string; hint: string }[] {
  const ahead: Array<[number, string]> = [
    [0, '今天'],
    [1, '明天'],
    [3, '3天内'],
    [7, '一周内'],
    [15, '半个月内'],
    [30, '一个月内'],
  ];
  return ahead.map(([days, label]) => {
    const date = addDays(today, days);
    return { value: date, label, hint: dayText(date, today) };
  });
}
