import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { bindingRequestBody } from '@community/shared';
import { apiError, ids, mockApi } from './support/http';
import { resetAppState, signIn } from './support/reset';
import BindingApply from '../../miniapp/src/binding/apply/index';

/** The schema's own message for a field, so the test follows the schema. */
function schemaMessage(input: Record<string, unknown>, field: string): string {
  const r = bindingRequestBody.safeParse(input);
  if (r.success) throw new Error('expected the schema to refuse this input');
  const issue = r.error.issues.find((i) => i.path[0] === field);
  if (!issue) throw new Error(`no issue for ${field}`);
  return issue.message;
}

const spaces = {
  'GET /api/v1/spaces/buildings': {
    status: 200,
    body: { items: [{ id: ids.building, name: '3号楼', gridId: 'f'.repeat(24), propertyCompanyId: null, unitCount: 2 }] },
  },
  [`GET /api/v1/spaces/buildings/${ids.building}/units`]: {
    status: 200,
    body: { items: [{ id: ids.unit, buildingId: ids.building, name: '2单元' }] },
  },
  [`GET /api/v1/spaces/units/${ids.unit}/rooms`]: {
    status: 200,
    body: {
      items: [{ id: ids.room, unitId: ids.unit, buildingId: ids.building, number: '1201', floor: 12, areaCentiSquareMetres: 8950 }],
    },
  },
};

function typeName(value: string) {
  fireEvent.input(screen.getByTestId('realName-input'), { target: { value } });
}

async function pickRoom() {
  fireEvent.click(await screen.findByText('3号楼'));
  fireEvent.click(await screen.findByText('2单元'));
  fireEvent.click(await screen.findByText('1201'));
  await screen.findByText('已选：3号楼 2单元 1201');
}

