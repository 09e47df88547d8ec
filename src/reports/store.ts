import type { Kysely } from 'kysely';
import type { RegistryStore } from '../registry';
import type { IndicatorRows, JudgmentRow } from './indicators';
import type { ReminderLettersTable, ReportsDatabase, ReportsTable } from './schema';
import type { Breach } from './thresholds';

export interface StoredReport {
  id: string;
  year: number;
  quarter: number;
  period: { from: string; to: string };
  generatedAt: string;
  generation: number;
  figures: unknown;
  markdown: string;
  html: string;
}

export type LetterStatus = 'issued' | 'acknowledged' | 'answered';

/** A reminder letter as the registry keeps it (the workflow writes it after every change). */
export interface LetterRecord {
  id: string;
  year: number;
  quarter: number;
  agencyId: string;
  leaderId: string;
  issuedAt: string;
  dueDate: string | null;
  dueAt: string | null;
  status: LetterStatus;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  answeredAt: string | null;
  answeredBy: string | null;
  answer: string | null;
  overdueSince: string | null;
  escalations: number;
  breaches: Breach[];
  letter: string;
  interviewReport: string | null;
  interviewAt: string | null;
}

const bool = (f: number | null) => (f === null ? null : f === 1);

/** What the indicators read of an earlier instance kept as JSON on the judgment row. */
interface EarlierJudgment {
  id?: string;
  instance?: string;
  receivedAt: string;
  outcome: string;
  effectiveOn?: string;
}

function toLetter(r: ReminderLettersTable): LetterRecord {
  return {
    id: r.id,
    year: Number(r.year),
    quarter: Number(r.quarter),
    agencyId: r.agency_id,
    leaderId: r.leader_id,
    issuedAt: r.issued_at,
    dueDate: r.due_date,
    dueAt: r.due_at,
    status: r.status as LetterStatus,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
    answeredAt: r.answered_at,
    answeredBy: r.answered_by,
    answer: r.answer,
    overdueSince: r.overdue_since,
    escalations: Number(r.escalations),
    breaches: JSON.parse(r.breaches) as Breach[],
    letter: r.letter,
    interviewReport: r.interview_report,
    interviewAt: r.interview_at,
  };
}

function toReport(r: ReportsTable): StoredReport {
  return {
    id: r.id,
    year: Number(r.year),
    quarter: Number(r.quarter),
    period: { from: r.period_from, to: r.period_to },
    generatedAt: r.generated_at,
    generation: Number(r.generation),
    figures: JSON.parse(r.figures) as unknown,
    markdown: r.markdown,
    html: r.html,
  };
}

/**
 * The oversight side of the registry: reads the case tables for the indicators and keeps reports and reminder
 * letters. It shares the registry's Kysely instance (RegistryStore.db); the tables come from ./migrations.ts.
 */
export class ReportStore {
  readonly db: Kysely<ReportsDatabase>;

  constructor(registry: RegistryStore) {
    // The registry's type lists its own tables; ours are added by our migration on the same database.
    this.db = registry.db as unknown as Kysely<ReportsDatabase>;
  }

  /**
   * Every row the indicators read. Filtering by period happens in the pure functions: instants in the registry
   * may carry offsets (+08:00 from the API), so text comparison in SQL would misplace them. County scale (hundreds
   * of cases a year) keeps this cheap.
   */
  async indicatorRows(): Promise<IndicatorRows> {
    const db = this.db;
    const [cases, stageChanges, mediations, judgments, hearings, duties] = await Promise.all([
      db
        .selectFrom('cases')
        .select([
          'id',
          'agency_id',
          'field',
          'entered_stage',
          'registered_at',
          'county_government_defendant',
          'trigger_received_at',
          'voided_at',
          'withdrawn_at',
          'withdrawn_ruling_on',
          'presuit_settled_at',
        ])
        .orderBy('id')
        .execute(),
      db.selectFrom('stage_changes').select(['case_id', 'to_stage', 'at']).where('to_stage', '=', 'in-suit').execute(),
      db
        .selectFrom('mediations')
        .select(['case_id', 'round', 'stage', 'result_outcome', 'result_at'])
        .where('result_outcome', 'is not', null)
        .execute(),
      db
        .selectFrom('judgments')
        .select(['case_id', 'judgment_id', 'instance', 'received_at', 'outcome', 'effective_on', 'earlier'])
        .execute(),
      db
        .selectFrom('hearings')
        .select([
          'case_id',
          'hearing_id',
          'scheduled_at',
          'head_appearance_required',
          'plan_appearing',
          'approval_approved',
          'appeared',
          'appeared_who',
          'appeared_role',
          'spoke',
          'vice_county_head_appeared',
          'status',
        ])
        .where('head_appearance_required', '=', 1)
        .execute(),
      db
        .selectFrom('duties')
        .select([
          'case_id',
          'duty_id',
          'rule_id',
          'title',
          'owner',
          'due_date',
          'due_at',
          'status',
          'overdue_since',
          'done_at',
          'late_days',
        ])
        .where((eb) => eb.or([eb('status', '=', 'overdue'), eb('late_days', '>', 0)]))
        .execute(),
    ]);
    return {
      cases: cases.map((c) => ({
        id: c.id,
        agencyId: c.agency_id,
        field: c.field,
        enteredStage: c.entered_stage,
        registeredAt: c.registered_at,
        countyGovernmentDefendant: c.county_government_defendant === 1,
        triggerReceivedAt: c.trigger_received_at,
        voided: c.voided_at !== null,
        withdrawnAt: c.withdrawn_at,
        withdrawnRulingOn: c.withdrawn_ruling_on,
        presuitSettledAt: c.presuit_settled_at,
      })),
      stageChanges: stageChanges.map((s) => ({ caseId: s.case_id, toStage: s.to_stage, at: s.at })),
      mediations: mediations.map((m) => ({
        caseId: m.case_id,
        round: Number(m.round),
        stage: m.stage,
        outcome: m.result_outcome as 'resolved' | 'failed' | null,
        resultAt: m.result_at,
      })),
      // The current document and the earlier instances it replaced: the indicators pick the final effective one.
      judgments: judgments.flatMap((j): JudgmentRow[] => [
        ...(j.earlier ? (JSON.parse(j.earlier) as EarlierJudgment[]) : []).map((e) => ({
          caseId: j.case_id,
          judgmentId: e.id ?? null,
          instance: e.instance ?? null,
          receivedAt: e.receivedAt,
          outcome: e.outcome,
          effectiveOn: e.effectiveOn ?? null,
          current: false,
        })),
        {
          caseId: j.case_id,
          judgmentId: j.judgment_id,
          instance: j.instance,
          receivedAt: j.received_at,
          outcome: j.outcome,
          effectiveOn: j.effective_on,
          current: true,
        },
      ]),
      hearings: hearings.map((h) => ({
        caseId: h.case_id,
        hearingId: h.hearing_id,
        scheduledAt: h.scheduled_at,
        headAppearanceRequired: h.head_appearance_required === 1,
        planAppearing: h.plan_appearing,
        approvalApproved: bool(h.approval_approved),
        appeared: bool(h.appeared),
        who: h.appeared_who,
        role: h.appeared_role,
        spoke: bool(h.spoke),
        viceCountyHeadAppeared: bool(h.vice_county_head_appeared),
        status: h.status,
      })),
      duties: duties.map((d) => ({
        caseId: d.case_id,
        dutyId: d.duty_id,
        ruleId: d.rule_id,
        title: d.title,
        owner: d.owner,
        dueDate: d.due_date,
        dueAt: d.due_at,
        status: d.status,
        overdueSince: d.overdue_since,
        doneAt: d.done_at,
        lateDays: d.late_days === null ? null : Number(d.late_days),
      })),
    };
  }

