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
