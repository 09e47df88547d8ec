// Judgments and appeals (行政诉讼法第八十五条, 五): a first-instance document waits out its appeal period, during which the
// agency that lost decides whether to appeal; an appeal takes the case back into the suit; a document takes effect when
// the period passes with no appeal, when declared effective, or on receipt when final (second instance, retrial).
// Only then do filing (7 working days) and, after a loss, the analysis report (30 days) count, from the effective date.
import { shanghaiDate } from '../../../time/shanghai';
import type { Actor } from '../messages';
import { appellantName, clip, dateText, documentName, dueText, outcomeName } from '../names';
import type { Judgment, JudgmentDocumentType, JudgmentInstance, JudgmentOutcome } from '../types';
import { endSuitWork } from './suit';
import { AGENCY_OR_BUREAU, BUREAU, on, type CaseOps, type CaseView, type DutySpec } from './types';

export const isLoss = (o: JudgmentOutcome): boolean => o === 'lost' || o === 'partly-lost';

/** A document as received: from a `judgment` event or a registration at the judgment stage. */
export interface ReceivedDocument {
  receivedAt: string;
  outcome: JudgmentOutcome;
  documentNo?: string;
  instance: JudgmentInstance;
  documentType: JudgmentDocumentType;
}

const appealDecisionId = (j: Judgment) => `appeal-decision-${j.id}`;
const POST_JUDGMENT_RULES = new Set(['judgment-filing', 'loss-analysis-report', 'appeal-decision']);

/** A duty id not yet used on this case: the first of its kind keeps the plain id the registry and consoles know. */
const freshId = (m: CaseOps, id: string, j: Judgment) => (m.duty(id) ? `${id}-${j.id}` : id);

/**
 * Records a received document as the case's current one and ends the in-suit work. A first-instance one starts its
 * appeal period (and the losing agency's duty to decide on an appeal); a final one takes effect at once.
 */
export function receiveJudgment(m: CaseOps, doc: ReceivedDocument, actor: Actor): void {
  const s = m.state;
  const now = m.now();
  const name = documentName(doc.instance, doc.documentType);
  endSuitWork(m, `人民法院已作出${name}，诉讼中事项终止`, now);
  if (s.judgment) {
    // A retrial replaces an effective document: what was owed on the old one is overtaken.
    for (const d of m.outstanding())
      if (POST_JUDGMENT_RULES.has(d.ruleId)) m.supersede(d.id, `已收到${name}，原裁判文书的事项终止`);
    s.earlierJudgments = [...(s.earlierJudgments ?? []), s.judgment];
  }
  const j: Judgment = {
    id: `j${(s.earlierJudgments?.length ?? 0) + 1}`,
    instance: doc.instance,
    documentType: doc.documentType,
    receivedAt: doc.receivedAt,
    outcome: doc.outcome,
    ...(doc.documentNo ? { documentNo: doc.documentNo } : {}),
    ...(isLoss(doc.outcome) ? { lossReport: { reviews: [], submissions: 0 } } : {}),
  };
  s.judgment = j;
  const docText = `${name}（${outcomeName(doc.outcome)}${doc.documentNo ? `，${doc.documentNo}` : ''}）`;
  if (doc.instance !== 'first') {
    m.log(actor, 'judgment', `收到${docText}，自收到之日起生效`);
    takeEffect(m, shanghaiDate(doc.receivedAt), 'final', actor);
    return;
  }
  const rule = doc.documentType === 'ruling' ? 'appeal-period-ruling' : 'appeal-period-judgment';
  const [period] = m.deadlines([{ rule, from: doc.receivedAt }]);
  if (!period) throw new TypeError('the deadline engine answered no appeal period');
  j.appealPeriod = { dueDate: period.dueDate, dueAt: period.dueAt, basis: period.basis };
  // 驳回起诉 dismisses the plaintiff's suit: the agency did not lose and has nothing to decide.
  if (isLoss(doc.outcome))
    m.pushDuty({
      id: appealDecisionId(j),
      ruleId: 'appeal-decision',
      title: `决定是否对${name}提起上诉`,
      owner: m.agencyOwner,
      dueDate: period.dueDate,
      dueAt: period.dueAt,
      provisional: period.provisional,
      basis: period.basis,
      reminders: period.reminders,
    });
  m.log(actor, 'judgment', `收到${docText}，上诉期至${dueText(period.dueDate)}；期满无人上诉的，次日起生效`);
  appealPeriodLapse(m, m.now());
}

/**
 * The document takes effect on `effectiveOn`: the decision on an appeal is moot, and filing (and after a loss the
 * analysis report) count from that date.
 */
