import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import { ParentClosePolicy, proxyActivities, setCurrentDetails, sleep, startChild } from '@temporalio/workflow';
import { noticeKey } from '../../notifications/keys';
import { sendNotice } from '../notifications/send';
import type { OversightActivities } from './activities';
import { reminderLetterWorkflow } from './letter';
import {
  quarterlyReportWorkflowId,
  reminderLetterWorkflowId,
  type QuarterlyReportInput,
  type QuarterlyReportResult,
  type ScheduleTriggerResult,
} from './messages';

const calendar = proxyActivities<OversightActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
// Reading a year of the registry and rendering the report: generous, and retried through a database outage.
const registry = proxyActivities<OversightActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '10 minutes' },
});

/**
 * The county-wide quarterly report (季度通报, section 五), id `quarterly-report-<year>-Q<q>`. Started before its day
 * (by the schedule), it sleeps until 09:00 Shanghai of the first working day after the quarter; started later, it
 * runs at once. It stores the report, sends interviews for ignored letters, issues this quarter's letters (abandoned
 * children, one per agency, never twice) and sends the report to the bureau, the leaders and the agencies.
 */
export async function quarterlyReportWorkflow(input: QuarterlyReportInput): Promise<QuarterlyReportResult> {
  const { year, quarter } = input;
  const timing = await calendar.quarterTiming.executeWithOptions({ summary: `${year}年第${quarter}季度通报日期` }, [
    { year, quarter },
  ]);
  const wait = Date.parse(timing.runAt) - Date.now();
  if (wait > 0) {
    setCurrentDetails(`${year}年第${quarter}季度通报：等待 ${timing.firstWorkingDay} 09:00（季度结束后第一个工作日）`);
    await sleep(wait, { summary: `等待 ${timing.firstWorkingDay} 09:00 发布通报` });
  }

  const generatedAt = new Date().toISOString();
  const report = await registry.generateQuarterlyReport.executeWithOptions(
    { summary: `生成${year}年第${quarter}季度通报` },
    [{ year, quarter, generatedAt }],
  );
  setCurrentDetails(
    `${report.title}\n第 ${report.generation} 次生成；提醒函 ${report.letters.length} 份；约谈 ${report.interviews.length} 家`,
  );

  for (const i of report.interviews) {
    const caseKey = reminderLetterWorkflowId(i.previousLetterId);
    await sendNotice({
      key: noticeKey(caseKey, undefined, 'interview', 1),
      caseId: caseKey,
      kind: 'interview',
      recipients: ['principal-leader', `agency:${i.agencyId}`, `leader:${i.leaderId}`, 'bureau'],
      facts: {
        caseTitle: `约谈：${i.agencyName}`,
        agencyId: i.agencyId,
        basis: '武政办〔2023〕47号 五',
        detail: i.detail,
      },
      requestedAt: generatedAt,
    });
  }

  const lettersStarted: string[] = [];
  for (const letter of report.letters) {
    try {
      await startChild(reminderLetterWorkflow, {
        workflowId: reminderLetterWorkflowId(letter.letterId),
        args: [letter],
        // 👉 A letter lives on its own after the report completes, and a rerun of the report never sends it twice.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        staticSummary: `《工作提醒函》${letter.letterId}`,
      });
      lettersStarted.push(letter.letterId);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  // One key per quarter: a rerun replaces the stored report but does not send it again.
  await sendNotice({
    key: noticeKey(report.reportId, undefined, 'quarterly-report', 1),
    caseId: report.reportId,
    kind: 'quarterly-report',
    recipients: report.recipients,
    facts: { caseTitle: report.title, basis: '武政办〔2023〕47号 五', detail: report.summary },
    requestedAt: generatedAt,
  });

  return {
    reportId: report.reportId,
    year,
    quarter,
    generatedAt,
    generation: report.generation,
    lettersStarted,
    letters: report.letters.map((l) => l.letterId),
    interviews: report.interviews.map((i) => i.agencyId),
  };
}

/**
 * What the Temporal Schedule starts (runs are `quarterly-report-schedule-<time>`): finds the quarter that just
 * ended and starts its report under the derived id, unless that report already exists.
 */
export async function quarterlyReportScheduleWorkflow(): Promise<ScheduleTriggerResult> {
  const q = await calendar.quarterJustEnded.executeWithOptions({ summary: '确定应通报的季度' }, [
    new Date().toISOString(),
  ]);
  const workflowId = quarterlyReportWorkflowId(q.year, q.quarter);
  try {
    await startChild(quarterlyReportWorkflow, {
      workflowId,
      args: [{ year: q.year, quarter: q.quarter }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      // A report the bureau already ran (or an earlier firing started) is left alone.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      staticSummary: `${q.year}年第${q.quarter}季度行政诉讼工作情况通报`,
    });
    return { ...q, workflowId, started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { ...q, workflowId, started: false };
    throw err;
  }
}
