import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import type { ImportReport } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, Loading, Notice, P, Row } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { go, Routes } from '../../services/navigate';
import { isApiError, messageOf } from '../../services/request';
import { AdminOnly } from '../AdminOnly';
import { FileChooser, formatSize, type PickedFile } from '../FileChooser';
import '../admin.scss';

/** The columns the import reads (header row, any order), as the API names them. */
const columns: { name: string; text: string }[] = [
  { name: '网格', text: '必填，例如“第一网格”' },
  { name: '楼栋', text: '必填，例如“3号楼”' },
  { name: '单元', text: '必填，例如“2单元”' },
  { name: '房号', text: '必填，例如“1201”' },
  { name: '楼层', text: '必填，整数，地下室写负数' },
  { name: '专有面积', text: '必填，平方米，最多两位小数' },
  { name: '业主姓名', text: '选填' },
  { name: '业主手机号', text: '个人业主必填，11位手机号' },
  { name: '业主类型', text: '“个人”或“开发商”，不填算个人' },
  { name: '物业公司', text: '选填，写公司全称' },
];

const createdLabels: { key: keyof ImportReport['created']; label: string; unit: string }[] = [
  { key: 'grids', label: '网格', unit: '个' },
  { key: 'buildings', label: '楼栋', unit: '栋' },
  { key: 'units', label: '单元', unit: '个' },
  { key: 'rooms', label: '房屋', unit: '套' },
  { key: 'owners', label: '业主', unit: '位' },
];

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <View className='admin-stat' data-testid={testId}>
      <Text className='admin-stat__label'>{label}</Text>
      <Text className='admin-stat__value'>{value}</Text>
    </View>
  );
}

function Columns() {
  return (
    <>
      <P>第一行是表头，写上下面这些列名（顺序不限）：</P>
      <View data-testid='import-columns'>
        {columns.map((c) => (
          <Text key={c.name} className='admin-line'>
            <Text className='admin-line__key'>{c.name}</Text>：{c.text}
          </Text>
        ))}
      </View>
      <P muted>支持 .xlsx 和 .csv 文件，最大 5 MB。</P>
    </>
  );
}

function reportOf(e: unknown): ImportReport | null {
  if (!isApiError(e) || e.code !== 'IMPORT_REJECTED') return null;
  const report = e.details?.report;
  return typeof report === 'object' && report !== null ? (report as ImportReport) : null;
}

function RoomImport() {
  const [file, setFile] = useState<PickedFile | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [result, setResult] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const [importing, setImporting] = useState(false);
  const [showColumns, setShowColumns] = useState(false);

  async function check(picked: PickedFile) {
    setFile(picked);
    setReport(null);
    setError(null);
    setChecking(true);
    try {
      setReport(await Api.importRooms(picked.data, picked.contentType, true));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setChecking(false);
    }
  }

  async function confirm() {
    if (!file) return;
    setError(null);
    setImporting(true);
    try {
      setResult(await Api.importRooms(file.data, file.contentType, false));
    } catch (e) {
      // Someone changed the register since the check: show the rows the API refused now.
      const refused = reportOf(e);
      if (refused) setReport(refused);
      setError(messageOf(e));
    } finally {
      setImporting(false);
    }
  }

  function again() {
    setFile(null);
    setReport(null);
    setResult(null);
    setError(null);
    setShowColumns(false);
  }

  if (result) {
    return (
      <Card title='导入完成' className='card--accent'>
        <Notice tone='ok' text={`已导入“${file?.name ?? '表格'}”，共 ${result.rowsAccepted} 行。`} testId='import-done' />
        <P>这次新增了：</P>
        <View data-testid='import-created'>
          {createdLabels.map((c) => (
            <Stat key={c.key} label={c.label} value={`${result.created[c.key]} ${c.unit}`} testId={`created-${c.key}`} />
          ))}
        </View>
        <P muted>已经登记过的房屋不会重复添加。</P>
        <View className='actions'>
          <Btn kind='secondary' onClick={again}>
            再导入一个文件
          </Btn>
          <Btn kind='plain' onClick={() => go(Routes.staffHome)}>
            回到工作台
          </Btn>
        </View>
      </Card>
    );
  }

  const rejected = report?.rejected ?? [];
  const clean = !!report && rejected.length === 0 && report.rowsAccepted > 0;

  return (
    <>
      {file ? (
        <Card>
          <Row label='表格要求' value={showColumns ? '收起' : '查看'} onClick={() => setShowColumns((v) => !v)} />
          {showColumns ? <Columns /> : null}
        </Card>
      ) : (
        <Card title='表格要求'>
          <Columns />
        </Card>
      )}

      <Card title='选择文件'>
        <Notice tone='wait' text='只要有一行不符合要求，整个文件都不会导入。先检查，没问题再确认导入。' />
        {file ? (
          <Text className='admin-file' data-testid='import-file'>
            已选：{file.name}（{formatSize(file.size)}）
          </Text>
        ) : null}
        <Notice tone='bad' text={error} testId='import-error' />
        <FileChooser
          label={file ? '重新选择文件' : '选择表格文件'}
          kind={clean ? 'secondary' : 'primary'}
          busy={checking}
          onPicked={(f) => void check(f)}
          onError={(m) => {
            setError(m);
          }}
        />
      </Card>

      {checking ? <Loading text='正在检查表格…' /> : null}

      {report ? (
        <Card title='检查结果' className='import-preview'>
          <Stat label='读取' value={`${report.rowsRead} 行`} testId='rows-read' />
          <Stat label='可以导入' value={`${report.rowsAccepted} 行`} testId='rows-accepted' />
          <Stat label='需要修改' value={`${rejected.length} 行`} testId='rows-rejected' />
          {rejected.length ? (
            <>
              <Notice tone='bad' text={`有 ${rejected.length} 行需要修改，这次不能导入。请改好表格后重新选择文件。`} />
              <View data-testid='import-rejected'>
                {rejected.map((r) => (
                  <Text key={r.row} className='admin-line admin-line--bad admin-problem'>
                    {`第${r.row}行：${r.problems.join('；')}`}
                  </Text>
                ))}
              </View>
            </>
          ) : report.rowsRead === 0 ? (
            <Notice tone='info' text='表格里只有表头，没有要导入的行。' />
          ) : clean ? (
            <>
              <Notice tone='ok' text={`全部 ${report.rowsAccepted} 行都符合要求，可以导入。`} />
              <Btn testId='import-confirm' loading={importing} onClick={() => void confirm()}>
                确认导入
              </Btn>
            </>
          ) : null}
        </Card>
      ) : null}
    </>
  );
}

export default function StaffImports() {
  return (
    <PageShell title='导入房屋台账' subtitle='从表格一次导入楼栋、房屋、面积和业主' className='page-staff-imports'>
      <AdminOnly>
        <RoomImport />
      </AdminOnly>
    </PageShell>
  );
}