export function takeEffect(
  m: CaseOps,
  effectiveOn: string,
  by: NonNullable<Judgment['effectiveBy']>,
  actor: Actor,
): void {
  const j = m.state.judgment;
  if (!j) return;
  j.effectiveOn = effectiveOn;
  j.effectiveBy = by;
  m.supersede(appealDecisionId(j), '裁判文书已生效');
  const lost = isLoss(j.outcome);
  const specs: DutySpec[] = [{ id: freshId(m, 'judgment-filing', j), rule: 'judgment-filing', from: effectiveOn }];
  if (lost) specs.push({ id: freshId(m, 'loss-report', j), rule: 'loss-analysis-report', from: effectiveOn });
  m.addDuties(specs);
  const how = { 'appeal-period-lapsed': '上诉期届满无人上诉', declared: '经确认', final: '终审' }[by];
  const plan = `7个工作日内向县司法局备案${lost ? '，30日内报送败诉原因分析报告' : ''}`;
  m.log(actor, 'judgment-effective', `裁判文书${how}，自${dateText(effectiveOn)}起生效：${plan}`);
  m.notify('report', ['bureau', m.leader], {
    detail: `裁判文书已生效（${outcomeName(j.outcome)}），${plan}`,
  });
}

/** The appeal period of the current first-instance document ended with no appeal: it took effect the next day. */
export function appealPeriodLapse(m: CaseOps, now: string): boolean {
  const j = m.state.judgment;
  if (!j?.appealPeriod || j.effectiveOn || j.appeal || Date.parse(j.appealPeriod.dueAt) > Date.parse(now)) return false;
  takeEffect(m, shanghaiDate(j.appealPeriod.dueAt), 'appeal-period-lapsed', 'system');
  return true;
}

/** The outstanding duty of a post-judgment rule, and the current document's loss report. */
const awaitedLossReport = (c: CaseView) => {
  const duty = c.awaitedRule('loss-analysis-report');
  const lossReport = c.state.judgment?.lossReport;
  return duty && lossReport ? { duty, lossReport } : '本案没有待报送的败诉原因分析报告';
};

/** Which instance may come now: a first-instance one in the suit, a second one after an appeal, a retrial any time. */
function judgmentRefusal(c: CaseView, instance: JudgmentInstance): string | undefined {
  const s = c.state;
  const appealed = s.earlierJudgments?.at(-1)?.appeal;
  if (instance === 'retrial')
    return s.stage === 'in-suit' || s.judgment?.effectiveOn ? undefined : '原裁判尚未生效，不是再审';
  if (s.stage !== 'in-suit') return '只有诉讼中的案件才能登记一审或二审裁判文书';
  if (instance === 'second' && !appealed) return '尚未登记上诉，不能登记二审裁判文书';
  return undefined;
}

