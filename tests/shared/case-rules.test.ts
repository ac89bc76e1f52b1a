import { dueAt, isWorkingDay, nextLevel, promiseFor, routeCase } from '../../api/src/modules/case/rules';

describe('routing', () => {
  const c = { category: 'elevator' as const, buildingId: 'b1', hasPropertyCompany: true };
  it('goes to the property company by default, or the grid worker when the building has none', () => {
    expect(routeCase([], c)).toBe('property');
    expect(routeCase([], { ...c, hasPropertyCompany: false })).toBe('grid');
  });
  it('the most specific rule wins: building and category, then building, then category', () => {
    const rules = [
      { category: 'elevator' as const, buildingId: null, level: 'centre' as const },
      { category: null, buildingId: 'b1', level: 'grid' as const },
      { category: 'elevator' as const, buildingId: 'b1', level: 'property' as const },
    ];
    expect(routeCase(rules, c)).toBe('property');
    expect(routeCase(rules.slice(0, 2), c)).toBe('grid');
    expect(routeCase(rules.slice(0, 1), c)).toBe('centre');
    expect(routeCase(rules.slice(0, 1), { ...c, category: 'noise' })).toBe('property');
  });
});

describe('service promises', () => {
  const holidays = new Set(['2026-10-01', '2026-10-02', '2026-10-05']);
  it('uses the defaults of product.md: urgent 2 h, utilities 24 h, complaints 15 working days, else 7', () => {
    expect(promiseFor([], { category: 'noise', kind: 'repair', urgent: true })).toMatchObject({ amount: 2, unit: 'hours' });
    expect(promiseFor([], { category: 'utilities', kind: 'repair', urgent: false })).toMatchObject({ amount: 24, unit: 'hours' });
    expect(promiseFor([], { category: 'noise', kind: 'complaint', urgent: false })).toMatchObject({ amount: 15, unit: 'working_days' });
    expect(promiseFor([], { category: 'greening', kind: 'suggestion', urgent: false })).toMatchObject({ amount: 7, unit: 'working_days' });
  });
  it('a community rule overrides the default', () => {
    expect(promiseFor([{ category: 'greening', kind: null, urgent: null, amount: 3, unit: 'working_days' }], { category: 'greening', kind: 'repair', urgent: false })).toMatchObject({ amount: 3 });
  });
  it('counts working days after the day of receipt, skipping weekends and holidays, due at 18:00', () => {
    // Friday 2026-11-27 20:00 Shanghai + 1 working day → Monday 11-30 18:00.
    expect(dueAt(new Date('2026-11-27T20:00:00+08:00'), { amount: 1, unit: 'working_days' }, new Set()).toISOString()).toBe(new Date('2026-11-30T18:00:00+08:00').toISOString());
    // Wednesday 2026-09-30 + 2 working days skips the 1st, 2nd (holidays), 3rd–4th (weekend), 5th (holiday) → 10-07 18:00.
    expect(dueAt(new Date('2026-09-30T09:00:00+08:00'), { amount: 2, unit: 'working_days' }, holidays).toISOString()).toBe(new Date('2026-10-07T18:00:00+08:00').toISOString());
    expect(dueAt(new Date('2026-11-27T10:00:00+08:00'), { amount: 2, unit: 'hours' }, holidays).toISOString()).toBe(new Date('2026-11-27T12:00:00+08:00').toISOString());
    // A weekend made a working day (调休) counts.
    expect(isWorkingDay('2026-10-10', holidays, new Set(['2026-10-10']))).toBe(true);
    expect(isWorkingDay('2026-10-01', holidays)).toBe(false);
  });
  it('escalates property → grid → centre → street, and no further', () => {
    expect([nextLevel('property'), nextLevel('grid'), nextLevel('centre'), nextLevel('street')]).toEqual(['grid', 'centre', 'street', null]);
  });
});
