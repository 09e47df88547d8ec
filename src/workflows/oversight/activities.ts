// The activities the oversight workflows call, as types: workflow code never imports src/activities (it would pull
// the worker's dependencies into the bundle). The worker's implementations must satisfy these signatures.
import type { Period, Quarter } from '../../reports/period';
import type { RecipientRef } from '../../notifications/types';
import type { CalendarActivities } from '../case/activities';
import type { ReminderLetterInput, ReminderLetterState } from './messages';

export interface QuarterTiming {
  year: number;
  quarter: Quarter;
  period: Period;
  /** The first working day after the quarter (Shanghai), and 09:00 of it: when the report goes out. */
  firstWorkingDay: string;
  runAt: string;
}

export interface InterviewNotice {
  agencyId: string;
  leaderId: string;
  agencyName: string;
  previousLetterId: string;
  detail: string;
}

export interface GeneratedReport {
  reportId: string;
  year: number;
  quarter: number;
  generatedAt: string;
  generation: number;
  title: string;
  /** One paragraph for the notice (the full report is read through the API). */
  summary: string;
  recipients: RecipientRef[];
  letters: ReminderLetterInput[];
  interviews: InterviewNotice[];
}

export interface OversightActivities extends Pick<CalendarActivities, 'nextEscalationAt'> {
  quarterTiming(input: { year: number; quarter: Quarter }): Promise<QuarterTiming>;
  quarterJustEnded(at: string): Promise<{ year: number; quarter: Quarter }>;
  generateQuarterlyReport(input: { year: number; quarter: Quarter; generatedAt: string }): Promise<GeneratedReport>;
  recordReminderLetter(state: ReminderLetterState): Promise<void>;
}
