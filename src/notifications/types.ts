// The contract between the case workflow and the notification service.

export const noticeKinds = [
  'inform', // the bureau informs the agency of a new case (rows 1, 8, 10)
  'report', // the leader in charge is reported a new case or event
  'reminder', // a duty's due date approaches
  'escalation', // a duty lapsed: leader in charge and bureau alerted
  'repeated-escalation', // still not done, every few working days
  'substitute-approval-request', // a deputy is to appear: the leader must consent (row 12)
  'hearing-reminder', // a hearing requiring the head approaches
  'loss-report-review', // the bureau's review of a loss-analysis report
  'county-government-report', // the bureau reports a loss analysis to the county government
  'delivery-failed', // a notice could not be delivered after its retries: the bureau is alerted
  'major-case', // the bureau flagged a complex or high-impact case (row 16)
  'work-reminder-letter', // 《工作提醒函》 (section 五)
  'interview', // 约谈 by the principal leader
  'quarterly-report', // the county-wide quarterly report
] as const;
export type NoticeKind = (typeof noticeKinds)[number];

/** Who receives a notice; resolved to contacts through the directory. */
export type RecipientRef =
  `agency:${string}` | `leader:${string}` | 'bureau' | 'court' | 'principal-leader' | 'county-government';

export interface NoticeRequest {
  /** Deterministic: `${caseId}/${dutyId ?? '-'}/${kind}/${seq}`; the same key is never delivered twice. */
  key: string;
  caseId: string;
  dutyId?: string;
  kind: NoticeKind;
  recipients: RecipientRef[];
  /** Facts the Chinese templates name; all optional except the case title. */
  facts: {
    caseTitle: string;
    agencyId?: string;
    dutyTitle?: string;
    dueDate?: string;
    basis?: string;
    /** Calendar days past the due date (escalations). */
    daysLate?: number;
    escalationNumber?: number;
    hearingAt?: string;
    detail?: string;
  };
  /** The workflow's time when it asked (deterministic), for the outbox row. */
  requestedAt: string;
}
