import Taro from '@tarojs/taro';
import { hoursText } from '../components/volunteer';
import { Api } from '../services/endpoints';
import { formatMonthDayTime } from '../services/format';
import { isApiError, messageOf } from '../services/request';

const POSTER_ID = /^[A-Za-z0-9]{10}$/;

/**
 * The poster id in what a scan gave: the bare 10-character id, a mini-program
 * path (`volunteer/scan/index?p=…`, or `?scene=…` from the WeChat code), or a
 * URL holding either (the H5 link; WeChat's `q=` wrapping a scanned URL).
 */
export function posterIdOf(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const text = raw.trim();
  if (POSTER_ID.test(text)) return text;
  let decoded = text;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    // Not percent-encoded: read as it is.
  }
  for (const name of ['p', 'scene', 'q']) {
    const m = new RegExp(`[?&#]${name}=([^&#]+)`).exec(decoded) ?? new RegExp(`[?&#]${name}=([^&#]+)`).exec(text);
    if (!m) continue;
    let value = m[1]!;
    try {
      value = decodeURIComponent(value);
    } catch {
      // Keep it raw.
    }
    const found = POSTER_ID.test(value) ? value : name === 'q' ? posterIdOf(value) : null;
    if (found) return found;
  }
  return null;
}

export function isCancel(e: unknown): boolean {
  const msg = typeof e === 'object' && e !== null && 'errMsg' in e ? String((e as { errMsg: unknown }).errMsg) : String(e);
  return /cancel/i.test(msg);
}

export interface ScanOutcome {
  ok: boolean;
  /** 签到成功 / 签退成功 / the API's own words. */
  title: string;
  /** 本次服务 1.5 小时 (check-out only). */
  hours: string | null;
  detail: string | null;
  /** The request may not have arrived: a second try is safe (a scan is a guarded state change). */
  retry: boolean;
}

/** What a scan of the poster did, said for the person holding the phone. */
export async function checkInOrOut(posterId: string): Promise<ScanOutcome> {
  try {
    const s = await Api.scanPoster(posterId);
    if (s.direction === 'out') {
      const minutes = s.scannedMinutes ?? 0;
      return {
        ok: true,
        title: '签退成功',
        hours: `本次服务 ${hoursText(minutes)} 小时`,
        detail: `「${s.activityTitle}」辛苦了！组织方确认后，时长和积分会记到您的名下。`,
        retry: false,
      };
    }
    return { ok: true, title: '签到成功', hours: null, detail: `「${s.activityTitle}」已签到。活动结束离开时，请再扫一次签到码签退。`, retry: false };
  } catch (e) {
    // Scanning again on the way out after 签退: nothing is wrong, and nothing changed.
    if (isApiError(e) && e.code === 'ALREADY_CHECKED_OUT') {
      const at = typeof e.details?.checkOutAt === 'string' ? e.details.checkOutAt : null;
      return {
        ok: true,
        title: '您已经签退过了',
        hours: null,
        detail: `${at ? `签退时间：${formatMonthDayTime(at)}。` : ''}这次活动不用再扫码，时长等组织方确认后会记到您的名下。`,
        retry: false,
      };
    }
    const status = isApiError(e) ? e.status : 0;
    return { ok: false, title: messageOf(e), hours: null, detail: null, retry: status === 0 || status >= 500 };
  }
}

/** Opens the camera; the poster id it read, null when cancelled, or a problem in words. */
export async function scanPosterCode(): Promise<{ posterId: string } | { problem: string } | null> {
  let res: { result?: string; path?: string };
  try {
    res = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] });
  } catch (e) {
    if (isCancel(e)) return null;
    return { problem: '没能打开扫一扫。请用微信“扫一扫”扫活动现场的签到码。' };
  }
  const posterId = posterIdOf(res.path) ?? posterIdOf(res.result);
  return posterId ? { posterId } : { problem: '这不是社区活动的签到码，请扫活动现场张贴的签到码。' };
}
