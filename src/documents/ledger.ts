import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import { findAgency, findLeader, type Directory } from '../directory';
import type { RegistryDatabase } from '../registry';
import { formatShanghai } from '../time/shanghai';
import type { VisibleIndicators } from '../services/reports';
import type { Indicators } from '../reports/indicators';
import type { CaseStage, EnforcementField, JudgmentOutcome } from '../workflows/case/types';
import { fieldNames, outcomeNames, stageNames } from './names';

// The case ledger (台账) and the indicators as .xlsx: what the province's statistics system and the county
// government work with.

export interface LedgerFilter {
  agencyId?: string;
  stage?: CaseStage;
  field?: EnforcementField;
  /** Visibility: only these agencies' cases (undefined: all). */
  agencyIds?: string[];
}

export interface LedgerRow {
  caseId: string;
  title: string;
  plaintiff: string;
  agency: string;
  leader: string;
  field: string;
  stage: string;
  registeredAt: string;
  presuitAt: string;
  entrustmentAt: string;
  responseNoticeAt: string;
  judgmentAt: string;
  overdueCount: number;
  overdueDuties: string;
  lateCount: number;
  outcome: string;
  major: string;
}

// A3 (OOXML paper size 8), which exceljs' enum leaves out: the ledger's 17 columns need its width.
const A3 = 8 as unknown as ExcelJS.PaperSize;

const at = (iso: string | null | undefined) => (iso ? formatShanghai(iso) : '');

/** One row per case, newest registration first, read from the registry. */
export async function ledgerRows(
  db: Kysely<RegistryDatabase>,
  directory: Directory,
  filter: LedgerFilter,
): Promise<LedgerRow[]> {
  if (filter.agencyIds && filter.agencyIds.length === 0) return [];
  let q = db.selectFrom('cases').selectAll();
  if (filter.agencyId) q = q.where('agency_id', '=', filter.agencyId);
  if (filter.agencyIds) q = q.where('agency_id', 'in', filter.agencyIds);
  if (filter.stage) q = q.where('stage', '=', filter.stage);
  if (filter.field) q = q.where('field', '=', filter.field);
  const cases = await q.orderBy('registered_at', 'desc').orderBy('id').execute();
  if (cases.length === 0) return [];
  const ids = cases.map((c) => c.id);
  const [stages, mediations, judgments, duties] = await Promise.all([
    db
      .selectFrom('stage_changes')
      .select(['case_id', 'to_stage', 'at'])
      .where('case_id', 'in', ids)
      .orderBy('seq')
      .execute(),
    db
      .selectFrom('mediations')
      .select(['case_id', 'round', 'letter_received_at', 'result_outcome'])
      .where('case_id', 'in', ids)
      .orderBy('round')
      .execute(),
    db.selectFrom('judgments').select(['case_id', 'received_at', 'outcome']).where('case_id', 'in', ids).execute(),
    db
      .selectFrom('duties')
      .select(['case_id', 'title', 'status', 'late_days', 'due_date'])
      .where('case_id', 'in', ids)
      .execute(),
  ]);
  const by = <T extends { case_id: string }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(r.case_id, [...(m.get(r.case_id) ?? []), r]);
    return m;
  };
  const stagesOf = by(stages);
  const mediationsOf = by(mediations);
  const judgmentOf = new Map(judgments.map((j) => [j.case_id, j]));
  const dutiesOf = by(duties);
  return cases.map((c) => {
    const entered = (s: string) => stagesOf.get(c.id)?.find((x) => x.to_stage === s)?.at;
    const ms = mediationsOf.get(c.id) ?? [];
    const j = judgmentOf.get(c.id);
    const ds = dutiesOf.get(c.id) ?? [];
    const overdue = ds.filter((d) => d.status === 'overdue');
    const late = ds.filter((d) => d.late_days !== null && Number(d.late_days) > 0);
    const lastMediation = ms[ms.length - 1];
    const outcome = c.withdrawn_at
      ? '撤诉'
      : j
        ? (outcomeNames[j.outcome as JudgmentOutcome] ?? j.outcome)
        : lastMediation?.result_outcome === 'resolved'
          ? '协调化解成功'
          : lastMediation?.result_outcome === 'failed'
            ? '协调化解未果'
            : c.closed_at
              ? '已结案'
              : '办理中';
    return {
      caseId: c.id,
      title: c.title,
      plaintiff: c.plaintiff,
      agency: findAgency(directory, c.agency_id)?.name ?? c.agency_id,
      leader: findLeader(directory, c.leader_id)?.name ?? c.leader_id,
      field: fieldNames[c.field as EnforcementField] ?? c.field,
      stage: stageNames[c.stage as CaseStage] ?? c.stage,
      registeredAt: at(c.registered_at),
      presuitAt: at(entered('pre-suit')),
      entrustmentAt: ms.map((m) => at(m.letter_received_at)).join('；'),
      responseNoticeAt: at(entered('in-suit')),
      judgmentAt: at(j?.received_at),
      overdueCount: overdue.length,
      overdueDuties: overdue.map((d) => `${d.title}（应于${d.due_date}前）`).join('；'),
      lateCount: late.length,
      outcome,
      major: c.major === 1 ? '是' : '否',
    };
  });
}

