interface Hours {
  weekday: number;
  start: string;
  end: string;
}

const dayNames = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];

/**
 * Opening hours in words, weekdays with the same hours put together:
 * "周一至周五 09:00–12:00、14:30–17:30；周六 09:00–12:00".
 */
export function hoursText(weeklyHours: readonly Hours[]): string {
  const perDay: string[] = [];
  for (let d = 1; d <= 7; d++) {
    perDay[d] = weeklyHours
      .filter((h) => h.weekday === d)
      .sort((a, b) => a.start.localeCompare(b.start))
      .map((h) => `${h.start}–${h.end}`)
      .join('、');
  }
  const parts: string[] = [];
  let d = 1;
  while (d <= 7) {
    const hours = perDay[d];
    if (!hours) {
      d++;
      continue;
    }
    let last = d;
    while (last + 1 <= 7 && perDay[last + 1] === hours) last++;
    const days = last === d ? dayNames[d] : last === d + 1 ? `${dayNames[d]}、${dayNames[last]}` : `${dayNames[d]}至${dayNames[last]}`;
    parts.push(`${days} ${hours}`);
    d = last + 1;
  }
  return parts.join('；');
}

