import { z } from 'zod';
import {
  bookingView,
  checkInBody,
  closeBookingBody,
  objectId,
  serviceCreateBody,
  serviceUpdateBody,
  serviceView,
  staffBookingQuery,
} from '@community/shared';
import { actorOf, defineRoute } from '../../http/route.js';
import type { Services } from '../services.js';

const centre = ['community_staff', 'admin'] as const;
const serviceParams = z.strictObject({ serviceId: objectId });
const bookingParams = z.strictObject({ bookingId: objectId });

/** Centre staff: services, opening hours, today's window, check-in, no-shows. */
export function bookingStaffRoutes({ bookings }: Services) {
  return [
    defineRoute({
      method: 'get',
      path: '/staff/services',
      tag: 'booking-staff',
      summary: '全部服务事项（含已停用）',
      access: centre,
      response: z.object({ items: z.array(serviceView) }),
      handler: async (req) => ({ items: await bookings.listServices(actorOf(req), true) }),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/services',
      tag: 'booking-staff',
      summary: '新建服务事项（按开放时间生成滚动时段）',
      access: centre,
      body: serviceCreateBody,
      response: serviceView,
      successStatus: 201,
      handler: (req) => bookings.createService(actorOf(req), req.body),
    }),
    defineRoute({
      method: 'patch',
      path: '/staff/services/:serviceId',
      tag: 'booking-staff',
      summary: '修改服务事项、开放时间、名额或休息日',
      access: centre,
      params: serviceParams,
      body: serviceUpdateBody,
      response: serviceView,
      handler: (req) => bookings.updateService(actorOf(req), req.params.serviceId, req.body),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/services/:serviceId/retire',
      tag: 'booking-staff',
      summary: '停用服务事项（不再接受预约；已有预约保留，不删除）',
      access: centre,
      params: serviceParams,
      response: serviceView,
      handler: (req) => bookings.retireService(actorOf(req), req.params.serviceId),
    }),
    defineRoute({
      method: 'get',
      path: '/staff/bookings',
      tag: 'booking-staff',
      summary: '窗口预约名单（默认今天）',
      access: centre,
      query: staffBookingQuery,
      response: z.object({ items: z.array(bookingView) }),
      handler: async (req) => ({ items: await bookings.windowList(actorOf(req), req.query.date, req.query.serviceId) }),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/bookings/check-in',
      tag: 'booking-staff',
      summary: '扫码或输入核验码，核验到场',
      access: centre,
      body: checkInBody,
      response: bookingView,
      handler: (req) => bookings.checkIn(actorOf(req), req.body.code),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/bookings/:bookingId/no-show',
      tag: 'booking-staff',
      summary: '时段结束后标记未到场',
      access: centre,
      params: bookingParams,
      response: bookingView,
      handler: (req) => bookings.markNoShow(actorOf(req), req.params.bookingId),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/bookings/:bookingId/close',
      tag: 'booking-staff',
      summary: '办结（写明办理结果，居民能看到）',
      access: centre,
      params: bookingParams,
      body: closeBookingBody,
      response: bookingView,
      handler: (req) => bookings.close(actorOf(req), req.params.bookingId, req.body.note),
    }),
  ];
}
