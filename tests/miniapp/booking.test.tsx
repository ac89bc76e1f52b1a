import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { checkInBody, ratingBody } from '@community/shared';
import { apiError, mockApi, user, type Call } from './support/http';
import { resetAppState, signIn } from './support/reset';
import { routerParams } from './support/taro';
import { at, booking, bookingIds, service, shanghaiDay, slot } from './support/booking';
import Services from '../../miniapp/src/pages/services/index';
import BookingService from '../../miniapp/src/booking/service/index';
import BookingDetail from '../../miniapp/src/booking/detail/index';
import { qrMatrix } from '../../miniapp/src/booking/QrCode';
import StaffWindow from '../../miniapp/src/staff/window/index';
import BookingMine from '../../miniapp/src/booking/mine/index';
import Me from '../../miniapp/src/pages/me/index';

const me = { status: 200, body: { ...user({ roles: ['resident', 'owner'] }), rooms: [] } };
const staffMe = { status: 200, body: { ...user({ kind: 'staff', displayName: '孙晓燕', roles: ['community_staff'] }), rooms: [] } };
const KEY = /^[A-Za-z0-9]{16,128}$/;

function schemaMessage(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } }, input: unknown) {
  const r = schema.safeParse(input);
  if (r.success) throw new Error('expected the schema to refuse this input');
  return r.error!.issues[0]!.message;
}

/** A button by its words (a card's title may say the same). */
const btn = (_text: string) => ({ selector: '.btn__text' }) as const;

const posts = (calls: Call[], path: string) => calls.filter((c) => c.method === 'POST' && c.path === path);

