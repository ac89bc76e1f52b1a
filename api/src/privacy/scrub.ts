/**
 * Scrubs personal data out of free text before it is published to people
 * without a key (Open311, certificate verification). Residents write their
 * phone, room and name into complaints ("我叫王秀英，住3号楼2单元501，电话139…")
 * and staff write them into notes; whatever the public can read passes here.
 *
 * It errs on the side of masking: a date or an amount that looks like a room
 * is hidden too, which costs the reader little; a phone number that slips
 * through costs the resident a lot. Pure, no I/O, so it is cheap to test with
 * many real-looking examples (tests/api/security/scrub.test.ts).
 */

export const MASK = '***';

/**
 * Common Chinese surnames: a name after 我叫/联系人 must start with one. Left out: the
 * few that are also everyday words before 师傅/老师 or after 我是 (于 向 和 时 师 车 管 文 安 卫 房 党 全 单 商 司),
 * so 水管师傅, 保安师傅, 我是党员 stay readable; stored names are masked whatever their surname.
 */
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤常温康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳柴蒙鲍华喻祁蒲滕屈饶解牟艾尤阳穆农卓古吉缪简项连芦麦褚娄窦戚岑景宫费卜冷晏席米柏宗瞿桂佟应臧闵苟邬边卞姬仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝';
const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '令狐', '端木', '西门', '南宫'];
/** For 老王/小李 only the commonest, and none that also start everyday words (小高层, 小区, 小龙虾, 小毛病, 小孙子). */
const NICK_SURNAMES = '王李张刘陈杨赵吴周徐朱胡郭何罗郑梁谢宋唐许韩冯邓曹彭曾';

const surnameClass = `[${SURNAMES}]`;
const compound = COMPOUND_SURNAMES.join('|');
/** Characters that end a name: "联系人王伟电话…" is 王伟, not 王伟电. */
const notInName = '电手联的在住家是了和与跟及先女小阿老师傅同说反投报要已请因这那到从今昨每多很也都就还又再楼号栋单元室区门';
const givenChar = `(?:(?![${notInName}])[\\u4e00-\\u9fa5])`;
const personName = `(?:${compound}|${surnameClass})${givenChar}{1,2}`;

const HONORIFICS = '先生|女士|小姐|太太|阿姨|大爷|大妈|大娘|大叔|大姐|大哥|大伯|师傅|老师|经理|主任|书记|部长|队长|奶奶|爷爷|叔叔|阿叔|伯伯|婆婆|阿婆|阿公|老太|老伯|同志|姐|哥';

/** ０-９ Ａ-Ｚ ＠ － ＋: the same digits typed on a Chinese keyboard. Chinese punctuation stays. */
function halfWidth(text: string): string {
  return text.replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\uFF20\uFF0D\uFF0B\u3000]/g, (ch) =>
    ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
}

const DATE_LIKE = /^(?:19|20)\d{2}[-./ ]?(?:0?[1-9]|1[0-2])[-./ ]?(?:0?[1-9]|[12]\d|3[01])$/;
/** A door number as buildings number them: floor 1–99 then 01–39 (301, 1201, 2402), not 300 or 2000. */
const roomNo = '[1-9]\\d?(?:0[1-9]|[1-3]\\d)';
const cnDigit = '[一二三四五六七八九十]';

type Rule = [RegExp, string | ((...groups: string[]) => string)];

