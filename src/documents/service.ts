import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { canSeeAgency, registryScope, type Principal } from '../access';
import { findAgency, type Directory } from '../directory';
import { ConflictError, NotFoundError } from '../errors';
import type { RegistryStore } from '../registry';
import { quarterlyReportBlocks, type Block, type QuarterlyReportData } from '../reports/render';
import type { ReportsDatabase } from '../reports/schema';
import { ReportService } from '../services/reports';
import { ReportStore, type LetterRecord } from '../reports/store';
import { quarterName, type Period, type Quarter } from '../reports/period';
import { formatShanghai, shanghaiDate } from '../time/shanghai';
import type { CaseStage, EnforcementField, MediationResult } from '../workflows/case/types';
import { docxBuffer, type OfficialDocument } from './official';
import { indicatorsWorkbook, ledgerRows, ledgerWorkbook } from './ledger';
import { fieldNames, stageNames } from './names';

/** The prefix of the bureau's document numbers (武司〔2026〕1号): the county's abbreviation and 司. */
export const DOCUMENT_PREFIX = '武司';

export interface ReportListItem {
  year: number;
  quarter: number;
  title: string;
  documentNo: string;
  generatedAt: string;
  generation: number;
}

export interface LetterListItem {
  id: string;
  year: number;
  quarter: number;
  agencyId: string;
  agencyName: string;
  documentNo: string;
  issuedAt: string;
  dueDate: string | null;
  status: string;
  acknowledgedAt: string | null;
  answeredAt: string | null;
  overdueSince: string | null;
  breaches: { kind: string; text: string; caseIds: string[] }[];
}

const casesOf = (ids: string[]) => (ids.length ? `（${ids.join('、')}）` : '');

/** Documents (.docx, .xlsx) and the document lists the console shows, with each caller's rights applied. */
export class DocumentService {
  private readonly reports: ReportStore;
  private readonly reportService: ReportService;
  private readonly db: Kysely<ReportsDatabase>;

  constructor(
    client: Client,
    private readonly store: RegistryStore,
    private readonly directory: Directory,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.reports = new ReportStore(store);
    this.reportService = new ReportService(client, store, directory, now);
    this.db = store.db as unknown as Kysely<ReportsDatabase>;
  }

  /** 示例县司法局 from 县司法局 and the county's name. */
  private get bureauName(): string {
    const b = this.directory.bureau.name;
    return b.startsWith('县') ? `${this.directory.county.name}${b.slice(1)}` : b;
  }

  private agencyName(id: string): string {
    return findAgency(this.directory, id)?.name ?? id;
  }

  // ---------------------------------------------------------------- lists

  /** Stored quarterly reports, newest first: every role receives them, so every role may list them. */
  async listReports(): Promise<ReportListItem[]> {
    const rows = await this.db
      .selectFrom('reports')
      .select(['year', 'quarter', 'generated_at', 'generation'])
      .orderBy('year', 'desc')
      .orderBy('quarter', 'desc')
      .execute();
    return rows.map((r) => ({
      year: Number(r.year),
      quarter: Number(r.quarter),
      title: this.reportTitle(Number(r.year), Number(r.quarter)),
      documentNo: reportNo(Number(r.year), Number(r.quarter)),
      generatedAt: r.generated_at,
      generation: Number(r.generation),
    }));
  }

  /** Letters the caller may see (an agency its own, a leader those of the agencies in charge), newest first. */
  async listLetters(p: Principal): Promise<LetterListItem[]> {
    const scope = registryScope(p);
    if (scope && scope.agencyIds.length === 0) return [];
    let q = this.db.selectFrom('reminder_letters').selectAll();
    if (scope) q = q.where('agency_id', 'in', scope.agencyIds);
    const rows = await q.orderBy('issued_at', 'desc').orderBy('id').execute();
    const all = await Promise.all(rows.map((r) => this.reports.getLetter(r.id)));
    const items: LetterListItem[] = [];
    for (const l of all) if (l) items.push(this.letterItem(l, await this.serialOf(l)));
    return items;
  }

  /** The letter's place among its quarter's letters, ordered by agency id: its document number's serial. */
  private async serialOf(l: LetterRecord): Promise<number> {
    const ofQuarter = await this.reports.lettersOfQuarter(l.year, l.quarter);
    return ofQuarter.findIndex((x) => x.id === l.id) + 1;
  }

  private letterItem(l: LetterRecord, serial: number): LetterListItem {
    return {
      id: l.id,
      year: l.year,
      quarter: l.quarter,
      agencyId: l.agencyId,
      agencyName: this.agencyName(l.agencyId),
      documentNo: letterNo(l, serial),
      issuedAt: l.issuedAt,
      dueDate: l.dueDate,
      status: l.status,
      acknowledgedAt: l.acknowledgedAt,
      answeredAt: l.answeredAt,
      overdueSince: l.overdueSince,
      breaches: l.breaches.map((b) => ({ kind: b.kind, text: b.text, caseIds: b.caseIds })),
    };
  }

