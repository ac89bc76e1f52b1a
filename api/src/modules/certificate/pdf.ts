import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';

/** Everything printed on a certificate (the issued snapshot plus where to verify it). */
export interface CertificateContent {
  serial: string;
  realName: string;
  gender: string | null;
  /** Printed in full: the certificate is the one place the number appears. */
  idNumber: string | null;
  communityName: string;
  issuer: string;
  services: { date: string; activityTitle: string; organiser: string; minutes: number }[];
  totalMinutes: number;
  training: string[];
  awards: { title: string; date: string }[];
  evaluation: string[];
  issuedAt: Date;
  /** 'YYYY-MM-DD' (Shanghai) of the issue. */
  issuedOn: string;
  verifyUrl: string;
  revoked: { on: string; reason: string } | null;
}

/**
 * Noto Sans SC (OFL) from @expo-google-fonts/noto-sans-sc: TrueType outlines,
 * all 21,008 GBK hanzi, so rare characters in names print. Each file is parsed
 * once (≈ 40 ms) and the parsed font is shared by every document; pdfkit embeds
 * only the glyphs a certificate uses (≈ 10 KB).
 */
const FONT_DIR = path.dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json'));
let fonts: { regular: fontkit.Font; bold: fontkit.Font } | undefined;
function loadFonts() {
  const open = (file: string) => fontkit.create(readFileSync(path.join(FONT_DIR, file))) as fontkit.Font;
  fonts ??= { regular: open('400Regular/NotoSansSC_400Regular.ttf'), bold: open('700Bold/NotoSansSC_700Bold.ttf') };
  return fonts;
}

/** 90 → "1.5", 45 → "0.75", 120 → "2": exact to the hundredth, no trailing zeros. */
export function hoursText(minutes: number): string {
  return String(Math.round((minutes * 100) / 60) / 100);
}

