import ExcelJS from 'exceljs';
import mongoose from 'mongoose';
import { startTestApi, type TestApi } from './support/harness';

let api: TestApi;
let admin: string;
let centre: string;

const counts = async () => {
  const db = mongoose.connection.db!;
  const names = ['grids', 'buildings', 'units', 'rooms', 'owners', 'room_owners'];
  return Object.fromEntries(await Promise.all(names.map(async (n) => [n, await db.collection(n).countDocuments({})])));
};

beforeAll(async () => {
  api = await startTestApi(__filename);
  await api.seed();
  admin = (await api.loginStaff('admin')).accessToken;
  centre = (await api.loginStaff('centre')).accessToken;
});
afterAll(() => api.close());

const HEADER = '网格,楼栋,单元,房号,楼层,专有面积,业主姓名,业主手机号,业主类型';
const upload = (csv: string | Buffer, query = '', token = admin, type = 'text/csv') =>
  api.request('POST', `/api/v1/staff/imports/rooms${query}`, { token, rawBody: csv, headers: { 'Content-Type': type } });

describe('POST /api/v1/staff/imports/rooms', () => {
  it('When every row is good, then rooms, areas and owners are created, one owner of two rooms is one owner', async () => {
    const csv = [
      HEADER,
      '第四网格,13号楼,1单元,101,1,88.5,孙大海,13700000001,个人',
      '第四网格,13号楼,1单元,102,1,90.25,孙大海,13700000001,个人',
      '第四网格,13号楼,1单元,201,2,0.29,钱小梅,13700000002,个人',
      '第四网格,13号楼,2单元,101,1,120,,,开发商',
    ].join('\n');
    const before = await counts();
    const res = await upload(csv);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: false, rowsRead: 4, rowsAccepted: 4, rejected: [] });
    expect(res.body.created).toEqual({ grids: 1, buildings: 1, units: 2, rooms: 4, owners: 2 + 0 });
    const after = await counts();
    expect(after.rooms - before.rooms).toBe(4);
    // The developer already owns unsold rooms in the demo: still one developer owner in total.
    const developers = await mongoose.connection.db!.collection('owners').countDocuments({ kind: 'developer' });
    expect(developers).toBe(1);
    const tiny = await mongoose.connection.db!.collection('rooms').findOne({ label: '13号楼 1单元 201' });
    expect(tiny!.areaCentiSquareMetres).toBe(29);
  });

  it('When the same file is imported again, then nothing changes (rows already registered are accepted)', async () => {
    const before = await counts();
    const res = await upload([HEADER, '第四网格,13号楼,1单元,101,1,88.50,孙大海,13700000001,个人'].join('\n'));
    expect(res.status).toBe(200);
    expect(res.body.rowsAccepted).toBe(1);
    expect(await counts()).toEqual(before);
  });

  it('When one row is bad, then nothing at all is written and every bad row is reported with its reason', async () => {
    const csv = [
      HEADER,
      '第四网格,14号楼,1单元,101,1,88.5,周一,13700000011,个人',
      '第四网格,14号楼,1单元,102,1,abc,周二,13700000012,个人',
      '第四网格,14号楼,1单元,101,1,70,周三,13700000013,个人',
      '第四网格,14号楼,1单元,103,99999,70,周四,12345,个人',
      '第四网格,14号楼,1单元,104,1,70,周五,13700000011,个人',
      '第四网格,1号楼,1单元,999,1,70,周六,13700000016,个人',
      '第四网格,13号楼,1单元,101,1,99.99,孙大海,13700000001,个人',
    ].join('\n');
    const before = await counts();
    const res = await upload(csv);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('IMPORT_REJECTED');
    const report = res.body.error.details.report;
    const byRow = Object.fromEntries(report.rejected.map((r: { row: number; problems: string[] }) => [r.row, r.problems.join('；')]));
    expect(byRow[3]).toMatch(/专有面积/);
    expect(byRow[4]).toMatch(/与第2行是同一套房屋/);
    expect(byRow[5]).toMatch(/楼层/);
    expect(byRow[5]).toMatch(/手机号/);
    expect(byRow[6]).toMatch(/已对应业主“周一”/);
    expect(byRow[7]).toMatch(/1号楼已属于第一网格/);
    expect(byRow[8]).toMatch(/面积与登记的不同/);
    expect(byRow[2]).toBeUndefined();
    expect(await counts()).toEqual(before);
  });

  it('When dryRun=true, then the report comes back and nothing is written', async () => {
    const before = await counts();
    const res = await upload([HEADER, '第四网格,15号楼,1单元,101,1,60,吴一,13700000021,个人'].join('\n'), '?dryRun=true');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: true, rowsAccepted: 1 });
    expect(await counts()).toEqual(before);
  });

  it('reads .xlsx files and GB18030 CSV saved by Excel', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('房屋');
    sheet.addRow(HEADER.split(','));
    sheet.addRow(['第四网格', '16号楼', '1单元', '101', 1, 75.5, '郑一', '13700000031', '个人']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await upload(xlsx, '', admin, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.status).toBe(200);
    expect(res.body.created.rooms).toBe(1);

    // The header and one row in GB18030, made with `iconv -f utf-8 -t gb18030 | xxd -p`.
    const gb = Buffer.from(
      'cdf8b8f12cc2a5b6b02cb5a5d4aa2cb7bfbac52cc2a5b2e32cd7a8d3d0c3e6bbfd2cd2b5d6f7d0d5c3fb2cd2b5d6f7cad6bbfabac52cd2b5d6f7c0e0d0cd0ab5dacbc4cdf8b8f12c3137bac5c2a52c31b5a5d4aa2c3130312c312c36302ccdf5d2bb2c31333730303030303034312cb8f6c8cb',
      'hex',
    );
    const res2 = await upload(gb);
    expect(res2.status).toBe(200);
    expect(res2.body.created.rooms).toBe(1);
    const room = await mongoose.connection.db!.collection('rooms').findOne({ label: '17号楼 1单元 101' });
    expect(room).not.toBeNull();
  });

  it('refuses a file that is not a table, an empty file, a missing column, a wrong type or a huge file', async () => {
    expect((await upload(Buffer.from([0x50, 0x4b, 3, 4, 9, 9]), '', admin, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).status).toBe(400);
    expect((await upload('')).status).toBe(400);
    const missing = await upload('楼栋,单元\n1号楼,1单元');
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/缺少这些列/);
    expect((await upload('{}', '', admin, 'application/json')).status).toBe(415);
    expect((await upload(Buffer.alloc(6 * 1024 * 1024, 0x41))).status).toBe(413);
  });

  it('is for admins only', async () => {
    const res = await upload([HEADER, '第四网格,18号楼,1单元,101,1,60,吴一,13700000051,个人'].join('\n'), '', centre);
    expect(res.status).toBe(403);
  });
});
