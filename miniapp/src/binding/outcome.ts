import type { BindingView } from '@community/shared';
import { api } from '../services/request';
import { formatDate } from '../services/format';

/** Calls of the binding pages beyond the shared endpoint list. */
export const BindingApi = {
  withdraw: (id: string) => api.post<BindingView>(`/api/v1/bindings/${encodeURIComponent(id)}/withdraw`),
};

/**
 * What happens to a request, in the words the resident reads: passed at once
 * (WeChat's phone matched the register, or a code), one staff check, or two.
 * Older answers may lack the review fields; they read as one staff check.
 */
export function outcomeOf(b: Pick<BindingView, 'status' | 'reviewPath' | 'ownerMatch' | 'firstApprovedAt' | 'expectedBy'> & Partial<BindingView>): string | null {
  if (b.status === 'approved' && b.ownerMatch === 'phone') return '手机号与业主登记一致，已自动通过';
  if (b.status === 'approved' && b.ownerMatch === 'invitation') return '已用社区发的邀请码绑定';
  if (b.status !== 'pending') return null;
  const by = b.expectedBy ? `，预计${formatDate(b.expectedBy)}前有结果` : '';
  if (b.reviewPath === 'two_staff') {
    return b.firstApprovedAt
      ? `需要两位工作人员核对：第一位已核对，正在等第二位复核${by}`
      : `需要两位工作人员核对${by}`;
  }
  return `等待社区审核${by}`;
}
