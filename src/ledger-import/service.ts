import ExcelJS from 'exceljs';
import type { z } from 'zod';
import type { Principal } from '../access';
import type { CaseService } from '../services/cases';
import { type Directory } from '../directory';
import { ForbiddenError, InvalidInputError } from '../errors';
import type { RegistryStore } from '../registry';
import { codeOf, fieldNames, outcomeNames, stageNames, triggerNames } from '../documents/names';
import { caseEventSchema, registrationSchema, type CaseEvent, type Registration } from '../workflows/case/schemas';
import { columns, headerOf, mediationOutcomeNames, NO, SHEET, YES, type ColumnKey } from './columns';

// Bringing existing cases in: every row of an uploaded ledger is validated first (per row and column, in Chinese);
// only when every row is valid is each case registered through the case service, followed by the events that have
// already happened. Events that carry a date of their own (a response notice, a judgment) keep it; completions
// without one (feedback, the in-suit report, a mediation's result) are dated by the import, until events carry
// `occurredAt`.

export interface CellError {
  column: string;
  message: string;
}

export interface RowResult {
  /** The spreadsheet's row number (the header is row 1). */
  row: number;
  caseId: string | null;
  ok: boolean;
  errors: CellError[];
  /** After a real import: whether the case was registered, and the events sent. */
  registered?: boolean;
  events?: string[];
}

export interface ImportResult {
  dryRun: boolean;
  valid: boolean;
  registered: number;
  rows: RowResult[];
}

interface PlannedCase {
  registration: Registration;
  events: CaseEvent[];
}

export const MAX_ROWS = 2000;

/** A cell's text: rich text, formulas' results and numbers become plain strings; blank is undefined. */
function text(cell: ExcelJS.Cell): string | undefined {
  const v = cell.value;
  if (v === null || v === undefined) return undefined;
  if (v instanceof Date) return undefined;
  if (typeof v === 'object') {
    if ('richText' in v)
      return (
        v.richText
          .map((r) => r.text)
          .join('')
          .trim() || undefined
      );
    if ('result' in v)
      return v.result === undefined || v.result === null ? undefined : String(v.result).trim() || undefined;
    if ('text' in v) return String(v.text).trim() || undefined;
  }
  return String(v).trim() || undefined;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A time in a cell as an ISO instant with +08:00: an Excel date (its wall-clock read as Beijing time), or text such as
 * `2026-03-02 09:30`, `2026/3/2`, or an ISO instant with an offset. Undefined for blank; null for unreadable.
 */
export function instantOf(cell: ExcelJS.Cell): string | undefined | null {
  const v = cell.value;
  if (v === null || v === undefined || v === '') return undefined;
  if (v instanceof Date) {
    // Excel keeps wall-clock times without a zone; exceljs hands them over as if UTC.
    return `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}T${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}:00+08:00`;
  }
  const s = text(cell);
  if (!s) return undefined;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s)) return s;
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：时](\d{2})分?)?$/.exec(s);
  if (!m) return null;
  return `${m[1]}-${pad(Number(m[2]))}-${pad(Number(m[3]))}T${pad(Number(m[4] ?? 0))}:${m[5] ?? '00'}:00+08:00`;
}

