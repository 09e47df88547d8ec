// After judgment (五): filing the judgment with the bureau, and after a loss the analysis report, its review and
// the report to the county government.
import type { Actor } from '../messages';
import { clip, outcomeName } from '../names';
import type { JudgmentOutcome } from '../types';
import { AGENCY_OR_BUREAU, BUREAU, on, type CaseOps, type DutySpec } from './types';

const isLoss = (o: JudgmentOutcome) => o === 'lost' || o === 'partly-lost';

/** Records the judgment and opens the filing duty, and after a loss the analysis-report duty. */
export async function receiveJudgment(
  m: CaseOps,
  receivedAt: string,
  outcome: JudgmentOutcome,
  documentNo: string | undefined,
  actor: Actor,
): Promise<void> {
  const lost = isLoss(outcome);
  const lossReport = lost ? { lossReport: { reviews: [], submissions: 0 } } : {};
  m.state.judgment = { receivedAt, outcome, documentNo, ...lossReport };
  const duties: DutySpec[] = [{ id: 'judgment-filing', rule: 'judgment-filing', from: receivedAt }];
  if (lost) duties.push({ id: 'loss-report', rule: 'loss-analysis-report', from: receivedAt });
  await m.addDuties(duties);
  const doc = documentNo ? `，${documentNo}` : '';
  const plan = `7个工作日内备案${lost ? '，30日内报送败诉原因分析报告' : ''}`;
  m.log(actor, 'judgment', `收到生效裁判文书（${outcomeName(outcome)}${doc}），${plan}`);
}

export const judgmentHandlers = {
  judgment: on<'judgment'>()({
    who: AGENCY_OR_BUREAU,
    ready: (c) => (c.state.stage !== 'in-suit' ? `a judgment is not expected in stage ${c.state.stage}` : undefined),
    receivedAt: (e) => e.receivedAt,
    async apply({ m, event, actor }) {
      m.setStage('post-judgment', actor);
      await receiveJudgment(m, event.receivedAt, event.outcome, event.documentNo, actor);
      await m.notify('report', ['bureau', m.leader], { detail: `收到生效裁判文书：${outcomeName(event.outcome)}` });
    },
  }),

  filing: on<'filing'>()({
    who: AGENCY_OR_BUREAU,
    ready: (c) => (c.awaited('judgment-filing') ? undefined : 'no judgment filing is awaited on this case'),
    check: (c) => {
      const duty = c.awaited('judgment-filing');
      return duty ? { duty } : 'no judgment filing is awaited on this case';
    },
    async apply({ m, event, ctx: { duty }, actor }) {
      m.complete(duty, actor, event.documentNo ?? event.note);
      m.log(actor, event.type, `裁判文书已向县司法局备案${event.documentNo ? `（${event.documentNo}）` : ''}`);
    },
  }),

  'loss-analysis-report': on<'loss-analysis-report'>()({
    who: AGENCY_OR_BUREAU,
    ready: (c) => (c.awaited('loss-report') ? undefined : 'no loss-analysis report is awaited on this case'),
    check: (c) => {
      const duty = c.awaited('loss-report');
      const lossReport = c.state.judgment?.lossReport;
      return duty && lossReport ? { duty, lossReport } : 'no loss-analysis report is awaited on this case';
    },
    async apply({ m, event, ctx: { duty, lossReport }, actor, now }) {
      m.complete(duty, actor, event.summary);
      lossReport.submittedAt = now;
      lossReport.submissions += 1;
      m.log(actor, event.type, '报送《行政案件败诉原因分析报告》');
      await m.notify('report', ['bureau'], { dutyTitle: duty.title, detail: '败诉原因分析报告已报送，请审核' });
    },
  }),

  'loss-report-review': on<'loss-report-review'>()({
    who: BUREAU,
    ready: (c) => {
      const lr = c.state.judgment?.lossReport;
      if (lr?.reviews.some((r) => r.decision === 'approved')) return 'the report is already approved';
      if (!lr || c.duty('loss-report')?.status !== 'done' || lr.reviews.length >= lr.submissions) {
        return 'no loss-analysis report awaits review';
      }
      return undefined;
    },
    check: (c) => {
      const lossReport = c.state.judgment?.lossReport;
      return lossReport ? { lossReport } : 'no loss-analysis report awaits review';
    },
    async apply({ m, event, ctx: { lossReport: lr }, actor, now }) {
      lr.reviews.push({ at: now, decision: event.decision, comments: event.comments });
      if (event.decision === 'approved') {
        lr.reportedToCountyGovernmentAt = now;
        m.log(actor, event.type, '县司法局审核通过败诉原因分析报告，已上报县政府');
        await m.notify('loss-report-review', [m.agencyOwner], { detail: '审核通过' });
        await m.notify('county-government-report', ['county-government'], {
          detail: '败诉原因分析报告（经县司法局审核）',
        });
      } else {
        m.reopen('loss-report', `县司法局退回：${event.comments}`);
        m.log(actor, event.type, `县司法局退回败诉原因分析报告：${clip(event.comments ?? '')}`);
        await m.notify('loss-report-review', [m.agencyOwner], {
          detail: `退回修改：${clip(event.comments ?? '', 500)}`,
        });
      }
    },
  }),
};
