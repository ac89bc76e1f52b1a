import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { mockApi, type Call } from './support/http';
import { resetAppState, signIn } from './support/reset';
import { centreMe, gridWorkerMe } from './support/centre';
import { buildings, caseIds } from './support/cases';
import StaffCaseRules from '../../miniapp/src/staff/case-rules/index';

const type = (el: Element, value: string) => fireEvent.input(el, { target: { value } });
const writes = (calls: Call[]) => calls.filter((c) => c.method !== 'GET');
const ruleId = '7a'.repeat(12);

function routes(extra: Record<string, Parameters<typeof mockApi>[0][string]> = {}) {
  return {
    'GET /api/v1/me': centreMe,
    'GET /api/v1/spaces/buildings': buildings,
    'GET /api/v1/staff/routing-rules': { status: 200, body: { items: [{ id: ruleId, category: 'elevator', buildingId: caseIds.building, level: 'grid' }] } },
    'GET /api/v1/staff/promises': {
      status: 200,
      body: { items: [{ id: '8b'.repeat(12), category: 'utilities', kind: null, urgent: null, amount: 12, unit: 'hours' }], holidays: ['2027-01-01'], workdays: [] },
    },
    ...extra,
  };
}

describe('staff: 分派规则和服务承诺', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
  });

  it('lists the rules in words; adds a routing rule with the choices made; deletes one after an inline confirmation', async () => {
    const api = mockApi(
      routes({
        'POST /api/v1/staff/routing-rules': { status: 201, body: { id: '9c'.repeat(12) } },
        [`DELETE /api/v1/staff/routing-rules/${ruleId}`]: { status: 204 },
      }),
    );
    render(<StaffCaseRules />);
    expect((await screen.findByTestId('routing-rule')).textContent).toContain('电梯 · 3号楼 → 网格员');
    expect((await screen.findByTestId('promise-rule')).textContent).toContain('水电 · 全部类型 → 12小时内办好');

    fireEvent.click(screen.getByTestId('routing-add'));
    fireEvent.click(screen.getByTestId('routing-save'));
    expect((await screen.findByTestId('routing-level-error')).textContent).toBe('请选择交给谁');
    fireEvent.click(screen.getByTestId('routing-category-noise'));
    fireEvent.click(screen.getByTestId('routing-level-centre'));
    fireEvent.click(screen.getByTestId('routing-save'));
    await waitFor(() => expect(writes(api.calls)).toHaveLength(1));
    expect(writes(api.calls)[0]).toMatchObject({ method: 'POST', body: { category: 'noise', buildingId: null, level: 'centre' } });

    fireEvent.click(await screen.findByTestId('routing-delete'));
    expect(writes(api.calls)).toHaveLength(1);
    fireEvent.click(screen.getByTestId('routing-delete-confirm'));
    await waitFor(() => expect(writes(api.calls)).toHaveLength(2));
    expect(writes(api.calls)[1]).toMatchObject({ method: 'DELETE', path: `/api/v1/staff/routing-rules/${ruleId}` });
  });

  it('adds a promise checked by the shared schema, and saves the holiday calendar', async () => {
    const api = mockApi(
      routes({
        'POST /api/v1/staff/promises': { status: 201, body: { id: '9d'.repeat(12) } },
        'PUT /api/v1/staff/promises/calendar': (c) => ({ status: 200, body: c.body }),
      }),
    );
    render(<StaffCaseRules />);
    fireEvent.click(await screen.findByTestId('promise-add'));
    fireEvent.click(screen.getByTestId('promise-urgent-yes'));
    type(screen.getByTestId('promise-amount-input'), '500');
    fireEvent.click(screen.getByTestId('promise-unit-hours'));
    fireEvent.click(screen.getByTestId('promise-save'));
    expect((await screen.findByTestId('promise-amount-error')).textContent).toBeTruthy();
    expect(writes(api.calls)).toHaveLength(0);
    type(screen.getByTestId('promise-amount-input'), '4');
    fireEvent.click(screen.getByTestId('promise-save'));
    await waitFor(() => expect(writes(api.calls)).toHaveLength(1));
    expect(writes(api.calls)[0]!.body).toEqual({ urgent: true, category: null, kind: null, amount: 4, unit: 'hours' });

    const holidays = screen.getByTestId('calendar-holidays');
    expect(holidays.textContent).toContain('2027年1月1日');
    type(within(holidays).getByTestId('holidays-input'), '10月1日');
    fireEvent.click(within(holidays).getByTestId('holidays-add'));
    expect((await screen.findByTestId('holidays-error')).textContent).toContain('年-月-日');
    type(within(holidays).getByTestId('holidays-input'), '2027-02-30');
    fireEvent.click(within(holidays).getByTestId('holidays-add'));
    expect(screen.getByTestId('holidays-error')).toBeTruthy();
    type(within(holidays).getByTestId('holidays-input'), '2026-12-31');
    fireEvent.click(within(holidays).getByTestId('holidays-add'));
    const workdays = screen.getByTestId('calendar-workdays');
    type(within(workdays).getByTestId('workdays-input'), '2027-02-20');
    fireEvent.click(within(workdays).getByTestId('workdays-add'));
    fireEvent.click(screen.getByTestId('calendar-save'));
    await waitFor(() => expect(writes(api.calls)).toHaveLength(2));
    expect(writes(api.calls)[1]).toMatchObject({ method: 'PUT', body: { holidays: ['2026-12-31', '2027-01-01'], workdays: ['2027-02-20'] } });
    expect((await screen.findByTestId('calendar-notice')).textContent).toContain('已保存');
  });

  it('is for the centre only', async () => {
    mockApi({ 'GET /api/v1/me': gridWorkerMe });
    render(<StaffCaseRules />);
    expect(await screen.findByText(/没有权限/)).toBeTruthy();
  });
});
