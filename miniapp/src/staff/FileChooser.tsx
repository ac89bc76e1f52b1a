import { useRef, type ChangeEvent } from 'react';
import Taro from '@tarojs/taro';
import { Btn, P } from '../components/ui';
import type { ImportContentType } from '../services/endpoints';

/** The API's limit for one import file. */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

const contentTypes: Record<string, ImportContentType> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export interface PickedFile {
  name: string;
  size: number;
  contentType: ImportContentType;
  data: ArrayBuffer;
}

export function contentTypeOf(name: string): ImportContentType | null {
  const ext = name.includes('.') ? (name.split('.').pop() ?? '').toLowerCase() : '';
  return contentTypes[ext] ?? null;
}

/** What is wrong with a file before it is read or sent, or null. */
export function fileProblem(name: string, size: number): string | null {
  if (!contentTypeOf(name)) return '只能导入 .xlsx 或 .csv 格式的表格文件';
  if (size > IMPORT_MAX_BYTES) return '文件太大了（最大 5 MB），请把表格分成几个文件再导入';
  if (size === 0) return '这个文件是空的，请重新选择';
  return null;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function readBrowserFile(file: File): Promise<ArrayBuffer> {
  if (typeof file.arrayBuffer === 'function') return file.arrayBuffer();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as ArrayBuffer);
    reader.onerror = () => reject(reader.error);
    reader.readAsArrayBuffer(file);
  });
}

function readWeappFile(filePath: string): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    Taro.getFileSystemManager().readFile({
      filePath,
      success: (res) => resolve(res.data as ArrayBuffer),
      fail: reject,
    });
  });
}

function isCancel(e: unknown): boolean {
  const msg = typeof e === 'object' && e !== null && 'errMsg' in e ? String((e as { errMsg: unknown }).errMsg) : String(e);
  return /cancel/i.test(msg);
}

interface Props {
  label: string;
  kind?: 'primary' | 'secondary';
  busy?: boolean;
  onPicked: (file: PickedFile) => void;
  onError: (message: string) => void;
}

/**
 * One big button that opens the file chooser: in the browser a hidden
 * <input type="file">, in WeChat a file from a chat (chooseMessageFile), read
 * into an ArrayBuffer either way. Wrong kinds and files over 5 MB are refused
 * here, before anything is sent.
 */
export function FileChooser({ label, kind = 'primary', busy, onPicked, onError }: Props) {
  const input = useRef<HTMLInputElement>(null);

  async function accept(name: string, size: number, read: () => Promise<ArrayBuffer>) {
    const problem = fileProblem(name, size);
    if (problem) {
      onError(problem);
      return;
    }
    let data: ArrayBuffer;
    try {
      data = await read();
    } catch {
      onError('读取文件没有成功，请重新选择');
      return;
    }
    onPicked({ name, size, contentType: contentTypeOf(name)!, data });
  }

  async function chooseInWeapp() {
    let chosen: { name: string; size: number; path: string } | undefined;
    try {
      const res = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['csv', 'xlsx'] });
      chosen = res.tempFiles[0];
    } catch (e) {
      if (!isCancel(e)) onError('没能打开聊天里的文件，请稍后再试');
      return;
    }
    if (chosen) await accept(chosen.name, chosen.size, () => readWeappFile(chosen!.path));
  }

  function onBrowserChange(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    // Cleared so that choosing the same file again (after fixing it) is noticed.
    e.target.value = '';
    if (file) void accept(file.name, file.size, () => readBrowserFile(file));
  }

  // The build-time constant is written out at each use so that each build drops the other's code.
  return (
    <>
      {process.env.TARO_ENV === 'h5' ? (
        <input
          ref={input}
          className='admin-file-input'
          type='file'
          accept='.csv,.xlsx'
          data-testid='import-file-input'
          onChange={onBrowserChange}
        />
      ) : null}
      <Btn
        testId='import-choose'
        kind={kind}
        loading={busy}
        onClick={() => (process.env.TARO_ENV === 'h5' ? input.current?.click() : void chooseInWeapp())}
      >
        {label}
      </Btn>
      {process.env.TARO_ENV === 'h5' ? null : <P muted>请从微信聊天记录里选择表格文件（可以先把文件从电脑发到“文件传输助手”）。</P>}
    </>
  );
}
