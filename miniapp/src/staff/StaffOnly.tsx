import type { ReactNode } from 'react';
import { Loading, Notice } from '../components/ui';
import { useMe } from '../components/useMe';
import { isStaffUser } from '../store/session';

/** Renders its children for staff only; others get a plain explanation. */
export function StaffOnly({ children }: { children: ReactNode }) {
  const { me, status, error } = useMe();
  if (!me) return status === 'error' ? <Notice tone='bad' text={error} /> : <Loading />;
  if (!isStaffUser(me)) return <Notice tone='bad' text='这里是社区工作人员的工作台，您没有权限查看。' />;
  return <>{children}</>;
}
