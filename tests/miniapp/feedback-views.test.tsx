import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { mockApi, user, type Call } from './support/http';
import { mockApiWithDownloads } from './support/download';
import { resetAppState, signIn } from './support/reset';
import { routerParams } from './support/taro';
import { centreMe } from './support/centre';
import { buildings, caseIds, caseView, residentMe, room, step } from './support/cases';
import { forgetPhotos } from '../../miniapp/src/feedback/photos';
import FeedbackCase from '../../miniapp/src/feedback/case/index';
import FeedbackMine from '../../miniapp/src/feedback/mine/index';
import FeedbackReport from '../../miniapp/src/feedback/report/index';
import StaffCases from '../../miniapp/src/staff/cases/index';
import StaffCaseRules from '../../miniapp/src/staff/case-rules/index';

/**
 * What the case view carries beyond the basics, on the pages that show it:
 * 暂停至 (pausedUntil), the desk's photos in the history, the resident's choice
 * of who sees their name, a room's building for 同一问题？, and deleting a promise.
 */
const detailPath = `/api/v1/cases/${caseIds.case}`;
const deskPhoto = `/api/v1/cases/${caseIds.case}/photos/${caseIds.photo2}`;
const writes = (calls: Call[]) => calls.filter((c) => c.method !== 'GET');

/** Photos come back as blob: URLs in the browser build. */
function withBlobUrls(run: () => Promise<void>) {
  return async () => {
    forgetPhotos();
    const urls = URL as unknown as { createObjectURL?: unknown };
    const before = urls.createObjectURL;
    urls.createObjectURL = jest.fn(() => 'blob:http://localhost/desk-photo');
    try {
      await run();
    } finally {
      urls.createObjectURL = before;
    }
  };
}

const resolvedWithPhoto = (over: Record<string, unknown> = {}) =>
  caseView({
    status: 'resolved',
    promisedBy: null,
    history: [
      step('submitted', '提交', { level: 'property' }),
      step('accepted', '受理', { byName: '钱伟' }),
      step('resolved', '处理完成', { byName: '钱伟', note: '已更换水管接头', photoUrls: [deskPhoto] }),
    ],
    ...over,
  });

describe('the resident’s case page and list', () => {
  beforeEach(() => {
    resetAppState();
    signIn('resident');
    routerParams.current = { id: caseIds.case };
  });
  afterEach(() => {
    routerParams.current = {};
  });

  it('says until when a paused case is paused, and my choice of who sees my name', async () => {
    mockApi({ [`GET ${detailPath}`]: { status: 200, body: caseView({ status: 'paused', pausedUntil: '2026-12-01', visibility: 'staff_only' }) } });
    render(<FeedbackCase />);
    expect((await screen.findByTestId('case-paused-until')).textContent).toBe('暂停至 12月1日 周二');
    expect(screen.getByTestId('case-visibility').textContent).toContain('只有社区工作人员知道是您');
    expect(screen.getByTestId('case-visibility').textContent).toContain('看不到房号');
  });

  it('shows nothing about a pause once it is no longer paused, and no choice on a neighbour’s case', async () => {
    mockApi({ [`GET ${detailPath}`]: { status: 200, body: caseView({ mine: false, following: true, visibility: null, pausedUntil: null }) } });
    render(<FeedbackCase />);
    await screen.findByTestId('case-holder');
    expect(screen.queryByTestId('case-paused-until')).toBeNull();
    expect(screen.queryByTestId('case-visibility')).toBeNull();
  });

  it(
    'shows the photos the desk resolved it with, under that step, fetched through the case with the token',
    withBlobUrls(async () => {
      const api = mockApiWithDownloads(
        { [`GET ${detailPath}`]: { status: 200, body: resolvedWithPhoto() } },
        { [`GET ${deskPhoto}`]: () => ({ bytes: new Uint8Array([0xff, 0xd8, 0xff]), contentType: 'image/jpeg' }) },
      );
      render(<FeedbackCase />);
      const history = await screen.findByTestId('case-history');
      const resolved = within(history).getAllByTestId('case-step')[2]!;
      expect(resolved.textContent).toContain('已更换水管接头');
      await waitFor(() => expect(within(resolved).getByTestId('case-photo-img').outerHTML).toContain('blob:http://localhost/desk-photo'));
      expect(api.calls.find((c) => c.path === deskPhoto)!.headers.Authorization).toBe('Bearer access-resident');
      // The other steps carry no photos.
      expect(within(history).getAllByTestId('step-photos')).toHaveLength(1);
    }),
  );

  it('lists a paused case with the day it resumes', async () => {
    mockApi({ 'GET /api/v1/cases': { status: 200, body: { items: [caseView({ status: 'paused', pausedUntil: '2026-12-01' })] } } });
    render(<FeedbackMine />);
    expect((await screen.findByTestId('case-item-paused')).textContent).toBe('暂停至 12月1日 周二');
  });
});

describe('the report page', () => {
  beforeEach(() => {
    resetAppState();
    signIn('resident');
  });

  it('asks for similar cases in the room’s own building (not guessed from its label), and says what anonymity means at home', async () => {
    const api = mockApi({
      'GET /api/v1/me': residentMe([{ ...room, label: '滨河苑 A座 1201', buildingId: '9'.repeat(24) }]),
      'GET /api/v1/spaces/buildings': buildings,
      'GET /api/v1/cases/similar': { status: 200, body: { items: [] } },
    });
    render(<FeedbackReport />);
    fireEvent.click(await screen.findByTestId('pick-category-utilities'));
    fireEvent.click(screen.getByTestId('pick-place-room'));
    await waitFor(() => expect(api.calls.filter((c) => c.path === '/api/v1/cases/similar')).toHaveLength(1));
    expect(new URL(api.calls.find((c) => c.path === '/api/v1/cases/similar')!.url).searchParams.get('buildingId')).toBe('9'.repeat(24));
    expect(screen.queryByTestId('anonymous-home')).toBeNull();
    fireEvent.click(screen.getByTestId('pick-visibility-staff_only'));
    expect((await screen.findByTestId('anonymous-home')).textContent).toContain('物业看不到房号');
  });
});

