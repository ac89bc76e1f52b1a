import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import {
  addDays,
  caseCategoryLabels,
  caseKindLabels,
  deskLevelLabels,
  maskName,
  maskPhone,
  shanghaiDate,
  toShanghaiIso,
  type CaseCreateBody,
  type CaseStatus,
  type CaseView,
  type DeskLevel,
} from '@community/shared';
import { AppError } from '../../app-error.js';
import { isDuplicateKey } from '../../db/connection.js';
import type { Actor } from '../../http/types.js';
import type { AccountService } from '../account/service.js';
import type { NotificationService } from '../notification/service.js';
import { Binding, Building, PropertyCompany, Room, type BindingDoc, type BuildingDoc, type RoomDoc } from '../space/models.js';
import { photoIdOf, type PhotoHolder, type UploadService } from '../upload/service.js';
import {
  Case,
  CaseCalendar,
  CaseCounter,
  CaseFollow,
  CaseStep,
  PromiseRuleModel,
  RoutingRuleModel,
  SchedulerLease,
  type CaseDoc,
  type CaseStepDoc,
} from './models.js';
import { communityByCode } from './scorecard.js';
import { acknowledgeHours, dueAt, nextLevel, promiseFor, routeCase, type PromiseRule, type RoutingRule } from './rules.js';

export type CaseService = ReturnType<typeof createCaseService>;

const ANONYMOUS = '匿名居民';
const RECTIFY_WORKING_DAYS = 15;
const isCommunityStaff = (a: Actor) => a.roles.some((r) => r === 'community_staff' || r === 'admin');
const nameOf = (a: Actor) => a.profile.displayName ?? a.profile.nickname;

const stepLabels: Record<string, string> = {
  submitted: '提交',
  accepted: '受理',
  acknowledged: '报到',
  transferred: '转单',
  returned: '退单',
  paused: '暂停',
  resumed: '恢复处理',
  resolved: '处理完成',
  confirmed: '确认解决',
  reopened: '重新打开',
  escalated: '超时上报',
  rated: '评价',
  rectified: '整改回访',
  followed: '加入关注',
};

/**
 * Who is looking, for what they may see of the reporter: the reporter; community
 * staff (centre, grid workers: they call back); the property desk; a resident who
 * joined the case (加入关注); anyone else (a resident offered it as a similar case).
 */
type Audience = 'reporter' | 'community' | 'property' | 'follower' | 'public';

/** Whether this audience sees who reported (name, phone, room) only as 匿名居民 and a building. */
const hidesReporter = (c: Pick<CaseDoc, 'visibility'>, audience: Audience) => c.visibility === 'staff_only' && audience !== 'reporter' && audience !== 'community';

/**
 * Photos taken inside the home of a resident who asked not to be named: the
 * case is about their own room (placeKind 'room', the room they chose from
 * their bindings) and they chose 'staff_only'. Nothing else marks a photo as
 * in-home: a common area is never one.
 */
const inAnonymousHome = (c: Pick<CaseDoc, 'visibility' | 'placeKind'>) => c.visibility === 'staff_only' && c.placeKind === 'room';

/**
 * Photos of the problem (the reporter's and the desk's). A follower shares the
 * problem (same building, same kind of fault) and joined it on purpose: seeing
 * the leak or the broken lamp helps them judge it is the same thing and whether it
 * is fixed, and a photo of a stairwell names nobody; the desks see them to fix
 * what they show. A resident merely offered the case (not following) sees none.
 * The exception is an anonymous resident's own home: a photo taken inside it
 * (the kitchen, the furniture) tells whose flat it is, which is what the
 * resident asked to keep from the property company and the neighbours. Only
 * those who may know who reported see it: the reporter, the centre and the
 * grid worker of the case's own grid (who call the resident back and arrange
 * the visit); not the property desk (no case rule grants it one), not a
 * follower, not a grid worker of another grid.
 */
function photosShown(c: Pick<CaseDoc, 'visibility' | 'placeKind' | 'gridId'>, audience: Audience, actor: Actor | null): boolean {
  if (audience === 'public') return false;
  if (!inAnonymousHome(c)) return true;
  if (audience === 'reporter') return true;
  if (audience !== 'community' || !actor) return false;
  return isCommunityStaff(actor) || (actor.roles.includes('grid_worker') && actor.gridIds.includes(c.gridId.toHexString()));
}

