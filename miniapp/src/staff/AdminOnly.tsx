import type { ReactNode } from 'react';
import { Loading, Notice } from '../components/ui';
import { useMe } from '../components/useMe';

/** Renders its children for community administrators only (the API refuses others with 403 anyway). */
export function AdminOnly({ children }: { children: ReactNode }) {
  const { me, status, error } = useMe();
  if (!me) return status === 'error' ? <Notice tone='bad' text={error} /> : <Loading />;
  if (!me.roles.includes('admin')) return <Notice tone='bad' text='这一页只有社区管理员可以使用，您没有权限查看。' />;
  return <>{children}</>;
}