export class LedgerImportService {
  constructor(
    private readonly cases: CaseService,
    private readonly store: RegistryStore,
    private readonly directory: Directory,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async run(body: Buffer, dryRun: boolean, p: Principal): Promise<ImportResult> {
    if (p.role !== 'bureau') throw new ForbiddenError('只有县司法局可以导入案件台账');
    const { rows, plans } = await this.validate(body);
    const valid = rows.every((r) => r.ok);
    if (dryRun || !valid) return { dryRun, valid, registered: 0, rows };
    let registered = 0;
    for (let i = 0; i < plans.length; i++) {
      const plan = plans[i]!;
      const row = rows[i]!;
      row.events = [];
      try {
        await this.cases.register(plan.registration, p);
        row.registered = true;
        registered++;
        for (const e of plan.events) {
          await this.cases.applyEvent(plan.registration.caseId, e, p);
          row.events.push(e.type);
        }
      } catch (err) {
        // Validation catches what it can know beforehand; the case workflow has the last word on the rest.
        row.ok = false;
        row.registered ??= false;
        row.errors.push({
          column: row.registered ? '事项' : headerOf('caseId'),
          message: `导入未完成：${(err as Error).message}`,
        });
      }
    }
    return { dryRun, valid: rows.every((r) => r.ok), registered, rows };
  }

  /** Every row checked, nothing registered. */
  async validate(body: Buffer): Promise<{ rows: RowResult[]; plans: PlannedCase[] }> {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(body as unknown as ArrayBuffer);
    } catch {
      throw new InvalidInputError('上传的文件不是有效的 .xlsx 工作簿', [
        { path: ['body'], message: '请使用工作台提供的导入模板（.xlsx）' },
      ]);
    }
    const ws = wb.getWorksheet(SHEET) ?? wb.worksheets[0];
    if (!ws) throw new InvalidInputError('工作簿中没有工作表', [{ path: ['body'], message: `缺少工作表“${SHEET}”` }]);
    // Columns by their header text, so a reordered or extended sheet still reads.
    const at = new Map<ColumnKey, number>();
    ws.getRow(1).eachCell((cell, col) => {
      const h = text(cell);
      const c = columns.find((x) => x.header === h);
      if (c) at.set(c.key, col);
    });
    const missing = columns.filter((c) => c.required && !at.has(c.key)).map((c) => c.header);
    if (missing.length)
      throw new InvalidInputError(
        `表头缺少必填列：${missing.join('、')}`,
        missing.map((m) => ({ path: ['header', m], message: '缺少此列' })),
      );

    const existing = new Set((await this.store.db.selectFrom('cases').select('id').execute()).map((r) => r.id));
    const seen = new Map<string, number>();
    const rows: RowResult[] = [];
    const plans: PlannedCase[] = [];
    const last = ws.actualRowCount > 0 ? (ws.lastRow?.number ?? 1) : 1;
    if (last - 1 > MAX_ROWS)
      throw new InvalidInputError(`一次最多导入 ${MAX_ROWS} 行`, [{ path: ['body'], message: `共 ${last - 1} 行` }]);
    for (let r = 2; r <= last; r++) {
      const row = ws.getRow(r);
      const cell = (k: ColumnKey) => row.getCell(at.get(k) ?? 16384);
      if (
        columns.every(
          (c) => !at.has(c.key) || (text(cell(c.key)) === undefined && !(cell(c.key).value instanceof Date)),
        )
      )
        continue;
      const { result, plan } = this.checkRow(r, cell, existing, seen);
      rows.push(result);
      if (plan) plans.push(plan);
    }
    if (rows.length === 0)
      throw new InvalidInputError('台账中没有案件', [{ path: ['body'], message: '从第 2 行起每行填写一件案件' }]);
    return { rows, plans: rows.every((r) => r.ok) ? plans : [] };
  }