const ledgerColumns: { header: string; key: keyof LedgerRow; width: number }[] = [
  { header: '案件编号', key: 'caseId', width: 16 },
  { header: '案件名称', key: 'title', width: 36 },
  { header: '原告', key: 'plaintiff', width: 10 },
  { header: '涉诉单位', key: 'agency', width: 22 },
  { header: '分管县领导', key: 'leader', width: 12 },
  { header: '执法领域', key: 'field', width: 10 },
  { header: '当前阶段', key: 'stage', width: 9 },
  { header: '登记时间', key: 'registeredAt', width: 18 },
  { header: '诉前通知时间', key: 'presuitAt', width: 18 },
  { header: '委托协调化解函收到时间', key: 'entrustmentAt', width: 20 },
  { header: '应诉通知书收到时间', key: 'responseNoticeAt', width: 18 },
  { header: '生效裁判收到时间', key: 'judgmentAt', width: 18 },
  { header: '逾期未办事项数', key: 'overdueCount', width: 10 },
  { header: '逾期未办事项', key: 'overdueDuties', width: 40 },
  { header: '迟办事项数', key: 'lateCount', width: 9 },
  { header: '结果', key: 'outcome', width: 12 },
  { header: '重大案件', key: 'major', width: 8 },
];

function styleHeader(ws: ExcelJS.Worksheet, row: number): void {
  const r = ws.getRow(row);
  r.font = { name: 'SimSun', bold: true, size: 11 };
  r.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  r.height = 32;
  r.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
    c.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
  });
}

function titleRow(ws: ExcelJS.Worksheet, title: string, subtitle: string, columns: number): void {
  ws.mergeCells(1, 1, 1, columns);
  ws.mergeCells(2, 1, 2, columns);
  const t = ws.getCell(1, 1);
  t.value = title;
  t.font = { name: 'SimSun', bold: true, size: 16 };
  t.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(1).height = 30;
  const s = ws.getCell(2, 1);
  s.value = subtitle;
  s.font = { name: 'SimSun', size: 10, color: { argb: 'FF595959' } };
  s.alignment = { horizontal: 'center' };
}

