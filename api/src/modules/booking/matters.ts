import { shanghaiDate, toShanghaiIso, type MatterStatus, type MatterView } from '@community/shared';
import { AppError } from '../../app-error.js';
import { isDuplicateKey } from '../../db/connection.js';
import type { Actor } from '../../http/types.js';
import type { AccountService } from '../account/service.js';
import type { NotificationService } from '../notification/service.js';
import { Matter, type BookingDoc, type MatterDoc } from './models.js';

export type MatterService = ReturnType<typeof createMatterService>;

const nameOf = (actor: Actor) => actor.profile.displayName ?? actor.profile.nickname;

export function createMatterService(accounts: AccountService, notifications: NotificationService) {
  async function load(actor: Actor, matterId: string): Promise<MatterDoc> {
    const matter = await Matter.findById(matterId).lean<MatterDoc>();
    if (!matter || matter.communityId.toHexString() !== actor.communityId) throw new AppError('NOT_FOUND', '没有找到这个代办事项');
    return matter;
  }

  async function toView(m: MatterDoc): Promise<MatterView> {
    const resident = await accounts.getUser(m.residentId.toHexString()).catch(() => null);
    return {
      id: m._id.toHexString(),
      bookingId: m.bookingId.toHexString(),
      residentId: m.residentId.toHexString(),
      residentName: resident ? (resident.displayName ?? resident.nickname) : null,
      serviceName: m.serviceName,
      startAt: m.startAt ? toShanghaiIso(m.startAt) : null,
      status: m.status as MatterStatus,
      ownerName: m.ownerName ?? null,
      promisedBy: m.promisedBy ?? null,
      notes: (m.notes ?? []).map((n) => ({ at: toShanghaiIso(n.at!), byName: n.byName!, text: n.text! })),
      createdAt: toShanghaiIso((m as { createdAt?: Date }).createdAt ?? m._id.getTimestamp()),
    };
  }

  const tell = (m: MatterDoc, title: string, body: string) =>
    notifications.notify(m.residentId.toHexString(), { kind: 'matter', title, body, link: `/booking/detail/index?id=${m.bookingId.toHexString()}` });

  return {
    /** Opened when the resident is received at the window; once per booking. */
    async openFor(booking: BookingDoc): Promise<void> {
      try {
        await Matter.create({
          communityId: booking.communityId,
          bookingId: booking._id,
          serviceId: booking.serviceId,
          residentId: booking.residentId,
          serviceName: booking.serviceName,
          startAt: booking.startAt,
        });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    },

    async forBooking(bookingId: BookingDoc['_id']): Promise<MatterDoc | null> {
      return Matter.findOne({ bookingId }).lean<MatterDoc>();
    },

    async list(actor: Actor, status: MatterStatus | undefined): Promise<MatterView[]> {
      const filter: Record<string, unknown> = { communityId: actor.communityId };
      if (status) filter.status = status;
      const matters = await Matter.find(filter).sort({ _id: 1 }).limit(200).lean<MatterDoc[]>();
      return Promise.all(matters.map(toView));
    },

    /** Whoever accepts first owns it (首问负责): a guarded update, so two staff cannot both. */
    async accept(actor: Actor, matterId: string, promisedBy: string, now = new Date()): Promise<MatterView> {
      const matter = await load(actor, matterId);
      // Full agency means someone else carries the resident's matter: a desk does not take on its own.
      if (matter.residentId.toHexString() === actor.id) throw new AppError('FORBIDDEN', '这是您自己的事项，请另一位工作人员接办');
      if (promisedBy < shanghaiDate(now)) throw new AppError('VALIDATION_FAILED', '承诺办结日期不能早于今天', { fields: { 'body.promisedBy': ['不能早于今天'] } });
      const accepted = await Matter.findOneAndUpdate(
        { _id: matter._id, status: 'open', ownerId: null },
        {
          $set: { status: 'accepted', ownerId: actor.id, ownerName: nameOf(actor), promisedBy },
          $push: { notes: { at: now, byName: nameOf(actor), byId: actor.id, text: `已接办，承诺${promisedBy}前办结` } },
        },
        { returnDocument: 'after' },
      ).lean<MatterDoc>();
      if (!accepted) throw new AppError('CONFLICT', `这件事已由${matter.ownerName ?? '其他同事'}接办`);
      await tell(accepted, '您的事项有人负责了', `${accepted.serviceName}由${nameOf(actor)}全程代办，承诺${promisedBy}前办结。`);
      return toView(accepted);
    },

    async addNote(actor: Actor, matterId: string, text: string, now = new Date()): Promise<MatterView> {
      const matter = await load(actor, matterId);
      if (matter.status !== 'accepted') throw new AppError('CONFLICT', '接办后才能记录进展');
      if (matter.ownerId?.toHexString() !== actor.id && !actor.roles.includes('admin')) throw new AppError('FORBIDDEN', '只有负责人可以记录进展');
      const updated = await Matter.findOneAndUpdate(
        { _id: matter._id, status: 'accepted' },
        { $push: { notes: { at: now, byName: nameOf(actor), byId: actor.id, text } } },
        { returnDocument: 'after' },
      ).lean<MatterDoc>();
      await tell(updated!, '代办进展', `${updated!.serviceName}：${text}`);
      return toView(updated!);
    },

    async complete(actor: Actor, matterId: string, text: string, now = new Date()): Promise<MatterView> {
      const matter = await load(actor, matterId);
      if (matter.ownerId?.toHexString() !== actor.id && !actor.roles.includes('admin')) throw new AppError('FORBIDDEN', '只有负责人可以办结');
      const done = await Matter.findOneAndUpdate(
        { _id: matter._id, status: 'accepted' },
        { $set: { status: 'done' }, $push: { notes: { at: now, byName: nameOf(actor), byId: actor.id, text: `已办结：${text}` } } },
        { returnDocument: 'after' },
      ).lean<MatterDoc>();
      if (!done) throw new AppError('CONFLICT', '这件事不在办理中');
      await tell(done, '代办事项已办结', `${done.serviceName}已办结：${text}`);
      return toView(done);
    },
  };
}

export function matterSummary(m: MatterDoc | null) {
  if (!m) return null;
  return {
    status: m.status,
    ownerName: m.ownerName ?? null,
    promisedBy: m.promisedBy ?? null,
    notes: (m.notes ?? []).map((n) => ({ at: toShanghaiIso(n.at!), byName: n.byName!, text: n.text! })),
  };
}
