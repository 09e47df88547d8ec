import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { CaseStage } from '../vocabulary/case';
import type {
  CaseSnapshotState,
  DutyRecord as Duty,
  HearingRecord as Hearing,
  JudgmentRecord as Judgment,
  MediationRecord as Mediation,
} from './case-snapshot';
import { migrateRegistry, openRegistryDb, type RegistryDialect } from './db';
import type { Flag, NoticesTable, RegistryDatabase } from './schema';

/** What the case workflow hands to `recordCase` after every change. */
export interface CaseSnapshot {
  state: CaseSnapshotState;
  /** Timeline entries with `seq >= timelineFrom` are written (all of them when omitted); existing ones are kept. */
  timelineFrom?: number;
}

export interface RecordCaseResult {
  created: boolean;
  stageChanged: boolean;
  timelineInserted: number;
}

/** `undeliverable`: no usable channel, or the contact changed after the row was written; never sent, bureau alerted. */
export const noticeStatuses = ['pending', 'sending', 'delivered', 'failed', 'undeliverable'] as const;
export type NoticeStatus = (typeof noticeStatuses)[number];

/** One outbox row: one notice to one recipient through one contact. Its history is the proof of notification. */
export interface OutboxRow {
  id: string;
  key: string;
  caseId: string;
  dutyId: string | null;
  kind: string;
  agencyId: string | null;
  recipient: string;
  channel: string;
  contactNo: number;
  target: string;
  status: NoticeStatus;
  attempts: number;
  lastError: string | null;
  channelAnswer: string | null;
  subject: string;
  body: string;
  facts: Record<string, unknown>;
  requestedAt: string;
  createdAt: string;
  sendingAt: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
}

export type NewOutboxRow = Pick<
  OutboxRow,
  | 'key'
  | 'caseId'
  | 'dutyId'
  | 'kind'
  | 'agencyId'
  | 'recipient'
  | 'channel'
  | 'contactNo'
  | 'target'
  | 'subject'
  | 'body'
  | 'facts'
  | 'requestedAt'
> & {
  /** Written `undeliverable` (with the reason) when the recipient has no usable contact; `pending` otherwise. */
  status?: 'pending' | 'undeliverable';
  lastError?: string;
};

export interface NoticeFilter {
  caseId?: string;
  recipient?: string;
  status?: NoticeStatus;
  /** Visibility: when given, only notices of cases of these agencies or addressed to these recipients. */
  scope?: { agencyIds: string[]; recipients: string[] };
  limit?: number;
}

/** A row the drainer claimed: the row, plus what the drainer decides by. */
export interface ClaimedNotice extends OutboxRow {
  firstAttemptAt: string | null;
  alertedAt: string | null;
  /** Until when this claim holds the row. */
  leaseUntil: string | null;
}

export const outboxRowId = (r: Pick<OutboxRow, 'key' | 'recipient' | 'channel' | 'contactNo'>): string =>
  `${r.key}#${r.recipient}#${r.channel}#${r.contactNo}`;

/** A new outbox row as stored: pending (or undeliverable, failed at once), no attempts yet. */
const newNoticeRow = (r: NewOutboxRow, key: string, createdAt: string) => ({
  id: outboxRowId(r),
  notice_key: key,
  case_id: r.caseId,
  duty_id: r.dutyId,
  kind: r.kind,
  agency_id: r.agencyId,
  recipient: r.recipient,
  channel: r.channel,
  contact_no: r.contactNo,
  target: r.target,
  status: r.status ?? 'pending',
  attempts: 0,
  last_error: r.lastError ?? null,
  channel_answer: null,
  subject: r.subject,
  body: r.body,
  facts: json(r.facts),
  requested_at: r.requestedAt,
  created_at: createdAt,
  sending_at: null,
  delivered_at: null,
  failed_at: r.status === 'undeliverable' ? createdAt : null,
  // Due at once: a pending row is to be sent, an undeliverable one to be alerted about (never an alert's own).
  next_attempt_at: r.status !== 'undeliverable' || r.kind !== 'delivery-failed' ? createdAt : null,
  lease_owner: null,
  lease_until: null,
  first_attempt_at: null,
  alerted_at: null,
});

const flag = (b: boolean | undefined): Flag => (b ? 1 : 0);
const optFlag = (b: boolean | undefined): Flag | null => (b === undefined ? null : flag(b));
const bool = (f: number | null): boolean | null => (f === null ? null : f === 1);
const json = (v: unknown): string => JSON.stringify(v);
const parse = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));

function toOutboxRow(r: Selectable<NoticesTable>): OutboxRow {
  return {
    id: r.id,
    key: r.notice_key,
    caseId: r.case_id,
    dutyId: r.duty_id,
    kind: r.kind,
    agencyId: r.agency_id,
    recipient: r.recipient,
    channel: r.channel,
    contactNo: Number(r.contact_no),
    target: r.target,
    status: r.status as NoticeStatus,
    attempts: Number(r.attempts),
    lastError: r.last_error,
    channelAnswer: r.channel_answer,
    subject: r.subject,
    body: r.body,
    facts: JSON.parse(r.facts) as Record<string, unknown>,
    requestedAt: r.requested_at,
    createdAt: r.created_at,
    sendingAt: r.sending_at,
    deliveredAt: r.delivered_at,
    failedAt: r.failed_at,
  };
}

