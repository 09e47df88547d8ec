// The oversight tables, added to the registry by the migration in ./migrations.ts. Same conventions as
// src/registry/schema.ts: ISO text instants, 0/1 flags, JSON as text.
import type { RegistryDatabase } from '../registry/schema';

export interface ReportsTable {
  /** `quarterly-report-<year>-Q<q>` (the workflow id). */
  id: string;
  year: number;
  quarter: number;
  period_from: string;
  period_to: string;
  generated_at: string;
  /** How many times the report was generated (a rerun replaces the content). */
  generation: number;
  /** JSON: QuarterlyReportData (indicators, breaches, letters, interviews). */
  figures: string;
  markdown: string;
  html: string;
}

export interface ReminderLettersTable {
  /** `<year>-Q<q>-<agencyId>`; the workflow is `reminder-letter-<id>`. */
  id: string;
  year: number;
  quarter: number;
  agency_id: string;
  leader_id: string;
  issued_at: string;
  due_date: string | null;
  due_at: string | null;
  /** issued | acknowledged | answered */
  status: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  answered_at: string | null;
  answered_by: string | null;
  /** The agency's rectification measures. */
  answer: string | null;
  overdue_since: string | null;
  escalations: number;
  /** JSON: Breach[] named in the letter. */
  breaches: string;
  /** The letter as sent (Markdown). */
  letter: string;
  /** The report (`<year>-Q<q>`) that escalated the ignored letter to an interview (约谈), and when. */
  interview_report: string | null;
  interview_at: string | null;
  updated_at: string;
}

export interface ReportsDatabase extends RegistryDatabase {
  reports: ReportsTable;
  reminder_letters: ReminderLettersTable;
}
