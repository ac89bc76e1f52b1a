import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { Types } from 'mongoose';
import { parseArea, type ImportReport } from '@community/shared';
import { AppError } from '../../app-error.js';
import { Building, Grid, Owner, PropertyCompany, Room, RoomOwner, Unit } from './models.js';

export const IMPORT_CONTENT_TYPES = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] as const;
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;
const MAX_ROWS = 20_000;

/** Column headers as the street office's spreadsheets write them, with English aliases. */
const COLUMNS = {
  grid: ['网格', 'grid'],
  building: ['楼栋', 'building'],
  unit: ['单元', 'unit'],
  room: ['房号', 'room'],
  floor: ['楼层', 'floor'],
  area: ['专有面积', '专有面积(㎡)', '专有部分面积', 'area'],
  ownerName: ['业主姓名', 'owner'],
  ownerPhone: ['业主手机号', '手机号', 'phone'],
  ownerKind: ['业主类型', 'ownerKind'],
  company: ['物业公司', 'propertyCompany'],
} as const;
type Column = keyof typeof COLUMNS;
const REQUIRED: Column[] = ['grid', 'building', 'unit', 'room', 'floor', 'area'];

interface ValidRow {
  row: number;
  grid: string;
  building: string;
  unit: string;
  room: string;
  floor: number;
  area: number;
  owner: { key: string; name: string; phone: string | null; kind: 'person' | 'developer' } | null;
  company: string | null;
}

/** Reads the file into header-keyed rows of text. */
async function readTable(data: Buffer, contentType: string): Promise<string[][]> {
  if (contentType === 'text/csv') {
    // Excel in China saves CSV as GB18030 unless told otherwise.
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    } catch {
      text = new TextDecoder('gb18030').decode(data);
    }
    try {
      return parseCsv(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
    } catch {
      throw new AppError('VALIDATION_FAILED', '文件不是有效的CSV表格');
    }
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw new AppError('VALIDATION_FAILED', '文件不是有效的Excel（.xlsx）表格');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new AppError('VALIDATION_FAILED', '表格里没有工作表');
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(row.getCell(c).text.trim());
    rows.push(cells);
  });
  return rows;
}

function locateColumns(header: string[]): { index: Partial<Record<Column, number>>; missing: Column[] } {
  const index: Partial<Record<Column, number>> = {};
  const normalised = header.map((h) => h.replace(/\s+/g, '').replace('（', '(').replace('）', ')'));
  for (const [column, names] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
    const at = normalised.findIndex((h) => names.includes(h));
    if (at >= 0) index[column] = at;
  }
  return { index, missing: REQUIRED.filter((c) => index[c] === undefined) };
}

const COLUMN_LABEL: Record<Column, string> = {
  grid: '网格',
  building: '楼栋',
  unit: '单元',
  room: '房号',
  floor: '楼层',
  area: '专有面积',
  ownerName: '业主姓名',
  ownerPhone: '业主手机号',
  ownerKind: '业主类型',
  company: '物业公司',
};

/**
 * Imports buildings, units, rooms, areas and owners for a community. Every row
 * is checked before anything is written: one bad row means nothing is written
 * and the report says which rows and why. Writes are upserts keyed on natural
 * keys, so an import cut short by an outage can simply be run again.
 */
