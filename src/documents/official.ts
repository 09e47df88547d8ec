import {
  AlignmentType,
  BorderStyle,
  Document,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  Footer,
  type IRunOptions,
} from 'docx';
import type { Block } from '../reports/render';

// An official document (党政机关公文, GB/T 9704) as .docx: the red issuing-organ mark (红头) and document number above a
// red rule, the title, the addressee, the body in FangSong at 3号 on a fixed 28 pt line, and the issuing organ and
// date at the foot. Font names are the ones Chinese offices have (SimSun, FangSong, SimHei, KaiTi); a machine without
// them substitutes its own CJK fonts.

export interface OfficialDocument {
  /** The issuing organ's mark, e.g. 示例县司法局文件 (red, centred). */
  organMark: string;
  /** e.g. 武司〔2026〕1号. */
  documentNo?: string;
  title: string;
  /** 主送机关, e.g. 各涉诉行政机关： */
  addressee?: string;
  body: Block[];
  /** 发文机关署名 and 成文日期 (YYYY-MM-DD, Shanghai). */
  issuer: string;
  date: string;
  /** 抄送, printed under a rule at the end. */
  copyTo?: string;
}

const RED = 'C00000';
const pt = (n: number) => n * 2; // docx sizes are half-points
const SIZE_2 = pt(22); // 二号
const SIZE_3 = pt(16); // 三号
const SIZE_4 = pt(14); // 四号
const SIZE_TABLE = pt(10.5); // 五号
const LINE = { line: 28 * 20, lineRule: LineRuleType.EXACT }; // fixed 28 pt, in twips

const font = (eastAsia: string): IRunOptions['font'] => ({
  ascii: 'Times New Roman',
  hAnsi: 'Times New Roman',
  eastAsia,
  cs: eastAsia,
});
const run = (text: string, opts: { face?: string; size?: number; bold?: boolean; color?: string } = {}) =>
  new TextRun({
    text,
    font: font(opts.face ?? 'FangSong'),
    size: opts.size ?? SIZE_3,
    bold: opts.bold,
    color: opts.color,
  });

const bodyPara = (text: string, face = 'FangSong') =>
  new Paragraph({
    children: [run(text, { face })],
    indent: { firstLine: 640 },
    spacing: LINE,
    alignment: AlignmentType.JUSTIFIED,
  });

/** 2026-04-03 → 2026年4月3日 (成文日期 in Arabic numerals, GB/T 9704-2012 7.3.5.1). */
export function chineseDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : date;
}

function blockParagraphs(b: Block): (Paragraph | Table)[] {
  switch (b.type) {
    case 'h1':
    case 'h2':
      // 一级标题：黑体
      return [
        new Paragraph({ children: [run(b.text, { face: 'SimHei' })], indent: { firstLine: 640 }, spacing: LINE }),
      ];
    case 'h3':
      // 二级标题：楷体
      return [new Paragraph({ children: [run(b.text, { face: 'KaiTi' })], indent: { firstLine: 640 }, spacing: LINE })];
    case 'p':
      return b.text.split('\n').map((t) => bodyPara(t));
    case 'list':
      return (b.items.length ? b.items : ['无。']).map((t, i) => bodyPara(b.items.length > 1 ? `${i + 1}. ${t}` : t));
    case 'table':
      return [table(b.head, b.rows), new Paragraph({ children: [], spacing: LINE })];
  }
}

function table(head: string[], rows: string[][]): Table {
  const cell = (text: string, bold = false) =>
    new TableCell({
      width: { size: 0, type: WidthType.AUTO },
      children: [
        new Paragraph({
          children: [run(text, { face: 'SimSun', size: SIZE_TABLE, bold })],
          alignment: AlignmentType.CENTER,
        }),
      ],
      margins: { top: 40, bottom: 40, left: 60, right: 60 },
    });
  // The first column names an agency: wide enough for 县人力资源和社会保障局 on two lines; the figures share the rest.
  const textWidth = 11906 - 1588 - 1474;
  const first = Math.min(2000, Math.round(textWidth / 3));
  const rest = Math.floor((textWidth - first) / Math.max(1, head.length - 1));
  return new Table({
    width: { size: textWidth, type: WidthType.DXA },
    columnWidths: [first, ...head.slice(1).map(() => rest)],
    rows: [
      new TableRow({ children: head.map((h) => cell(h, true)), tableHeader: true }),
      ...rows.map((r) => new TableRow({ children: r.map((c) => cell(c)) })),
    ],
  });
}

export function officialDocument(d: OfficialDocument): Document {
  const children: (Paragraph | Table)[] = [
    // 发文机关标志：红色小标宋，居中
    new Paragraph({
      children: [run(d.organMark, { face: 'SimSun', size: pt(36), bold: true, color: RED })],
      alignment: AlignmentType.CENTER,
      spacing: { before: 600, after: 400 },
    }),
  ];
  // 发文字号 above the red rule (版头中的分隔线).
  children.push(
    new Paragraph({
      children: d.documentNo ? [run(d.documentNo)] : [],
      alignment: AlignmentType.CENTER,
      spacing: { after: 120 },
      border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: RED, space: 8 } },
    }),
    new Paragraph({ children: [], spacing: LINE }),
    // 标题：二号小标宋，居中
    new Paragraph({
      children: [run(d.title, { face: 'SimSun', size: SIZE_2, bold: true })],
      alignment: AlignmentType.CENTER,
      spacing: { after: 400, line: 36 * 20, lineRule: LineRuleType.EXACT },
    }),
  );
  if (d.addressee) children.push(new Paragraph({ children: [run(d.addressee)], spacing: LINE }));
  for (const b of d.body) children.push(...blockParagraphs(b));
  children.push(
    new Paragraph({ children: [], spacing: LINE }),
    new Paragraph({ children: [run(d.issuer)], alignment: AlignmentType.RIGHT, indent: { right: 640 }, spacing: LINE }),
    new Paragraph({
      children: [run(chineseDate(d.date))],
      alignment: AlignmentType.RIGHT,
      indent: { right: 640 },
      spacing: LINE,
    }),
  );
  if (d.copyTo) {
    children.push(
      new Paragraph({ children: [], spacing: LINE }),
      new Paragraph({
        children: [run(`抄送：${d.copyTo}`, { size: SIZE_4 })],
        border: {
          top: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 4 },
          bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 4 },
        },
        indent: { left: 280, right: 280 },
      }),
    );
  }
  return new Document({
    creator: d.issuer,
    title: d.title,
    styles: { default: { document: { run: { font: font('FangSong'), size: SIZE_3 } } } },
    sections: [
      {
        // A4 with the margins of GB/T 9704: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (in twips).
        properties: {
          page: { size: { width: 11906, height: 16838 }, margin: { top: 2098, bottom: 1984, left: 1588, right: 1474 } },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: font('SimSun'), size: SIZE_4 }),
                ],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
}

export const docxBuffer = (d: OfficialDocument): Promise<Buffer> => Packer.toBuffer(officialDocument(d));

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** `attachment; filename*=UTF-8''…`: Chinese file names survive every browser (RFC 6266 / 5987). */
export const attachment = (fileName: string, ascii: string) =>
  `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