/**
 * The instant a stage was entered, as far as the state tells: when the newest timeline entry happened (a response
 * notice received last month and entered today moved the case last month), or the registration.
 */
function stageEnteredAt(state: CaseSnapshotState): string {
  if (state.stage === 'closed' && state.closedAt) return state.closedAt;
  const last = state.timeline[state.timeline.length - 1];
  return last?.occurredAt ?? last?.at ?? state.registeredAt;
}

const dutyRow = (caseId: string, d: Duty) => ({
  case_id: caseId,
  duty_id: d.id,
  rule_id: d.ruleId,
  title: d.title,
  owner: d.owner,
  due_date: d.dueDate,
  due_at: d.dueAt,
  provisional: flag(d.provisional),
  basis: d.basis,
  status: d.status,
  created_at: d.createdAt,
  overdue_since: d.overdueSince ?? null,
  escalations: d.escalations,
  reminders_sent: d.remindersSent,
  done_at: d.doneAt ?? null,
  done_by: d.doneBy ?? null,
  late_days: d.lateDays ?? null,
  previous_due: d.previousDue && d.previousDue.length > 0 ? json(d.previousDue) : null,
  note: d.note ?? null,
  entered_at: d.enteredAt ?? null,
  done_by_person: d.doneByPerson ?? null,
});

const caseRow = (s: CaseSnapshotState, recordedAt: string) => ({
  id: s.caseId,
  title: s.title,
  agency_id: s.agencyId,
  leader_id: s.leaderId,
  field: s.field,
  plaintiff: s.plaintiff,
  stage: s.stage,
  entered_stage: s.enteredStage,
  major: flag(s.major),
  county_government_defendant: flag(s.countyGovernmentDefendant),
  registered_at: s.registeredAt,
  closed_at: s.closedAt ?? null,
  withdrawn_at: s.withdrawn?.at ?? null,
  withdrawn_reason: s.withdrawn?.reason ?? null,
  self_corrections: json(s.selfCorrections),
  updated_at: recordedAt,
  agency_name: s.agencyName ?? null,
  leader_name: s.leaderName ?? null,
  trigger_type: s.trigger?.type ?? null,
  trigger_received_at: s.trigger?.receivedAt ?? null,
  withdrawn_ruling_on: s.withdrawn?.rulingOn ?? null,
  presuit_settled_at: s.presuitSettled?.at ?? null,
  presuit_settled_summary: s.presuitSettled?.summary ?? null,
  voided_at: s.voided?.at ?? null,
  voided_by: s.voided?.by ?? null,
  voided_reason: s.voided?.reason ?? null,
  amendments: s.amendments && s.amendments.length > 0 ? json(s.amendments) : null,
});

const hearingRow = (caseId: string, h: Hearing) => ({
  case_id: caseId,
  hearing_id: h.id,
  scheduled_at: h.scheduledAt,
  head_appearance_required: flag(h.headAppearanceRequired),
  plan_appearing: h.plan?.appearing ?? null,
  plan_name: h.plan?.name ?? null,
  plan_reason: h.plan?.reason ?? null,
  plan_submitted_at: h.plan?.submittedAt ?? null,
  approval_approved: optFlag(h.plan?.approval?.approved),
  approval_by: h.plan?.approval?.by ?? null,
  approval_at: h.plan?.approval?.at ?? null,
  approval_comment: h.plan?.approval?.comment ?? null,
  appeared: optFlag(h.record?.appeared),
  appeared_who: h.record?.who ?? null,
  appeared_role: h.record?.role ?? null,
  spoke: optFlag(h.record?.spoke),
  recorded_at: h.record?.at ?? null,
  vice_county_head_appeared: optFlag(h.record?.viceCountyHeadAppeared),
  status: h.status ?? null,
  history: h.history && h.history.length > 0 ? json(h.history) : null,
});

const judgmentRow = (caseId: string, j: Judgment, earlier: Judgment[] | undefined) => ({
  case_id: caseId,
  received_at: j.receivedAt,
  outcome: j.outcome,
  document_no: j.documentNo ?? null,
  loss_report_submitted_at: j.lossReport?.submittedAt ?? null,
  loss_report_submissions: j.lossReport?.submissions ?? 0,
  loss_report_reviews: json(j.lossReport?.reviews ?? []),
  reported_to_county_government_at: j.lossReport?.reportedToCountyGovernmentAt ?? null,
  judgment_id: j.id ?? null,
  instance: j.instance ?? null,
  document_type: j.documentType ?? null,
  effective_on: j.effectiveOn ?? null,
  effective_by: j.effectiveBy ?? null,
  appeal_period: j.appealPeriod ? json(j.appealPeriod) : null,
  appeal_filed_on: j.appeal?.filedOn ?? null,
  appeal_by: j.appeal?.by ?? null,
  earlier: earlier && earlier.length > 0 ? json(earlier) : null,
});