/** Every photo of a case (the reporter's and each step's) is attached to the case itself and served through it. */
const holderOf = (caseId: Types.ObjectId | string): PhotoHolder => `case:${typeof caseId === 'string' ? caseId : caseId.toHexString()}`;
const photoUrl = (caseId: Types.ObjectId, photoId: unknown) => `/api/v1/cases/${caseId.toHexString()}/photos/${photoIdOf(photoId)}`;

export function createCaseService(deps: { accounts: AccountService; notifications: NotificationService; uploads: UploadService }) {
  const { notifications } = deps;

  function audienceOf(actor: Actor | null, c: CaseDoc, following: boolean): Audience {
    if (!actor) return 'public';
    if (c.reporterId.toHexString() === actor.id) return 'reporter';
    if (actor.roles.some((r) => r === 'community_staff' || r === 'admin' || r === 'grid_worker')) return 'community';
    if (actor.roles.includes('property_staff')) return 'property';
    return following ? 'follower' : 'public';
  }

  const isFollowing = async (actor: Actor | null, c: Pick<CaseDoc, '_id'>) => !!actor && !!(await CaseFollow.exists({ _id: `${c._id.toHexString()}|${actor.id}` }));

  /** A room names a household: for those who may not see the reporter, an anonymous resident's home is only its building. */
  async function placeFor(c: CaseDoc, audience: Audience): Promise<string> {
    if (c.placeKind !== 'room' || !hidesReporter(c, audience)) return c.placeLabel;
    const building = await Building.findById(c.buildingId).select({ name: 1 }).lean<{ name: string }>();
    return `${building?.name ?? '本社区'} 居民家中（房号不公开）`;
  }

  /** Two-tier anonymity: community staff always see who to call back; the property company and the public do not when the resident chose so. */
  function reporterAs(c: CaseDoc, audience: Audience): { name: string; phone: string | null } {
    if (audience === 'reporter' || audience === 'community') return { name: c.reporterName, phone: c.reporterPhone ?? null };
    if (hidesReporter(c, audience)) return { name: ANONYMOUS, phone: null };
    if (audience === 'property') return { name: c.reporterName, phone: maskPhone(c.reporterPhone) };
    return { name: maskName(c.reporterName), phone: null };
  }

  async function holderLabel(c: CaseDoc): Promise<string> {
    if (c.level === 'property' && c.propertyCompanyId) {
      const company = await PropertyCompany.findById(c.propertyCompanyId).lean<{ name: string }>();
      return company?.name ?? deskLevelLabels.property;
    }
    return deskLevelLabels[c.level as DeskLevel];
  }

  async function view(c: CaseDoc, actor: Actor | null, now = new Date()): Promise<CaseView> {
    const following = await isFollowing(actor, c);
    const audience = audienceOf(actor, c, following);
    const steps = await CaseStep.find({ caseId: c._id }).sort({ at: 1, _id: 1 }).lean<CaseStepDoc[]>();
    const who = reporterAs(c, audience);
    const photos = photosShown(c, audience, actor);
    const open = c.status === 'submitted' || c.status === 'accepted';
    return {
      id: c._id.toHexString(),
      number: c.number,
      kind: c.kind,
      category: c.category,
      urgent: c.urgent,
      buildingId: c.buildingId.toHexString(),
      placeLabel: await placeFor(c, audience),
      text: c.text,
      photoUrls: photos ? (c.photoIds ?? []).map((id) => photoUrl(c._id, id)) : [],
      status: c.status as CaseStatus,
      level: c.level as DeskLevel,
      holderLabel: await holderLabel(c),
      reporterName: who.name,
      reporterPhone: who.phone,
      // The desks need to know the resident asked not to be named (why no room is shown); other residents do not.
      visibility: audience === 'follower' || audience === 'public' ? null : (c.visibility as 'everyone' | 'staff_only'),
      mine: audience === 'reporter',
      following,
      followers: c.followers,
      promisedBy: open || c.status === 'paused' ? toShanghaiIso(c.promisedBy) : null,
      pausedUntil: c.status === 'paused' ? (c.pausedUntil ?? null) : null,
      overdue: open && c.promisedBy < now,
      awaitingAcknowledgement: !!c.ackDueAt,
      rating: c.rating?.level ? { level: c.rating.level, comment: c.rating.comment ?? '' } : null,
      rectification: c.rectification?.dueOn ? { dueOn: c.rectification.dueOn, status: c.rectification.status as 'open' | 'done', visitNote: c.rectification.visitNote ?? null } : null,
      // A step by the reporter carries their name only where the reporter may be named.
      history: steps.map((s) => ({
        at: toShanghaiIso(s.at),
        action: s.action,
        label: stepLabels[s.action] ?? s.action,
        byName: s.byId && s.byId.equals(c.reporterId) ? who.name : s.byName,
        note: s.note ?? null,
        level: (s.level as DeskLevel | null) ?? null,
        photoUrls: photos ? (s.photoIds ?? []).map((id) => photoUrl(c._id, id)) : [],
      })),
      createdAt: toShanghaiIso(c.createdAt),
    };
  }

  async function step(c: Pick<CaseDoc, '_id'>, action: string, by: { id: string | null; name: string }, now: Date, extra: { note?: string | null; level?: DeskLevel | null; photoIds?: string[] } = {}) {
    await CaseStep.create({
      caseId: c._id,
      at: now,
      action,
      byId: by.id ? new Types.ObjectId(by.id) : null,
      byName: by.name,
      note: extra.note ?? null,
      level: extra.level ?? null,
      photoIds: extra.photoIds,
    });
  }

  async function calendar(communityId: Types.ObjectId) {
    const cal = await CaseCalendar.findById(communityId).lean<{ holidays?: string[]; workdays?: string[] }>();
    return { holidays: new Set(cal?.holidays ?? []), workdays: new Set(cal?.workdays ?? []) };
  }

  async function promiseDue(c: Pick<CaseDoc, 'communityId' | 'promiseAmount' | 'promiseUnit'>, from: Date): Promise<Date> {
    const cal = await calendar(c.communityId);
    return dueAt(from, { amount: c.promiseAmount, unit: c.promiseUnit as PromiseRule['unit'] }, cal.holidays, cal.workdays);
  }

  /** Whether the actor is the desk holding the case now (the admin stands in for the street office). */
  function holds(actor: Actor, c: CaseDoc): boolean {
    if (actor.communityId !== c.communityId.toHexString()) return false;
    switch (c.level) {
      case 'property':
        return actor.roles.includes('property_staff') && !!c.propertyCompanyId && actor.propertyCompanyId === c.propertyCompanyId.toHexString();
      case 'grid':
        return actor.roles.includes('grid_worker') && actor.gridIds.includes(c.gridId.toHexString());
      case 'centre':
        return isCommunityStaff(actor);
      default:
        return actor.roles.includes('admin');
    }
  }

  async function loadForDesk(actor: Actor, caseId: string): Promise<CaseDoc> {
    const c = await Case.findById(caseId).lean<CaseDoc>();
    if (!c || c.communityId.toHexString() !== actor.communityId) throw new AppError('NOT_FOUND', '没有找到这个工单');
    if (!holds(actor, c)) throw new AppError('FORBIDDEN', `这个工单现在由${await holderLabel(c)}处理`);
    return c;
  }

  /** A case this actor may open: the reporter, a follower, the community's staff, the property company it belongs to. */
  async function loadViewable(actor: Actor, caseId: string): Promise<{ c: CaseDoc; audience: Audience }> {
    const c = await Case.findById(caseId).lean<CaseDoc>();
    const notFound = new AppError('NOT_FOUND', '没有找到这个工单');
    if (!c || c.communityId.toHexString() !== actor.communityId) throw notFound;
    const audience = audienceOf(actor, c, await isFollowing(actor, c));
    if (audience === 'public') throw notFound;
    if (audience === 'property' && !holds(actor, c) && actor.propertyCompanyId !== c.propertyCompanyId?.toHexString()) throw notFound;
    return { c, audience };
  }

  async function loadMine(actor: Actor, caseId: string): Promise<CaseDoc> {
    const c = await Case.findById(caseId).lean<CaseDoc>();
    if (!c || c.reporterId.toHexString() !== actor.id) throw new AppError('NOT_FOUND', '没有找到这个反映');
    return c;
  }

  /** One guarded change of state; a case not in the expected state answers 409 with its current state. */
  async function move(c: CaseDoc, expect: Record<string, unknown>, set: Record<string, unknown>, inc?: Record<string, number>): Promise<CaseDoc> {
    const next = await Case.findOneAndUpdate({ _id: c._id, ...expect }, { $set: set, ...(inc ? { $inc: inc } : {}) }, { returnDocument: 'after' }).lean<CaseDoc>();
    if (!next) throw new AppError('CASE_WRONG_STATE', `这个工单现在是“${({ submitted: '待受理', accepted: '处理中', paused: '暂停处理', resolved: '已处理', closed: '已办结' } as Record<string, string>)[c.status]}”，不能这样操作`);
    return next;
  }

  async function tellReporterAndFollowers(c: CaseDoc, title: string, body: string): Promise<void> {
    const link = `/feedback/case/index?id=${c._id.toHexString()}`;
    await notifications.notify(c.reporterId.toHexString(), { kind: 'case', title, body, link });
    const follows = await CaseFollow.find({ caseId: c._id }).lean<{ userId: Types.ObjectId }[]>();
    for (const f of follows) await notifications.notify(f.userId.toHexString(), { kind: 'case', title, body, link });
  }

  async function nextNumber(now: Date): Promise<string> {
    const day = shanghaiDate(now).replaceAll('-', '');
    const counter = await CaseCounter.findOneAndUpdate({ _id: `case:${day}` }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' }).lean<{ seq: number }>();
    return `FK${day}${String(counter!.seq).padStart(4, '0')}`;
  }

  return {
    view,
    holderName: holderLabel,
    communityFor: (code: string | undefined) => communityByCode(code),

    /**
     * A case from the city hotline (Open311): the caller is recorded for the
     * centre's call-back and the case is anonymous to everyone else.
     */
    async createFromHotline(input: {
      communityId: Types.ObjectId;
      building: BuildingDoc;
      category: CaseCreateBody['category'];
      text: string;
      spot: string;
      callerName: string;
      callerPhone: string | null;
      reference: string | null;
    }, now = new Date()): Promise<CaseDoc> {
      const hotline = await deps.accounts.findOrCreateStaffUser({
        username: 'hotline-12345',
        password: randomUUID(),
        displayName: '12345热线',
        roles: [],
        communityId: input.communityId.toHexString(),
      });
      const [routing, promises] = await Promise.all([
        RoutingRuleModel.find({ communityId: input.communityId }).lean<(RoutingRule & { buildingId: Types.ObjectId | null })[]>(),
        PromiseRuleModel.find({ communityId: input.communityId }).lean<PromiseRule[]>(),
      ]);
      const level = routeCase(
        routing.map((r) => ({ category: r.category, buildingId: r.buildingId ? r.buildingId.toString() : null, level: r.level })),
        { category: input.category, buildingId: input.building._id.toHexString(), hasPropertyCompany: !!input.building.propertyCompanyId },
      );
      const promise = promiseFor(promises, { category: input.category, kind: 'complaint', urgent: false });
      const cal = await calendar(input.communityId);
      const promisedBy = dueAt(now, promise, cal.holidays, cal.workdays);
      const created = await Case.create({
        communityId: input.communityId,
        number: await nextNumber(now),
        reporterId: new Types.ObjectId(hotline.id),
        reporterName: input.callerName,
        reporterPhone: input.callerPhone,
        visibility: 'staff_only',
        kind: 'complaint',
        category: input.category,
        urgent: false,
        placeKind: 'common',
        buildingId: input.building._id,
        gridId: input.building.gridId,
        propertyCompanyId: input.building.propertyCompanyId ?? null,
        placeLabel: `${input.building.name} ${input.spot}`.slice(0, 120),
        text: input.text,
        status: 'submitted',
        level,
        firstLevel: level,
        promiseMinutes: Math.round((promisedBy.getTime() - now.getTime()) / 60_000),
        promiseUnit: promise.unit,
        promiseAmount: promise.amount,
        promisedBy,
      });
      await step(created, 'submitted', { id: hotline.id, name: '12345热线' }, now, { level, note: input.reference ? `热线工单 ${input.reference}` : '12345热线转来' });
      return created.toObject() as CaseDoc;
    },

    async create(actor: Actor, body: CaseCreateBody, now = new Date()): Promise<CaseView> {
      const bindings = await Binding.find({ userId: new Types.ObjectId(actor.id), status: 'approved' }).lean<BindingDoc[]>();
      if (bindings.length === 0 || !actor.communityId) throw new AppError('FORBIDDEN', '绑定房屋后才能反映问题');
      let building: BuildingDoc | null;
      let roomId: Types.ObjectId | null = null;
      let placeLabel: string;
      if (body.place.kind === 'room') {
        const binding = bindings.find((b) => b.roomId.toHexString() === (body.place as { roomId: string }).roomId);
        if (!binding) throw new AppError('VALIDATION_FAILED', '只能选择您绑定的房屋', { fields: { 'place.roomId': ['请选择您绑定的房屋'] } });
        const room = (await Room.findById(binding.roomId).lean<RoomDoc>())!;
        building = await Building.findById(room.buildingId).lean<BuildingDoc>();
        roomId = room._id;
        placeLabel = room.label;
      } else {
        building = await Building.findById(body.place.buildingId).lean<BuildingDoc>();
        if (!building || building.communityId.toHexString() !== actor.communityId) throw new AppError('VALIDATION_FAILED', '没有这栋楼', { fields: { 'place.buildingId': ['请从列表中选择'] } });
        placeLabel = `${building.name} ${body.place.spot}（公共区域）`;
      }
      // The case's id is chosen first so its photos can be claimed for it before it exists (no transactions: claim, then write, else give them back).
      const caseId = new Types.ObjectId();
      const photoIds = await deps.uploads.attach(actor, body.photoIds, holderOf(caseId), now);
      try {
        const [routing, promises, user] = await Promise.all([
          RoutingRuleModel.find({ communityId: building!.communityId }).lean<(RoutingRule & { buildingId: Types.ObjectId | null })[]>(),
          PromiseRuleModel.find({ communityId: building!.communityId }).lean<PromiseRule[]>(),
          deps.accounts.getUser(actor.id),
        ]);
        const level = routeCase(
          routing.map((r) => ({ category: r.category, buildingId: r.buildingId ? r.buildingId.toString() : null, level: r.level })),
          { category: body.category, buildingId: building!._id.toHexString(), hasPropertyCompany: !!building!.propertyCompanyId },
        );
        const promise = promiseFor(promises, body);
        const cal = await calendar(building!.communityId);
        const promisedBy = dueAt(now, promise, cal.holidays, cal.workdays);
        const phone = await deps.accounts.phoneOf(actor.id).catch(() => null);
        const created = await Case.create({
          _id: caseId,
          communityId: building!.communityId,
          number: await nextNumber(now),
          reporterId: new Types.ObjectId(actor.id),
          reporterName: bindings[0]!.realName ?? user.displayName ?? user.nickname,
          reporterPhone: phone,
          visibility: body.visibility,
          kind: body.kind,
          category: body.category,
          urgent: body.urgent,
          placeKind: body.place.kind,
          roomId,
          buildingId: building!._id,
          gridId: building!.gridId,
          propertyCompanyId: building!.propertyCompanyId ?? null,
          placeLabel,
          text: body.text,
          photoIds,
          status: 'submitted',
          level,
          firstLevel: level,
          promiseMinutes: Math.round((promisedBy.getTime() - now.getTime()) / 60_000),
          promiseUnit: promise.unit,
          promiseAmount: promise.amount,
          promisedBy,
        });
        await step(created, 'submitted', { id: actor.id, name: nameOf(actor) }, now, { level });
        return view(created.toObject() as CaseDoc, actor, now);
      } catch (error) {
        if (!(await Case.exists({ _id: caseId }))) await deps.uploads.detach(photoIds, holderOf(caseId));
        throw error;
      }
    },

    /** 同一问题？: open cases of the same category in the same building. */
    async similar(actor: Actor, buildingId: string, category: CaseCreateBody["category"]): Promise<CaseView[]> {
      const docs = await Case.find({ buildingId: new Types.ObjectId(buildingId), category, status: { $in: ['submitted', 'accepted', 'paused'] }, communityId: new Types.ObjectId(actor.communityId!) })
        .sort({ _id: -1 })
        .limit(5)
        .lean<CaseDoc[]>();
      return Promise.all(docs.map((c) => view(c, actor)));
    },

    async follow(actor: Actor, caseId: string, now = new Date()): Promise<CaseView> {
      const c = await Case.findById(caseId).lean<CaseDoc>();
      if (!c || c.communityId.toHexString() !== actor.communityId) throw new AppError('NOT_FOUND', '没有找到这个工单');
      if (c.reporterId.toHexString() === actor.id) return view(c, actor, now);
      try {
        await CaseFollow.create({ _id: `${caseId}|${actor.id}`, caseId: c._id, userId: new Types.ObjectId(actor.id) });
        await Case.updateOne({ _id: c._id }, { $inc: { followers: 1 } });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      return view((await Case.findById(caseId).lean<CaseDoc>())!, actor, now);
    },

    async mine(actor: Actor): Promise<CaseView[]> {
      const [own, follows] = await Promise.all([
        Case.find({ reporterId: new Types.ObjectId(actor.id) }).sort({ _id: -1 }).limit(50).lean<CaseDoc[]>(),
        CaseFollow.find({ userId: new Types.ObjectId(actor.id) }).lean<{ caseId: Types.ObjectId }[]>(),
      ]);
      const followed = await Promise.all(follows.slice(0, 50).map((f) => Case.findById(f.caseId).lean<CaseDoc>()));
      return Promise.all([...own, ...followed.filter((c): c is CaseDoc => !!c)].map((c) => view(c, actor)));
    },

    async get(actor: Actor, caseId: string): Promise<CaseView> {
      return view((await loadViewable(actor, caseId)).c, actor);
    },

    /**
     * One photo of a case (the reporter's or a desk's), for whoever may see the
     * case's photos: the photo's own access follows the case, not its uploader.
     * Every refusal (no such case, not yours to open, photos not shown to you,
     * not this case's photo, no such photo) is the same 404, so trying ids
     * tells nothing about which cases or photos exist.
     */
    async photo(actor: Actor, caseId: string, photoId: string): Promise<{ data: Buffer; contentType: string }> {
      const missing = new AppError('NOT_FOUND', '没有找到这张照片');
      const seen = await loadViewable(actor, caseId).catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
        throw error;
      });
      if (!seen || !photosShown(seen.c, seen.audience, actor)) throw missing;
      const { c } = seen;
      const attached =
        (c.photoIds ?? []).some((id) => photoIdOf(id) === photoId) ||
        (await CaseStep.find({ caseId: c._id }).select({ photoIds: 1 }).lean<CaseStepDoc[]>()).some((s) => (s.photoIds ?? []).some((id) => photoIdOf(id) === photoId));
      if (!attached) throw missing;
      return deps.uploads.readHeld(photoId, holderOf(c._id));
    },

    /** The desk's queue: what it holds now, overdue and awaiting acknowledgement first. */
    async queue(actor: Actor, status: 'open' | 'done'): Promise<CaseView[]> {
      const filter: Record<string, unknown> = { communityId: new Types.ObjectId(actor.communityId!) };
      filter.status = status === 'open' ? { $in: ['submitted', 'accepted', 'paused'] } : { $in: ['resolved', 'closed'] };
      const docs = await Case.find(filter).sort({ promisedBy: 1 }).limit(500).lean<CaseDoc[]>();
      const mine = docs.filter((c) => holds(actor, c) || (isCommunityStaff(actor) && status === 'done'));
      return Promise.all(mine.slice(0, 100).map((c) => view(c, actor)));
    },

    async accept(actor: Actor, caseId: string, now = new Date()): Promise<CaseView> {
      const c = await loadForDesk(actor, caseId);
      const next = await move(c, { status: 'submitted', level: c.level }, { status: 'accepted', acceptedAt: now, ackDueAt: null, ...(c.firstAcceptedInTime === null ? { firstAcceptedInTime: now <= c.promisedBy } : {}) });
      await step(next, 'accepted', { id: actor.id, name: nameOf(actor) }, now, { level: next.level as DeskLevel });
      await tellReporterAndFollowers(next, '您反映的问题已受理', `${await holderLabel(next)}已受理${next.number}，承诺${toShanghaiIso(next.promisedBy).slice(5, 16).replace('T', ' ')}前处理。`);
      return view(next, actor, now);
    },

    /** 报到: the desk that received an escalated case says it has it; its own promise starts now. */
    async acknowledge(actor: Actor, caseId: string, now = new Date()): Promise<CaseView> {
      const c = await loadForDesk(actor, caseId);
      if (!c.ackDueAt) throw new AppError('CASE_WRONG_STATE', '这个工单不需要报到');
      const next = await move(c, { hop: c.hop, ackDueAt: { $ne: null } }, { ackDueAt: null, promisedBy: await promiseDue(c, now) });
      await step(next, 'acknowledged', { id: actor.id, name: nameOf(actor) }, now, { level: next.level as DeskLevel });
      return view(next, actor, now);
    },

    async transfer(actor: Actor, caseId: string, toLevel: DeskLevel, reason: string, now = new Date()): Promise<CaseView> {
      const c = await loadForDesk(actor, caseId);
      if (toLevel === c.level) throw new AppError('VALIDATION_FAILED', '请选择另一个处理单位');
      if (toLevel === 'property' && !c.propertyCompanyId) throw new AppError('VALIDATION_FAILED', '这栋楼没有物业公司');
      const next = await move(c, { status: { $in: ['submitted', 'accepted'] }, level: c.level, hop: c.hop }, { status: 'submitted', level: toLevel, ackDueAt: null }, { hop: 1 });
      await step(next, 'transferred', { id: actor.id, name: nameOf(actor) }, now, { note: reason, level: toLevel });
      await tellReporterAndFollowers(next, '您反映的问题转给了其他单位', `${next.number}已转给${await holderLabel(next)}处理：${reason}`);
      return view(next, actor, now);
    },

    async giveBack(actor: Actor, caseId: string, reason: string, now = new Date()): Promise<CaseView> {
      const c = await loadForDesk(actor, caseId);
      if (c.level === 'centre' || c.level === 'street') throw new AppError('CASE_WRONG_STATE', '社区服务中心和街道不能退单，可以转给其他单位');
      const next = await move(c, { status: { $in: ['submitted', 'accepted'] }, level: c.level, hop: c.hop }, { status: 'submitted', level: 'centre', ackDueAt: null }, { hop: 1 });
      await step(next, 'returned', { id: actor.id, name: nameOf(actor) }, now, { note: reason, level: 'centre' });
      return view(next, actor, now);
    },

    async pause(actor: Actor, caseId: string, reason: string, resumeOn: string, now = new Date()): Promise<CaseView> {
      const c = await loadForDesk(actor, caseId);
      if (resumeOn <= shanghaiDate(now) || resumeOn > addDays(shanghaiDate(now), 60)) throw new AppError('VALIDATION_FAILED', '恢复日期要在明天到60天之内', { fields: { resumeOn: ['请重新选择'] } });
      const next = await move(c, { status: 'accepted', hop: c.hop }, { status: 'paused', pausedAt: now, pausedUntil: resumeOn });
      await step(next, 'paused', { id: actor.id, name: nameOf(actor) }, now, { note: `${reason}（${resumeOn}恢复）` });
      await tellReporterAndFollowers(next, '您反映的问题暂停处理', `${next.number}暂停处理：${reason}。${resumeOn}恢复。`);
      return view(next, actor, now);
    },

    async resolve(actor: Actor, caseId: string, note: string, photoIds: string[], now = new Date()): Promise<CaseView> {
      const c = await loadForDesk(actor, caseId);
      const attached = await deps.uploads.attach(actor, photoIds, holderOf(c._id), now);
      const next = await move(c, { status: 'accepted', hop: c.hop }, { status: 'resolved', resolvedAt: now, resolvedInTime: now <= c.promisedBy }).catch(async (error: unknown) => {
        // Not resolved (someone else moved the case first): the photos are free for the next try.
        await deps.uploads.detach(attached, holderOf(c._id));
        throw error;
      });
      await step(next, 'resolved', { id: actor.id, name: nameOf(actor) }, now, { note, photoIds: attached });
      await tellReporterAndFollowers(next, '您反映的问题已处理', `${next.number}：${note}。请确认是否解决。`);
      return view(next, actor, now);
    },

    async confirm(actor: Actor, caseId: string, now = new Date()): Promise<CaseView> {
      const c = await loadMine(actor, caseId);
      const next = await move(c, { status: 'resolved' }, { status: 'closed', closedAt: now });
      await step(next, 'confirmed', { id: actor.id, name: nameOf(actor) }, now);
      return view(next, actor, now);
    },

    async reopen(actor: Actor, caseId: string, reason: string, now = new Date()): Promise<CaseView> {
      const c = await loadMine(actor, caseId);
      const next = await move(c, { status: 'resolved' }, { status: 'accepted', resolvedAt: null, resolvedInTime: null, promisedBy: await promiseDue(c, now) }, { reopenCount: 1 });
      await step(next, 'reopened', { id: actor.id, name: nameOf(actor) }, now, { note: reason });
      return view(next, actor, now);
    },

    /** 好差评 once, after closing; 不满意/非常不满意 opens a rectification due in 15 working days with a required return visit. */
    async rate(actor: Actor, caseId: string, level: number, comment: string, now = new Date()): Promise<CaseView> {
      const c = await loadMine(actor, caseId);
      const poor = level <= 2;
      const cal = await calendar(c.communityId);
      const dueOn = poor ? shanghaiDate(dueAt(now, { amount: RECTIFY_WORKING_DAYS, unit: 'working_days' }, cal.holidays, cal.workdays)) : null;
      const next = await move(c, { status: 'closed', 'rating.level': null }, { rating: { level, comment }, ...(poor ? { rectification: { dueOn, status: 'open', visitNote: null } } : {}) });
      await step(next, 'rated', { id: actor.id, name: nameOf(actor) }, now, { note: `${level}分${comment ? `：${comment}` : ''}` });
      if (poor) {
        const staff = await deps.accounts.listUsers({ role: 'community_staff', communityId: c.communityId.toHexString() }, 50);
        for (const s of staff) await notifications.notify(s.id, { kind: 'case', title: '差评整改', body: `${next.number}（${caseCategoryLabels[next.category]}${caseKindLabels[next.kind]}）评价不满意，请在${dueOn}前整改并回访。`, link: `/staff/cases/index?id=${caseId}` });
      }
      return view(next, actor, now);
    },

    /**
     * Removes one of the community's own promise rules; new cases then fall back
     * to the next rule that fits, or the defaults (promiseFor). Cases already
     * made keep the promise they were given. Deleting twice answers NOT_FOUND.
     */
    async deletePromiseRule(actor: Actor, ruleId: string): Promise<void> {
      const r = await PromiseRuleModel.deleteOne({ _id: new Types.ObjectId(ruleId), communityId: new Types.ObjectId(actor.communityId!) });
      if (r.deletedCount !== 1) throw new AppError('NOT_FOUND', '没有这条承诺规则，可能已经删除了');
    },

    async recordVisit(actor: Actor, caseId: string, note: string, now = new Date()): Promise<CaseView> {
      const c = await Case.findById(caseId).lean<CaseDoc>();
      if (!c || c.communityId.toHexString() !== actor.communityId) throw new AppError('NOT_FOUND', '没有找到这个工单');
      // The return visit hears the reporter out: a desk that reported the case does not visit itself.
      if (c.reporterId.toHexString() === actor.id) throw new AppError('FORBIDDEN', '这是您自己反映的问题，请另一位工作人员回访');
      const next = await move(c, { 'rectification.status': 'open' }, { 'rectification.status': 'done', 'rectification.visitNote': note });
      await step(next, 'rectified', { id: actor.id, name: nameOf(actor) }, now, { note });
      return view(next, actor, now);
    },

    /**
     * The escalation sweep. Any number of API instances call it; the first to
     * insert this minute's lease document runs it. Each escalation is still a
     * guarded update on the case's hop, so even two sweeps escalate once.
     */
    async sweep(now = new Date(), holder = randomUUID()): Promise<{ ran: boolean; escalated: number; resumed: number }> {
      try {
        await SchedulerLease.create({ _id: `case-escalation:${Math.floor(now.getTime() / 60_000)}`, holder, at: now });
      } catch (error) {
        if (isDuplicateKey(error)) return { ran: false, escalated: 0, resumed: 0 };
        throw error;
      }
      return this.escalateDue(now);
    },

    async escalateDue(now = new Date()): Promise<{ ran: true; escalated: number; resumed: number }> {
      let escalated = 0;
      let resumed = 0;
      const today = shanghaiDate(now);
      const paused = await Case.find({ status: 'paused', pausedUntil: { $lte: today } }).lean<CaseDoc[]>();
      for (const c of paused) {
        const extended = new Date(c.promisedBy.getTime() + (now.getTime() - (c.pausedAt ?? now).getTime()));
        const r = await Case.updateOne({ _id: c._id, status: 'paused', hop: c.hop }, { $set: { status: 'accepted', pausedAt: null, pausedUntil: null, promisedBy: extended } });
        if (r.modifiedCount === 1) {
          resumed++;
          await step(c, 'resumed', { id: null, name: '系统' }, now);
        }
      }
      const due = await Case.find({
        status: { $in: ['submitted', 'accepted'] },
        level: { $ne: 'street' },
        $or: [{ ackDueAt: null, promisedBy: { $lt: now } }, { ackDueAt: { $lt: now } }],
      }).lean<CaseDoc[]>();
      for (const c of due) {
        const to = nextLevel(c.level as DeskLevel);
        if (!to) continue;
        const ackDueAt = new Date(now.getTime() + acknowledgeHours[to] * 3600_000);
        const r = await Case.updateOne({ _id: c._id, hop: c.hop, level: c.level }, { $set: { level: to, status: 'submitted', ackDueAt }, $inc: { hop: 1 } });
        if (r.modifiedCount !== 1) continue;
        escalated++;
        const why = c.ackDueAt ? `${deskLevelLabels[c.level as DeskLevel]}没有按时报到` : `${deskLevelLabels[c.level as DeskLevel]}超过承诺时间没有办结`;
        await step(c, 'escalated', { id: null, name: '系统' }, now, { note: `${why}，上报${deskLevelLabels[to]}，须在${toShanghaiIso(ackDueAt).slice(5, 16).replace('T', ' ')}前报到`, level: to });
        const fresh = (await Case.findById(c._id).lean<CaseDoc>())!;
        await tellReporterAndFollowers(fresh, '您反映的问题已上报', `${c.number}${why}，已上报${deskLevelLabels[to]}。`);
      }
      return { ran: true, escalated, resumed };
    },
  };
}
