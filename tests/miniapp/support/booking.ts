/** Fixtures for the booking pages, shaped as the API's shared schemas (serviceView, slotView, bookingView). */

export const bookingIds = {
  service: '1'.repeat(24),
  service2: '2'.repeat(24),
  slotOpen: '3'.repeat(24),
  slotFull: '4'.repeat(24),
  slotOther: '5'.repeat(24),
  booking: '6'.repeat(24),
  resident: 'a'.repeat(24),
};

/** 'YYYY-MM-DD' in Asia/Shanghai, `days` from today. */
export function shanghaiDay(days = 0): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);
}

export const at = (date: string, time: string) => `${date}T${time}:00+08:00`;

export function service(over: Record<string, unknown> = {}) {
  return {
    id: bookingIds.service,
    name: '社保卡申领与补换',
    category: 'social_security',
    summary: '第三代社保卡申领、挂失补换、激活金融功能',
    guide: {
      materials: ['居民身份证原件', '近期免冠白底一寸照片（可现场拍摄）'],
      location: '滨河社区党群服务中心一楼 1号窗口',
      duration: '约20分钟',
      steps: ['取号后到1号窗口', '核对身份、采集照片'],
      notes: '代办需带委托人和代办人身份证原件。',
    },
    oneWindow: true,
    fullAgency: false,
    slotMinutes: 30,
    capacity: 4,
    weeklyHours: [1, 2, 3, 4, 5].flatMap((weekday) => [
      { weekday, start: '09:00', end: '12:00' },
      { weekday, start: '14:30', end: '17:30' },
    ]),
    closedDays: [],
    cutoffMinutes: 120,
    maxActivePerResident: 1,
    bookingWindowDays: 14,
    contactPhone: '0936-8210001',
    status: 'active',
    ...over,
  };
}

export function slot(id: string, date: string, start: string, end: string, over: Record<string, unknown> = {}) {
  return {
    id,
    serviceId: bookingIds.service,
    date,
    startAt: at(date, start),
    endAt: at(date, end),
    capacity: 4,
    seatsLeft: 4,
    waitlistLength: 0,
    bookable: true,
    ...over,
  };
}

export function booking(over: Record<string, unknown> = {}) {
  const date = shanghaiDay(2);
  return {
    id: bookingIds.booking,
    code: 'K7M2Q9',
    residentId: bookingIds.resident,
    residentName: '王秀兰',
    serviceId: bookingIds.service,
    serviceName: '社保卡申领与补换',
    slotId: bookingIds.slotOpen,
    startAt: at(date, '09:00'),
    endAt: at(date, '09:30'),
    location: '滨河社区党群服务中心一楼 1号窗口',
    materials: ['居民身份证原件', '近期免冠白底一寸照片（可现场拍摄）'],
    status: 'confirmed',
    waitlistPosition: null,
    cancelDeadline: at(date, '07:00'),
    canChange: true,
    contactPhone: '0936-8210001',
    actedByName: null,
    rating: null,
    history: [{ at: at(shanghaiDay(0), '08:00'), status: 'confirmed', note: null, byName: null }],
    matter: null,
    createdAt: at(shanghaiDay(0), '08:00'),
    ...over,
  };
}