const rules: Rule[] = [
  // E-mail, also with spaces around @ to dodge filters.
  [/[A-Za-z0-9._%+-]+\s*@\s*[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, MASK],
  // 居民身份证号: 18 characters, the last may be X; also typed in groups.
  [/(?<![A-Za-z0-9])\d{6}[ -]?\d{4}[ -]?\d{4}[ -]?\d{3}[0-9Xx](?![A-Za-z0-9])/g, MASK],
  // Mobile numbers, with +86 / 0086 and spaces, dashes or dots between the digits.
  [/(?<![A-Za-z0-9])(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ .-]?\d){8}(?!\d)/g, MASK],
  // Landlines: (021) 6234-5678, 0571-88886666 转 123, 400-820-8820.
  [/(?<![A-Za-z0-9])(?:[(（]\s*0\d{2,3}\s*[)）]|0\d{2,3})[ -]?\d{3,4}[ -]?\d{4}(?:\s*(?:转|-|ext\.?)\s*\d{1,5})?(?!\d)/g, MASK],
  [/(?<![A-Za-z0-9])[48]00[ -]?\d{3}[ -]?\d{4}(?!\d)/g, MASK],
  // Any other run of 7+ digits (a local number, a bank card, an old 15-digit ID), unless it is a date.
  [/(?<![A-Za-z0-9])\d(?:[ -]?\d){6,}(?!\d)/g, (m) => (DATE_LIKE.test(m) ? m : MASK)],
  // The same in Chinese numerals: 一三九一二三四五六七八.
  [/[零〇一二三四五六七八九幺两]{7,}/g, MASK],
  // QQ and WeChat ids after their word: 微信号：wxid_abc123, 加V: zhang_888, QQ 12345.
  [/((?:QQ|qq|Qq|扣扣)\s*号?\s*[:：是为]?\s*)\d{5,12}/g, (_m, lead) => `${lead}${MASK}`],
  [/((?:微信|威信|薇信|维信|V信|v信|VX|vx|Vx|vX|WX|wx|wechat|WeChat|Wechat|加V|加v|加微)\s*(?:号|id|ID)?\s*[:：是为]?\s*)[A-Za-z][-_A-Za-z0-9]{5,19}/g, (_m, lead) => `${lead}${MASK}`],

  // Rooms. 3-2-501 / 3－2－501 (building-unit-door) and 2-301.
  [/(?<!\d)\d{1,3}\s*[-－—_]\s*\d{1,2}\s*[-－—_]\s*\d{3,4}(?!\d)/g, MASK],
  [new RegExp(`(?<![\\d-])\\d{1,2}\\s*[-－—]\\s*${roomNo}(?![\\d-])`, 'g'), MASK],
  // 5号楼2单元301室, 1号楼 1单元 301, 5栋301, 3楼501: the building stays, the door goes.
  [
    new RegExp(`((?:\\d{1,3}|${cnDigit}{1,3})\\s*(?:号楼|号|栋|幢|座|楼))\\s*(?:(?:\\d{1,2}|${cnDigit}{1,3})\\s*(?:单元|号门|门)\\s*)?\\d{3,4}(?![\\d年月日元块个次天分秒点])\\s*(?:室|号房|号|房|户)?`, 'g'),
    (_m, building) => `${building}${MASK}`,
  ],
  // 2单元301, 二单元 1201.
  [new RegExp(`((?:\\d{1,2}|${cnDigit}{1,3})\\s*(?:单元|号门))\\s*\\d{3,4}(?![\\d年月日元块个次天分秒点])\\s*(?:室|号房|号|房|户)?`, 'g'), (_m, unit) => `${unit}${MASK}`],
  // 1201室, 502房, 301号 (not 3号楼).
  [/(?<![\d-])\d{3,4}\s*(?:室|号房|房间|房)(?!\d)/g, MASK],
  [/(?<![\d-])\d{3,4}号(?![楼线路院街巷门公交车站地铁\d])/g, MASK],
  // A door number by its neighbours: 住501, 楼上1202, 隔壁302的, 402业主.
  [new RegExp(`((?:家住|住在|住|楼上|楼下|隔壁|对门|对面|邻居|业主|户主|住户|租户|房东)\\s*)${roomNo}(?!\\d)`, 'g'), (_m, lead) => `${lead}${MASK}`],
  [new RegExp(`(?<![\\d号-])${roomNo}(?=\\s*的?(?:住户|业主|邻居|租户|户主|房东|那户|这户|那家|这家|家))`, 'g'), MASK],

  // Names introduced as names: 我叫王秀英, 联系人：李建国, 报修人刘桂兰.
  [
    new RegExp(`((?:我叫|名叫|叫做|名字是?|姓名\\s*[:：]?|联系人\\s*[:：]?|报修人|反映人|投诉人|来电人|户主\\s*[:：]|业主\\s*[:：]|租户\\s*[:：]|住户\\s*[:：])\\s*)${personName}`, 'g'),
    (_m, lead) => `${lead}${MASK}`,
  ],
  // 我是王秀英，… / 本人张伟住…: only when the name ends there, so 我是高龄老人 stays.
  [
    new RegExp(`((?:我是|本人是?)\\s*)${personName}(?=[，,。.、；;！!？?\\s（(]|$|住|家住|电话|手机|联系)`, 'g'),
    (_m, lead) => `${lead}${MASK}`,
  ],
  // 我姓王, 免贵姓李 (not 百姓).
  [new RegExp(`((?<!百)姓\\s*)(?:${compound}|${surnameClass})`, 'g'), (_m, lead) => `${lead}*`],
  // 王秀英女士, 李建国先生: a whole name before a courtesy title.
  [new RegExp(`${personName}(?=(?:先生|女士|小姐|太太|阿姨|师傅|老师|经理|主任|书记))`, 'g'), MASK],
  // 王先生, 刘阿姨, 欧阳老师: the surname goes, the courtesy stays.
  [new RegExp(`(?:${compound}|${surnameClass})(?=(?:${HONORIFICS}))`, 'g'), '*'],
  // 老王, 小李.
  [new RegExp(`([老小])[${NICK_SURNAMES}]`, 'g'), (_m, lead) => `${lead}*`],
];

