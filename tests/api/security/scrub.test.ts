import { KnownNames, scrubPublicText } from '../../../api/src/privacy/scrub';

/**
 * Issue 12, finding 4: the scrubber every public text passes through. Real-looking
 * complaints as residents and staff write them: what must go, and what must stay readable.
 */
const scrub = (text: string, names: string[] = []) => scrubPublicText(text, new KnownNames(names));

const PHONE = /1[3-9]\d(?:[ .-]?\d){8}/;
const ID = /\d{17}[\dXx]/;

describe('phone numbers', () => {
  it.each([
    ['电话13912345678，请尽快联系', '13912345678'],
    ['手机 139 1234 5678 白天都在', '139 1234 5678'],
    ['打139-1234-5678找我', '139-1234-5678'],
    ['+86 13812345678', '13812345678'],
    ['联系方式：0086-13612345678', '13612345678'],
    ['号码１３９１２３４５６７８（全角）', '１３９１２３４５６７８'],
    ['固话021-62345678转123', '62345678'],
    ['（010）8765 4321', '8765 4321'],
    ['0571 88886666', '88886666'],
    ['物业值班电话62345678', '62345678'],
    ['家里座机 6234-5678', '6234-5678'],
    ['客服400-820-8820', '820-8820'],
    ['我的电话是一三九一二三四五六七八', '一三九一二三四五六七八'],
  ])('%s', (text, secret) => {
    const out = scrub(text);
    expect(out).not.toContain(secret);
    expect(out).not.toMatch(PHONE);
    expect(out).toContain('***');
  });
});

describe('ID numbers, e-mail, WeChat and QQ', () => {
  it.each([
    ['身份证号110101199003071234', '110101199003071234'],
    ['身份证 11010119900307123X 复印件在物业', '11010119900307123X'],
    ['证件号 110101 19900307 123x', '110101 19900307 123x'],
    ['旧身份证号110101900307123', '110101900307123'],
    ['邮箱 wang.xiuying@163.com 发照片', 'wang.xiuying@163.com'],
    ['发到 zhang_wei @ qq.com', 'zhang_wei @ qq.com'],
    ['微信号：wxid_abc12345', 'wxid_abc12345'],
    ['加V: zhangsan_888 发视频', 'zhangsan_888'],
    ['vx liming2020', 'liming2020'],
    ['QQ 987654 留言', '987654'],
    ['扣扣号：12345678', '12345678'],
  ])('%s', (text, secret) => {
    const out = scrub(text);
    expect(out).not.toContain(secret);
    expect(out).not.toMatch(ID);
  });
});

describe('room numbers (the building may stay, the door goes)', () => {
  it.each([
    ['3-2-501漏水到楼下', '501', ''],
    ['3－2－501的空调滴水', '501', ''],
    ['5号楼2单元301卫生间漏水', '301', '5号楼'],
    ['5号楼2单元301室卫生间漏水', '301', '5号楼'],
    ['1号楼 1单元 301 门口堆满杂物', '301', '1号楼'],
    ['我家1201室天花板渗水', '1201', ''],
    ['7栋1502楼上一直有噪音', '1502', '7栋'],
    ['住在三号楼二单元602', '602', '三号楼'],
    ['2单元1101一直装修', '1101', '2单元'],
    ['楼上1202天天半夜拖椅子', '1202', ''],
    ['隔壁302的狗一直叫', '302', ''],
    ['402业主在楼道堆东西', '402', ''],
    ['12-1201卫生间反味', '1201', ''],
    ['3楼501门口的灯坏了', '501', '3楼'],
    ['502房的住户乱扔垃圾', '502', ''],
    ['家住9号楼2单元402号', '402', '9号楼'],
  ])('%s', (text, secret, kept) => {
    const out = scrub(text);
    expect(out).not.toContain(secret);
    if (kept) expect(out).toContain(kept);
  });
});

describe('names', () => {
  it.each([
    ['我叫王秀英，住3号楼', '王秀英'],
    ['我叫李明，电话不方便', '李明'],
    ['我是刘桂兰，5号楼的', '刘桂兰'],
    ['本人张伟住7栋', '张伟'],
    ['联系人：孙建华', '孙建华'],
    ['联系人赵磊电话在物业登记了', '赵磊'],
    ['报修人周海涛', '周海涛'],
    ['姓名：欧阳娜娜', '欧阳娜娜'],
    ['我姓王，住1号楼', '姓王'],
    ['免贵姓李', '姓李'],
    ['找物业的王师傅好几次了', '王师傅'],
    ['楼下刘阿姨家的狗', '刘阿姨'],
    ['麻烦转告李建国先生', '李建国'],
    ['王秀英女士反映', '王秀英'],
    ['老张说电梯又坏了', '老张'],
    ['小李昨天来看过', '小李'],
  ])('%s', (text, secret) => {
    expect(scrub(text)).not.toContain(secret);
  });

  it('masks names stored for the case and the community wherever they appear, also the given name alone', () => {
    const names = ['王秀英', '钱伟', '孙晓燕', 'David Chen'];
    const out = scrub('王秀英反映：物业钱伟师傅来过，秀英说还是漏，请孙晓燕主任和David Chen看看', names);
    for (const n of ['王秀英', '秀英', '钱伟', '孙晓燕', 'David Chen']) expect(out).not.toContain(n);
    expect(out).toContain('物业');
    expect(out).toContain('师傅来过');
  });

  it('ignores one-character names, which would blank the text', () => {
    expect(scrub('电梯坏了', ['电', '梯'])).toBe('电梯坏了');
  });
});

describe('what stays readable', () => {
  it.each([
    '3号楼电梯困人，已解救，请检修',
    '2单元电梯按钮失灵，按了没反应',
    '广场舞音响太大声了，晚上九点以后还在跳',
    '物业费多收了两个月',
    '2026-01-05到现在一直没有热水',
    '消防通道长期有车乱停，已经三天了',
    '保洁阿姨很负责，楼道很干净',
    '修车师傅和水管师傅都来看过了',
    '我是业主，楼上漏水',
    '我是高龄老人，腿脚不便',
    '老百姓的事情要放在心上',
    '小区东门的路灯坏了3盏',
    '楼下的小孙子很可爱',
    '5号楼2单元门禁坏了',
    '快递小哥把车停在消防通道',
  ])('%s', (text) => {
    expect(scrub(text)).toBe(text);
  });
});

it('a long complaint with everything in it', () => {
  const text =
    '我叫王秀英，住1号楼1单元301室，身份证110101195806121527。楼上402的业主每天半夜装修，' +
    '找过物业的钱伟师傅两次，他说联系人：李建国 13812345678 会处理，到现在没人管。' +
    '我的微信是 wxid_wangxy58，邮箱 xiuying58@126.com，家里座机 021-62345678。';
  const out = scrub(text, ['王秀英', '钱伟', '李建国']);
  expect(out).not.toMatch(/王秀英|秀英|钱伟|李建国|301|402|110101|13812345678|wxid_wangxy58|xiuying58|62345678/);
  expect(out).toContain('1号楼');
  expect(out).toContain('装修');
});
