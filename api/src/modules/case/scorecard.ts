import ExcelJS from 'exceljs';
import { Types } from 'mongoose';
import { caseCategoryLabels, caseKindLabels, caseStatusLabels, deskLevelLabels, shanghaiDate, toShanghaiIso, type DeskLevel } from '@community/shared';
import { AppError } from '../../app-error.js';
import { Community, PropertyCompany } from '../space/models.js';
import { Case, type CaseDoc } from './models.js';

export interface Figures {
  cases: number;
  acceptedInTime: number;
  resolved: number;
  resolvedInTime: number;
  rated: number;
  satisfied: number;
  reopened: number;
}

/**
 * The month's figures, counted in code from the month's cases (FerretDB
 * computes only one accumulator per $group). Rates are left as numerator and
 * denominator: response = acceptedInTime / cases; on time = resolvedInTime /
 * resolved; satisfaction = satisfied (满意 and above) / rated; reopen = reopened / resolved.
 */
export function figuresOf(cases: readonly CaseDoc[]): Figures {
  const f: Figures = { cases: 0, acceptedInTime: 0, resolved: 0, resolvedInTime: 0, rated: 0, satisfied: 0, reopened: 0 };
  for (const c of cases) {
    f.cases++;
    if (c.firstAcceptedInTime) f.acceptedInTime++;
    if (c.status === 'resolved' || c.status === 'closed') {
      f.resolved++;
      if (c.resolvedInTime) f.resolvedInTime++;
      if (c.reopenCount > 0) f.reopened++;
    }
    if (c.rating?.level) {
      f.rated++;
      if (c.rating.level >= 4) f.satisfied++;
    }
  }
  return f;
}

function monthRange(month: string) {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { $gte: new Date(`${month}-01T00:00:00+08:00`), $lt: new Date(`${next}-01T00:00:00+08:00`) };
}

async function monthCases(communityId: Types.ObjectId, month: string): Promise<CaseDoc[]> {
  return Case.find({ communityId, createdAt: monthRange(month) }).sort({ _id: 1 }).limit(50_000).lean<CaseDoc[]>();
}

export async function communityByCode(code: string | undefined): Promise<Types.ObjectId> {
  const c = code ? await Community.findOne({ code }).lean() : await Community.findOne({}).sort({ _id: 1 }).lean();
  if (!c) throw new AppError('NOT_FOUND', '没有这个社区');
  return c._id;
}

/** The public monthly scorecard: per property company and per first desk. Names of residents never appear. */
export async function scorecard(communityId: Types.ObjectId, month: string = shanghaiDate(new Date()).slice(0, 7)) {
  const cases = await monthCases(communityId, month);
  const companies = await PropertyCompany.find({ communityId }).lean<{ _id: Types.ObjectId; name: string }[]>();
  return {
    month,
    companies: companies.map((co) => ({ id: co._id.toHexString(), name: co.name, ...figuresOf(cases.filter((c) => c.propertyCompanyId?.equals(co._id))) })),
    desks: (['property', 'grid', 'centre', 'street'] as DeskLevel[]).map((level) => ({ level, label: deskLevelLabels[level], ...figuresOf(cases.filter((c) => (c.firstLevel ?? c.level) === level)) })),
    total: figuresOf(cases),
  };
}

/** The scorecard with the cases under it, as .xlsx (names of anonymous residents left out). */
export async function scorecardWorkbook(communityId: Types.ObjectId, month: string): Promise<Buffer> {
  const card = await scorecard(communityId, month);
  const cases = await monthCases(communityId, month);
  const book = new ExcelJS.Workbook();
  book.creator = '社区服务小程序';
  const header = ['单位', '工单', '按时受理', '已处理', '按时办结', '评价数', '满意及以上', '重新打开'];
  const sheet = book.addWorksheet(`${month}考核`);
  sheet.addRow(header).font = { bold: true };
  for (const row of [...card.companies.map((c) => ({ label: c.name, ...c })), ...card.desks.map((d) => ({ ...d, label: d.label }))]) {
    sheet.addRow([row.label, row.cases, row.acceptedInTime, row.resolved, row.resolvedInTime, row.rated, row.satisfied, row.reopened]);
  }
  const list = book.addWorksheet('工单明细');
  list.addRow(['编号', '时间', '类型', '类别', '位置', '状态', '首个处理单位', '现在处理', '按时受理', '按时办结', '评价', '反映人']).font = { bold: true };
  for (const c of cases) {
    list.addRow([
      c.number,
      toShanghaiIso(c.createdAt).slice(0, 16).replace('T', ' '),
      caseKindLabels[c.kind],
      caseCategoryLabels[c.category],
      c.placeLabel,
      caseStatusLabels[c.status],
      deskLevelLabels[(c.firstLevel ?? c.level) as DeskLevel],
      deskLevelLabels[c.level as DeskLevel],
      c.firstAcceptedInTime === null ? '' : c.firstAcceptedInTime ? '是' : '否',
      c.resolvedInTime === null ? '' : c.resolvedInTime ? '是' : '否',
      c.rating?.level ?? '',
      c.visibility === 'staff_only' ? '匿名居民' : c.reporterName,
    ]);
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