const mediationRow = (caseId: string, m: Mediation) => ({
  case_id: caseId,
  round: m.round,
  stage: m.stage,
  letter_received_at: m.letterReceivedAt,
  period_duty_id: m.periodDutyId,
  progress_duty_ids: json(m.progressDutyIds),
  extensions: json(m.extensions),
  extension_count: m.extensions.length,
  result_outcome: m.result?.outcome ?? null,
  result_at: m.result?.at ?? null,
  result: m.result ? json(m.result) : null,
});

/**
 * Upserts rows by their primary key in one statement (`excluded.*` on a conflict): the same snapshot written twice
 * leaves the same rows. Every row has the columns of the first (the row builders above make them alike).
 */
async function upsert<T extends keyof RegistryDatabase & string>(
  trx: Transaction<RegistryDatabase>,
  table: T,
  pk: string[],
  rows: Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!).filter((k) => !pk.includes(k));
  // Kysely cannot type a generic table's columns; the row builders above carry the column names.
  const db = trx as unknown as Transaction<Record<string, Record<string, unknown>>>;
  await db
    .insertInto(table)
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns(pk as never[])
        .doUpdateSet((eb) => Object.fromEntries(columns.map((c) => [c, eb.ref(`excluded.${c}` as never)])) as never),
    )
    .execute();
}

/**
 * The case registry (登记建档): every case as the workflow moves, kept after the workflow is gone, plus the notice
 * outbox. One query layer (Kysely) over SQLite or PostgreSQL.
 */
export interface DutyFilter {
  owner?: string;
  status?: 'open' | 'done' | 'overdue' | 'waived' | 'superseded';
  scope?: { agencyIds: string[]; owners: string[] };
  limit?: number;
}

export interface DutyListRow {
  caseId: string;
  caseTitle: string;
  agencyId: string;
  stage: string;
  dutyId: string;
  ruleId: string;
  title: string;
  owner: string;
  dueDate: string;
  dueAt: string;
  provisional: boolean;
  basis: string;
  status: string;
  overdueSince: string | null;
  escalations: number;
  doneAt: string | null;
  lateDays: number | null;
}

/** The body of `recordCase`, inside a caller's transaction. */
async function recordCaseIn(
  trx: Transaction<RegistryDatabase>,
  snapshot: CaseSnapshot,
  now: Date,
): Promise<RecordCaseResult> {
  const s = snapshot.state;
  const recordedAt = now.toISOString();
  const stored = await trx.selectFrom('cases').select(['stage']).where('id', '=', s.caseId).executeTakeFirst();
  await upsert(trx, 'cases', ['id'], [caseRow(s, recordedAt)]);

  let stageChanged = false;
  if (stored?.stage !== s.stage) {
    const last = await trx
      .selectFrom('stage_changes')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('case_id', '=', s.caseId)
      .executeTakeFirst();
    await trx
      .insertInto('stage_changes')
      .values({
        case_id: s.caseId,
        seq: Number(last?.seq ?? 0) + 1,
        from_stage: stored?.stage ?? null,
        to_stage: s.stage,
        at: stored ? stageEnteredAt(s) : s.registeredAt,
        recorded_at: recordedAt,
      })
      .execute();
    stageChanged = stored !== undefined;
  }

  // One statement per table, whatever the number of rows (a round trip each on PostgreSQL).
  await upsert(
    trx,
    'duties',
    ['case_id', 'duty_id'],
    s.duties.map((d) => dutyRow(s.caseId, d)),
  );
  await upsert(
    trx,
    'hearings',
    ['case_id', 'hearing_id'],
    s.hearings.map((h) => hearingRow(s.caseId, h)),
  );
  await upsert(
    trx,
    'mediations',
    ['case_id', 'round'],
    s.mediations.map((m) => mediationRow(s.caseId, m)),
  );
  if (s.judgment) await upsert(trx, 'judgments', ['case_id'], [judgmentRow(s.caseId, s.judgment, s.earlierJudgments)]);

  let timelineInserted = 0;
  const from = snapshot.timelineFrom ?? 0;
  const entries = s.timeline.filter((e) => e.seq >= from);
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100).map((e) => ({
      case_id: s.caseId,
      seq: e.seq,
      at: e.at,
      actor: e.actor,
      type: e.type,
      summary: e.summary,
      occurred_at: e.occurredAt ?? null,
      by_name: e.by ?? null,
    }));
    const result = await trx
      .insertInto('timeline')
      .values(chunk)
      .onConflict((oc) => oc.columns(['case_id', 'seq']).doNothing())
      .executeTakeFirst();
    timelineInserted += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return { created: stored === undefined, stageChanged, timelineInserted };
}

/** Why a row will not be sent: it is closed `undeliverable` (never sendable as written) or `failed` (retries spent). */
export interface NoticeOutcome {
  status: 'undeliverable' | 'failed';
  error: string;
  at: Date;
  /** The channel's answer, kept as evidence (undefined: the one recorded stays). */
  answer?: string | null;
}

/** The bureau's alert about a notice: its rows, written under `alertKey` once per notice key. */
export interface NoticeAlert {
  noticeKey: string;
  alertKey: string;
  rows: NewOutboxRow[];
  at: Date;
}