describe('办事 tab: the catalogue', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
  });

  it('groups services by category and shows 一窗受理 / 全程代办', async () => {
    mockApi({
      'GET /api/v1/me': me,
      'GET /api/v1/services': {
        status: 200,
        body: {
          items: [
            service(),
            service({ id: bookingIds.service2, name: '最低生活保障申请', category: 'civil_affairs', summary: '低保申请受理', fullAgency: true }),
            service({ id: 'c'.repeat(24), name: '法律咨询', category: 'legal', summary: '', oneWindow: false }),
          ],
        },
      },
    });
    render(<Services />);
    const social = await screen.findByTestId('category-social_security');
    expect(within(social).getByText('社保医保')).toBeTruthy();
    expect(within(social).getByText('社保卡申领与补换')).toBeTruthy();
    expect(within(social).getByText('一窗受理')).toBeTruthy();
    expect(within(social).queryByText('全程代办')).toBeNull();

    const civil = screen.getByTestId('category-civil_affairs');
    expect(within(civil).getByText('民政救助')).toBeTruthy();
    expect(within(civil).getByText('一窗受理')).toBeTruthy();
    expect(within(civil).getByText('全程代办')).toBeTruthy();

    const legal = screen.getByTestId('category-legal');
    expect(within(legal).queryByText('一窗受理')).toBeNull();
    // Categories follow the shared order; empty ones are not shown.
    const titles = [...document.querySelectorAll('.card__title')].map((e) => e.textContent);
    expect(titles.filter((t) => ['社保医保', '民政救助', '法律咨询'].includes(t!))).toEqual(['社保医保', '民政救助', '法律咨询']);
    expect(screen.queryByText('老年服务')).toBeNull();

    fireEvent.click(within(social).getByText('社保卡申领与补换'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/booking/service/index?id=${bookingIds.service}` });
  });
});

describe('booking a slot', () => {
  const day = shanghaiDay(1);
  const open = slot(bookingIds.slotOpen, day, '09:00', '09:30', { seatsLeft: 3 });
  const full = slot(bookingIds.slotFull, day, '09:30', '10:00', { seatsLeft: 0, waitlistLength: 2 });

  beforeEach(() => {
    resetAppState();
    signIn();
    routerParams.current = { id: bookingIds.service };
  });
  afterEach(() => {
    routerParams.current = {};
  });

  function routes(extra: Record<string, unknown> = {}) {
    let seats = 3;
    return {
      'GET /api/v1/me': me,
      [`GET /api/v1/services/${bookingIds.service}`]: { status: 200, body: service() },
      [`GET /api/v1/services/${bookingIds.service}/slots`]: () => ({ status: 200, body: { items: [{ ...open, seatsLeft: seats }, full] } }),
      'POST /api/v1/bookings': (c: Call) => {
        seats -= 1;
        const s = (c.body as { slotId: string }).slotId === bookingIds.slotFull ? full : open;
        return {
          status: 201,
          body: booking({
            slotId: s.id,
            startAt: s.startAt,
            endAt: s.endAt,
            ...(s === full ? { status: 'waitlisted', waitlistPosition: 3 } : {}),
          }),
        };
      },
      ...extra,
    };
  }

  it('shows the guide, seats left, and 约满 with the line length for a full slot', async () => {
    mockApi(routes());
    render(<BookingService />);
    expect(await screen.findByText('社保卡申领与补换')).toBeTruthy();
    const guide = screen.getByTestId('service-guide');
    expect(within(guide).getByText('居民身份证原件')).toBeTruthy();
    expect(within(guide).getByText('滨河社区党群服务中心一楼 1号窗口')).toBeTruthy();
    expect(within(guide).getByText('约20分钟')).toBeTruthy();
    expect(within(guide).getByText('周一至周五 09:00–12:00、14:30–17:30')).toBeTruthy();
    expect(screen.getByTestId('service-flags').textContent).toContain('一窗受理');

    const openSlot = await screen.findByTestId(`slot-${bookingIds.slotOpen}`);
    expect(openSlot.textContent).toContain('09:00–09:30');
    expect(openSlot.textContent).toContain('剩3个名额');
    const fullSlot = screen.getByTestId(`slot-${bookingIds.slotFull}`);
    expect(fullSlot.textContent).toContain('约满 · 候补2人');
    expect(screen.getByTestId('slot-days').textContent).toContain('明天');
  });

  it('asks first (inline), then books with an Idempotency-Key; the seats drop', async () => {
    const api = mockApi(routes());
    render(<BookingService />);
    fireEvent.click(await screen.findByTestId(`slot-${bookingIds.slotOpen}`));

    const confirm = await screen.findByTestId('booking-confirm');
    expect(confirm.textContent).toContain('确认预约');
    expect(confirm.textContent).toContain('09:00–09:30');
    expect(posts(api.calls, '/api/v1/bookings')).toHaveLength(0);

    fireEvent.click(within(confirm).getByText('确认预约', btn('确认预约')));
    const done = await screen.findByTestId('booking-done');
    expect(done.textContent).toContain('预约成功');

    const [post] = posts(api.calls, '/api/v1/bookings');
    expect(post!.body).toEqual({ slotId: bookingIds.slotOpen });
    expect(post!.headers['Idempotency-Key']).toMatch(KEY);
    expect(post!.headers.Authorization).toBe('Bearer access-1');

    await waitFor(() => expect(screen.getByTestId(`slot-${bookingIds.slotOpen}`).textContent).toContain('剩2个名额'));
    fireEvent.click(within(done).getByText('查看核验码'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/booking/detail/index?id=${bookingIds.booking}` });
  });

  it('a family member authorised by a resident can choose to book for them', async () => {
    const grantor = 'a'.repeat(24);
    const api = mockApi(
      routes({
        'GET /api/v1/authorities': {
          status: 200,
          body: {
            given: [],
            received: [
              {
                id: 'c'.repeat(24),
                grantorId: grantor,
                grantorName: '王秀英',
                granteeId: 'b'.repeat(24),
                granteeName: '李建国',
                scopes: ['bookings'],
                expiresAt: '2099-12-26T09:00:00+08:00',
                revokedAt: null,
                active: true,
                createdAt: '2026-11-26T09:00:00+08:00',
              },
            ],
          },
        },
      }),
    );
    render(<BookingService />);
    fireEvent.click(await screen.findByTestId(`book-for-${grantor}`));
    fireEvent.click(await screen.findByTestId(`slot-${bookingIds.slotOpen}`));
    const confirm = await screen.findByTestId('booking-confirm');
    expect(confirm.textContent).toContain('王秀英（代约）');
    fireEvent.click(within(confirm).getByText('确认预约', btn('确认预约')));
    await screen.findByTestId('booking-done');
    expect(posts(api.calls, '/api/v1/bookings')[0]!.body).toEqual({ slotId: bookingIds.slotOpen, forResidentId: grantor });
  });

  it('an authority taken back while the page is open: refused in the API\'s words, the choice goes, nothing left chosen', async () => {
    const grantor = 'a'.repeat(24);
    let revoked = false;
    const authority = {
      id: 'c'.repeat(24),
      grantorId: grantor,
      grantorName: '王秀英',
      granteeId: 'b'.repeat(24),
      granteeName: '李建国',
      scopes: ['bookings'],
      expiresAt: '2099-12-26T09:00:00+08:00',
      revokedAt: null,
      active: true,
      createdAt: '2026-11-26T09:00:00+08:00',
    };
    const api = mockApi(
      routes({
        'GET /api/v1/authorities': () => ({ status: 200, body: { given: [], received: revoked ? [] : [authority] } }),
        'POST /api/v1/bookings': () => apiError(403, 'ACTING_NOT_ALLOWED', '您没有替这位居民办理的授权'),
      }),
    );
    render(<BookingService />);
    fireEvent.click(await screen.findByTestId(`book-for-${grantor}`));
    fireEvent.click(await screen.findByTestId(`slot-${bookingIds.slotOpen}`));
    const confirm = await screen.findByTestId('booking-confirm');
    expect(confirm.textContent).toContain('王秀英（代约）');
    revoked = true;
    fireEvent.click(within(confirm).getByText('确认预约', btn('确认预约')));

    expect((await screen.findByTestId('book-for-refused')).textContent).toBe('您没有替这位居民办理的授权');
    await waitFor(() => expect(screen.queryByTestId('book-for')).toBeNull());
    expect(screen.queryByTestId('booking-confirm')).toBeNull();
    expect(posts(api.calls, '/api/v1/bookings')).toHaveLength(1);
    // A new time is for oneself, and says nothing of anyone else.
    fireEvent.click(screen.getByTestId(`slot-${bookingIds.slotOpen}`));
    expect((await screen.findByTestId('booking-confirm')).textContent).not.toContain('代约');
    expect(screen.queryByTestId('book-for-refused')).toBeNull();
  });

  it('a full slot joins the waitlist and says the place in line', async () => {
    const api = mockApi(routes());
    render(<BookingService />);
    fireEvent.click(await screen.findByTestId(`slot-${bookingIds.slotFull}`));
    const confirm = await screen.findByTestId('booking-confirm');
    expect(confirm.textContent).toContain('确认候补');
    expect(confirm.textContent).toContain('前面有2人');
    fireEvent.click(within(confirm).getByText('我要候补', btn('我要候补')));
    expect((await screen.findByTestId('booking-done')).textContent).toContain('您是候补第3位');
    expect(posts(api.calls, '/api/v1/bookings')[0]!.body).toEqual({ slotId: bookingIds.slotFull });
  });

  it('重试 after a network failure sends the same key; the next booking a fresh one', async () => {
    let fail = true;
    const base = routes();
    const api = mockApi({
      ...base,
      'POST /api/v1/bookings': (c: Call) => {
        if (fail) {
          fail = false;
          return 'network-error';
        }
        return (base['POST /api/v1/bookings'] as (c: Call) => never)(c);
      },
    });
    render(<BookingService />);
    fireEvent.click(await screen.findByTestId(`slot-${bookingIds.slotOpen}`));
    fireEvent.click(within(await screen.findByTestId('booking-confirm')).getByText('确认预约', btn('确认预约')));
    expect((await screen.findByTestId('booking-error')).textContent).toBe('网络不太好，请检查网络后再试');

    fireEvent.click(within(screen.getByTestId('booking-confirm')).getByText('重试', btn('重试')));
    await screen.findByTestId('booking-done');
    const [first, second] = posts(api.calls, '/api/v1/bookings');
    expect(first!.headers['Idempotency-Key']).toMatch(KEY);
    expect(second!.headers['Idempotency-Key']).toBe(first!.headers['Idempotency-Key']);

    // A new booking attempt (another slot) is a new key.
    fireEvent.click(screen.getByTestId(`slot-${bookingIds.slotFull}`));
    fireEvent.click(within(await screen.findByTestId('booking-confirm')).getByText('我要候补', btn('我要候补')));
    await waitFor(() => expect(posts(api.calls, '/api/v1/bookings')).toHaveLength(3));
    expect(posts(api.calls, '/api/v1/bookings')[2]!.headers['Idempotency-Key']).not.toBe(first!.headers['Idempotency-Key']);
  });

  it('centre staff book for a resident found by name (窗口代约): forResidentId is sent', async () => {
    const liu = { id: 'd'.repeat(24), name: '刘桂兰', rooms: ['5号楼 1单元 302'], phoneMasked: null };
    const base = routes();
    const api = mockApi({
      ...base,
      'GET /api/v1/me': staffMe,
      'GET /api/v1/staff/residents': (c: Call) => ({
        status: 200,
        body: { items: new URL(c.url).searchParams.get('q') === '刘桂兰' ? [liu] : [] },
      }),
      'POST /api/v1/bookings': () => ({ status: 201, body: booking({ residentId: liu.id, residentName: '刘桂兰', actedByName: '王秀兰' }) }),
    });
    render(<BookingService />);
    fireEvent.click(await screen.findByText('查找居民', btn('')));
    expect(await screen.findByTestId('act-for-q-error')).toBeTruthy();
    fireEvent.input(screen.getByTestId('act-for-input'), { target: { value: '刘桂兰' } });
    fireEvent.click(screen.getByText('查找居民', btn('')));
    fireEvent.click(await screen.findByTestId('act-for-result'));
    expect(screen.getByTestId('act-for-chosen').textContent).toContain('正在为 刘桂兰（5号楼 1单元 302）代约');

    fireEvent.click(screen.getByTestId(`slot-${bookingIds.slotOpen}`));
    const confirm = await screen.findByTestId('booking-confirm');
    expect(confirm.textContent).toContain('刘桂兰（代约）');
    fireEvent.click(within(confirm).getByText('确认预约', btn('')));
    expect((await screen.findByTestId('booking-done')).textContent).toContain('已为刘桂兰预约');
    expect(posts(api.calls, '/api/v1/bookings')[0]!.body).toEqual({ slotId: bookingIds.slotOpen, forResidentId: liu.id });
  });

  it('residents do not see 窗口代约', async () => {
    mockApi(routes());
    render(<BookingService />);
    await screen.findByTestId(`slot-${bookingIds.slotOpen}`);
    expect(screen.queryByTestId('act-for')).toBeNull();
  });

  it('shows the API’s message when the resident already has a booking', async () => {
    mockApi(
      routes({
        'POST /api/v1/bookings': apiError(409, 'BOOKING_LIMIT_REACHED', '您在这个事项已有一个预约，办完或取消后才能再约'),
      }),
    );
    render(<BookingService />);
    fireEvent.click(await screen.findByTestId(`slot-${bookingIds.slotOpen}`));
    fireEvent.click(within(await screen.findByTestId('booking-confirm')).getByText('确认预约', btn('确认预约')));
    expect((await screen.findByTestId('booking-error')).textContent).toBe('您在这个事项已有一个预约，办完或取消后才能再约');
    expect(screen.getByText('查看我的预约')).toBeTruthy();
  });
});

