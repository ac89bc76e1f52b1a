import { useMemo } from 'react';
import { View } from '@tarojs/components';
import qrcode from 'qrcode-generator';

/**
 * The QR matrix of `text` as rows of runs: qrcode-generator gives which
 * modules are dark; each row becomes a flex line of runs, each run one View as
 * wide as its modules. Plain Views with a background, so it looks the same in
 * the mini-program and the browser (no data-URL image, no canvas) and stays
 * sharp at any size. A 6-character code is a version-1 symbol (21×21), which
 * is about 21 rows × 10 runs ≈ 230 Views.
 */
export function qrMatrix(text: string): boolean[][] {
  const qr = qrcode(0, 'M');
  // Check-in codes are upper-case letters and digits: the compact alphanumeric mode.
  qr.addData(text, /^[0-9A-Z $%*+\-./:]*$/.test(text) ? 'Alphanumeric' : 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => qr.isDark(r, c)));
}

/** [dark?, length] runs of one row. */
export function runsOf(row: boolean[]): Array<[boolean, number]> {
  const runs: Array<[boolean, number]> = [];
  for (const dark of row) {
    const last = runs[runs.length - 1];
    if (last && last[0] === dark) last[1] += 1;
    else runs.push([dark, 1]);
  }
  return runs;
}

export function QrCode({ text, testId }: { text: string; testId?: string }) {
  const rows = useMemo(() => qrMatrix(text), [text]);
  return (
    <View className='qr' data-testid={testId} data-modules={rows.length} aria-label={`核验二维码，内容 ${text}`}>
      <View className='qr__grid'>
        {rows.map((row, r) => (
          <View key={r} className='qr__row'>
            {runsOf(row).map(([dark, n], i) => (
              <View key={i} className={dark ? 'qr__run qr__run--dark' : 'qr__run'} style={{ flex: `${n} ${n} 0` }} />
            ))}
          </View>
        ))}
      </View>
    </View>
  );
}