/** A pending or sending row closed with `outcome` (a delivered or already closed row is left as it is). */
async function closeNoticeIn(db: Kysely<RegistryDatabase>, id: string, outcome: NoticeOutcome): Promise<boolean> {
  const r = await db
    .updateTable('notices')
    .set({
      status: outcome.status,
      last_error: outcome.error,
      failed_at: outcome.at.toISOString(),
      ...(outcome.answer !== undefined ? { channel_answer: outcome.answer } : {}),
    })
    .where('id', '=', id)
    .where('status', 'in', ['pending', 'sending'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The body of `enqueueNoticeAlert`, inside a caller's transaction. */
async function enqueueNoticeAlertIn(trx: Transaction<RegistryDatabase>, alert: NoticeAlert): Promise<boolean> {
  // Marking first: a concurrent alert of the same notice waits on these rows (PostgreSQL) or on the database
  // (SQLite), then finds them marked and writes nothing.
  const marked = await trx
    .updateTable('notices')
    .set({ alerted_at: alert.at.toISOString() })
    .where('notice_key', '=', alert.noticeKey)
    .where('alerted_at', 'is', null)
    .executeTakeFirst();
  if (Number(marked.numUpdatedRows) === 0) return false;
  // The alert key's rows are written once whatever happens: rows added since an alert add no second one.
  const { created } = await enqueueNoticeRowsIn(trx, alert.alertKey, alert.rows, alert.at);
  return created;
}

/** Rows in the order of their ids, the same on SQLite and PostgreSQL (whatever the database's collation). */
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The body of `enqueueNoticeRows`, inside a caller's transaction. */
async function enqueueNoticeRowsIn(
  trx: Transaction<RegistryDatabase>,
  key: string,
  rows: NewOutboxRow[],
  now: Date,
): Promise<{ rows: OutboxRow[]; created: boolean }> {
  const existing = await trx.selectFrom('notices').select('id').where('notice_key', '=', key).limit(1).execute();
  let created = false;
  if (existing.length === 0 && rows.length > 0) {
    const createdAt = now.toISOString();
    const inserted = await trx
      .insertInto('notices')
      .values(rows.map((r) => newNoticeRow(r, key, createdAt)))
      // A concurrent enqueue of the same key may have won the race: its rows stand.
      .onConflict((oc) => oc.column('id').doNothing())
      .returningAll()
      .execute();
    created = true;
    // Every row went in (the usual case): they are the key's rows, and no second look is needed.
    if (inserted.length === rows.length) return { rows: inserted.map(toOutboxRow).sort(byId), created };
  }
  const all = await trx.selectFrom('notices').selectAll().where('notice_key', '=', key).execute();
  return { rows: all.map(toOutboxRow).sort(byId), created };
}

export class RegistryStore {
  constructor(
    readonly db: Kysely<RegistryDatabase>,
    readonly dialect: RegistryDialect,
  ) {}

  /** Opens the database named by the URL and brings its schema up to date. */
  static async open(url: string): Promise<RegistryStore> {
    const { db, dialect } = openRegistryDb(url);
    // 👉 The worker and the API migrate at start-up; on SQLite the loser of that race fails its stale transaction
    // (PostgreSQL's lock table serialises them), and a second look finds the schema up to date.
    for (let attempt = 1; ; attempt++) {
      try {
        await migrateRegistry(db);
        return new RegistryStore(db, dialect);
      } catch (err) {
        if (attempt >= 5) {
          await db.destroy();
          throw err;
        }
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  }

  close(): Promise<void> {
    return this.db.destroy();
  }

  // ---------------------------------------------------------------- write side: the case workflow's snapshots

  /** Writes a snapshot of a case in one transaction; idempotent, so activity retries change nothing. */
  async recordCase(snapshot: CaseSnapshot, now: Date = new Date()): Promise<RecordCaseResult> {
    return this.db.transaction().execute((trx) => recordCaseIn(trx, snapshot, now));
  }

  /**
   * One change of a case committed whole: its registry delta and the outbox rows of every notice it produced, in
   * one transaction. Idempotent (the case upserts, a notice key that has rows keeps them), so a retry changes nothing.
   */
  async commitCase(
    snapshot: CaseSnapshot,
    notices: { key: string; rows: NewOutboxRow[] }[],
    now: Date = new Date(),
  ): Promise<RecordCaseResult & { noticeRows: OutboxRow[] }> {
    return this.db.transaction().execute(async (trx) => {
      const recorded = await recordCaseIn(trx, snapshot, now);
      const noticeRows: OutboxRow[] = [];
      for (const n of notices) noticeRows.push(...(await enqueueNoticeRowsIn(trx, n.key, n.rows, now)).rows);
      return { ...recorded, noticeRows };
    });
  }

  // ---------------------------------------------------------------- read side

  /** Everything the registry holds about one case, notices included. */
  async getCaseRecord(caseId: string) {
    const c = await this.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
    if (!c) return undefined;
    const [stageChanges, duties, hearings, mediations, judgment, timeline, notices] = await Promise.all([
      this.db.selectFrom('stage_changes').selectAll().where('case_id', '=', caseId).orderBy('seq').execute(),
      this.db
        .selectFrom('duties')
        .selectAll()
        .where('case_id', '=', caseId)
        .orderBy('created_at')
        .orderBy('duty_id')
        .execute(),
      this.db.selectFrom('hearings').selectAll().where('case_id', '=', caseId).orderBy('scheduled_at').execute(),
      this.db.selectFrom('mediations').selectAll().where('case_id', '=', caseId).orderBy('round').execute(),
      this.db.selectFrom('judgments').selectAll().where('case_id', '=', caseId).executeTakeFirst(),
      this.db.selectFrom('timeline').selectAll().where('case_id', '=', caseId).orderBy('seq').execute(),
      this.listNotices({ caseId }),
    ]);
    return {
      case: {
        id: c.id,
        title: c.title,
        agencyId: c.agency_id,
        leaderId: c.leader_id,
        field: c.field,
        plaintiff: c.plaintiff,
        stage: c.stage as CaseStage,
        enteredStage: c.entered_stage as CaseStage,
        major: c.major === 1,
        countyGovernmentDefendant: c.county_government_defendant === 1,
        registeredAt: c.registered_at,
        closedAt: c.closed_at,
        withdrawn: c.withdrawn_at ? { at: c.withdrawn_at, reason: c.withdrawn_reason } : null,
        selfCorrections: JSON.parse(c.self_corrections) as CaseSnapshotState['selfCorrections'],
        updatedAt: c.updated_at,
        agencyName: c.agency_name,
        leaderName: c.leader_name,
        trigger: c.trigger_type ? { type: c.trigger_type, receivedAt: c.trigger_received_at } : null,
        withdrawnRulingOn: c.withdrawn_ruling_on,
        presuitSettled: c.presuit_settled_at ? { at: c.presuit_settled_at, summary: c.presuit_settled_summary } : null,
        voided: c.voided_at ? { at: c.voided_at, by: c.voided_by, reason: c.voided_reason } : null,
        amendments: parse<NonNullable<CaseSnapshotState['amendments']>>(c.amendments) ?? [],
      },
      stageChanges: stageChanges.map((r) => ({
        seq: Number(r.seq),
        from: r.from_stage,
        to: r.to_stage,
        at: r.at,
        recordedAt: r.recorded_at,
      })),
      duties: duties.map((d) => ({
        id: d.duty_id,
        ruleId: d.rule_id,
        title: d.title,
        owner: d.owner,
        dueDate: d.due_date,
        dueAt: d.due_at,
        provisional: d.provisional === 1,
        basis: d.basis,
        status: d.status,
        createdAt: d.created_at,
        overdueSince: d.overdue_since,
        escalations: Number(d.escalations),
        remindersSent: Number(d.reminders_sent),
        doneAt: d.done_at,
        doneBy: d.done_by,
        lateDays: d.late_days === null ? null : Number(d.late_days),
        previousDue: parse<Duty['previousDue']>(d.previous_due),
        note: d.note,
        enteredAt: d.entered_at,
        doneByPerson: d.done_by_person,
      })),
      hearings: hearings.map((h) => ({
        id: h.hearing_id,
        scheduledAt: h.scheduled_at,
        headAppearanceRequired: h.head_appearance_required === 1,
        status: h.status,
        history: parse<NonNullable<Hearing['history']>>(h.history) ?? [],
        plan: h.plan_appearing
          ? {
              appearing: h.plan_appearing,
              name: h.plan_name,
              reason: h.plan_reason,
              submittedAt: h.plan_submitted_at,
              approval: h.approval_at
                ? {
                    approved: bool(h.approval_approved),
                    by: h.approval_by,
                    at: h.approval_at,
                    comment: h.approval_comment,
                  }
                : null,
            }
          : null,
        record: h.recorded_at
          ? {
              appeared: bool(h.appeared),
              who: h.appeared_who,
              role: h.appeared_role,
              spoke: bool(h.spoke),
              at: h.recorded_at,
              viceCountyHeadAppeared: bool(h.vice_county_head_appeared),
            }
          : null,
      })),
      mediations: mediations.map((m) => ({
        round: Number(m.round),
        stage: m.stage,
        letterReceivedAt: m.letter_received_at,
        periodDutyId: m.period_duty_id,
        progressDutyIds: JSON.parse(m.progress_duty_ids) as string[],
        extensions: JSON.parse(m.extensions) as Mediation['extensions'],
        result: parse<Mediation['result']>(m.result),
      })),
      judgment: judgment
        ? {
            id: judgment.judgment_id,
            instance: judgment.instance,
            documentType: judgment.document_type,
            receivedAt: judgment.received_at,
            outcome: judgment.outcome,
            documentNo: judgment.document_no,
            effectiveOn: judgment.effective_on,
            effectiveBy: judgment.effective_by,
            appealPeriod: parse<Judgment['appealPeriod']>(judgment.appeal_period),
            appeal: judgment.appeal_filed_on ? { filedOn: judgment.appeal_filed_on, by: judgment.appeal_by } : null,
            earlier: parse<Judgment[]>(judgment.earlier) ?? [],
            lossReport: {
              submittedAt: judgment.loss_report_submitted_at,
              submissions: Number(judgment.loss_report_submissions),
              reviews: JSON.parse(judgment.loss_report_reviews) as unknown[],
              reportedToCountyGovernmentAt: judgment.reported_to_county_government_at,
            },
          }
        : null,
      timeline: timeline.map((t) => ({
        seq: Number(t.seq),
        at: t.at,
        actor: t.actor,
        type: t.type,
        summary: t.summary,
        occurredAt: t.occurred_at,
        by: t.by_name,
      })),
      notices,
    };
  }

  /**
   * Duties across cases, soonest due first: a to-do list. Without a status, the outstanding ones (open and overdue).
   * `scope` limits the rows to the cases of some agencies, plus duties owned by the given owners.
   */
  async listDuties(filter: DutyFilter = {}): Promise<DutyListRow[]> {
    let q = this.db
      .selectFrom('duties')
      .innerJoin('cases', 'cases.id', 'duties.case_id')
      .select([
        'duties.case_id',
        'duties.duty_id',
        'duties.rule_id',
        'duties.title',
        'duties.owner',
        'duties.due_date',
        'duties.due_at',
        'duties.provisional',
        'duties.basis',
        'duties.status',
        'duties.overdue_since',
        'duties.escalations',
        'duties.done_at',
        'duties.late_days',
        'cases.title as case_title',
        'cases.agency_id',
        'cases.stage',
      ]);
    if (filter.owner) q = q.where('duties.owner', '=', filter.owner);
    q = filter.status
      ? q.where('duties.status', '=', filter.status)
      : q.where('duties.status', 'in', ['open', 'overdue']);
    const scope = filter.scope;
    if (scope) {
      if (scope.agencyIds.length === 0 && scope.owners.length === 0) return [];
      q = q.where((eb) => {
        const ors = [];
        if (scope.agencyIds.length > 0) ors.push(eb('cases.agency_id', 'in', scope.agencyIds));
        if (scope.owners.length > 0) ors.push(eb('duties.owner', 'in', scope.owners));
        return eb.or(ors);
      });
    }
    const rows = await q
      .orderBy('duties.due_at')
      .orderBy('duties.case_id')
      .limit(filter.limit ?? 500)
      .execute();
    return rows.map((r) => ({
      caseId: r.case_id,
      caseTitle: r.case_title,
      agencyId: r.agency_id,
      stage: r.stage,
      dutyId: r.duty_id,
      ruleId: r.rule_id,
      title: r.title,
      owner: r.owner,
      dueDate: r.due_date,
      dueAt: r.due_at,
      provisional: Boolean(Number(r.provisional)),
      basis: r.basis,
      status: r.status,
      overdueSince: r.overdue_since,
      escalations: Number(r.escalations),
      doneAt: r.done_at,
      lateDays: r.late_days === null ? null : Number(r.late_days),
    }));
  }

  /** Notices, newest first, filtered and limited to what the caller may see. */
  async listNotices(filter: NoticeFilter = {}): Promise<OutboxRow[]> {
    let q = this.db.selectFrom('notices').leftJoin('cases', 'cases.id', 'notices.case_id').selectAll('notices');
    if (filter.caseId) q = q.where('notices.case_id', '=', filter.caseId);
    if (filter.recipient) q = q.where('notices.recipient', '=', filter.recipient);
    if (filter.status) q = q.where('notices.status', '=', filter.status);
    const scope = filter.scope;
    if (scope) {
      if (scope.agencyIds.length === 0 && scope.recipients.length === 0) return [];
      q = q.where((eb) => {
        const ors = [];
        if (scope.agencyIds.length > 0) {
          ors.push(eb('cases.agency_id', 'in', scope.agencyIds));
          ors.push(eb.and([eb('cases.id', 'is', null), eb('notices.agency_id', 'in', scope.agencyIds)]));
        }
        if (scope.recipients.length > 0) ors.push(eb('notices.recipient', 'in', scope.recipients));
        return eb.or(ors);
      });
    }
    const rows = await q
      .orderBy('notices.created_at', 'desc')
      .orderBy('notices.id')
      .limit(filter.limit ?? 500)
      .execute();
    return rows.map(toOutboxRow);
  }

  /** Cases registered in [from, to) (ISO instants), for the quarterly report. */
  casesRegisteredBetween(from: string, to: string) {
    return this.db
      .selectFrom('cases')
      .selectAll()
      .where('registered_at', '>=', from)
      .where('registered_at', '<', to)
      .orderBy('registered_at')
      .execute();
  }

  /** Judgments received in [from, to), with their case's agency: the loss rate's numerator and denominator. */
  judgmentsReceivedBetween(from: string, to: string) {
    return this.db
      .selectFrom('judgments')
      .innerJoin('cases', 'cases.id', 'judgments.case_id')
      .select([
        'judgments.case_id',
        'cases.agency_id',
        'judgments.outcome',
        'judgments.received_at',
        'judgments.loss_report_submitted_at',
      ])
      .where('judgments.received_at', '>=', from)
      .where('judgments.received_at', '<', to)
      .orderBy('judgments.received_at')
      .execute();
  }

  /** Hearings scheduled in [from, to), with the appearance record: the head appearance rate. */
  hearingsScheduledBetween(from: string, to: string) {
    return this.db
      .selectFrom('hearings')
      .innerJoin('cases', 'cases.id', 'hearings.case_id')
      .select([
        'hearings.case_id',
        'hearings.hearing_id',
        'cases.agency_id',
        'hearings.scheduled_at',
        'hearings.head_appearance_required',
        'hearings.appeared',
        'hearings.appeared_role',
        'hearings.spoke',
        'hearings.approval_approved',
      ])
      .where('hearings.scheduled_at', '>=', from)
      .where('hearings.scheduled_at', '<', to)
      .orderBy('hearings.scheduled_at')
      .execute();
  }

  /** Duties overdue at some point, per owner: the overdue-duties indicator. */
  overdueDuties(from: string, to: string) {
    return this.db
      .selectFrom('duties')
      .innerJoin('cases', 'cases.id', 'duties.case_id')
      .select([
        'duties.case_id',
        'cases.agency_id',
        'duties.duty_id',
        'duties.rule_id',
        'duties.owner',
        'duties.due_date',
        'duties.overdue_since',
        'duties.done_at',
        'duties.late_days',
        'duties.status',
      ])
      .where('duties.overdue_since', 'is not', null)
      .where('duties.due_at', '>=', from)
      .where('duties.due_at', '<', to)
      .execute();
  }

  // ---------------------------------------------------------------- the outbox

  /**
   * Writes a notice's rows unless the key already has rows: a re-run with the same key changes nothing and returns
   * the rows written the first time (even if the directory changed since).
   */
  async enqueueNoticeRows(
    key: string,
    rows: NewOutboxRow[],
    now: Date = new Date(),
  ): Promise<{ rows: OutboxRow[]; created: boolean }> {
    return this.db.transaction().execute((trx) => enqueueNoticeRowsIn(trx, key, rows, now));
  }

  async noticeRowsByKey(key: string): Promise<OutboxRow[]> {
    const rows = await this.db.selectFrom('notices').selectAll().where('notice_key', '=', key).orderBy('id').execute();
    return rows.map(toOutboxRow);
  }

  async getNoticeRow(id: string): Promise<OutboxRow | undefined> {
    const row = await this.db.selectFrom('notices').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toOutboxRow(row) : undefined;
  }

  // ------------------------------------------------ the drainer's side (src/notifications/drainer.ts)

  /**
   * Claims up to `limit` rows that need the drainer now (`next_attempt_at <= now`) and whose lease is free or has
   * expired, leasing them to `owner` until `leaseUntil`. One statement: two drainers never claim the same row.
   */
  async claimDueNotices(owner: string, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedNotice[]> {
    const at = now.toISOString();
    const due = this.db
      .selectFrom('notices')
      .select('id')
      .where('next_attempt_at', '<=', at)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', at)]))
      .orderBy('next_attempt_at')
      .limit(limit);
    const rows = await this.db
      .updateTable('notices')
      .set((eb) => ({
        lease_owner: owner,
        lease_until: leaseUntil.toISOString(),
        // The horizon and the alert delay count from the first claim since the row was written or reopened.
        first_attempt_at: eb.fn.coalesce('first_attempt_at', eb.val(at)),
      }))
      // PostgreSQL: rows another drainer is claiming right now are skipped, not waited for. SQLite runs one writer
      // at a time, so the single UPDATE is the whole claim there.
      .where('id', 'in', this.dialect === 'postgres' ? due.forUpdate().skipLocked() : due)
      .returningAll()
      .execute();
    return rows
      .map((r) => ({
        ...toOutboxRow(r),
        firstAttemptAt: r.first_attempt_at,
        alertedAt: r.alerted_at,
        leaseUntil: r.lease_until,
      }))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /** The earliest instant a row needs a drainer, or undefined when none does. */
  async nextNoticeDueAt(): Promise<string | undefined> {
    const r = await this.db
      .selectFrom('notices')
      // A leased row is due for another drainer when its lease runs out.
      .select(
        sql<string | null>`min(case when lease_until > next_attempt_at then lease_until else next_attempt_at end)`.as(
          'at',
        ),
      )
      .executeTakeFirst();
    return r?.at ?? undefined;
  }

  /**
   * Before a send: one more attempt, the lease renewed. Only the lease holder moves a pending or sending row;
   * undefined when the lease was lost (another drainer took the row over) or the row is settled.
   */
  async startNoticeAttempt(
    id: string,
    owner: string,
    at: Date,
    leaseUntil: Date,
  ): Promise<{ attempts: number; firstAttemptAt: string } | undefined> {
    const iso = at.toISOString();
    const r = await this.db
      .updateTable('notices')
      .set((eb) => ({
        status: 'sending',
        attempts: eb('attempts', '+', 1),
        sending_at: iso,
        lease_until: leaseUntil.toISOString(),
        first_attempt_at: eb.fn.coalesce('first_attempt_at', eb.val(iso)),
      }))
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .where('status', 'in', ['pending', 'sending'])
      .returning(['attempts', 'first_attempt_at'])
      .executeTakeFirst();
    return r ? { attempts: Number(r.attempts), firstAttemptAt: r.first_attempt_at ?? iso } : undefined;
  }

  /**
   * The proof: the channel's answer. Settled, whoever holds the lease (the send happened). `sentAt`: the attempt was
   * not recorded before the send (the drainer's fast path, under a lease that outlasts it), so it is counted here.
   */
  async markNoticeDelivered(id: string, answer: string, at: Date = new Date(), sentAt?: Date): Promise<void> {
    await this.db
      .updateTable('notices')
      .set((eb) => ({
        ...(sentAt ? { attempts: eb('attempts', '+', 1), sending_at: sentAt.toISOString() } : {}),
        status: 'delivered',
        channel_answer: answer,
        delivered_at: at.toISOString(),
        last_error: null,
        next_attempt_at: null,
        lease_owner: null,
        lease_until: null,
      }))
      .where('id', '=', id)
      .where('status', '!=', 'delivered')
      .execute();
  }

  /** An attempt made without a record before it (see `markNoticeDelivered`) failed: counted before it is judged. */
  async countNoticeAttempt(id: string, sentAt: Date): Promise<void> {
    await this.db
      .updateTable('notices')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), sending_at: sentAt.toISOString() }))
      .where('id', '=', id)
      .where('status', 'in', ['pending', 'sending'])
      .execute();
  }

  /** An attempt failed: the row stays retryable, due again at `nextAt`, and keeps the channel's answer as evidence. */
  async markNoticeAttemptFailed(id: string, error: string, answer: string | null, nextAt: Date): Promise<void> {
    await this.db
      .updateTable('notices')
      .set({
        status: 'pending',
        last_error: error,
        channel_answer: answer,
        next_attempt_at: nextAt.toISOString(),
        lease_owner: null,
        lease_until: null,
      })
      .where('id', '=', id)
      .where('status', 'in', ['pending', 'sending'])
      .execute();
  }

  /**
   * A row that will not be sent, ended in one transaction: closed with `outcome` when given (undeliverable: never
   * sendable as written; failed: its retries spent; a delivered or already closed row stays as it is), the bureau's
   * alert about its notice written when given (once per notice key, see `enqueueNoticeAlert`), and settled. One
   * commit instead of three, and a crash between them can no longer leave a row closed but not yet alerted.
   */
  async endNotice(
    id: string,
    end: { outcome?: NoticeOutcome; alert?: NoticeAlert },
  ): Promise<{ closed: boolean; alerted: boolean }> {
    return this.db.transaction().execute(async (trx) => {
      // The alert first: it locks every row of the notice (PostgreSQL) before this row alone, so two rows of one
      // notice ended at once by two senders take their locks in the same order and never deadlock.
      const alerted = end.alert ? await enqueueNoticeAlertIn(trx, end.alert) : false;
      const closed = end.outcome ? await closeNoticeIn(trx, id, end.outcome) : false;
      // Nothing left for a drainer on the row (a delivered row is settled already).
      await trx
        .updateTable('notices')
        .set({ next_attempt_at: null, lease_owner: null, lease_until: null })
        .where('id', '=', id)
        .where('status', 'in', ['failed', 'undeliverable'])
        .execute();
      return { closed, alerted };
    });
  }

  /** Leases given back unused (a drainer stopping with rows still queued): another drainer may take them at once. */
  async releaseNotices(ids: string[], owner: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('notices')
      .set({ lease_owner: null, lease_until: null })
      .where('id', 'in', ids)
      .where('lease_owner', '=', owner)
      .execute();
  }

  /**
   * The bureau's alert about a notice, once per notice key: its rows written under `alertKey` and every row of the
   * notice marked alerted, in one transaction. False when the notice was alerted before (by any drainer, before any
   * restart): nothing is written then.
   */
  async enqueueNoticeAlert(alert: NoticeAlert): Promise<boolean> {
    return this.db.transaction().execute((trx) => enqueueNoticeAlertIn(trx, alert));
  }

  /**
   * A resend asked by the bureau: a failed, undeliverable or pending row is pending again and due at `now`, towards
   * `target` when given; its horizon starts again.
   */
  async reopenNoticeRow(id: string, target?: string, now: Date = new Date()): Promise<boolean> {
    const r = await this.db
      .updateTable('notices')
      .set({
        status: 'pending',
        failed_at: null,
        next_attempt_at: now.toISOString(),
        first_attempt_at: null,
        lease_owner: null,
        lease_until: null,
        ...(target !== undefined ? { target } : {}),
      })
      .where('id', '=', id)
      .where('status', 'in', ['pending', 'sending', 'failed', 'undeliverable'])
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Rows added to an existing notice (a resend to contacts the recipient has gained since); existing ids stand. */
  async addNoticeRows(rows: NewOutboxRow[], now: Date = new Date()): Promise<OutboxRow[]> {
    if (rows.length === 0) return [];
    const createdAt = now.toISOString();
    await this.db
      .insertInto('notices')
      .values(rows.map((r) => newNoticeRow(r, r.key, createdAt)))
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const ids = rows.map(outboxRowId);
    const out = await this.db.selectFrom('notices').selectAll().where('id', 'in', ids).orderBy('id').execute();
    return out.map(toOutboxRow);
  }
}