describe('booking detail', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
    routerParams.current = { id: bookingIds.booking };
  });
  afterEach(() => {
    routerParams.current = {};
  });

  const path = `/api/v1/bookings/${bookingIds.booking}`;

  function deadlineWords(iso: string): string {
    const d = new Date(Date.parse(iso) + 8 * 3600_000);
    return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')} 前可以取消或改约。`;
  }

  it('shows the QR code of the code, the code in large letters, materials and the deadline in words', async () => {
    const b = booking();
    mockApi({ 'GET /api/v1/me': me, [`GET ${path}`]: { status: 200, body: b } });
    render(<BookingDetail />);
    expect((await screen.findByTestId('booking-code')).textContent).toBe('K7M2Q9');
    // The QR grid is the library's matrix of the code, row by row.
    const qr = screen.getByTestId('booking-qr');
    const matrix = qrMatrix('K7M2Q9');
    expect(qr.getAttribute('data-modules')).toBe(String(matrix.length));
    const rows = [...qr.querySelectorAll('.qr__row')];
    expect(rows).toHaveLength(matrix.length);
    const drawn = rows.map((row) =>
      [...row.querySelectorAll('.qr__run')].flatMap((run) => {
        const n = Number(/^(\d+)/.exec((run as HTMLElement).style.flex)![1]);
        return Array<boolean>(n).fill(run.classList.contains('qr__run--dark'));
      }),
    );
    expect(drawn).toEqual(matrix);

    const materials = screen.getByTestId('booking-materials');
    expect(within(materials).getByText('居民身份证原件')).toBeTruthy();
    expect(within(materials).getByText('近期免冠白底一寸照片（可现场拍摄）')).toBeTruthy();
    expect(screen.getByText('滨河社区党群服务中心一楼 1号窗口')).toBeTruthy();
    const change = screen.getByTestId('booking-change');
    expect(within(change).getByText(deadlineWords(b.cancelDeadline))).toBeTruthy();
    expect(within(change).getByText('取消预约')).toBeTruthy();
    expect(within(change).getByText('改约到其他时间')).toBeTruthy();
    expect(screen.getByTestId('booking-history').textContent).toContain('已预约');
  });

  it('history: who acted stands beside the time, without brackets inside brackets', async () => {
    const acted = booking({ history: [{ at: '2026-11-20T09:00:00+08:00', status: 'confirmed', note: null, byName: '李建国（代约）' }] });
    mockApi({ 'GET /api/v1/me': me, [`GET ${path}`]: { status: 200, body: acted } });
    render(<BookingDetail />);
    const history = await screen.findByTestId('booking-history');
    expect(history.textContent).toContain('· 李建国（代约）');
    expect(history.textContent).not.toContain('（李建国');
  });

  it('after the deadline: no 取消, whom to call, and a call button', async () => {
    mockApi({ 'GET /api/v1/me': me, [`GET ${path}`]: { status: 200, body: booking({ canChange: false }) } });
    render(<BookingDetail />);
    expect((await screen.findByTestId('deadline-passed')).textContent).toBe('已过截止时间，如需帮助请致电 0936-8210001');
    expect(screen.queryByText('取消预约')).toBeNull();
    expect(screen.queryByText('改约到其他时间')).toBeNull();
    fireEvent.click(screen.getByText('拨打电话 0936-8210001'));
    expect(Taro.makePhoneCall).toHaveBeenCalledWith({ phoneNumber: '0936-8210001' });
  });

  it('cancels after an inline confirmation; CHANGE_TOO_LATE shows the API’s message and the phone', async () => {
    let late = false;
    const api = mockApi({
      'GET /api/v1/me': me,
      [`GET ${path}`]: () => ({ status: 200, body: booking({ canChange: !late }) }),
      [`POST ${path}/cancel`]: () => {
        late = true;
        return apiError(409, 'CHANGE_TOO_LATE', '已过取消截止时间（开始前2小时），如需帮助请致电0936-8219999', { contactPhone: '0936-8219999' });
      },
    });
    render(<BookingDetail />);
    fireEvent.click(await screen.findByText('取消预约'));
    expect(posts(api.calls, `${path}/cancel`)).toHaveLength(0);
    fireEvent.click(within(screen.getByTestId('cancel-confirm')).getByText('确认取消', btn('确认取消')));
    expect((await screen.findByTestId('deadline-passed')).textContent).toBe('已过取消截止时间（开始前2小时），如需帮助请致电0936-8219999');
    expect(posts(api.calls, `${path}/cancel`)[0]!.headers['Idempotency-Key']).toMatch(KEY);
    await waitFor(() => expect(screen.queryByText('取消预约')).toBeNull());
    fireEvent.click(screen.getByText('拨打电话 0936-8219999'));
    expect(Taro.makePhoneCall).toHaveBeenCalledWith({ phoneNumber: '0936-8219999' });
  });

  it('reschedules to another slot with seats; the page shows the new booking', async () => {
    const day = shanghaiDay(3);
    const other = slot(bookingIds.slotOther, day, '14:30', '15:00', { seatsLeft: 2 });
    const api = mockApi({
      'GET /api/v1/me': me,
      [`GET ${path}`]: { status: 200, body: booking() },
      [`GET /api/v1/services/${bookingIds.service}/slots`]: {
        status: 200,
        body: { items: [slot(bookingIds.slotOpen, shanghaiDay(2), '09:00', '09:30'), slot(bookingIds.slotFull, day, '09:00', '09:30', { seatsLeft: 0 }), other] },
      },
      [`POST ${path}/reschedule`]: {
        status: 200,
        body: booking({ id: '7'.repeat(24), slotId: other.id, startAt: other.startAt, endAt: other.endAt, code: 'P3R4S5' }),
      },
    });
    render(<BookingDetail />);
    fireEvent.click(await screen.findByText('改约到其他时间'));
    // Only slots with seats, never the booking's own.
    await screen.findByTestId(`slot-${bookingIds.slotOther}`);
    expect(screen.queryByTestId(`slot-${bookingIds.slotOpen}`)).toBeNull();
    expect(screen.queryByTestId(`slot-${bookingIds.slotFull}`)).toBeNull();
    fireEvent.click(screen.getByTestId(`slot-${bookingIds.slotOther}`));
    fireEvent.click(screen.getByText('确认改约', btn('确认改约')));
    expect((await screen.findByTestId('booking-notice')).textContent).toContain('已改约到');
    expect(screen.getByTestId('booking-code').textContent).toBe('P3R4S5');
    const [post] = posts(api.calls, `${path}/reschedule`);
    expect(post!.body).toEqual({ slotId: bookingIds.slotOther });
    expect(post!.headers['Idempotency-Key']).toMatch(KEY);
  });

  it('waitlisted: 候补第N位 and no QR code', async () => {
    mockApi({ 'GET /api/v1/me': me, [`GET ${path}`]: { status: 200, body: booking({ status: 'waitlisted', waitlistPosition: 2 }) } });
    render(<BookingDetail />);
    expect((await screen.findByTestId('waitlist-position')).textContent).toBe('候补第2位');
    expect(screen.queryByTestId('booking-qr')).toBeNull();
    expect(screen.getByText('退出候补', { selector: '.btn__text' })).toBeTruthy();
  });

  it('after check-in: a 5-level rating; a poor one says the centre will get in touch', async () => {
    const api = mockApi({
      'GET /api/v1/me': me,
      [`GET ${path}`]: { status: 200, body: booking({ status: 'checked_in', canChange: false }) },
      [`POST ${path}/rating`]: (c) => ({
        status: 200,
        body: booking({ status: 'checked_in', canChange: false, rating: { level: (c.body as { level: number }).level, comment: '等了很久' } }),
      }),
    });
    render(<BookingDetail />);
    const card = await screen.findByTestId('rating');
    expect(screen.queryByTestId('booking-change')).toBeNull();
    expect(within(card).getAllByRole('radio').map((r) => r.textContent)).toEqual(['非常满意', '满意', '基本满意', '不满意', '非常不满意']);

    fireEvent.click(within(card).getByText('提交评价', btn('提交评价')));
    expect((await screen.findByTestId('rating-level-error')).textContent).toBe(schemaMessage(ratingBody, {}));
    expect(posts(api.calls, `${path}/rating`)).toHaveLength(0);

    fireEvent.click(within(card).getByText('不满意'));
    fireEvent.input(screen.getByTestId('rating-comment-input'), { target: { value: '等了很久' } });
    fireEvent.click(within(card).getByText('提交评价', btn('提交评价')));
    expect((await screen.findByTestId('rating-thanks')).textContent).toContain('中心会有专人联系您');
    expect(posts(api.calls, `${path}/rating`)[0]!.body).toEqual({ level: 2, comment: '等了很久' });
    expect(screen.getByTestId('rating-done').textContent).toContain('您的评价：不满意');
  });

  it('another person’s booking: the API’s 404 message', async () => {
    mockApi({ 'GET /api/v1/me': me, [`GET ${path}`]: apiError(404, 'NOT_FOUND', '没有找到这个预约') });
    render(<BookingDetail />);
    expect((await screen.findByTestId('load-error')).textContent).toBe('没有找到这个预约');
  });
});

