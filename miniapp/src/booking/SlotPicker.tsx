import { useEffect, useMemo, useState } from 'react';
import { Text, View } from '@tarojs/components';
import type { SlotView } from '@community/shared';
import { formatDay, formatTime, relativeDay } from '../services/format';

export function slotHint(s: SlotView): string {
  if (s.seatsLeft > 0) return `剩${s.seatsLeft}个名额`;
  return s.waitlistLength > 0 ? `约满 · 候补${s.waitlistLength}人` : '约满 · 可候补';
}

/** "11月28日" and "周六" of a 'YYYY-MM-DD' (formatDay gives "11月28日 周六"). */
const monthDay = (date: string) => formatDay(date).split(' ')[0] ?? date;
const weekday = (date: string) => formatDay(date).split(' ')[1] ?? '';

function dayTitle(date: string): string {
  const rel = relativeDay(date);
  return rel ? `${rel} ${formatDay(date)}` : formatDay(date);
}

interface Props {
  slots: SlotView[];
  picked: SlotView | null;
  onPick: (slot: SlotView) => void;
  /** Rescheduling: only slots with seats, never the booking's own. */
  seatsOnly?: boolean;
  excludeSlotId?: string;
}

/**
 * The next days' open slots: first a day (with how many seats it still has),
 * then that day's times, each with the seats left, or 约满 and the length of
 * the waiting line. Big buttons in a grid, the same in 长辈版.
 */
export function SlotPicker({ slots, picked, onPick, seatsOnly, excludeSlotId }: Props) {
  const open = useMemo(
    () => slots.filter((s) => s.bookable && s.id !== excludeSlotId && (!seatsOnly || s.seatsLeft > 0)),
    [slots, seatsOnly, excludeSlotId],
  );
  const days = useMemo(() => {
    const byDay = new Map<string, SlotView[]>();
    for (const s of open) {
      const list = byDay.get(s.date) ?? [];
      list.push(s);
      byDay.set(s.date, list);
    }
    return [...byDay.entries()].map(([date, list]) => ({ date, list, seats: list.reduce((n, s) => n + s.seatsLeft, 0) }));
  }, [open]);
  const [day, setDay] = useState<string | null>(null);
  const current = days.find((d) => d.date === day) ?? days[0] ?? null;

  // A reload that no longer has the chosen day falls back to the first one.
  useEffect(() => {
    if (day && !days.some((d) => d.date === day)) setDay(null);
  }, [day, days]);

  if (!current) return null;
  return (
    <View className='slots' data-testid='slot-picker'>
      <Text className='slots__step'>第一步：选日子</Text>
      <View className='choices choices--2' data-testid='slot-days'>
        {days.map((d) => {
          const on = d.date === current.date;
          return (
            <View
              key={d.date}
              className={`tap choice ${on ? 'choice--on' : ''}`}
              role='radio'
              aria-checked={on}
              data-testid={`slot-days-${d.date}`}
              onClick={() => setDay(d.date)}
            >
              <Text className='choice__label'>{monthDay(d.date)}</Text>
              <Text className='choice__hint'>{[relativeDay(d.date), weekday(d.date)].filter(Boolean).join(' ')}</Text>
              <Text className='choice__hint'>{d.seats > 0 ? `剩${d.seats}个名额` : '已约满，可候补'}</Text>
            </View>
          );
        })}
      </View>
      <Text className='slots__step'>第二步：选时间（{dayTitle(current.date)}）</Text>
      <View className='choices choices--2' data-testid='slot-times'>
        {current.list.map((s) => {
          const on = picked?.id === s.id;
          return (
            <View
              key={s.id}
              className={`tap choice slot ${on ? 'choice--on' : ''} ${s.seatsLeft > 0 ? '' : 'slot--full'}`}
              role='radio'
              aria-checked={on}
              data-testid={`slot-${s.id}`}
              onClick={() => onPick(s)}
            >
              <Text className='choice__label'>
                {formatTime(s.startAt)}–{formatTime(s.endAt)}
              </Text>
              <Text className='choice__hint slot__seats'>{slotHint(s)}</Text>
            </View>
          );
        })}
      </View>
    </View>
  );
}