  private checkRow(
    r: number,
    cell: (k: ColumnKey) => ExcelJS.Cell,
    existing: Set<string>,
    seen: Map<string, number>,
  ): { result: RowResult; plan?: PlannedCase } {
    const errors: CellError[] = [];
    const err = (k: ColumnKey, message: string) => errors.push({ column: headerOf(k), message });
    const s = (k: ColumnKey) => text(cell(k));
    const when = (k: ColumnKey): string | undefined => {
      const v = instantOf(cell(k));
      if (v === null) err(k, '无法识别的时间，请填写如 2026-03-02 09:30');
      return v ?? undefined;
    };
    const yesNo = (k: ColumnKey): boolean | undefined => {
      const v = s(k);
      if (v === undefined) return undefined;
      if (v !== YES && v !== NO) err(k, '请填写“是”或“否”');
      return v === YES;
    };
    const pick = <K extends string>(k: ColumnKey, names: Record<K, string>): K | undefined => {
      const v = s(k);
      if (v === undefined) return undefined;
      const code = codeOf(names, v);
      if (!code) err(k, `“${v}”不在可选项中（${Object.values<string>(names).join('、')}）`);
      return code;
    };
    const nowMs = this.now().getTime();
    const notFuture = (k: ColumnKey, iso: string | undefined) => {
      if (iso && Date.parse(iso) > nowMs) err(k, '时间不能晚于现在（导入的是已经发生的事项）');
    };

    const caseId = s('caseId') ?? null;
    if (caseId) {
      if (existing.has(caseId)) err('caseId', `案件编号 ${caseId} 已登记，不能重复导入`);
      const first = seen.get(caseId);
      if (first !== undefined) err('caseId', `与第 ${first} 行的案件编号重复`);
      else seen.set(caseId, r);
    }
    const agencyName = s('agency');
    const agency = agencyName
      ? this.directory.agencies.find((a) => a.name === agencyName || a.id === agencyName)
      : undefined;
    if (agencyName && !agency) err('agency', `“${agencyName}”不是名录中的涉诉单位`);
    const field = pick('field', fieldNames);
    const triggerType = pick('triggerType', triggerNames);
    const triggerAt = when('triggerAt');
    notFuture('triggerAt', triggerAt);
    const entrustmentStage = pick('entrustmentStage', {
      'pre-suit': stageNames['pre-suit'],
      'in-suit': stageNames['in-suit'],
      'post-judgment': stageNames['post-judgment'],
    });
    const countyGovernmentDefendant = yesNo('countyGovernmentDefendant');

    const trigger =
      triggerType === 'entrustment-letter'
        ? { type: triggerType, receivedAt: triggerAt, stage: entrustmentStage ?? 'pre-suit' }
        : triggerType === 'judgment'
          ? {
              type: triggerType,
              receivedAt: triggerAt,
              outcome: pick('judgmentOutcome', outcomeNames),
              ...(s('judgmentNo') ? { documentNo: s('judgmentNo') } : {}),
            }
          : { type: triggerType, receivedAt: triggerAt };
    const reg = registrationSchema.safeParse({
      caseId,
      title: s('title'),
      agencyId: agency?.id ?? 'unknown-agency',
      field,
      plaintiff: s('plaintiff'),
      countyGovernmentDefendant: countyGovernmentDefendant ?? false,
      trigger,
    });
    if (!reg.success) for (const issue of reg.error.issues) errors.push(issueToCell(issue, registrationColumn));

    // The events that already happened, in the order the case went through them.
    const events: unknown[] = [];
    const eventCols: ColumnKey[] = [];
    const add = (k: ColumnKey, e: object) => {
      events.push(e);
      eventCols.push(k);
    };
    const stageAfterTrigger =
      triggerType === 'oral-notice'
        ? 'pre-suit'
        : triggerType === 'response-notice'
          ? 'in-suit'
          : triggerType === 'judgment'
            ? 'post-judgment'
            : (entrustmentStage ?? 'pre-suit');
    let stage = stageAfterTrigger;
    const feedback = s('presuitFeedback');
    if (feedback) {
      if (triggerType !== 'oral-notice') err('presuitFeedback', '只有登记依据为口头通知（诉前）的案件有诉前反馈');
      else add('presuitFeedback', { type: 'presuit-feedback', summary: feedback });
    }
    const responseAt = when('responseNoticeAt');
    notFuture('responseNoticeAt', responseAt);
    if (responseAt) {
      if (stage !== 'pre-suit' || triggerType === 'entrustment-letter')
        err('responseNoticeAt', '只有诉前登记的案件可以填写后来收到的应诉通知书');
      else if (triggerAt && Date.parse(responseAt) < Date.parse(triggerAt))
        err('responseNoticeAt', '应诉通知书不能早于登记依据收到时间');
      else {
        add('responseNoticeAt', { type: 'response-notice', receivedAt: responseAt });
        stage = 'in-suit';
      }
    }
    const inSuitOnly = (k: ColumnKey) => {
      if (stage !== 'in-suit') {
        err(
          k,
          stage === 'pre-suit'
            ? '诉前案件须先填写“应诉通知书收到时间”'
            : `${stageNames[stage as 'post-judgment']}阶段登记的案件不填写此项`,
        );
        return false;
      }
      return true;
    };
    const report = s('insuitReport');
    if (report && inSuitOnly('insuitReport')) add('insuitReport', { type: 'insuit-report', summary: report });
    const hearingAt = when('hearingAt');
    const headRequired = yesNo('headAppearanceRequired');
    const judgmentAt = when('judgmentAt');
    notFuture('judgmentAt', judgmentAt);
    if (hearingAt && inSuitOnly('hearingAt')) {
      if (Date.parse(hearingAt) <= this.now().getTime())
        err('hearingAt', '只能导入尚未开庭的庭审（已开庭的庭审请在案件页面登记出庭情况）');
      else if (judgmentAt) err('hearingAt', '已收到裁判的案件不再填写待开庭的庭审');
      else
        add('hearingAt', {
          type: 'hearing-scheduled',
          scheduledAt: hearingAt,
          headAppearanceRequired: headRequired ?? true,
        });
    }
    if (judgmentAt && triggerType !== 'judgment' && inSuitOnly('judgmentAt')) {
      const outcome = pick('judgmentOutcome', outcomeNames);
      if (!outcome) err('judgmentOutcome', '填写了裁判收到时间时必填');
      else
        add('judgmentAt', {
          type: 'judgment',
          receivedAt: judgmentAt,
          outcome,
          ...(s('judgmentNo') ? { documentNo: s('judgmentNo') } : {}),
        });
    }
    const mediation = pick('mediationOutcome', mediationOutcomeNames);
    if (mediation) {
      if (triggerType !== 'entrustment-letter')
        err('mediationOutcome', '只有登记依据为委托协调化解函的案件填写协调化解结果');
      else
        add(
          'mediationOutcome',
          mediation === 'resolved'
            ? { type: 'mediation-result', result: { outcome: 'resolved', summary: s('mediationSummary') } }
            : {
                type: 'mediation-result',
                result: {
                  outcome: 'failed',
                  process: s('mediationSummary'),
                  demands: s('demands'),
                  disputeFocus: s('disputeFocus'),
                  failureReasons: s('failureReasons'),
                },
              },
        );
    }
    const parsedEvents: CaseEvent[] = [];
    events.forEach((e, i) => {
      const parsed = caseEventSchema.safeParse(e);
      if (parsed.success) parsedEvents.push(parsed.data);
      else
        for (const issue of parsed.error.issues)
          errors.push(issueToCell(issue, (path) => eventColumn(path, eventCols[i]!)));
    });

    // One message per cell: the first problem found is the one to fix.
    const unique = errors.filter((e, i) => errors.findIndex((x) => x.column === e.column) === i);
    const ok = unique.length === 0 && reg.success;
    return {
      result: { row: r, caseId, ok, errors: unique },
      plan: ok && reg.success ? { registration: reg.data, events: parsedEvents } : undefined,
    };
  }
}