describe('the desk', () => {
  const propertyMe = {
    status: 200,
    body: { ...user({ kind: 'staff', roles: ['property_staff'], displayName: '钱伟', propertyCompanyId: caseIds.company }), rooms: [] },
  };

  beforeEach(() => {
    resetAppState();
    signIn('staff');
    routerParams.current = {};
  });

  it(
    'shows 暂停至, why an anonymous resident has no room, and the photos of a resolved case in its history',
    withBlobUrls(async () => {
      const api = mockApiWithDownloads(
        {
          'GET /api/v1/me': propertyMe,
          'GET /api/v1/staff/cases': (c) => {
            const open = new URL(c.url).searchParams.get('status') !== 'done';
            return {
              status: 200,
              body: {
                items: open
                  ? [
                      caseView({
                        mine: false,
                        status: 'paused',
                        pausedUntil: '2026-12-01',
                        visibility: 'staff_only',
                        reporterName: '匿名居民',
                        reporterPhone: null,
                        placeLabel: '3号楼 居民家中（房号不公开）',
                      }),
                    ]
                  : [resolvedWithPhoto({ id: caseIds.case, mine: false })],
              },
            };
          },
        },
        { [`GET ${deskPhoto}`]: () => ({ bytes: new Uint8Array([0xff, 0xd8, 0xff]), contentType: 'image/jpeg' }) },
      );
      render(<StaffCases />);
      const item = await screen.findByTestId('desk-case');
      expect(within(item).getByTestId('desk-paused').textContent).toBe('暂停至 12月1日 周二，到那天会自动接着处理。');
      expect(within(item).getByTestId('desk-case-place').textContent).toBe('位置：3号楼 居民家中（房号不公开）');
      expect(within(item).getByTestId('desk-case-anonymous').textContent).toContain('联系社区服务中心');

      fireEvent.click(screen.getByTestId('case-tabs-done'));
      await waitFor(() => expect(screen.getByTestId('desk-case').textContent).toContain('已处理，待居民确认'));
      expect(screen.queryByTestId('desk-case-anonymous')).toBeNull();
      fireEvent.click(screen.getByTestId('history-toggle'));
      const steps = within(screen.getByTestId('desk-history')).getAllByTestId('case-step');
      await waitFor(() => expect(within(steps[2]!).getByTestId('case-photo-img')).toBeTruthy());
      expect(api.calls.some((c) => c.path === deskPhoto)).toBe(true);
    }),
  );

  it('lets the centre delete a promise after an inline confirmation, then shows the list as it is', async () => {
    const ruleId = '8b'.repeat(12);
    let rules = [{ id: ruleId, category: 'utilities', kind: null, urgent: null, amount: 12, unit: 'hours' }];
    const api = mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/spaces/buildings': buildings,
      'GET /api/v1/staff/routing-rules': { status: 200, body: { items: [] } },
      'GET /api/v1/staff/promises': () => ({ status: 200, body: { items: rules, holidays: [], workdays: [] } }),
      [`DELETE /api/v1/staff/promises/${ruleId}`]: () => {
        rules = [];
        return { status: 204 };
      },
    });
    render(<StaffCaseRules />);
    const rule = await screen.findByTestId('promise-rule');
    fireEvent.click(within(rule).getByTestId('promise-delete'));
    expect(writes(api.calls)).toHaveLength(0);
    expect(rule.textContent).toContain('已有的工单不变');
    fireEvent.click(within(rule).getByTestId('promise-delete-confirm'));
    await waitFor(() => expect(writes(api.calls)).toEqual([expect.objectContaining({ method: 'DELETE', path: `/api/v1/staff/promises/${ruleId}` })]));
    expect((await screen.findByTestId('promise-notice')).textContent).toContain('默认承诺');
    await waitFor(() => expect(screen.queryByTestId('promise-rule')).toBeNull());
    expect(screen.getByTestId('promise-rules').textContent).toContain('还没有自定的承诺');
  });

  it('says so when the promise was already deleted by someone else, and refreshes the list', async () => {
    const ruleId = '8b'.repeat(12);
    let rules = [{ id: ruleId, category: 'utilities', kind: null, urgent: null, amount: 12, unit: 'hours' }];
    mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/spaces/buildings': buildings,
      'GET /api/v1/staff/routing-rules': { status: 200, body: { items: [] } },
      'GET /api/v1/staff/promises': () => ({ status: 200, body: { items: rules, holidays: [], workdays: [] } }),
      [`DELETE /api/v1/staff/promises/${ruleId}`]: () => {
        rules = [];
        return { status: 404, body: { error: { code: 'NOT_FOUND', message: '没有这条承诺规则，可能已经删除了' } } };
      },
    });
    render(<StaffCaseRules />);
    fireEvent.click(within(await screen.findByTestId('promise-rule')).getByTestId('promise-delete'));
    fireEvent.click(screen.getByTestId('promise-delete-confirm'));
    expect((await screen.findByTestId('promise-error')).textContent).toBe('没有这条承诺规则，可能已经删除了');
    await waitFor(() => expect(screen.queryByTestId('promise-rule')).toBeNull());
  });
});