describe('room binding form', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
  });

  it('submitting an empty name shows the shared schema’s message and sends no request', async () => {
    const api = mockApi({ ...spaces });
    render(<BindingApply />);
    await pickRoom();
    fireEvent.click(screen.getByText('业主'));
    fireEvent.click(screen.getByText('提交申请'));

    const expected = schemaMessage({ roomId: ids.room, relation: 'owner', realName: '' }, 'realName');
    const err = await screen.findByTestId('realName-error');
    expect(err.textContent).toBe(expected);
    expect(expected).toBe('请填写真实姓名');
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('shows every missing field beside itself when nothing is filled in', async () => {
    const api = mockApi({ ...spaces });
    render(<BindingApply />);
    await screen.findByText('3号楼');
    fireEvent.click(screen.getByText('提交申请'));

    expect((await screen.findByTestId('realName-error')).textContent).toBe(schemaMessage({ realName: '' }, 'realName'));
    expect(screen.getByTestId('relation-error').textContent).toBe(schemaMessage({}, 'relation'));
    expect(screen.getByTestId('room-error').textContent).toBe('请按顺序选择楼栋、单元和房号');
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('refuses a name the schema refuses (digits) without a request', async () => {
    const api = mockApi({ ...spaces });
    render(<BindingApply />);
    await pickRoom();
    fireEvent.click(screen.getByText('租户'));
    typeName('张三3');
    fireEvent.click(screen.getByText('提交申请'));
    expect((await screen.findByTestId('realName-error')).textContent).toBe(
      schemaMessage({ roomId: ids.room, relation: 'tenant', realName: '张三3' }, 'realName'),
    );
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('sends a valid request with the token and shows 待审核', async () => {
    const api = mockApi({
      ...spaces,
      'POST /api/v1/bindings': (call) => ({
        status: 201,
        body: {
          id: ids.binding,
          userId: ids.user,
          roomId: ids.room,
          roomLabel: '3号楼 2单元 1201',
          relation: 'family',
          status: 'pending',
          realName: (call.body as { realName: string }).realName,
          note: null,
          reason: null,
          via: 'request',
          createdAt: '2026-11-26T10:00:00+08:00',
          decidedAt: null,
        },
      }),
      'GET /api/v1/me': { status: 200, body: { id: ids.user, nickname: 'x', displayName: null, phoneMasked: null, roles: [], communityId: null, gridIds: [], propertyCompanyId: null, kind: 'wechat', createdAt: '2026-11-01T00:00:00+08:00', rooms: [] } },
    });
    render(<BindingApply />);
    await pickRoom();
    fireEvent.click(screen.getByText('家庭成员'));
    typeName('王秀兰');
    fireEvent.click(screen.getByText('提交申请'));

    const done = await screen.findByTestId('binding-done');
    expect(done.textContent).toBe('3号楼 2单元 1201：待审核');
    const post = api.calls.find((c) => c.method === 'POST' && c.path === '/api/v1/bindings')!;
    expect(post.body).toEqual({ roomId: ids.room, relation: 'family', realName: '王秀兰' });
    expect(post.headers.Authorization).toBe('Bearer access-1');
  });

  it('shows the API’s message when the room is already bound', async () => {
    mockApi({ ...spaces, 'POST /api/v1/bindings': apiError(409, 'BINDING_EXISTS', '您已经申请或绑定了这套房屋') });
    render(<BindingApply />);
    await pickRoom();
    fireEvent.click(screen.getByText('业主'));
    typeName('王秀兰');
    fireEvent.click(screen.getByText('提交申请'));
    const err = await screen.findByTestId('binding-error');
    await waitFor(() => expect(within(err).getByText('您已经申请或绑定了这套房屋')).toBeTruthy());
  });

  it('an owner whose WeChat phone matches the register hears it passed at once', async () => {
    mockApi({
      ...spaces,
      'POST /api/v1/bindings': (call) => ({
        status: 201,
        body: {
          id: ids.binding,
          userId: ids.user,
          roomId: ids.room,
          buildingId: ids.building,
          roomLabel: '3号楼 2单元 1201',
          relation: 'owner',
          status: 'approved',
          realName: (call.body as { realName: string }).realName,
          note: null,
          reason: null,
          via: 'request',
          createdAt: '2026-11-26T10:00:00+08:00',
          decidedAt: '2026-11-26T10:00:00+08:00',
          ownerMatch: 'phone',
          reviewPath: 'auto',
          firstApprovedAt: null,
          expectedBy: null,
        },
      }),
      'GET /api/v1/me': { status: 200, body: { id: ids.user, nickname: 'x', displayName: null, phoneMasked: null, roles: [], communityId: null, gridIds: [], propertyCompanyId: null, kind: 'wechat', createdAt: '2026-11-01T00:00:00+08:00', rooms: [] } },
    });
    render(<BindingApply />);
    await pickRoom();
    fireEvent.click(screen.getByText('业主'));
    // Outside WeChat the page says the phone check happens in the mini-program.
    expect(screen.getByTestId('phone-check').textContent).toContain('在微信小程序里可以用微信手机号核对');
    typeName('王秀兰');
    fireEvent.click(screen.getByText('提交申请'));
    expect((await screen.findByTestId('binding-outcome')).textContent).toBe('手机号与业主登记一致，已自动通过');
    expect(screen.getByTestId('binding-done').textContent).toBe('3号楼 2单元 1201：已绑定');
  });

  it('a pending request’s page says it waits for the community, with the date to expect', async () => {
    mockApi({
      ...spaces,
      'POST /api/v1/bindings': {
        status: 201,
        body: {
          id: ids.binding, userId: ids.user, roomId: ids.room, buildingId: ids.building, roomLabel: '3号楼 2单元 1201', relation: 'tenant',
          status: 'pending', realName: '王秀兰', note: null, reason: null, via: 'request', createdAt: '2026-11-26T10:00:00+08:00', decidedAt: null,
          ownerMatch: null, reviewPath: 'staff', firstApprovedAt: null, expectedBy: '2026-12-01T18:00:00+08:00',
        },
      },
      'GET /api/v1/me': { status: 200, body: { id: ids.user, nickname: 'x', displayName: null, phoneMasked: null, roles: [], communityId: null, gridIds: [], propertyCompanyId: null, kind: 'wechat', createdAt: '2026-11-01T00:00:00+08:00', rooms: [] } },
    });
    render(<BindingApply />);
    await pickRoom();
    fireEvent.click(screen.getByText('租户'));
    expect(screen.queryByTestId('phone-check')).toBeNull();
    typeName('王秀兰');
    fireEvent.click(screen.getByText('提交申请'));
    expect((await screen.findByTestId('binding-outcome')).textContent).toBe('等待社区审核，预计2026年12月1日前有结果');
  });
});
