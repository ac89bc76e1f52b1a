import Taro from '@tarojs/taro';
import { Api } from './endpoints';

export interface BookingTemplates {
  bookingResult: string;
  bookingReminder: string;
}

type Prompt = (ids: string[]) => Promise<Record<string, string>>;

const wechatPrompt: Prompt = (ids) =>
  Taro.requestSubscribeMessage({ tmplIds: ids } as Parameters<typeof Taro.requestSubscribeMessage>[0]) as unknown as Promise<
    Record<string, string>
  >;

/**
 * Asks, inside the tap that books, whether the person wants WeChat notices for
 * this booking (WeChat: one "allow" = one message), and tells the API which
 * templates were allowed, so it may spend one credit per notice. Only in
 * WeChat (H5 has no subscribe messages) and not in 长辈版, which shows no
 * pop-ups: there the in-app inbox carries every notice. Declining, or an old
 * WeChat without the API, changes nothing.
 *
 * WeChat only shows the prompt when it is called straight from the tap, so the
 * template ids must already be loaded (`templates`) and nothing is awaited first.
 */
export function askForBookingNotices(
  templates: BookingTemplates | null,
  options: { platform?: string; elderly: boolean; prompt?: Prompt },
): Promise<string[]> {
  const platform = options.platform ?? process.env.TARO_ENV;
  if (!templates || platform !== 'weapp' || options.elderly) return Promise.resolve([]);
  const ids = [templates.bookingResult, templates.bookingReminder];
  return (options.prompt ?? wechatPrompt)(ids)
    .then(async (answer) => {
      const accepted = ids.filter((id) => answer[id] === 'accept');
      if (accepted.length) await Api.recordSubscriptions(accepted);
      return accepted;
    })
    .catch(() => []);
}