const chineseDate = (date: string) => `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;

const MARGIN = 56;
const PAD = 4;
const RED = '#b3261e';

type Align = 'left' | 'center' | 'right';
interface Column {
  label: string;
  width: number;
  align: Align;
}

/** Renders the certificate: A4, Chinese throughout, the services table continuing over as many pages as it needs. */
export function renderCertificatePdf(c: CertificateContent): Promise<Buffer> {
  const { regular, bold } = loadFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: `志愿服务记录证明 ${c.serial}`, Author: c.issuer, Subject: '志愿服务记录证明', CreationDate: c.issuedAt },
  });
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // pdfkit 0.20 takes a parsed fontkit font as a source (PDFFontFactory.open); its typings list only files and buffers.
  doc.registerFont('regular', regular as unknown as Buffer);
  doc.registerFont('bold', bold as unknown as Buffer);

  const left = MARGIN;
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN;

  /** One table row at y: cells wrap inside their column; returns the row's height. */
  const rowHeight = (cells: string[], columns: Column[], font: string, size: number) => {
    doc.font(font).fontSize(size);
    return Math.max(...cells.map((cell, i) => doc.heightOfString(cell || ' ', { width: columns[i]!.width - 2 * PAD }))) + 2 * PAD;
  };
  const drawRow = (cells: string[], columns: Column[], y: number, font: string, size: number, fill?: string) => {
    const h = rowHeight(cells, columns, font, size);
    let x = left;
    cells.forEach((cell, i) => {
      const col = columns[i]!;
      if (fill) doc.rect(x, y, col.width, h).fillAndStroke(fill, '#000000');
      else doc.rect(x, y, col.width, h).lineWidth(0.6).stroke('#000000');
      doc.fillColor('#000000').font(font).fontSize(size).text(cell, x + PAD, y + PAD, { width: col.width - 2 * PAD, align: col.align });
      x += col.width;
    });
    return h;
  };
  const heading = (text: string) => {
    if (doc.y + 40 > bottom()) doc.addPage();
    doc.moveDown(0.6).font('bold').fontSize(13).fillColor('#000000').text(text, left, doc.y, { width });
    doc.moveDown(0.3);
  };
  const paragraph = (text: string, options: { align?: Align; font?: string; size?: number; color?: string } = {}) => {
    doc
      .font(options.font ?? 'regular')
      .fontSize(options.size ?? 11)
      .fillColor(options.color ?? '#000000')
      .text(text, left, doc.y, { width, align: options.align ?? 'left', lineGap: 3 });
  };

  // Title and serial.
  doc.font('bold').fontSize(22).text('志愿服务记录证明', left, MARGIN, { width, align: 'center', characterSpacing: 4 });
  doc.moveDown(0.4);
  paragraph(`证明编号：${c.serial}`, { align: 'right', size: 10 });
  if (c.revoked) {
    doc.moveDown(0.3);
    paragraph(`本证明已于${chineseDate(c.revoked.on)}撤销，不再有效。撤销原因：${c.revoked.reason}`, { font: 'bold', color: RED });
  }
  doc.moveDown(0.6);
  paragraph(
    `根据《志愿服务记录与证明出具办法（试行）》（民政部令第67号），现将${c.realName}在${c.issuer}登记并经组织方确认的志愿服务记录证明如下。`,
    { size: 11 },
  );

  // 一、个人信息: label | value | label | value.
  heading('一、个人信息');
  const info: Column[] = [
    { label: '', width: 70, align: 'center' },
    { label: '', width: (width - 140) / 2, align: 'left' },
    { label: '', width: 70, align: 'center' },
    { label: '', width: (width - 140) / 2, align: 'left' },
  ];
  let y = doc.y;
  y += drawRow(['姓名', c.realName, '性别', c.gender ?? ''], info, y, 'regular', 11);
  y += drawRow(['身份证号', c.idNumber ?? '', '所在社区', c.communityName], info, y, 'regular', 11);
  doc.x = left;
  doc.y = y;

  // 二、志愿服务记录: the table, its header repeated on each new page.
  heading('二、志愿服务记录');
  const columns: Column[] = [
    { label: '序号', width: 34, align: 'center' },
    { label: '日期', width: 76, align: 'center' },
    { label: '活动', width: 0, align: 'left' },
    { label: '组织单位', width: 140, align: 'left' },
    { label: '时长（小时）', width: 72, align: 'center' },
  ];
  columns[2]!.width = width - columns.reduce((s, col) => s + col.width, 0);
  const header = columns.map((col) => col.label);
  y = doc.y;
  y += drawRow(header, columns, y, 'bold', 10.5, '#eeeeee');
  c.services.forEach((s, i) => {
    const cells = [String(i + 1), s.date, s.activityTitle, s.organiser, hoursText(s.minutes)];
    if (y + rowHeight(cells, columns, 'regular', 10.5) > bottom()) {
      doc.addPage();
      y = MARGIN;
      y += drawRow(header, columns, y, 'bold', 10.5, '#eeeeee');
    }
    y += drawRow(cells, columns, y, 'regular', 10.5);
  });
  doc.x = left;
  doc.y = y + 6;
  paragraph(`合计：志愿服务${c.services.length}次，累计服务时长${hoursText(c.totalMinutes)}小时。`, { font: 'bold' });

  // 三至五: only what the records hold; "无" when they hold nothing.
  heading('三、培训情况');
  paragraph(c.training.length ? c.training.join('\n') : '无');
  heading('四、表彰奖励');
  paragraph(c.awards.length ? c.awards.map((a) => `${a.date}　${a.title}`).join('\n') : '无');
  heading('五、服务评价');
  paragraph(c.evaluation.length ? c.evaluation.join('\n') : '无');

  // Issuer, date, and how to verify.
  if (doc.y + 130 > bottom()) doc.addPage();
  doc.moveDown(1.5);
  paragraph('特此证明。');
  doc.moveDown(1.5);
  paragraph(`出具单位：${c.issuer}（盖章）`, { align: 'right' });
  doc.moveDown(0.3);
  paragraph(`出具日期：${chineseDate(c.issuedOn)}`, { align: 'right' });
  doc.moveDown(1.5);
  paragraph(`本证明可凭编号 ${c.serial} 在线核验：`, { size: 9.5, color: '#333333' });
  paragraph(c.verifyUrl, { size: 9.5, color: '#333333' });

  // Footer on every page: serial and page count (written last, below the margin).
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const keep = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('regular')
      .fontSize(8.5)
      .fillColor('#555555')
      .text(`志愿服务记录证明 ${c.serial}${c.revoked ? '（已撤销）' : ''}　第${i - range.start + 1}页／共${range.count}页`, left, doc.page.height - MARGIN + 18, {
        width,
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = keep;
  }
  doc.end();
  return done;
}
