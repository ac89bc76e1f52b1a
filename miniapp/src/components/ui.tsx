import type { ReactNode } from 'react';
import { Button, Text, View } from '@tarojs/components';

/** Small building blocks shared by the pages. Tap targets carry the class `tap`. */

type BtnKind = 'primary' | 'secondary' | 'danger' | 'plain';

interface BtnProps {
  kind?: BtnKind;
  onClick?: () => void;
  disabled?: boolean;
  loading?: boolean;
  className?: string;
  children: ReactNode;
  testId?: string;
}

export function Btn({ kind = 'primary', onClick, disabled, loading, className, children, testId }: BtnProps) {
  return (
    <Button
      className={`tap btn btn--${kind} ${disabled ? 'btn--disabled' : ''} ${className ?? ''}`}
      data-testid={testId}
      disabled={disabled || loading}
      loading={loading}
      onClick={() => {
        if (!disabled && !loading) onClick?.();
      }}
    >
      {/* Wrapped: Taro H5's <taro-button-core> puts its loading icon among its own
          children, so bare text that changes while loading makes React's insertBefore
          miss its node. The Text is one stable child whose contents React owns. */}
      <Text className='btn__text'>{children}</Text>
    </Button>
  );
}

export function Card({
  title,
  extra,
  children,
  className,
  id,
  testId,
}: {
  title?: string;
  extra?: ReactNode;
  children?: ReactNode;
  className?: string;
  id?: string;
  testId?: string;
}) {
  return (
    <View className={`card ${className ?? ''}`} id={id} data-testid={testId}>
      {title || extra ? (
        <View className='card__head'>
          {title ? <Text className='card__title'>{title}</Text> : <View />}
          {extra}
        </View>
      ) : null}
      {children}
    </View>
  );
}

/** A tappable row with a label, optional value and a chevron. */
export function Row({ label, value, onClick, testId }: { label: string; value?: string; onClick?: () => void; testId?: string }) {
  return (
    <View className='tap row' onClick={onClick} data-testid={testId} role={onClick ? 'button' : undefined}>
      <Text className='row__label'>{label}</Text>
      <View className='row__right'>
        {value ? <Text className='row__value'>{value}</Text> : null}
        {onClick ? <Text className='row__chevron'>›</Text> : null}
      </View>
    </View>
  );
}

export type Tone = 'ok' | 'wait' | 'bad' | 'info';

export function Tag({ tone = 'info', children }: { tone?: Tone; children: ReactNode }) {
  return <Text className={`tag tag--${tone}`}>{children}</Text>;
}

/** A message shown in place (preferred over pop-ups, above all in 长辈版). */
export function Notice({ tone = 'info', text, testId }: { tone?: Tone; text: string | null | undefined; testId?: string }) {
  if (!text) return null;
  return (
    <View className={`notice notice--${tone}`} role={tone === 'bad' ? 'alert' : 'status'} data-testid={testId}>
      <Text className='notice__text'>{text}</Text>
    </View>
  );
}

export function FieldError({ messages, testId }: { messages?: string[] | undefined; testId?: string }) {
  if (!messages || messages.length === 0) return null;
  return (
    <View className='field__error' role='alert' data-testid={testId}>
      <Text>{messages[0]}</Text>
    </View>
  );
}

export function Field({ label, hint, error, children, testId }: { label: string; hint?: string; error?: string[] | undefined; children: ReactNode; testId?: string }) {
  return (
    <View className={`field ${error && error.length ? 'field--invalid' : ''}`}>
      <Text className='field__label'>{label}</Text>
      {hint ? <Text className='field__hint'>{hint}</Text> : null}
      {children}
      <FieldError messages={error} testId={testId ? `${testId}-error` : undefined} />
    </View>
  );
}

export interface Choice<V extends string> {
  value: V;
  label: string;
  hint?: string;
}

/** Options as big buttons laid in a grid: easier to hit than a wheel picker. */
export function ChoiceGrid<V extends string>({
  options,
  value,
  onChange,
  columns = 2,
  testId,
}: {
  options: Choice<V>[];
  value: V | null | undefined;
  onChange: (v: V) => void;
  columns?: 1 | 2 | 3;
  testId?: string;
}) {
  return (
    <View className={`choices choices--${columns}`} data-testid={testId}>
      {options.map((o) => (
        <View
          key={o.value}
          className={`tap choice ${o.value === value ? 'choice--on' : ''}`}
          role='radio'
          aria-checked={o.value === value}
          data-testid={testId ? `${testId}-${o.value}` : undefined}
          onClick={() => onChange(o.value)}
        >
          <Text className='choice__label'>{o.label}</Text>
          {o.hint ? <Text className='choice__hint'>{o.hint}</Text> : null}
        </View>
      ))}
    </View>
  );
}

export function Loading({ text = '正在加载…' }: { text?: string }) {
  return (
    <View className='state'>
      <Text className='state__text'>{text}</Text>
    </View>
  );
}

export function Empty({ text, children }: { text: string; children?: ReactNode }) {
  return (
    <View className='state'>
      <Text className='state__text'>{text}</Text>
      {children}
    </View>
  );
}

export function P({ children, muted }: { children: ReactNode; muted?: boolean }) {
  return <Text className={`p ${muted ? 'p--muted' : ''}`}>{children}</Text>;
}