export async function importRooms(communityId: string, data: Buffer, contentType: string, dryRun: boolean): Promise<ImportReport> {
  const table = await readTable(data, contentType);
  const [header, ...body] = table;
  if (!header) throw new AppError('VALIDATION_FAILED', '表格是空的');
  const { index, missing } = locateColumns(header);
  if (missing.length) {
    throw new AppError('VALIDATION_FAILED', `表头缺少这些列：${missing.map((c) => COLUMN_LABEL[c]).join('、')}`, { missingColumns: missing });
  }
  if (body.length > MAX_ROWS) throw new AppError('PAYLOAD_TOO_LARGE', `一次最多导入${MAX_ROWS}行`);

  const community = new Types.ObjectId(communityId);
  const [existingBuildings, existingGrids] = await Promise.all([
    Building.find({ communityId: community }).lean(),
    Grid.find({ communityId: community }).lean(),
  ]);
  const gridNameById = new Map(existingGrids.map((g) => [g._id.toHexString(), g.name]));
  const buildingGrid = new Map(existingBuildings.map((b) => [b.name, gridNameById.get(b.gridId.toHexString()) ?? '']));
  const existingRooms = new Map<string, number>();
  for (const r of await Room.find({ communityId: community }).select({ label: 1, areaCentiSquareMetres: 1 }).lean()) {
    existingRooms.set(r.label, r.areaCentiSquareMetres);
  }

  const valid: ValidRow[] = [];
  const rejected: ImportReport['rejected'] = [];
  const seenRooms = new Map<string, number>();
  const phoneNames = new Map<string, string>();
  let unchanged = 0;

  body.forEach((cells, i) => {
    const rowNumber = i + 2; // as the spreadsheet numbers it, header = row 1
    const cell = (c: Column) => (index[c] === undefined ? '' : (cells[index[c]!] ?? '').trim());
    const problems: string[] = [];
    for (const c of REQUIRED) if (!cell(c)) problems.push(`${COLUMN_LABEL[c]}不能为空`);
    for (const c of Object.keys(COLUMNS) as Column[]) if (cell(c).length > 40) problems.push(`${COLUMN_LABEL[c]}太长（最多40个字）`);

    const floorText = cell('floor');
    const floor = /^-?\d{1,3}$/.test(floorText) ? Number(floorText) : NaN;
    if (floorText && (!Number.isInteger(floor) || floor < -5 || floor > 200)) problems.push('楼层必须是-5到200之间的整数');

    const areaText = cell('area').replace(/㎡|m²|平方米/g, '');
    const area = areaText ? parseArea(areaText) : null;
    if (areaText && (area === null || area <= 0 || area > 10_000_00)) problems.push('专有面积必须是大于0的数字，最多两位小数');

    const kindText = cell('ownerKind') || '个人';
    const kind = kindText === '开发商' ? 'developer' : kindText === '个人' ? 'person' : null;
    if (!kind) problems.push('业主类型只能是“个人”或“开发商”');
    const ownerName = cell('ownerName') || (kind === 'developer' ? '开发商' : '');
    const phone = cell('ownerPhone') || null;
    if (phone && !/^1[3-9]\d{9}$/.test(phone)) problems.push('业主手机号必须是11位手机号');
    let owner: ValidRow['owner'] = null;
    if (kind === 'person' && ownerName) {
      if (!phone) problems.push('个人业主需要填写手机号，用来识别同一位业主的多套房');
      else {
        const known = phoneNames.get(phone);
        if (known && known !== ownerName) problems.push(`手机号${phone}已对应业主“${known}”，与“${ownerName}”不一致`);
        owner = { key: `phone:${phone}`, name: ownerName, phone, kind: 'person' };
      }
    } else if (kind === 'developer') {
      // All unsold rooms of the developer count as one owner (SPC interpretation art. 9).
      owner = { key: 'developer', name: ownerName, phone, kind: 'developer' };
    }

    const label = `${cell('building')} ${cell('unit')} ${cell('room')}`;
    const firstRow = seenRooms.get(label);
    if (firstRow) problems.push(`与第${firstRow}行是同一套房屋`);
    const gridOfBuilding = buildingGrid.get(cell('building'));
    if (gridOfBuilding && cell('grid') && gridOfBuilding !== cell('grid')) {
      problems.push(`${cell('building')}已属于${gridOfBuilding}，不能再放入${cell('grid')}`);
    }
    const known = existingRooms.get(label);
    if (known !== undefined && area !== null && known !== area) problems.push('这套房屋已登记，面积与登记的不同，请在系统里单独更正');

    if (problems.length) {
      rejected.push({ row: rowNumber, problems });
      return;
    }
    seenRooms.set(label, rowNumber);
    if (owner?.phone && owner.kind === 'person') phoneNames.set(owner.phone, owner.name);
    if (!gridOfBuilding) buildingGrid.set(cell('building'), cell('grid'));
    if (known !== undefined) {
      unchanged++;
      return;
    }
    valid.push({
      row: rowNumber,
      grid: cell('grid'),
      building: cell('building'),
      unit: cell('unit'),
      room: cell('room'),
      floor,
      area: area!,
      owner,
      company: cell('company') || null,
    });
  });

  const report: ImportReport = {
    dryRun,
    rowsRead: body.length,
    rowsAccepted: valid.length + unchanged,
    rejected,
    created: { grids: 0, buildings: 0, units: 0, rooms: 0, owners: 0 },
  };
  if (dryRun || rejected.length || valid.length === 0) return report;

  report.created = await writeRows(community, valid);
  return report;
}

