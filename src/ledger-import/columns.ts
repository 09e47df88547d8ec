import ExcelJS from 'exceljs';
import type { Directory } from '../directory';
import { fieldNames, outcomeNames, stageNames, triggerNames } from '../documents/names';

// The import template: one sheet 台账 with a row per case, headers in Chinese, and lists (on a hidden sheet) for the
// cells that take a fixed vocabulary. The same column list drives the template and the validation of an upload.

export const columns = [
  { key: 'caseId', header: '案件编号', required: true, width: 16, note: '3–64 位字母、数字或短横线，如 2026-XZ-001' },
  { key: 'title', header: '案件名称', required: true, width: 34, note: '如 张某诉县自然资源局征收补偿决定案' },
  { key: 'plaintiff', header: '原告', required: true, width: 12 },
  { key: 'agency', header: '涉诉单位', required: true, width: 24, list: 'agencies' },
  { key: 'field', header: '执法领域', required: true, width: 12, list: 'fields' },
  {
    key: 'countyGovernmentDefendant',
    header: '县政府为被告',
    required: false,
    width: 10,
    list: 'yesNo',
    note: '是/否，默认否',
  },
  { key: 'triggerType', header: '登记依据', required: true, width: 26, list: 'triggers' },
  { key: 'triggerAt', header: '依据收到时间', required: true, width: 18, note: '如 2026-03-02 09:30（北京时间）' },
  {
    key: 'entrustmentStage',
    header: '委托协调化解阶段',
    required: false,
    width: 12,
    list: 'stages',
    note: '登记依据为委托协调化解函时填写，默认诉前',
  },
  {
    key: 'presuitFeedback',
    header: '诉前反馈情况',
    required: false,
    width: 30,
    note: '已向县司法局反馈的，填写反馈内容',
  },
  {
    key: 'responseNoticeAt',
    header: '应诉通知书收到时间',
    required: false,
    width: 18,
    note: '诉前案件后来被起诉的，填写收到应诉通知书的时间',
  },
  {
    key: 'insuitReport',
    header: '诉中报告情况',
    required: false,
    width: 30,
    note: '已告知县司法局并报告分管县领导的，填写报告内容',
  },
  { key: 'hearingAt', header: '开庭时间', required: false, width: 18, note: '尚未开庭的庭审' },
  { key: 'headAppearanceRequired', header: '要求负责人出庭', required: false, width: 10, list: 'yesNo' },
  { key: 'judgmentAt', header: '裁判收到时间', required: false, width: 18 },
  { key: 'judgmentOutcome', header: '裁判结果', required: false, width: 10, list: 'outcomes' },
  { key: 'judgmentNo', header: '裁判文书号', required: false, width: 22 },
  { key: 'mediationOutcome', header: '协调化解结果', required: false, width: 12, list: 'mediationOutcomes' },
  { key: 'mediationSummary', header: '化解情况或协调过程', required: false, width: 30 },
  { key: 'demands', header: '双方诉求', required: false, width: 24, note: '化解未果时必填' },
  { key: 'disputeFocus', header: '争议焦点', required: false, width: 24, note: '化解未果时必填' },
  { key: 'failureReasons', header: '未化解原因', required: false, width: 24, note: '化解未果时必填' },
] as const;

export type ColumnKey = (typeof columns)[number]['key'];
export const headerOf = (key: ColumnKey): string => columns.find((c) => c.key === key)!.header;

export const YES = '是';
export const NO = '否';
export const mediationOutcomeNames = { resolved: '化解成功', failed: '化解未果' } as const;
const entrustmentStages = {
  'pre-suit': stageNames['pre-suit'],
  'in-suit': stageNames['in-suit'],
  'post-judgment': stageNames['post-judgment'],
};

export function lists(directory: Directory): Record<string, string[]> {
  return {
    agencies: directory.agencies.map((a) => a.name),
    fields: Object.values(fieldNames),
    yesNo: [YES, NO],
    triggers: Object.values(triggerNames),
    stages: Object.values(entrustmentStages),
    outcomes: Object.values(outcomeNames),
    mediationOutcomes: Object.values(mediationOutcomeNames),
  };
}

export const SHEET = '台账';
const LIST_SHEET = '选项';
const colLetter = (n: number) => {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
};

/** The template the console offers: headers, notes, one example row, lists on a hidden sheet and cell validation. */
export async function ledgerTemplate(directory: Directory, rows = 500): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'yingsu 行政应诉平台';
  const ws = wb.addWorksheet(SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  const listSheet = wb.addWorksheet(LIST_SHEET, { state: 'veryHidden' });
  const l = lists(directory);
  const listRange: Record<string, string> = {};
  Object.entries(l).forEach(([name, values], i) => {
    const col = colLetter(i + 1);
    listSheet.getCell(`${col}1`).value = name;
    values.forEach((v, j) => (listSheet.getCell(`${col}${j + 2}`).value = v));
    listRange[name] = `${LIST_SHEET}!$${col}$2:$${col}$${values.length + 1}`;
  });
  ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  const head = ws.getRow(1);
  head.font = { name: 'SimSun', bold: true };
  head.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  head.height = 30;
  columns.forEach((c, i) => {
    const cell = head.getCell(i + 1);
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: c.required ? 'FFFCE4D6' : 'FFD9E1F2' } };
    const note = [c.required ? '必填' : '选填', 'note' in c ? c.note : undefined].filter(Boolean).join('；');
    cell.note = note;
    if ('list' in c) {
      const letter = colLetter(i + 1);
      for (let r = 2; r <= rows + 1; r++) {
        ws.getCell(`${letter}${r}`).dataValidation = {
          type: 'list',
          allowBlank: !c.required,
          formulae: [listRange[c.list]!],
          showErrorMessage: true,
          errorStyle: 'stop',
          errorTitle: c.header,
          error: `请从下拉列表中选择${c.header}`,
        };
      }
    }
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
