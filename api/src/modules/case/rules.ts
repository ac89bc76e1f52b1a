import { addDays, shanghaiDate, shanghaiInstant, weekdayOf, type CaseCategory, type CaseKind, type DeskLevel } from '@community/shared';

/** Pure rules of the feedback desk: routing, service promises on working days, escalation. */

export interface RoutingRule {
  category: CaseCategory | null;
  buildingId: string | null;
  level: 'property' | 'grid' | 'centre';
}

/**
 * The first desk: the most specific rule wins (category and building, then
 * building, then category); without a rule, the building's property company,
 * or the grid worker when the building has no company.
 */
export function routeCase(rules: readonly RoutingRule[], c: { category: CaseCategory; buildingId: string; hasPropertyCompany: boolean }): DeskLevel {
  const score = (r: RoutingRule) => (r.buildingId !== null ? 2 : 0) + (r.category !== null ? 1 : 0);
  const matching = rules.filter((r) => (r.category === null || r.category === c.category) && (r.buildingId === null || r.buildingId === c.buildingId));
  const best = [...matching].sort((a, b) => score(b) - score(a))[0];
  const level = best?.level ?? 'property';
  return level === 'property' && !c.hasPropertyCompany ? 'grid' : level;
}

export interface PromiseRule {
  category: CaseCategory | null;
  kind: CaseKind | null;
  urgent: boolean | null;
  amount: number;
  unit: 'hours' | 'working_days';
}

/** The defaults of product.md F4: urgent 2 h, utilities 24 h, general 7 working days, complex (complaints) 15. */
export const defaultPromises: PromiseRule[] = [
  { category: null, kind: null, urgent: true, amount: 2, unit: 'hours' },
  { category: 'utilities', kind: null, urgent: null, amount: 24, unit: 'hours' },
  { category: 'elevator', kind: null, urgent: null, amount: 24, unit: 'hours' },
  { category: null, kind: 'complaint', urgent: null, amount: 15, unit: 'working_days' },
  { category: null, kind: null, urgent: null, amount: 7, unit: 'working_days' },
];

/** The promise for a case: the community's own rules first, most specific first, then the defaults. */
export function promiseFor(rules: readonly PromiseRule[], c: { category: CaseCategory; kind: CaseKind; urgent: boolean }): PromiseRule {
  const specificity = (r: PromiseRule) => (r.urgent !== null ? 4 : 0) + (r.category !== null ? 2 : 0) + (r.kind !== null ? 1 : 0);
  const fits = (r: PromiseRule) => (r.urgent === null || r.urgent === c.urgent) && (r.category === null || r.category === c.category) && (r.kind === null || r.kind === c.kind);
  for (const set of [rules, defaultPromises]) {
    const best = set.filter(fits).sort((a, b) => specificity(b) - specificity(a))[0];
    if (best) return best;
  }
  return defaultPromises.at(-1)!;
}

export function isWorkingDay(date: string, holidays: ReadonlySet<string>, workdays: ReadonlySet<string> = new Set()): boolean {
  if (workdays.has(date)) return true; // 调休: a weekend made a working day
  return weekdayOf(date) <= 5 && !holidays.has(date);
}

/**
 * The instant a promise falls due. Hours run on the clock; working days count
 * whole working days after the day of receipt, due at 18:00 Shanghai time on
 * the last one (a case in on Friday evening with 1 working day is due Monday 18:00).
 */
export function dueAt(from: Date, rule: Pick<PromiseRule, 'amount' | 'unit'>, holidays: ReadonlySet<string>, workdays: ReadonlySet<string> = new Set()): Date {
  if (rule.unit === 'hours') return new Date(from.getTime() + rule.amount * 3600_000);
  let date = shanghaiDate(from);
  let left = rule.amount;
  while (left > 0) {
    date = addDays(date, 1);
    if (isWorkingDay(date, holidays, workdays)) left--;
  }
  return shanghaiInstant(date, '18:00');
}

/** How long a desk that receives an escalated case has to acknowledge it (报到). */
export const acknowledgeHours: Record<DeskLevel, number> = { property: 2, grid: 4, centre: 8, street: 24 };

export function nextLevel(level: DeskLevel): DeskLevel | null {
  const order: DeskLevel[] = ['property', 'grid', 'centre', 'street'];
  return order[order.indexOf(level) + 1] ?? null;
}