async function writeRows(communityId: Types.ObjectId, rows: ValidRow[]): Promise<ImportReport['created']> {
  const created = { grids: 0, buildings: 0, units: 0, rooms: 0, owners: 0 };
  const upsert = async <T>(
    model: { bulkWrite: (ops: never[], o: { ordered: boolean }) => Promise<{ upsertedCount: number }> },
    ops: T[],
  ) => (ops.length ? (await model.bulkWrite(ops as never[], { ordered: false })).upsertedCount : 0);

  const unique = <T>(items: T[], key: (t: T) => string) => [...new Map(items.map((i) => [key(i), i])).values()];

  created.grids = await upsert(
    Grid as never,
    unique(rows, (r) => r.grid).map((r) => ({
      updateOne: { filter: { communityId, code: r.grid }, update: { $setOnInsert: { communityId, code: r.grid, name: r.grid } }, upsert: true },
    })),
  );
  const grids = new Map((await Grid.find({ communityId }).lean()).map((g) => [g.code, g._id]));

  const companyNames = unique(rows.filter((r) => r.company), (r) => r.company!).map((r) => r.company!);
  await upsert(
    PropertyCompany as never,
    companyNames.map((name) => ({ updateOne: { filter: { communityId, name }, update: { $setOnInsert: { communityId, name } }, upsert: true } })),
  );
  const companies = new Map((await PropertyCompany.find({ communityId }).lean()).map((c) => [c.name, c._id]));

  created.buildings = await upsert(
    Building as never,
    unique(rows, (r) => r.building).map((r) => ({
      updateOne: {
        filter: { communityId, name: r.building },
        update: {
          $setOnInsert: {
            communityId,
            name: r.building,
            gridId: grids.get(r.grid),
            sortKey: leadingNumber(r.building),
            propertyCompanyId: r.company ? companies.get(r.company) : null,
          },
        },
        upsert: true,
      },
    })),
  );
  const buildings = new Map((await Building.find({ communityId }).lean()).map((b) => [b.name, b]));

  created.units = await upsert(
    Unit as never,
    unique(rows, (r) => `${r.building}|${r.unit}`).map((r) => {
      const buildingId = buildings.get(r.building)!._id;
      return {
        updateOne: {
          filter: { buildingId, name: r.unit },
          update: { $setOnInsert: { communityId, buildingId, name: r.unit, sortKey: leadingNumber(r.unit) } },
          upsert: true,
        },
      };
    }),
  );
  const units = new Map((await Unit.find({ communityId }).lean()).map((u) => [`${u.buildingId.toHexString()}|${u.name}`, u._id]));

  created.rooms = await upsert(
    Room as never,
    rows.map((r) => {
      const building = buildings.get(r.building)!;
      const unitId = units.get(`${building._id.toHexString()}|${r.unit}`)!;
      return {
        updateOne: {
          filter: { unitId, number: r.room },
          update: {
            $setOnInsert: {
              communityId,
              gridId: building.gridId,
              buildingId: building._id,
              unitId,
              number: r.room,
              floor: r.floor,
              areaCentiSquareMetres: r.area,
              label: `${r.building} ${r.unit} ${r.room}`,
            },
          },
          upsert: true,
        },
      };
    }),
  );

  const owned = rows.filter((r) => r.owner);
  created.owners = await upsert(
    Owner as never,
    unique(owned, (r) => r.owner!.key).map((r) => ({
      updateOne: {
        filter: { communityId, key: r.owner!.key },
        update: { $setOnInsert: { communityId, key: r.owner!.key, name: r.owner!.name, phone: r.owner!.phone, kind: r.owner!.kind } },
        upsert: true,
      },
    })),
  );
  const owners = new Map((await Owner.find({ communityId }).lean()).map((o) => [o.key, o._id]));
  const roomIds = new Map((await Room.find({ communityId }).select({ label: 1 }).lean()).map((r) => [r.label, r._id]));
  await upsert(
    RoomOwner as never,
    owned.map((r) => {
      const roomId = roomIds.get(`${r.building} ${r.unit} ${r.room}`)!;
      const ownerId = owners.get(r.owner!.key)!;
      return { updateOne: { filter: { roomId, ownerId }, update: { $setOnInsert: { communityId, roomId, ownerId } }, upsert: true } };
    }),
  );
  return created;
}

function leadingNumber(name: string): number {
  const m = /\d+/.exec(name);
  return m ? Number(m[0]) : 0;
}
