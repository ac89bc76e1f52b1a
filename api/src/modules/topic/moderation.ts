import { AppError } from '../../app-error.js';
import type { Actor } from '../../http/types.js';
import type { Logger } from '../../logger.js';
import type { WechatClient } from '../../wechat/client.js';

export type ModerationVerdict = 'pass' | 'review' | 'unchecked';

/**
 * WeChat's msg_sec_check before anyone else sees a resident's text: risky is
 * refused (CONTENT_RISKY, nothing stored), review and "could not ask" are
 * returned for the caller to hold the text for staff — never to show it.
 */
export function createModerator(wechat: WechatClient, openidOf: (userId: string) => Promise<string | null>, log?: Logger) {
  return async function moderate(actor: Actor, text: string, scene: 2 | 3): Promise<ModerationVerdict> {
    const openid = await openidOf(actor.id);
    // Staff at a desk in the browser have no openid to check with; they sign what they post.
    if (!openid) return actor.kind === 'staff' ? 'pass' : 'unchecked';
    try {
      const { verdict } = await wechat.checkText(openid, text, scene);
      if (verdict === 'risky') throw new AppError('CONTENT_RISKY');
      return verdict;
    } catch (error) {
      if (error instanceof AppError) throw error;
      log?.warn({ err: error }, 'content check unavailable; holding the text for staff');
      return 'unchecked';
    }
  };
}
