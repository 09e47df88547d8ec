// Table types of the registry. Portable across SQLite and PostgreSQL: instants and dates are ISO text, booleans are
// 0/1 integers, nested records are JSON text. The migration in migrations.ts creates exactly these columns.
/** 0 or 1: SQLite has no boolean type, and one representation keeps queries identical on both databases. */
export type Flag = 0 | 1;

export interface CasesTable {
  id: string;
  title: string;
  agency_id: string;
  leader_id: string;
  field: string;
  plaintiff: string;
  stage: string;
  entered_stage: string;
  major: Flag;
  county_government_defendant: Flag;
  registered_at: string;
  closed_at: string | null;
  withdrawn_at: string | null;
  withdrawn_reason: string | null;
  /** JSON: CaseState['selfCorrections'] (row 9). */
  self_corrections: string;
  // Migration 0003 (issue 11); null on rows written before it.
  agency_name: string | null;
  leader_name: string | null;
  trigger_type: string | null;
  /** When the registration's notice or judgment was received: statistics date the case by it. */
  trigger_received_at: string | null;
  /** The court's 准予撤诉 ruling date: a withdrawal counts as 审结 on it. */
  withdrawn_ruling_on: string | null;
  presuit_settled_at: string | null;
  presuit_settled_summary: string | null;
  /** Entered by mistake: every indicator leaves the case out. */
  voided_at: string | null;
  voided_by: string | null;
  voided_reason: string | null;
  /** JSON: CaseState['amendments'] (the audit trail of corrections), or null. */
  amendments: string | null;
  /** When the registry last wrote this row (the activity's clock). */
  updated_at: string;
}

export interface StageChangesTable {
  case_id: string;
  seq: number;
  from_stage: string | null;
  to_stage: string;
  at: string;
  recorded_at: string;
}

export interface DutiesTable {
  case_id: string;
  duty_id: string;
  rule_id: string;
  title: string;
  owner: string;
  due_date: string;
  due_at: string;
  provisional: Flag;
  basis: string;
  status: string;
  created_at: string;
  overdue_since: string | null;
  escalations: number;
  reminders_sent: number;
  done_at: string | null;
  done_by: string | null;
  late_days: number | null;
  /** JSON: Duty['previousDue'] (extensions and reprojections), or null. */
  previous_due: string | null;
  note: string | null;
  /** When the completion was entered, when it differs from done_at (when it happened). */
  entered_at: string | null;
  done_by_person: string | null;
}

export interface HearingsTable {
  case_id: string;
  hearing_id: string;
  scheduled_at: string;
  head_appearance_required: Flag;
  plan_appearing: string | null;
  plan_name: string | null;
  plan_reason: string | null;
  plan_submitted_at: string | null;
  approval_approved: Flag | null;
  approval_by: string | null;
  approval_at: string | null;
  approval_comment: string | null;
  appeared: Flag | null;
  appeared_who: string | null;
  appeared_role: string | null;
  spoke: Flag | null;
  recorded_at: string | null;
  vice_county_head_appeared: Flag | null;
  /** scheduled | held | cancelled; null on rows written before migration 0003. */
  status: string | null;
  /** JSON: Hearing['history'] (reschedulings, cancellation), or null. */
  history: string | null;
}

export interface MediationsTable {
  case_id: string;
  round: number;
  stage: string;
  letter_received_at: string;
  period_duty_id: string;
  /** JSON array of duty ids. */
  progress_duty_ids: string;
  /** JSON: Mediation['extensions']. */
  extensions: string;
  extension_count: number;
  result_outcome: string | null;
  result_at: string | null;
  /** JSON: MediationResult, or null. */
  result: string | null;
}

export interface JudgmentsTable {
  case_id: string;
  received_at: string;
  outcome: string;
  document_no: string | null;
  loss_report_submitted_at: string | null;
  loss_report_submissions: number;
  /** JSON: the bureau's reviews of the loss-analysis report. */
  loss_report_reviews: string;
  reported_to_county_government_at: string | null;
  // The CURRENT document (migration 0003). judgment_id is null on rows written before it, which took effect on receipt.
  judgment_id: string | null;
  /** first | second | retrial */
  instance: string | null;
  /** judgment | ruling */
  document_type: string | null;
  /** Shanghai date it took effect: the loss rate dates and counts a judgment by it. */
  effective_on: string | null;
  effective_by: string | null;
  /** JSON: Judgment['appealPeriod'], or null. */
  appeal_period: string | null;
  appeal_filed_on: string | null;
  appeal_by: string | null;
  /** JSON: the earlier instances (CaseState['earlierJudgments']), or null. */
  earlier: string | null;
}

export interface TimelineTable {
  case_id: string;
  seq: number;
  at: string;
  actor: string;
  type: string;
  summary: string;
  /** When it happened, when that differs from `at` (when it was entered). */
  occurred_at: string | null;
  /** The person's name, when the command named one. */
  by_name: string | null;
}

export interface NoticesTable {
  /** `${notice_key}#${recipient}#${channel}#${contact_no}`: the natural key, so every writer derives the same id. */
  id: string;
  notice_key: string;
  case_id: string;
  duty_id: string | null;
  kind: string;
  /** The case's agency when the notice was asked for (facts.agencyId), for visibility filters. */
  agency_id: string | null;
  recipient: string;
  channel: string;
  /** Index of the contact in the recipient's directory entry (-1 for the `log` channel). */
  contact_no: number;
  /** Where it goes, without secrets (an address, or a URL's origin and path). */
  target: string;
  status: string;
  attempts: number;
  last_error: string | null;
  channel_answer: string | null;
  subject: string;
  body: string;
  /** JSON: NoticeRequest['facts']. */
  facts: string;
  requested_at: string;
  created_at: string;
  sending_at: string | null;
  delivered_at: string | null;
  failed_at: string | null;
  /** When the drainer next has work on the row (a send or an alert); null when settled. ISO, compared as text. */
  next_attempt_at: string | null;
  /** The drainer holding the row, and until when: another drainer takes it only once the lease has expired. */
  lease_owner: string | null;
  lease_until: string | null;
  /** The first attempt since the row was written or reopened: the horizon and the alert delay count from it. */
  first_attempt_at: string | null;
  /** When the bureau was alerted about the row's notice (once per notice key, never again after a restart). */
  alerted_at: string | null;
}

/** One Idempotency-Key of one caller: the request it was first used for and, once answered, the answer. */
export interface IdempotencyKeysTable {
  /** The caller (actor and person): keys of different callers never collide. */
  scope: string;
  key: string;
  /** sha256 of method, path and body: the same key with another request is refused. */
  request_hash: string;
  /** Null while the first call runs (or after it failed with 5xx): a retry then runs again. */
  status: number | null;
  response: string | null;
  created_at: string;
}

export interface RegistryDatabase {
  cases: CasesTable;
  stage_changes: StageChangesTable;
  duties: DutiesTable;
  hearings: HearingsTable;
  mediations: MediationsTable;
  judgments: JudgmentsTable;
  timeline: TimelineTable;
  notices: NoticesTable;
  idempotency_keys: IdempotencyKeysTable;
}
