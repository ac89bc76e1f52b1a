import { Text, View } from '@tarojs/components';
import type { Choice } from '../components/ui';

/** Several choices at once (ChoiceGrid's look, checkbox behaviour); “✓ 已选” shows what is on. */
export function Toggles<V extends string>({
  options,
  values,
  onToggle,
  columns = 2,
  testId,
}: {
  options: Choice<V>[];
  values: readonly V[];
  onToggle: (v: V) => void;
  columns?: 2 | 3;
  testId?: string;
}) {
  return (
    <View className={`choices choices--${columns}`} data-testid={testId}>
      {options.map((o) => {
        const on = values.includes(o.value);
        return (
          <View
            key={o.value}
            className={`tap choice ${on ? 'choice--on' : ''}`}
            role='checkbox'
            aria-checked={on}
            data-testid={testId ? `${testId}-${o.value}` : undefined}
            onClick={() => onToggle(o.value)}
          >
            <Text className='choice__label'>{o.label}</Text>
            {o.hint ? <Text className='choice__hint'>{o.hint}</Text> : null}
            {/* Said in words under the label, not only by colour (and without widening the label). */}
            {on ? <Text className='choice__hint toggle__on'>✓ 已选</Text> : null}
          </View>
        );
      })}
    </View>
  );
}

export function toggled<V>(list: readonly V[], v: V): V[] {
  return list.includes(v) ? list.filter((x) => x !== v) : [...list, v];
}
