import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import {
  caseCategoryLabels,
  caseKindLabels,
  caseStatusLabels,
  deskLevelLabels,
  type CaseStatus,
  type CaseView,
  type DeskLevel,
} from '@community/shared';
import { Tag, type Tone } from '../components/ui';
import { formatDateTime, formatDay } from '../services/format';
import { useElderly } from '../store/elderly';
import { protectedPhoto } from './photos';
import { countdownOf } from './time';

export const statusTone: Record<CaseStatus, Tone> = { submitted: 'wait', accepted: 'info', paused: 'wait', resolved: 'ok', closed: 'ok' };

/** The status as the desks read it (the resident's label speaks to the resident). */
export const deskStatusLabels: Record<CaseStatus, string> = { ...caseStatusLabels, resolved: '已处理，待居民确认' };

/** "报修 · 水电" */
export const caseTitle = (c: Pick<CaseView, 'kind' | 'category'>) => `${caseKindLabels[c.kind]} · ${caseCategoryLabels[c.category]}`;

/** The clock for countdowns: ticks every 30 seconds while the page is open. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

/** "还剩 3小时12分" / "已超时 2小时" / "暂停", or nothing once handled. */
export function Countdown({ c, now, testId = 'countdown' }: { c: Pick<CaseView, 'status' | 'promisedBy'>; now: number; testId?: string }) {
  const state = countdownOf(c, now);
  if (!state) return null;
  return (
    <Text className={`fb-countdown fb-countdown--${state.tone}`} data-testid={testId}>
      {state.text}
    </Text>
  );
}

/** One step's title: a hand-over reads "超时上报 → 网格员". */
export function stepTitle(s: CaseView['history'][number]): string {
  const to = s.level ? deskLevelLabels[s.level as DeskLevel] : null;
  if (to && (s.action === 'escalated' || s.action === 'transferred' || s.action === 'returned')) return `${s.label} → ${to}`;
  if (to && s.action === 'submitted') return `${s.label}（交给${to}）`;
  return s.label;
}

/** "暂停至 12月1日 周二" while a desk has paused the case, else null. */
export function pausedText(c: Pick<CaseView, 'status' | 'pausedUntil'>): string | null {
  return c.status === 'paused' && c.pausedUntil ? `暂停至 ${formatDay(c.pausedUntil)}` : null;
}

/** The whole record, oldest first; escalations stand out; a step's photos (处理完成) under its note. */
export function History({ steps, testId = 'case-history' }: { steps: CaseView['history']; testId?: string }) {
  return (
    <View className='fb-steps' data-testid={testId}>
      {steps.map((s, i) => (
        <View key={`${s.at}-${i}`} className={`fb-step ${s.action === 'escalated' ? 'fb-step--escalated' : ''}`} data-testid='case-step'>
          <Text className='fb-step__title'>{stepTitle(s)}</Text>
          <Text className='fb-step__when'>{`${formatDateTime(s.at)} · ${s.byName}`}</Text>
          {s.note ? <Text className='fb-step__note'>{s.note}</Text> : null}
          {s.photoUrls?.length ? <CasePhotos urls={s.photoUrls} testId='step-photos' /> : null}
        </View>
      ))}
    </View>
  );
}

export function CaseTags({ c, desk }: { c: CaseView; desk?: boolean }) {
  return (
    <View className='tags fb-tags'>
      <Tag tone={statusTone[c.status]}>{(desk ? deskStatusLabels : caseStatusLabels)[c.status]}</Tag>
      {c.urgent ? <Tag tone='bad'>紧急</Tag> : null}
      {c.overdue ? <Tag tone='bad'>已超时</Tag> : null}
      {c.awaitingAcknowledgement ? <Tag tone='wait'>待报到</Tag> : null}
    </View>
  );
}

function OnePhoto({ url, index, onLoaded }: { url: string; index: number; onLoaded: (index: number, src: string) => void }) {
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    protectedPhoto(url)
      .then((s) => {
        if (!live) return;
        setSrc(s);
        onLoaded(index, s);
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [url]);
  if (failed) return <Text className='fb-photo__missing'>照片暂时看不到</Text>;
  if (!src) return <Text className='fb-photo__missing'>照片加载中…</Text>;
  return <Image className='fb-photo__img' src={src} mode='aspectFill' data-testid='case-photo-img' />;
}

/**
 * A case's photos, fetched with the token. Three to a row, a tap shows them large;
 * in 长辈版 each is shown full width instead (no viewer to close).
 */
export function CasePhotos({ urls, testId = 'case-photos' }: { urls: string[]; testId?: string }) {
  const elderly = useElderly();
  const [loaded, setLoaded] = useState<Record<number, string>>({});
  if (!urls.length) return null;
  const onLoaded = (i: number, s: string) => setLoaded((m) => ({ ...m, [i]: s }));
  function open(i: number) {
    const srcs = urls.map((_, k) => loaded[k]).filter((s): s is string => !!s);
    if (!loaded[i]) return;
    void Promise.resolve(Taro.previewImage({ urls: srcs, current: loaded[i] })).catch(() => undefined);
  }
  return (
    <View className={`fb-photo-grid ${elderly ? 'fb-photo-grid--wide' : ''}`} data-testid={testId}>
      {urls.map((u, i) =>
        elderly ? (
          <View key={u} className='fb-photo' data-testid='case-photo'>
            <OnePhoto url={u} index={i} onLoaded={onLoaded} />
          </View>
        ) : (
          <View key={u} className='tap fb-photo' role='button' aria-label={`看大图：第${i + 1}张`} data-testid='case-photo' onClick={() => open(i)}>
            <OnePhoto url={u} index={i} onLoaded={onLoaded} />
          </View>
        ),
      )}
    </View>
  );
}