describe('我的预约', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
  });

  it('tabs 待办理 / 候补中 / 已结束 ask for their scope; an item opens its detail', async () => {
    const api = mockApi({
      'GET /api/v1/me': me,
      'GET /api/v1/bookings': (c) => {
        const scope = new URL(c.url).searchParams.get('scope');
        if (scope === 'waitlisted') return { status: 200, body: { items: [booking({ status: 'waitlisted', waitlistPosition: 2 })] } };
        if (scope === 'past') return { status: 200, body: { items: [] } };
        return { status: 200, body: { items: [booking()] } };
      },
    });
    render(<BookingMine />);
    expect(await screen.findByText('已预约')).toBeTruthy();
    fireEvent.click(screen.getByText('候补中'));
    expect(await screen.findByText('候补第2位')).toBeTruthy();
    fireEvent.click(screen.getByText('已结束'));
    expect(await screen.findByText('还没有办过的预约。')).toBeTruthy();
    const scopes = api.calls.filter((c) => c.path === '/api/v1/bookings').map((c) => new URL(c.url).searchParams.get('scope'));
    expect(scopes).toEqual(['upcoming', 'waitlisted', 'past']);
    fireEvent.click(screen.getByText('候补中'));
    fireEvent.click(await screen.findByText('社保卡申领与补换'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/booking/detail/index?id=${bookingIds.booking}` });
  });

  it('我的 links to 我的预约 and 消息 (with the unread count)', async () => {
    mockApi({ 'GET /api/v1/me': me, 'GET /api/v1/inbox/unread-count': { status: 200, body: { unread: 3 } } });
    render(<Me />);
    expect(await screen.findByText('3条未读')).toBeTruthy();
    fireEvent.click(screen.getByTestId('me-bookings'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/booking/mine/index' });
    fireEvent.click(screen.getByTestId('me-inbox'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/inbox/index' });
  });
});

describe('staff: 今日窗口 check-in', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
  });

  const today = shanghaiDay(0);
  const listed = booking({ startAt: at(today, '09:00'), endAt: at(today, '09:30'), code: 'K7M2Q9' });

  it('a typed code the API does not know shows the API’s message', async () => {
    const api = mockApi({
      'GET /api/v1/me': staffMe,
      'GET /api/v1/staff/bookings': { status: 200, body: { items: [listed] } },
      'POST /api/v1/staff/bookings/check-in': apiError(404, 'NOT_FOUND', '没有找到这个核验码对应的预约'),
    });
    render(<StaffWindow />);
    expect(await screen.findByText('09:00–09:30 王秀兰')).toBeTruthy();

    // The shared schema's rule first, with nothing sent.
    fireEvent.input(screen.getByTestId('check-in-input'), { target: { value: 'k7m' } });
    fireEvent.click(screen.getByText('核验', btn('核验')));
    expect((await screen.findByTestId('check-in-code-error')).textContent).toBe(schemaMessage(checkInBody, { code: 'K7M' }));
    expect(posts(api.calls, '/api/v1/staff/bookings/check-in')).toHaveLength(0);

    fireEvent.input(screen.getByTestId('check-in-input'), { target: { value: 'abc234' } });
    fireEvent.click(screen.getByText('核验', btn('核验')));
    expect((await screen.findByTestId('check-in-error')).textContent).toBe('没有找到这个核验码对应的预约');
    expect(posts(api.calls, '/api/v1/staff/bookings/check-in')[0]!.body).toEqual({ code: 'ABC234' });
  });

  it('checks a booking in by its code and the list shows 已到场; then 办结 needs a note', async () => {
    const api = mockApi({
      'GET /api/v1/me': staffMe,
      'GET /api/v1/staff/bookings': { status: 200, body: { items: [listed] } },
      'POST /api/v1/staff/bookings/check-in': { status: 200, body: { ...listed, status: 'checked_in', canChange: false } },
      [`POST /api/v1/staff/bookings/${bookingIds.booking}/close`]: (c) => ({
        status: 200,
        body: {
          ...listed,
          status: 'closed',
          history: [...listed.history, { at: at(today, '09:20'), status: 'closed', note: (c.body as { note: string }).note, byName: '孙晓燕' }],
        },
      }),
    });
    render(<StaffWindow />);
    await screen.findByText('09:00–09:30 王秀兰');
    fireEvent.input(screen.getByTestId('check-in-input'), { target: { value: 'K7M2Q9' } });
    fireEvent.click(screen.getByText('核验', btn('核验')));
    expect((await screen.findByTestId('check-in-done')).textContent).toContain('已核验：王秀兰');
    const item = screen.getByTestId('window-item');
    expect(within(item).getByText('已到场')).toBeTruthy();

    fireEvent.click(within(item).getByText('办结', btn('办结')));
    fireEvent.click(within(item).getByText('确认办结', btn('确认办结')));
    expect(await within(item).findByTestId('close-note-error')).toBeTruthy();
    fireEvent.input(screen.getByTestId('close-note-input'), { target: { value: '已受理，7个工作日后领卡' } });
    fireEvent.click(within(item).getByText('确认办结', btn('确认办结')));
    expect(await within(item).findByText('办结说明：已受理，7个工作日后领卡')).toBeTruthy();
    expect(posts(api.calls, `/api/v1/staff/bookings/${bookingIds.booking}/close`)[0]!.body).toEqual({ note: '已受理，7个工作日后领卡' });
  });

  it('a resident is told the page is not for them', async () => {
    mockApi({ 'GET /api/v1/me': me });
    render(<StaffWindow />);
    expect(await screen.findByText('这一页是便民服务中心工作人员用的，您没有权限查看。')).toBeTruthy();
  });
});

