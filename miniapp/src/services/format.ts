/** Shows an ISO time in Asia/Shanghai (UTC+8, no daylight saving) as "2026年11月26日 14:05". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const d = new Date(t + 8 * 3600 * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export function formatDate(iso: string | null | undefined): string {
  return formatDateTime(iso).split(' ')[0] ?? '';
}

/** 上午好 / 下午好 / 晚上好, by the hour in Asia/Shanghai. */
export function greeting(now: Date = new Date()): string {
  const hour = new Date(now.getTime() + 8 * 3600 * 1000).getUTCHours();
  if (hour < 5) return '夜深了';
  if (hour < 11) return '上午好';
  if (hour < 13) return '中午好';
  if (hour < 18) return '下午好';
  return '晚上好';
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** The wall clock in Asia/Shanghai of an ISO time, as UTC fields of a shifted Date. */
function shanghai(iso: string): Date | null {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : new Date(t + 8 * 3600 * 1000);
}

/** "09:00" */
export function formatTime(iso: string | null | undefined): string {
  const d = iso ? shanghai(iso) : null;
  return d ? `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}` : '';
}

/** 'YYYY-MM-DD' (a slot's date) → "11月27日 周五". */
export function formatDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${WEEKDAYS[d.getUTCDay()]}`;
}

/** Today's date in Asia/Shanghai, 'YYYY-MM-DD'. */
export function shanghaiToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/** 今天 / 明天 / 后天 for the next days, else ''. */
export function relativeDay(date: string, now: Date = new Date()): string {
  const days = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${shanghaiToday(now)}T00:00:00Z`)) / 86400000);
  return ['今天', '明天', '后天'][days] ?? '';
}

/** "12月1日 07:00" (the year only when it is not this year's). */
export function formatMonthDayTime(iso: string | null | undefined, now: Date = new Date()): string {
  const d = iso ? shanghai(iso) : null;
  if (!d) return '';
  const year = d.getUTCFullYear() !== new Date(now.getTime() + 8 * 3600 * 1000).getUTCFullYear() ? `${d.getUTCFullYear()}年` : '';
  return `${year}${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

/** A slot or booking's time: "11月27日 周五 09:00–09:30". */
export function formatSpan(startAt: string, endAt: string): string {
  const start = shanghai(startAt);
  if (!start) return '';
  return `${formatDay(start.toISOString().slice(0, 10))} ${formatTime(startAt)}–${formatTime(endAt)}`;
}
