import { TextEncoder } from 'node:util';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { apiError, user } from './support/http';
import { mockApiWithFiles } from './support/files';
import { resetAppState, signIn } from './support/reset';
import StaffImports from '../../miniapp/src/staff/imports/index';

const adminMe = { status: 200, body: { ...user({ kind: 'staff', roles: ['admin'], displayName: '赵主任' }), rooms: [] } };
const IMPORT = 'POST /api/v1/staff/imports/rooms';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const csv = ['网格,楼栋,单元,房号,楼层,专有面积,业主姓名,业主手机号,业主类型,物业公司', '第一网格,3号楼,2单元,1201,12,89.5,王秀兰,13800001234,个人,安居物业'].join('\n');

function report(over: Record<string, unknown> = {}) {
  return {
    dryRun: true,
    rowsRead: 24,
    rowsAccepted: 24,
    rejected: [],
    created: { grids: 0, buildings: 0, units: 0, rooms: 0, owners: 0 },
    ...over,
  };
}

function choose(name: string, content: BlobPart = csv, type = 'text/csv') {
  const file = new File([content], name, { type });
  fireEvent.change(screen.getByTestId('import-file-input'), { target: { files: [file] } });
}

describe('admin: room register import', () => {
  beforeEach(() => {
    resetAppState();
    signIn('admin');
  });

  it('shows the expected columns and that one bad row stops the whole import', async () => {
    mockApiWithFiles({ 'GET /api/v1/me': adminMe });
    render(<StaffImports />);
    const columns = await screen.findByTestId('import-columns');
    for (const name of ['网格', '楼栋', '单元', '房号', '楼层', '专有面积', '业主姓名', '业主手机号', '业主类型', '物业公司']) {
      expect(columns.textContent).toContain(`${name}：`);
    }
    expect(columns.textContent).toContain('“个人”或“开发商”');
    expect(screen.getByText('只要有一行不符合要求，整个文件都不会导入。先检查，没问题再确认导入。')).toBeTruthy();
  });

  it('a dry run with rejected rows lists every row and its problems, and offers no 确认导入', async () => {
    const api = mockApiWithFiles({
      'GET /api/v1/me': adminMe,
      [IMPORT]: {
        status: 200,
        body: report({
          rowsRead: 3,
          rowsAccepted: 1,
          rejected: [
            { row: 3, problems: ['楼层必须是-5到200之间的整数', '业主手机号必须是11位手机号'] },
            { row: 4, problems: ['与第2行是同一套房屋'] },
          ],
        }),
      },
    });
    render(<StaffImports />);
    await screen.findByTestId('import-file-input');
    choose('房屋台账.csv');

    expect(await screen.findByText('第3行：楼层必须是-5到200之间的整数；业主手机号必须是11位手机号')).toBeTruthy();
    expect(screen.getByText('第4行：与第2行是同一套房屋')).toBeTruthy();
    expect(screen.getByTestId('rows-read').textContent).toContain('3 行');
    expect(screen.getByTestId('rows-accepted').textContent).toContain('1 行');
    expect(screen.getByTestId('rows-rejected').textContent).toContain('2 行');
    expect(screen.queryByText('确认导入')).toBeNull();
    expect(screen.getByText('重新选择文件')).toBeTruthy();

    const sent = api.calls.filter((c) => c.path === '/api/v1/staff/imports/rooms');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toContain('dryRun=true');
    expect(sent[0]!.headers['Content-Type']).toBe('text/csv');
    expect(sent[0]!.headers.Authorization).toBe('Bearer access-admin');
    expect(sent[0]!.body).toEqual({ bytes: new TextEncoder().encode(csv).byteLength, text: csv });
  });

  it('a clean dry run, then 确认导入 sends dryRun=false and shows what was created', async () => {
    const api = mockApiWithFiles({
      'GET /api/v1/me': adminMe,
      [IMPORT]: (c) =>
        c.url.includes('dryRun=false')
          ? { status: 200, body: report({ dryRun: false, created: { grids: 1, buildings: 2, units: 4, rooms: 24, owners: 20 } }) }
          : { status: 200, body: report() },
    });
    render(<StaffImports />);
    await screen.findByTestId('import-file-input');
    choose('rooms.csv');

    expect(await screen.findByText('全部 24 行都符合要求，可以导入。')).toBeTruthy();
    expect(api.calls.filter((c) => c.path === '/api/v1/staff/imports/rooms')).toHaveLength(1);
    fireEvent.click(screen.getByText('确认导入'));

    expect(await screen.findByText('导入完成')).toBeTruthy();
    const sent = api.calls.filter((c) => c.path === '/api/v1/staff/imports/rooms');
    expect(sent.map((c) => new URL(c.url).searchParams.get('dryRun'))).toEqual(['true', 'false']);
    expect(sent[1]!.body).toEqual(sent[0]!.body);
    expect(screen.getByTestId('created-grids').textContent).toBe('网格1 个');
    expect(screen.getByTestId('created-buildings').textContent).toBe('楼栋2 栋');
    expect(screen.getByTestId('created-units').textContent).toBe('单元4 个');
    expect(screen.getByTestId('created-rooms').textContent).toBe('房屋24 套');
    expect(screen.getByTestId('created-owners').textContent).toBe('业主20 位');
    expect(screen.getByTestId('import-done').textContent).toContain('已导入“rooms.csv”，共 24 行');

    fireEvent.click(screen.getByText('再导入一个文件'));
    expect(await screen.findByText('选择表格文件')).toBeTruthy();
  });

  it('a 422 on the real import shows the API’s message and the rows it refused', async () => {
    const refused = report({ dryRun: false, rowsAccepted: 23, rejected: [{ row: 7, problems: ['这套房屋已登记，面积与登记的不同，请在系统里单独更正'] }] });
    mockApiWithFiles({
      'GET /api/v1/me': adminMe,
      [IMPORT]: (c) =>
        c.url.includes('dryRun=false')
          ? apiError(422, 'IMPORT_REJECTED', '文件中有不符合要求的行，本次没有导入任何数据', { report: refused })
          : { status: 200, body: report() },
    });
    render(<StaffImports />);
    await screen.findByTestId('import-file-input');
    choose('rooms.csv');
    fireEvent.click(await screen.findByText('确认导入'));

    expect(await screen.findByText('文件中有不符合要求的行，本次没有导入任何数据')).toBeTruthy();
    expect(screen.getByText('第7行：这套房屋已登记，面积与登记的不同，请在系统里单独更正')).toBeTruthy();
    expect(screen.queryByText('确认导入')).toBeNull();
    expect(screen.queryByText('导入完成')).toBeNull();
  });

  it('shows the API’s message for an unreadable file or missing columns', async () => {
    mockApiWithFiles({
      'GET /api/v1/me': adminMe,
      [IMPORT]: apiError(400, 'VALIDATION_FAILED', '表头缺少这些列：楼层、专有面积', { missingColumns: ['floor', 'area'] }),
    });
    render(<StaffImports />);
    await screen.findByTestId('import-file-input');
    choose('rooms.csv', '网格,楼栋,单元,房号\n');
    expect(await screen.findByText('表头缺少这些列：楼层、专有面积')).toBeTruthy();
    expect(screen.queryByText('检查结果')).toBeNull();
  });

  it('refuses other file kinds and files over 5 MB before sending anything', async () => {
    const api = mockApiWithFiles({ 'GET /api/v1/me': adminMe });
    render(<StaffImports />);
    await screen.findByTestId('import-file-input');

    choose('房屋台账.xls', 'x', 'application/vnd.ms-excel');
    expect(await screen.findByText('只能导入 .xlsx 或 .csv 格式的表格文件')).toBeTruthy();

    choose('big.xlsx', new Uint8Array(5 * 1024 * 1024 + 1), XLSX);
    expect(await screen.findByText('文件太大了（最大 5 MB），请把表格分成几个文件再导入')).toBeTruthy();
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('in WeChat, takes a file from a chat and sends its bytes as .xlsx', async () => {
    const bytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);
    const t = Taro as unknown as Record<string, unknown>;
    const saved = { env: process.env.TARO_ENV, choose: t.chooseMessageFile, fs: t.getFileSystemManager };
    const readFile = jest.fn((o: { filePath: string; success: (r: { data: ArrayBuffer }) => void }) => o.success({ data: bytes.buffer }));
    t.chooseMessageFile = jest.fn(async () => ({ tempFiles: [{ name: '台账.xlsx', size: bytes.byteLength, path: 'wxfile://tmp/1.xlsx', type: 'file', time: 0 }] }));
    t.getFileSystemManager = () => ({ readFile });
    process.env.TARO_ENV = 'weapp';
    try {
      const api = mockApiWithFiles({ 'GET /api/v1/me': adminMe, [IMPORT]: { status: 200, body: report({ rowsRead: 1, rowsAccepted: 1 }) } });
      render(<StaffImports />);
      fireEvent.click(await screen.findByText('选择表格文件'));
      expect(await screen.findByText('确认导入')).toBeTruthy();
      expect(screen.queryByTestId('import-file-input')).toBeNull();
      expect(t.chooseMessageFile).toHaveBeenCalledWith({ count: 1, type: 'file', extension: ['csv', 'xlsx'] });
      expect(readFile.mock.calls[0]![0].filePath).toBe('wxfile://tmp/1.xlsx');
      const sent = api.calls.find((c) => c.path === '/api/v1/staff/imports/rooms')!;
      expect(sent.headers['Content-Type']).toBe(XLSX);
      expect((sent.body as { bytes: number }).bytes).toBe(bytes.byteLength);
    } finally {
      process.env.TARO_ENV = saved.env;
      t.chooseMessageFile = saved.choose;
      t.getFileSystemManager = saved.fs;
    }
  });

  it('a person who is staff but not admin is told plainly and nothing is loaded', async () => {
    const api = mockApiWithFiles({ 'GET /api/v1/me': { status: 200, body: { ...user({ kind: 'staff', roles: ['community_staff'] }), rooms: [] } } });
    render(<StaffImports />);
    expect(await screen.findByText('这一页只有社区管理员可以使用，您没有权限查看。')).toBeTruthy();
    await waitFor(() => expect(api.calls.map((c) => c.path)).toEqual(['/api/v1/me']));
  });
});
