import ExcelJS from 'exceljs';
import { addDays, bookingStatusLabels, ratingLabels, toShanghaiIso, type BookingStatus } from '@community/shared';
import { AppError } from '../../app-error.js';
import type { Actor } from '../../http/types.js';
import type { AccountService } from '../account/service.js';
import { Booking, Service, type BookingDoc, type ServiceDoc } from './models.js';

const MAX_DAYS = 62;

function range(from: string, to: string) {
  if (to < from) throw new AppError('VALIDATION_FAILED', '结束日期不能早于开始日期');
  // Both ends count: 2026-11-01 to 2026-12-02 is 32 days.
  if (addDays(from, MAX_DAYS - 1) < to) throw new AppError('VALIDATION_FAILED', `一次最多导出${MAX_DAYS}天`);
  return { $gte: new Date(`${from}T00:00:00+08:00`), $lt: new Date(`${addDays(to, 1)}T00:00:00+08:00`) };
}

async function bookingsIn(actor: Actor, from: string, to: string): Promise<BookingDoc[]> {
  // Statistics are counted here in code, not by $group: FerretDB computes only one accumulator per $group.
  return Booking.find({ communityId: actor.communityId, startAt: range(from, to) }).sort({ startAt: 1, _id: 1 }).limit(20_000).lean<BookingDoc[]>();
}

/** Per service: booked, attended, no-show, cancelled, and ratings as sum and count (the average is theirs to take). */
export async function serviceStats(actor: Actor, from: string, to: string) {
  const [bookings, services] = await Promise.all([
    bookingsIn(actor, from, to),
    Service.find({ communityId: actor.communityId }).select({ name: 1 }).lean<ServiceDoc[]>(),
  ]);
  const rows = new Map(
    services.map((s) => [
      s._id.toHexString(),
      { serviceId: s._id.toHexString(), serviceName: s.name, booked: 0, attended: 0, noShow: 0, cancelled: 0, ratingSum: 0, ratingCount: 0 },
    ]),
  );
  for (const b of bookings) {
    const row = rows.get(b.serviceId.toHexString());
    if (!row) continue;
    if (b.status === 'waitlisted' || b.status === 'expired') continue;
    row.booked++;
    if (b.status === 'checked_in' || b.status === 'closed') row.attended++;
    if (b.status === 'no_show') row.noShow++;
    if (b.status === 'cancelled') row.cancelled++;
    if (b.rating?.level) {
      row.ratingSum += b.rating.level;
      row.ratingCount++;
    }
  }
  return [...rows.values()];
}

/** The bookings of a day or a month as an .xlsx the centre can file or print. */
export async function exportBookings(actor: Actor, from: string, to: string, accounts: AccountService): Promise<Buffer> {
  const bookings = await bookingsIn(actor, from, to);
  const names = new Map<string, string>();
  for (const id of new Set(bookings.map((b) => b.residentId.toHexString()))) {
    const user = await accounts.getUser(id).catch(() => null);
    names.set(id, user ? (user.displayName ?? user.nickname) : '');
  }
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '社区服务小程序';
  const sheet = workbook.addWorksheet('预约明细');
  sheet.columns = [
    { header: '日期', key: 'date', width: 12 },
    { header: '时间', key: 'time', width: 13 },
    { header: '事项', key: 'service', width: 28 },
    { header: '居民', key: 'resident', width: 10 },
    { header: '状态', key: 'status', width: 10 },
    { header: '核验码', key: 'code', width: 9 },
    { header: '代约人', key: 'actedBy', width: 10 },
    { header: '评价', key: 'rating', width: 11 },
    { header: '评价留言', key: 'comment', width: 30 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const b of bookings) {
    const start = toShanghaiIso(b.startAt);
    sheet.addRow({
      date: start.slice(0, 10),
      time: `${start.slice(11, 16)}-${toShanghaiIso(b.endAt).slice(11, 16)}`,
      service: b.serviceName,
      resident: names.get(b.residentId.toHexString()) ?? '',
      status: bookingStatusLabels[b.status as BookingStatus],
      code: b.code,
      actedBy: b.actedByName ?? '',
      rating: b.rating?.level ? ratingLabels[b.rating.level] : '',
      comment: b.rating?.comment ?? '',
    });
  }
  const stats = workbook.addWorksheet('按事项统计');
  stats.columns = [
    { header: '事项', key: 'serviceName', width: 28 },
    { header: '预约', key: 'booked', width: 8 },
    { header: '到场', key: 'attended', width: 8 },
    { header: '未到场', key: 'noShow', width: 8 },
    { header: '取消', key: 'cancelled', width: 8 },
    { header: '评价分合计', key: 'ratingSum', width: 11 },
    { header: '评价数', key: 'ratingCount', width: 8 },
  ];
  stats.getRow(1).font = { bold: true };
  for (const row of await serviceStats(actor, from, to)) stats.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
