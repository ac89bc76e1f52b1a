import type { FieldErrors } from '@community/shared';

interface IssueLike {
  path: PropertyKey[];
  message: string;
}

/** zod issues → messages per top-level field, in the schema's own words. */
export function fieldErrorsOf(issues: readonly IssueLike[]): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.length ? String(issue.path[0]) : '';
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** zod issues → messages per full dotted path ("guide.location", "weeklyHours.0.end"); "" for the whole body. */
export function pathErrorsOf(issues: readonly IssueLike[]): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.');
    (out[key] ??= []).push(issue.message);
  }
  return out;
}