  // ---------------------------------------------------------------- reports

  /** Writes a quarter's report; a rerun replaces its content and counts the generation. */
  async saveReport(r: Omit<StoredReport, 'generation'>): Promise<StoredReport> {
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('reports').select('generation').where('id', '=', r.id).executeTakeFirst();
      const row: ReportsTable = {
        id: r.id,
        year: r.year,
        quarter: r.quarter,
        period_from: r.period.from,
        period_to: r.period.to,
        generated_at: r.generatedAt,
        generation: Number(existing?.generation ?? 0) + 1,
        figures: JSON.stringify(r.figures),
        markdown: r.markdown,
        html: r.html,
      };
      if (existing) await trx.updateTable('reports').set(row).where('id', '=', r.id).execute();
      else await trx.insertInto('reports').values(row).execute();
      return toReport(row);
    });
  }

  async getReport(year: number, quarter: number): Promise<StoredReport | undefined> {
    const row = await this.db
      .selectFrom('reports')
      .selectAll()
      .where('year', '=', year)
      .where('quarter', '=', quarter)
      .executeTakeFirst();
    return row ? toReport(row) : undefined;
  }

  // ---------------------------------------------------------------- reminder letters

  /** Upserts a letter from its workflow state; the interview marks (written by a later report) are kept. */
  async recordLetter(l: Omit<LetterRecord, 'interviewReport' | 'interviewAt'>, now: Date = new Date()): Promise<void> {
    const row = {
      id: l.id,
      year: l.year,
      quarter: l.quarter,
      agency_id: l.agencyId,
      leader_id: l.leaderId,
      issued_at: l.issuedAt,
      due_date: l.dueDate,
      due_at: l.dueAt,
      status: l.status,
      acknowledged_at: l.acknowledgedAt,
      acknowledged_by: l.acknowledgedBy,
      answered_at: l.answeredAt,
      answered_by: l.answeredBy,
      answer: l.answer,
      overdue_since: l.overdueSince,
      escalations: l.escalations,
      breaches: JSON.stringify(l.breaches),
      letter: l.letter,
      updated_at: now.toISOString(),
    };
    const { id: _id, ...update } = row;
    await this.db
      .insertInto('reminder_letters')
      .values({ ...row, interview_report: null, interview_at: null })
      .onConflict((oc) => oc.column('id').doUpdateSet(update))
      .execute();
  }

  async getLetter(id: string): Promise<LetterRecord | undefined> {
    const row = await this.db.selectFrom('reminder_letters').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toLetter(row) : undefined;
  }

  async lettersOfQuarter(year: number, quarter: number): Promise<LetterRecord[]> {
    const rows = await this.db
      .selectFrom('reminder_letters')
      .selectAll()
      .where('year', '=', year)
      .where('quarter', '=', quarter)
      .orderBy('agency_id')
      .execute();
    return rows.map(toLetter);
  }

  /** Records that a report escalated an ignored letter to an interview; the first report to do so stands. */
  async markInterview(letterId: string, reportKey: string, at: string): Promise<void> {
    await this.db
      .updateTable('reminder_letters')
      .set({ interview_report: reportKey, interview_at: at })
      .where('id', '=', letterId)
      .where((eb) => eb.or([eb('interview_report', 'is', null), eb('interview_report', '=', reportKey)]))
      .execute();
  }
}
