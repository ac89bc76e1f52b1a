import { View } from '@tarojs/components';
import { Btn, P } from '../components/ui';

/**
 * "Are you sure?" said in place, never in a pop-up (长辈版 and screen readers
 * keep their place): what will happen in words, the act, and a way back.
 */
export function ConfirmPanel({
  text,
  confirmLabel,
  backLabel,
  onConfirm,
  onBack,
  busy,
  danger = true,
  testId,
  confirmTestId,
  rowClassName,
}: {
  text: string;
  confirmLabel: string;
  backLabel: string;
  onConfirm: () => void;
  onBack: () => void;
  busy?: boolean;
  danger?: boolean;
  testId?: string;
  confirmTestId: string;
  rowClassName?: string;
}) {
  return (
    <View className='admin-item__panel' data-testid={testId}>
      <P>{text}</P>
      <View className={`actions actions--row${rowClassName ? ` ${rowClassName}` : ''}`}>
        <Btn kind={danger ? 'danger' : 'primary'} loading={busy} testId={confirmTestId} onClick={onConfirm}>
          {confirmLabel}
        </Btn>
        <Btn kind='plain' onClick={onBack}>
          {backLabel}
        </Btn>
      </View>
    </View>
  );
}
