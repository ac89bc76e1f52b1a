import type { ReactNode } from 'react';
import { Loading, Notice } from '../components/ui';
import { useMe } from '../components/useMe';

/** Renders its children for the service centre's staff and admins (the API refuses others with 403 anyway). */
export function CentreOnly({ children }: { children: ReactNode }) {
  const { me, status, error } = useMe();
  if (!me) return status === 'error' ? <Notice tone='bad' text={error} /> : <Loading />;
  if (!me.roles.some((r) => r === 'community_staff' || r === 'admin')) {
    return <Notice tone='bad' text='这一页是便民服务中心工作人员用的，您没有权限查看。' />;
  }
  return <>{children}</>;
}
