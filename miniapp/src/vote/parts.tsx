import { Text, View } from '@tarojs/components';
import { isApiError, messageOf } from '../services/request';

/** What went wrong with a write (a ballot, a topic, a comment), and whether 重试 may send it again. */
export interface Failure {
  message: string;
  code: string;
  /** The request may not have arrived (or the server failed): a retry sends the same Idempotency-Key. */
  retry: boolean;
  details: Record<string, unknown> | undefined;
}

export function failureOf(e: unknown): Failure {
  const code = isApiError(e) ? e.code : '';
  const status = isApiError(e) ? e.status : 0;
  return {
    message: messageOf(e),
    code,
    retry: status === 0 || status >= 500 || code === 'IDEMPOTENCY_IN_PROGRESS',
    details: isApiError(e) ? e.details : undefined,
  };
}

/** A key: value line. */
export function Fact({ k, v, testId }: { k: string; v: string; testId?: string }) {
  return (
    <View className='vote-fact' data-testid={testId}>
      <Text className='vote-fact__key'>{k}</Text>
      <Text className='vote-fact__value'>{v}</Text>
    </View>
  );
}

/** "ABCD-EFGH-JKMN" from whatever was typed ("abcd efgh jkmn", "ABCDEFGHJKMN"); null unless 12 letters and digits. */
export function normaliseReceipt(text: string): string | null {
  const plain = text.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (plain.length !== 12) return null;
  return `${plain.slice(0, 4)}-${plain.slice(4, 8)}-${plain.slice(8)}`;
}

/** A long hash shown short: "3f9a1c2e…77b0d4aa". */
export function shortHash(hash: string): string {
  return hash.length > 20 ? `${hash.slice(0, 8)}…${hash.slice(-8)}` : hash;
}
