import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { serviceCreateBody } from '@community/shared';
import { mockApi, user, type Call } from './support/http';
import { resetAppState, signIn } from './support/reset';
import { routerParams } from './support/taro';
import { service } from './support/booking';
import StaffServiceEdit from '../../miniapp/src/staff/service-edit/index';
import StaffServices from '../../miniapp/src/staff/services/index';

const staffMe = { status: 200, body: { ...user({ kind: 'staff', roles: ['community_staff'] }), rooms: [] } };

function issue(input: unknown, path: string): string {
  const r = serviceCreateBody.safeParse(input);
  if (r.success) throw new Error('expected the schema to refuse this input');
  const found = r.error.issues.find((i) => i.path.join('.') === path);
  if (!found) throw new Error(`no issue at ${path}`);
  return found.message;
}

const type = (testId: string, value: string) => fireEvent.input(screen.getByTestId(testId), { target: { value } });

describe('staff: 服务事项', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
  });
  afterEach(() => {
    routerParams.current = {};
  });

  it('a new service: the shared schema’s messages beside each field, per opening-hours row, then the body sent', async () => {
    const api = mockApi({
      'GET /api/v1/me': staffMe,
      'POST /api/v1/staff/services': (c: Call) => ({ status: 201, body: { ...service(), ...(c.body as object) } }),
    });
    render(<StaffServiceEdit />);
    fireEvent.click(await screen.findByText('建好事项'));
    const empty = { name: '', guide: { location: '' }, contactPhone: '', slotMinutes: 30, capacity: 2 };
    expect((await screen.findByTestId('svc-name-error')).textContent).toBe(issue(empty, 'name'));
    expect(screen.getByTestId('svc-category-error').textContent).toBe(issue(empty, 'category'));
    expect(screen.getByTestId('svc-location-error').textContent).toBe(issue(empty, 'guide.location'));
    expect(screen.getByTestId('svc-phone-error').textContent).toBe(issue(empty, 'contactPhone'));

    type('svc-name-input', '老年人优待证办理');
    fireEvent.click(within(screen.getByTestId('svc-category-choices')).getByText('老年服务'));
    type('svc-location-input', '党群服务中心一楼 3号窗口');
    type('svc-phone-input', '0936-8210005');
    type('materials-0', '居民身份证原件');
    fireEvent.click(screen.getByText('＋ 添加一项材料'));
    // A blank line is left out, not refused.
    fireEvent.click(screen.getByTestId('hours-1-add'));
    fireEvent.click(screen.getByTestId('hours-1-add'));
    type('svc-capacity-input', '3');
    // The second Monday row ends before it starts.
    const ends = screen.getAllByTestId('hours-1-end');
    fireEvent.input(ends[1]!, { target: { value: '14:00' } });
    fireEvent.click(screen.getByText('建好事项'));
    const rowMessage = issue({ ...empty, weeklyHours: [{ weekday: 1, start: '14:30', end: '14:00' }] }, 'weeklyHours.0.end');
    expect(await screen.findByText(rowMessage)).toBeTruthy();
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    fireEvent.input(ends[1]!, { target: { value: '17:00' } });
    fireEvent.click(screen.getByTestId('hours-3-add'));
    fireEvent.click(screen.getByText('建好事项'));
    expect(await screen.findByTestId('service-saved')).toBeTruthy();
    const post = api.calls.find((c) => c.method === 'POST')!;
    expect(post.body).toEqual({
      name: '老年人优待证办理',
      category: 'elderly',
      summary: '',
      guide: { materials: ['居民身份证原件'], location: '党群服务中心一楼 3号窗口', duration: '', steps: [], notes: '' },
      oneWindow: true,
      fullAgency: false,
      slotMinutes: 30,
      capacity: 3,
      weeklyHours: [
        { weekday: 1, start: '09:00', end: '12:00' },
        { weekday: 1, start: '14:30', end: '17:00' },
        { weekday: 3, start: '09:00', end: '12:00' },
      ],
      closedDays: [],
      cutoffMinutes: 120,
      maxActivePerResident: 1,
      bookingWindowDays: 14,
      contactPhone: '0936-8210005',
    });
  });

  it('edits an existing service with PATCH, keeping its hours', async () => {
    routerParams.current = { id: service().id };
    const api = mockApi({
      'GET /api/v1/me': staffMe,
      [`GET /api/v1/services/${service().id}`]: { status: 200, body: service() },
      [`PATCH /api/v1/staff/services/${service().id}`]: (c: Call) => ({ status: 200, body: { ...service(), ...(c.body as object) } }),
    });
    render(<StaffServiceEdit />);
    await screen.findByDisplayValue('社保卡申领与补换');
    type('svc-capacity-input', '6');
    fireEvent.click(screen.getByText('保存修改'));
    await screen.findByTestId('service-saved');
    const patch = api.calls.find((c) => c.method === 'PATCH')!.body as { capacity: number; weeklyHours: unknown[] };
    expect(patch.capacity).toBe(6);
    expect(patch.weeklyHours).toEqual(service().weeklyHours);
  });

  it('retiring asks first, inline', async () => {
    const api = mockApi({
      'GET /api/v1/me': staffMe,
      'GET /api/v1/staff/services': { status: 200, body: { items: [service()] } },
      [`POST /api/v1/staff/services/${service().id}/retire`]: { status: 200, body: service({ status: 'retired' }) },
    });
    render(<StaffServices />);
    fireEvent.click(await screen.findByText('停用', { selector: '.btn__text' }));
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    expect(screen.getByTestId('retire-confirm').textContent).toContain('已有的预约保留');
    fireEvent.click(screen.getByText('确定停用'));
    await waitFor(() => expect(screen.getByText('已停用')).toBeTruthy());
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });
});
