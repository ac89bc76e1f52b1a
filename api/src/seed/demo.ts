import type { Role } from '@community/shared';
import type { Actor } from '../http/types.js';
import { linkWechatIdentity } from '../modules/account/service.js';
import { StaffCredential, User } from '../modules/account/models.js';
import { Community, Grid, PropertyCompany, Room } from '../modules/space/models.js';
import { importRooms } from '../modules/space/import.js';
import type { Services } from '../modules/services.js';
import { Service } from '../modules/booking/models.js';
import { demoCatalogue } from './catalogue.js';
import { DEMO_STAFF_PASSWORD, residentPersonas, staffPersonas } from './personas.js';

export const DEMO_COMMUNITY_CODE = 'binhe';

/** Deterministic pseudo-random numbers, so every machine gets the same demo community. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SURNAMES = '张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = ['建国', '秀英', '桂兰', '志强', '丽娟', '海涛', '晓燕', '伟', '芳', '娜', '敏', '静', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '秀兰', '霞', '平', '刚', '玉兰', '玉梅', '红梅', '建华', '文', '淑珍', '国庆', '春梅', '德明', '永红'];

/**
 * The register of the demo community 滨河社区: 3 grids, 12 buildings, 2 units
 * each, 5 floors of 5 rooms: 600 rooms. 王秀英 owns three rooms; the developer
 * still holds eight unsold rooms of building 12 (they count as one owner).
 */
export function demoRegisterCsv(): string {
  const random = prng(20261126);
  const lines = ['网格,楼栋,单元,房号,楼层,专有面积,业主姓名,业主手机号,业主类型,物业公司'];
  let phoneSeq = 0;
  for (let b = 1; b <= 12; b++) {
    const grid = ['第一网格', '第二网格', '第三网格'][Math.floor((b - 1) / 4)]!;
    for (let u = 1; u <= 2; u++) {
      for (let floor = 1; floor <= 5; floor++) {
        for (let r = 1; r <= 5; r++) {
          const room = `${floor}0${r}`;
          const area = 6000 + Math.floor(random() * 8000); // 60.00–139.99 ㎡
          const areaText = `${Math.floor(area / 100)}.${String(area % 100).padStart(2, '0')}`;
          let name = `${SURNAMES[Math.floor(random() * SURNAMES.length)]}${GIVEN[Math.floor(random() * GIVEN.length)]}`;
          let phone = `139${String(10_000_000 + phoneSeq++).slice(-8)}`;
          let kind = '个人';
          if (b === 1 && u === 1 && floor === 3 && r <= 3) {
            name = '王秀英';
            phone = '13800000001';
          } else if (b === 5 && u === 1 && room === '201') {
            name = '刘桂兰';
            phone = '13800000002';
          } else if (b === 12 && u === 2 && floor >= 4 && r <= 4) {
            name = '滨河置业有限公司';
            phone = '';
            kind = '开发商';
          }
          lines.push([grid, `${b}号楼`, `${u}单元`, room, floor, areaText, name, phone, kind, '金城物业服务有限公司'].join(','));
        }
      }
    }
  }
  return lines.join('\n');
}

export interface SeedResult {
  created: boolean;
  communityId: string;
}