  private reportTitle(year: number, quarter: number): string {
    return `关于${quarterName(year, quarter)}全县行政机关行政诉讼工作情况的通报`;
  }

  // ---------------------------------------------------------------- .docx

  async quarterlyDocx(year: number, quarter: Quarter): Promise<{ fileName: string; body: Buffer }> {
    const report = await this.reports.getReport(year, quarter);
    if (!report) throw new NotFoundError(`${quarterName(year, quarter)}通报尚未生成`);
    const data = report.figures as QuarterlyReportData;
    // The rendered report's own blocks, without its title (the document's title replaces it).
    const body = quarterlyReportBlocks(data).filter((b) => b.type !== 'h1');
    const doc: OfficialDocument = {
      organMark: `${this.bureauName}文件`,
      documentNo: reportNo(year, quarter),
      title: this.reportTitle(year, quarter),
      addressee: '各涉诉行政机关：',
      body,
      issuer: this.bureauName,
      date: shanghaiDate(report.generatedAt),
      copyTo: `${this.directory.principalLeader.name}、各分管县领导，${this.directory.countyGovernment.name}`,
    };
    return { fileName: `${year}年第${quarter}季度行政诉讼工作情况通报.docx`, body: await docxBuffer(doc) };
  }

  async letterDocx(letterId: string, p: Principal): Promise<{ fileName: string; body: Buffer }> {
    const l = await this.reports.getLetter(letterId);
    // Another agency's letter answers exactly like a missing one.
    if (!l || !canSeeAgency(p, l.agencyId)) throw new NotFoundError('未找到该《工作提醒函》');
    const agency = this.agencyName(l.agencyId);
    const answerBy = l.dueDate ? `${formatChineseDate(l.dueDate)}前` : '收函后 15 个工作日内';
    const body: Block[] = [
      {
        type: 'p',
        text: `根据武政办〔2023〕47号 五“适时对败诉率高或行政诉讼案件数量多的涉诉行政机关发《工作提醒函》”的规定，经统计，贵单位${quarterName(l.year, l.quarter)}行政诉讼工作存在以下情况：`,
      },
      { type: 'list', items: l.breaches.map((b) => `${b.text}${casesOf(b.caseIds)}。`) },
      {
        type: 'p',
        text: `请贵单位高度重视，认真分析原因，加强行政执法源头治理和行政争议实质性化解，落实负责人出庭应诉制度，并于${answerBy}向县司法局书面反馈整改措施。逾期未反馈的，将报分管县领导督办；未有效落实且败诉率、万人成讼率持续较高的，由县政府主要领导约谈。`,
      },
      ...(l.answer
        ? ([
            { type: 'h2', text: '附：反馈的整改措施' },
            { type: 'p', text: `${l.answer}（${l.answeredAt ? formatShanghai(l.answeredAt) : ''}反馈）` },
          ] as Block[])
        : []),
    ];
    const doc: OfficialDocument = {
      organMark: `${this.bureauName}`,
      documentNo: letterNo(l, await this.serialOf(l)),
      title: '工作提醒函',
      addressee: `${agency}：`,
      body,
      issuer: this.bureauName,
      date: shanghaiDate(l.issuedAt),
      copyTo: findAgency(this.directory, l.agencyId) ? `分管县领导${this.leaderName(l.leaderId)}` : undefined,
    };
    return { fileName: `工作提醒函-${agency}-${l.id}.docx`, body: await docxBuffer(doc) };
  }

  private leaderName(id: string): string {
    return this.directory.leaders.find((x) => x.id === id)?.name ?? id;
  }

