import type { ZodType, z } from 'zod';
import type { FieldErrors } from '@community/shared';
import { AppError } from '../app-error.js';

/**
 * Parses input with a shared schema or throws VALIDATION_FAILED with the
 * problems per field, so the form that sent it can show each one in place.
 */
export function validate<T extends ZodType>(schema: T, input: unknown, where: 'body' | 'query' | 'params'): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = [where, ...issue.path.map(String)].join('.');
    (fields[key] ??= []).push(issue.message);
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) (fields[[where, ...issue.path.map(String), k].join('.')] ??= []).push('不认识这个字段');
    }
  }
  const first = result.error.issues[0]?.message;
  throw new AppError('VALIDATION_FAILED', first ? `填写的内容有误：${first}` : undefined, { fields });
}