const REQUIRED = '必填';
function issueToCell(issue: z.core.$ZodIssue, column: (path: PropertyKey[]) => ColumnKey): CellError {
  const missing = issue.code === 'invalid_type' && issue.input === undefined;
  const tooSmall = issue.code === 'too_small' && issue.origin === 'string';
  return { column: headerOf(column(issue.path)), message: missing || tooSmall ? REQUIRED : chinese(issue) };
}

function chinese(issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_big') return `过长（最多 ${String(issue.maximum)} 字）`;
  if (issue.code === 'invalid_format' || issue.code === 'custom') {
    if (issue.path[0] === 'caseId') return '案件编号为 3–64 位字母、数字或短横线，以字母或数字开头';
    return '格式不正确';
  }
  if (issue.code === 'invalid_value') return '不在可选项中';
  return issue.message;
}

function registrationColumn(path: PropertyKey[]): ColumnKey {
  const [head, sub] = path;
  if (head === 'trigger')
    return sub === 'outcome'
      ? 'judgmentOutcome'
      : sub === 'documentNo'
        ? 'judgmentNo'
        : sub === 'type'
          ? 'triggerType'
          : sub === 'stage'
            ? 'entrustmentStage'
            : 'triggerAt';
  if (head === 'agencyId') return 'agency';
  return (
    (['caseId', 'title', 'plaintiff', 'field', 'countyGovernmentDefendant'] as const).find((k) => k === head) ??
    'caseId'
  );
}

function eventColumn(path: PropertyKey[], fallback: ColumnKey): ColumnKey {
  const last = path[path.length - 1];
  const map: Record<string, ColumnKey> = {
    demands: 'demands',
    disputeFocus: 'disputeFocus',
    failureReasons: 'failureReasons',
    process: 'mediationSummary',
    summary: fallback === 'mediationOutcome' ? 'mediationSummary' : fallback,
    documentNo: 'judgmentNo',
    outcome: 'judgmentOutcome',
  };
  return (typeof last === 'string' && map[last]) || fallback;
}