  /**
   * 《委托协调化解反馈函》 from a mediation round's result: the agency reports back to the court that entrusted it;
   * when mediation failed, with the four contents the notice requires (过程、诉求、争议焦点、原因).
   */
  async feedbackLetterDocx(caseId: string, round: number, p: Principal): Promise<{ fileName: string; body: Buffer }> {
    const c = await this.store.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
    if (!c || !canSeeAgency(p, c.agency_id)) throw new NotFoundError('未找到该案件');
    const m = await this.store.db
      .selectFrom('mediations')
      .selectAll()
      .where('case_id', '=', caseId)
      .where('round', '=', round)
      .executeTakeFirst();
    if (!m) throw new NotFoundError(`该案件没有第 ${round} 轮委托协调化解`);
    if (!m.result)
      throw new ConflictError(`第 ${round} 轮委托协调化解尚无结果，反馈函在登记化解结果后生成`, 'mediation_pending');
    const result = JSON.parse(m.result) as MediationResult;
    const agency = this.agencyName(c.agency_id);
    const intro = `贵院委托我单位协调化解的${c.title}（案件编号 ${c.id}，${stageNames[m.stage as CaseStage] ?? m.stage}阶段，执法领域：${fieldNames[c.field as EnforcementField] ?? c.field}），我单位于${formatShanghai(m.letter_received_at)}收到《委托协调化解函》后，依照武政办〔2023〕47号 的规定开展了协调化解工作。现将有关情况反馈如下：`;
    const body: Block[] =
      result.outcome === 'resolved'
        ? [
            { type: 'p', text: intro },
            { type: 'h2', text: '一、化解结果' },
            { type: 'p', text: '经协调，双方已就争议达成一致，行政争议已实质性化解。' },
            { type: 'h2', text: '二、化解情况' },
            { type: 'p', text: result.summary },
          ]
        : [
            { type: 'p', text: intro },
            {
              type: 'p',
              text: '经协调，双方未能达成一致，现将协调化解过程、双方诉求、争议焦点及无法协调化解的原因反馈如下：',
            },
            { type: 'h2', text: '一、协调化解过程' },
            { type: 'p', text: result.process },
            { type: 'h2', text: '二、双方诉求' },
            { type: 'p', text: result.demands },
            { type: 'h2', text: '三、争议焦点' },
            { type: 'p', text: result.disputeFocus },
            { type: 'h2', text: '四、无法协调化解的原因' },
            { type: 'p', text: result.failureReasons },
          ];
    body.push({ type: 'p', text: '特此函复。' });
    const doc: OfficialDocument = {
      organMark: agency,
      documentNo: `${caseId}（第${round}轮）`,
      title: '委托协调化解反馈函',
      addressee: `${this.directory.court.name}：`,
      body,
      issuer: agency,
      date: shanghaiDate(result.at),
      copyTo: this.bureauName,
    };
    return { fileName: `委托协调化解反馈函-${caseId}-第${round}轮.docx`, body: await docxBuffer(doc) };
  }

  // ---------------------------------------------------------------- .xlsx

  async ledgerXlsx(
    filter: { agencyId?: string; stage?: CaseStage; field?: EnforcementField },
    p: Principal,
  ): Promise<{ fileName: string; body: Buffer; rows: number }> {
    if (filter.agencyId && !canSeeAgency(p, filter.agencyId)) throw new NotFoundError('未找到该单位');
    const scope = registryScope(p);
    const rows = await ledgerRows(this.store.db, this.directory, {
      ...filter,
      ...(scope ? { agencyIds: scope.agencyIds } : {}),
    });
    const parts = [
      filter.agencyId
        ? `单位：${this.agencyName(filter.agencyId)}`
        : scope
          ? `单位：${scope.agencyIds.map((id) => this.agencyName(id)).join('、')}`
          : '单位：全部',
      filter.stage ? `阶段：${stageNames[filter.stage]}` : undefined,
      filter.field ? `领域：${fieldNames[filter.field]}` : undefined,
      `共 ${rows.length} 件`,
      `导出时间：${formatShanghai(this.now().toISOString())}`,
    ].filter(Boolean);
    return {
      fileName: `行政应诉案件台账-${shanghaiDate(this.now().toISOString())}.xlsx`,
      body: await ledgerWorkbook(rows, parts.join('　')),
      rows: rows.length,
    };
  }

  async indicatorsXlsx(
    period: Period,
    agencyId: string | undefined,
    p: Principal,
  ): Promise<{ fileName: string; body: Buffer }> {
    const ind = await this.reportService.indicators(period, agencyId, p);
    const to = shanghaiDate(new Date(Date.parse(period.to) - 1).toISOString());
    const subtitle = `统计期间：${shanghaiDate(period.from)} 至 ${to}　截至：${formatShanghai(ind.asOf)}`;
    return {
      fileName: `行政应诉统计指标-${shanghaiDate(period.from)}至${to}.xlsx`,
      body: await indicatorsWorkbook(ind, (id) => this.agencyName(id), subtitle),
    };
  }
}

export const reportNo = (year: number, quarter: number) => `${DOCUMENT_PREFIX}〔${year}〕${quarter}号`;

/** 武司函〔2026〕402号: the quarter, then the letter's place among that quarter's letters (ordered by agency id). */
export const letterNo = (l: Pick<LetterRecord, 'year' | 'quarter'>, serial: number) =>
  `${DOCUMENT_PREFIX}函〔${l.year}〕${l.quarter}${String(serial).padStart(2, '0')}号`;

const formatChineseDate = (date: string) => {
  const [y, m, d] = date.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
};