/** Seeds the demo community through the same services the app uses. Safe to run twice. */
export async function seedDemo(services: Services, appid: string): Promise<SeedResult> {
  // Every step below is idempotent, so a seed cut short heals on the next run;
  // `seededAt` is written last and marks the community complete.
  const existing = await Community.findOne({ code: DEMO_COMMUNITY_CODE }).lean();
  if (existing?.seededAt) return { created: false, communityId: existing._id.toHexString() };

  const community =
    existing ?? (await Community.create({ code: DEMO_COMMUNITY_CODE, name: '滨河社区', district: '甘肃省张掖市甘州区' })).toObject();
  const communityId = community._id.toHexString();
  const report = await importRooms(communityId, Buffer.from(demoRegisterCsv(), 'utf8'), 'text/csv', false);
  if (report.rejected.length) throw new Error(`demo register rejected: ${JSON.stringify(report.rejected.slice(0, 3))}`);

  const grids = new Map((await Grid.find({ communityId }).lean()).map((g) => [g.code, g._id.toHexString()]));
  // The register import created the buildings' company; its customer-service desk works for it.
  const company = await PropertyCompany.findOne({ communityId, name: '金城物业服务有限公司' }).lean();
  let adminActor: Actor | undefined;
  for (const p of staffPersonas) {
    const user = await services.accounts.findOrCreateStaffUser({
      username: p.username,
      password: DEMO_STAFF_PASSWORD,
      displayName: p.displayName,
      roles: p.roles,
      communityId,
      gridIds: p.grid ? [grids.get(p.grid)!] : [],
      propertyCompanyId: p.roles.includes('property_staff') ? (company?._id.toHexString() ?? null) : null,
    });
    if (p.openid) await linkWechatIdentity(user.id, p.openid, appid);
    if (p.roles.includes('admin')) {
      adminActor = { id: user.id, roles: p.roles as Role[], communityId, gridIds: [], propertyCompanyId: null, kind: 'staff', profile: user };
    }
  }

  // Residents with rooms go through the real request → approval path.
  const roomByLabel = async (label: string) => (await Room.findOne({ communityId, label }).lean())!._id.toHexString();
  const bindings: { openid: string; label: string; relation: 'owner' | 'family' | 'tenant'; realName: string }[] = [
    { openid: 'demo-owner-wang', label: '1号楼 1单元 301', relation: 'owner', realName: '王秀英' },
    { openid: 'demo-owner-wang', label: '1号楼 1单元 302', relation: 'owner', realName: '王秀英' },
    { openid: 'demo-owner-wang', label: '1号楼 1单元 303', relation: 'owner', realName: '王秀英' },
    { openid: 'demo-elder-liu', label: '5号楼 1单元 201', relation: 'owner', realName: '刘桂兰' },
    { openid: 'demo-family-li', label: '1号楼 1单元 301', relation: 'family', realName: '李建国' },
    { openid: 'demo-tenant-zhao', label: '9号楼 2单元 402', relation: 'tenant', realName: '赵磊' },
  ];
  for (const b of bindings) {
    const login = await services.accounts.loginWithWechat(`test-${b.openid}`);
    const persona = residentPersonas.find((p) => p.openid === b.openid)!;
    const actor: Actor = { id: login.user.id, roles: [], communityId: null, gridIds: [], propertyCompanyId: null, kind: 'wechat', profile: login.user };
    await services.accounts.updateProfile(actor, { nickname: persona.label });
    const roomId = await roomByLabel(b.label);
    if ((await services.spaces.bindingsOf(actor.id)).some((x) => x.roomId === roomId)) continue;
    const request = await services.spaces.requestBinding(actor, { roomId, relation: b.relation, realName: b.realName });
    await services.spaces.approveBinding(adminActor!, request.id);
  }
  // The service centre's catalogue, through the same path staff use.
  for (const item of demoCatalogue) {
    if (!(await Service.exists({ communityId, name: item.name }))) await services.bookings.createService(adminActor!, item);
  }
  // The newcomer has logged in once but has no room yet.
  await services.accounts.loginWithWechat('test-demo-newcomer-chen');
  await Community.updateOne({ _id: community._id }, { $set: { seededAt: new Date() } });
  return { created: true, communityId };
}

export function demoLoginsText(): string {
  const lines = [
    '演示账号（仅用于开发和测试）：',
    '  居民（小程序 / H5 开发版“选择演示身份”）：',
    ...residentPersonas.map((p) => `    ${p.label.padEnd(4, '　')} 登录码 test-${p.openid}  ${p.description}`),
    `  工作人员（H5 用户名密码登录，密码都是 ${DEMO_STAFF_PASSWORD}）：`,
    ...staffPersonas.map((p) => `    ${p.username.padEnd(9)} ${p.displayName}  ${p.description}`),
  ];
  return lines.join('\n');
}


/**
 * The demo property desk (钱伟) works for 金城物业. Also run on databases seeded
 * before property cases existed, so their desk has a company too.
 */
export async function linkDemoPropertyDesk(communityId: string): Promise<void> {
  const company = await PropertyCompany.findOne({ communityId, name: '金城物业服务有限公司' }).lean();
  const credential = await StaffCredential.findOne({ username: 'property' }).lean();
  if (!company || !credential) return;
  await User.updateOne({ _id: credential.userId, propertyCompanyId: null }, { $set: { propertyCompanyId: company._id } });
}