export const judgmentHandlers = {
  judgment: on<'judgment'>()({
    who: AGENCY_OR_BUREAU,
    ready: (c) => (c.state.stage === 'in-suit' || c.state.judgment?.effectiveOn ? undefined : '本案当前不接受裁判文书'),
    check: (c, e) => {
      const refused = judgmentRefusal(c, e.instance);
      if (refused) return refused;
      if (Date.parse(e.receivedAt) < Date.parse(c.state.trigger.receivedAt))
        return '裁判文书的收到时间不能早于收到登记材料的时间';
      return undefined;
    },
    receivedAt: (e) => e.receivedAt,
    apply({ m, event, actor }) {
      m.setStage('post-judgment', actor);
      receiveJudgment(m, event, actor);
      const name = documentName(event.instance, event.documentType);
      m.notify('report', ['bureau', m.leader], { detail: `收到${name}：${outcomeName(event.outcome)}` });
    },
  }),

  'appeal-filed': on<'appeal-filed'>()({
    who: AGENCY_OR_BUREAU,
    ready: (c) => {
      const j = c.state.judgment;
      if (!j?.appealPeriod || j.appeal) return '本案没有处于上诉期的一审裁判文书';
      // A period that lapsed before the appeal was entered may still have seen an appeal filed in time.
      if (j.effectiveOn && j.effectiveBy !== 'appeal-period-lapsed') return '裁判文书已生效，不能上诉';
      return undefined;
    },
    check: (c, e) => {
      const j = c.state.judgment!;
      const period = j.appealPeriod!;
      if (e.filedOn > shanghaiDate(c.now)) return '上诉日期不能晚于今天';
      if (e.filedOn < shanghaiDate(j.receivedAt)) return '上诉日期不能早于收到裁判文书的日期';
      if (e.filedOn > period.dueDate) return `上诉期已于${dueText(period.dueDate)}届满`;
      return { j };
    },
    apply({ m, event, ctx: { j }, actor }) {
      const s = m.state;
      if (j.effectiveOn) {
        // Entered after the period had been taken as lapsed: the document never took effect.
        for (const d of m.outstanding())
          if (d.ruleId === 'judgment-filing' || d.ruleId === 'loss-analysis-report')
            m.supersede(d.id, '已在上诉期内上诉，裁判文书未生效');
        delete j.effectiveOn;
        delete j.effectiveBy;
      }
      j.appeal = { filedOn: event.filedOn, by: event.by };
      const decision = m.duty(appealDecisionId(j));
      if (decision && event.by === 'agency') m.complete(decision, actor, '决定上诉');
      else m.supersede(appealDecisionId(j), `${appellantName(event.by)}已上诉`);
      s.earlierJudgments = [...(s.earlierJudgments ?? []), j];
      delete s.judgment;
      m.setStage('in-suit', actor);
      m.log(actor, event.type, `${appellantName(event.by)}于${dateText(event.filedOn)}提起上诉，案件进入二审`);
      m.notify('report', ['bureau', m.leader], { detail: `${appellantName(event.by)}已提起上诉，案件进入二审` });
    },
  }),

  'judgment-effective': on<'judgment-effective'>()({
    who: AGENCY_OR_BUREAU,
    ready: (c) => (c.state.judgment && !c.state.judgment.effectiveOn ? undefined : '本案没有待生效的裁判文书'),
    check: (c, e) => {
      const j = c.state.judgment!;
      if (e.effectiveOn > shanghaiDate(c.now)) return '生效日期不能晚于今天';
      if (e.effectiveOn < shanghaiDate(j.receivedAt)) return '生效日期不能早于收到裁判文书的日期';
      return undefined;
    },
    apply({ m, event, actor }) {
      takeEffect(m, event.effectiveOn, 'declared', actor);
    },
  }),

  'appeal-decision': on<'appeal-decision'>()({
    who: AGENCY_OR_BUREAU,
    ready: (c) => (c.awaitedRule('appeal-decision') ? undefined : '本案没有待作出的上诉决定'),
    check: (c) => {
      const duty = c.awaitedRule('appeal-decision');
      return duty ? { duty } : '本案没有待作出的上诉决定';
    },
    apply({ m, event, ctx: { duty }, actor }) {
      const text = event.decision === 'appeal' ? '决定上诉' : '决定不上诉（服从裁判）';
      m.complete(duty, actor, event.reason ? `${text}：${event.reason}` : text);
      m.log(actor, event.type, `${text}${event.reason ? `：${clip(event.reason)}` : ''}`);
      m.notify('report', ['bureau', m.leader], { dutyTitle: duty.title, detail: text });
    },
  }),

  filing: on<'filing'>()({
    who: AGENCY_OR_BUREAU,
    ready: (c) => (c.awaitedRule('judgment-filing') ? undefined : '本案没有待备案的裁判文书'),
    check: (c) => {
      const duty = c.awaitedRule('judgment-filing');
      return duty ? { duty } : '本案没有待备案的裁判文书';
    },
    apply({ m, event, ctx: { duty }, actor }) {
      m.complete(duty, actor, event.documentNo ?? event.note);
      m.log(actor, event.type, `裁判文书已向县司法局备案${event.documentNo ? `（${event.documentNo}）` : ''}`);
    },
  }),

  'loss-analysis-report': on<'loss-analysis-report'>()({
    who: AGENCY_OR_BUREAU,
    ready: (c) => (typeof awaitedLossReport(c) === 'string' ? '本案没有待报送的败诉原因分析报告' : undefined),
    check: awaitedLossReport,
    apply({ m, event, ctx: { duty, lossReport }, actor }) {
      m.complete(duty, actor, event.summary);
      lossReport.submittedAt = duty.doneAt;
      lossReport.submissions += 1;
      m.log(actor, event.type, '报送《行政案件败诉原因分析报告》');
      m.notify('report', ['bureau'], { dutyTitle: duty.title, detail: '败诉原因分析报告已报送，请审核' });
    },
  }),

  'loss-report-review': on<'loss-report-review'>()({
    who: BUREAU,
    ready: (c) => {
      const lr = c.state.judgment?.lossReport;
      if (lr?.reviews.some((r) => r.decision === 'approved')) return '败诉原因分析报告已审核通过';
      const report = c.state.duties.filter((d) => d.ruleId === 'loss-analysis-report').at(-1);
      if (!lr || report?.status !== 'done' || lr.reviews.length >= lr.submissions)
        return '没有待审核的败诉原因分析报告';
      return undefined;
    },
    check: (c) => {
      const lossReport = c.state.judgment?.lossReport;
      const report = c.state.duties.filter((d) => d.ruleId === 'loss-analysis-report').at(-1);
      return lossReport && report ? { lossReport, report } : '没有待审核的败诉原因分析报告';
    },
    apply({ m, event, ctx: { lossReport: lr, report }, actor, now }) {
      lr.reviews.push({ at: now, decision: event.decision, comments: event.comments });
      if (event.decision === 'approved') {
        lr.reportedToCountyGovernmentAt = now;
        m.log(actor, event.type, '县司法局审核通过败诉原因分析报告，已上报县政府');
        m.notify('loss-report-review', [m.agencyOwner], { detail: '审核通过' });
        m.notify('county-government-report', ['county-government'], {
          detail: '败诉原因分析报告（经县司法局审核）',
        });
      } else {
        m.reopen(report.id, `县司法局退回：${event.comments}`);
        m.log(actor, event.type, `县司法局退回败诉原因分析报告：${clip(event.comments ?? '')}`);
        m.notify('loss-report-review', [m.agencyOwner], {
          detail: `退回修改：${clip(event.comments ?? '', 500)}`,
        });
      }
    },
  }),
};