/** The ledger workbook: a title, the filter and time of export, one row per case, overdue counts in red. */
export async function ledgerWorkbook(rows: LedgerRow[], subtitle: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'yingsu 行政应诉平台';
  const ws = wb.addWorksheet('行政应诉案件台账', {
    views: [{ state: 'frozen', ySplit: 3 }],
    pageSetup: { orientation: 'landscape', paperSize: A3, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  ws.columns = ledgerColumns.map((c) => ({ key: c.key, width: c.width }));
  titleRow(ws, '行政应诉案件台账', subtitle, ledgerColumns.length);
  ws.getRow(3).values = ledgerColumns.map((c) => c.header);
  styleHeader(ws, 3);
  for (const r of rows) {
    const row = ws.addRow(r);
    row.font = { name: 'SimSun', size: 10 };
    row.alignment = { vertical: 'top', wrapText: true };
    row.eachCell({ includeEmpty: true }, (c) => {
      c.border = {
        top: { style: 'thin' },
        bottom: { style: 'thin' },
        left: { style: 'thin' },
        right: { style: 'thin' },
      };
    });
    // Red carries meaning only with the figure beside it (the count is the text).
    if (r.overdueCount > 0)
      row.getCell('overdueCount').font = { name: 'SimSun', size: 10, bold: true, color: { argb: 'FFC00000' } };
  }
  ws.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3, column: ledgerColumns.length } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const indicatorHead = [
  '单位',
  '新增案件',
  '诉前',
  '诉中',
  '判后',
  '诉前化解成功',
  '诉中化解成功',
  '判后化解成功',
  '化解未果',
  '审结',
  '败诉',
  '败诉率',
  '应出庭',
  '出庭并发言',
  '负责人出庭应诉率',
  '迟办事项',
  '逾期未办事项',
  '成讼案件',
  '万人成讼率',
  '全市平均',
];

function indicatorRow(name: string, i: Indicators): (string | number | null)[] {
  return [
    name,
    i.registered.total.count,
    i.registered.byEntryStage['pre-suit'].count,
    i.registered.byEntryStage['in-suit'].count,
    i.registered.byEntryStage['post-judgment'].count,
    i.mediation.resolvedPreSuit.count,
    i.mediation.resolvedInSuit.count,
    i.mediation.resolvedPostJudgment.count,
    i.mediation.failed.count,
    i.lossRate.denominator.count,
    i.lossRate.numerator.count,
    i.lossRate.rate,
    i.appearanceRate.denominator.count,
    i.appearanceRate.numerator.count,
    i.appearanceRate.rate,
    i.duties.doneLate.length,
    i.duties.stillOverdue.length,
    i.litigationRate.suits.count,
    Number(i.litigationRate.rate.toFixed(3)),
    i.litigationRate.cityAverage,
  ];
}

/** The indicators workbook: one row per agency (and the county when the caller may see it), rates as percentages. */
export async function indicatorsWorkbook(
  ind: VisibleIndicators,
  agencyName: (id: string) => string,
  subtitle: string,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'yingsu 行政应诉平台';
  const ws = wb.addWorksheet('统计指标', {
    views: [{ state: 'frozen', xSplit: 1, ySplit: 3 }],
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  titleRow(ws, '行政应诉工作统计指标', subtitle, indicatorHead.length);
  ws.getRow(3).values = indicatorHead;
  styleHeader(ws, 3);
  ws.getColumn(1).width = 26;
  for (let c = 2; c <= indicatorHead.length; c++) ws.getColumn(c).width = 11;
  ws.getRow(3).height = 45;
  const rows: [string, Indicators][] = [
    ...(ind.county ? [['全县合计', ind.county] as [string, Indicators]] : []),
    ...Object.entries(ind.agencies).map(([id, i]) => [agencyName(id), i] as [string, Indicators]),
  ];
  for (const [name, i] of rows) {
    const row = ws.addRow(indicatorRow(name, i));
    row.font = { name: 'SimSun', size: 10, bold: name === '全县合计' };
    for (const col of [12, 15]) {
      const cell = row.getCell(col);
      cell.numFmt = '0.0%';
      if (cell.value === null) cell.value = '—';
    }
    row.eachCell({ includeEmpty: true }, (c) => {
      c.border = {
        top: { style: 'thin' },
        bottom: { style: 'thin' },
        left: { style: 'thin' },
        right: { style: 'thin' },
      };
      c.alignment = { horizontal: Number(c.col) === 1 ? 'left' : 'center' };
    });
  }
  const note = ws.addRow([
    `败诉率 = 败诉及部分败诉 ÷ 审结；负责人出庭应诉率 = 出庭并发言 ÷ 应出庭；万人成讼率 = 统计窗口内成讼案件 ÷ 人口 × 10000。`,
  ]);
  note.font = { name: 'SimSun', size: 9, italic: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