/** Names stored for a person (a reporter, staff, residents): each masked wherever it appears. */
export class KnownNames {
  private readonly names = new Set<string>();
  private longest = 0;

  constructor(names: Iterable<string | null | undefined> = []) {
    for (const n of names) this.add(n);
  }

  add(raw: string | null | undefined): this {
    const name = raw?.trim().toLowerCase();
    // One character is a surname or a word ("王", "A"), not a person; masking it everywhere would blank the text.
    if (!name || [...name].length < 2 || name.length > 30) return this;
    this.put(name);
    // People say the given name alone: 王秀英 → 秀英 (a one-character given name is too common a character to hide).
    const chars = [...name];
    if (/^[\u4e00-\u9fa5]+$/.test(name) && chars.length >= 3) {
      const surnameLength = COMPOUND_SURNAMES.includes(chars.slice(0, 2).join('')) && chars.length >= 4 ? 2 : 1;
      const given = chars.slice(surnameLength).join('');
      if ([...given].length >= 2) this.put(given);
    }
    return this;
  }

  private put(name: string) {
    this.names.add(name);
    this.longest = Math.max(this.longest, name.length);
  }

  get size() {
    return this.names.size;
  }

  /** A Set probe per position and length: fast for tens of thousands of names, unlike one big alternation. */
  mask(text: string): string {
    if (this.names.size === 0) return text;
    const lower = text.toLowerCase();
    let out = '';
    let i = 0;
    while (i < text.length) {
      let hit = 0;
      for (let len = Math.min(this.longest, text.length - i); len >= 2; len--) {
        const candidate = lower.slice(i, i + len);
        if (!this.names.has(candidate)) continue;
        // A Latin name only as a whole word: "Tom", not the "tom" in "tomato".
        if (/^[a-z]/.test(candidate) && /[a-z]/.test(lower[i - 1] ?? '')) continue;
        if (/[a-z]$/.test(candidate) && /[a-z]/.test(lower[i + len] ?? '')) continue;
        hit = len;
        break;
      }
      if (hit) {
        out += MASK;
        i += hit;
      } else {
        out += text[i];
        i++;
      }
    }
    return out;
  }
}

/** The text as the public may read it: no phone, ID number, e-mail, WeChat/QQ id, door number or name. */
export function scrubPublicText(text: string | null | undefined, names?: KnownNames): string {
  if (!text) return '';
  // Known names first: a stored name is certain, and the patterns below may split it ("王秀英" → "*秀英").
  let out = halfWidth(text);
  if (names) out = names.mask(out);
  for (const [pattern, replacement] of rules) {
    out = out.replace(pattern, replacement as (substring: string, ...args: string[]) => string);
  }
  // Masks next to each other read as one.
  return out.replace(/\*{4,}/g, MASK);
}
