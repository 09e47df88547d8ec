// The suit (一(二), 行政诉讼法第六十七条): the response notice, the report on it, the defence with its evidence,
// self-correction and withdrawal; and what ends the in-suit work when the court decides.
import { shanghaiDate } from '../../../time/shanghai';
import { clip, dateText } from '../names';
import { approvalDutyId, planDutyId } from './hearings';
import { AGENCY_OR_BUREAU, isOpen, on, type CaseOps, type DutySpec } from './types';

/** The in-suit duties a response notice opens: the report (一(二)) and the defence with evidence (第六十七条). */
export function responseNoticeDuties(receivedAt: string): DutySpec[] {
  return [
    { id: 'insuit-report', rule: 'insuit-report', from: receivedAt },
    { id: 'defence-and-evidence', rule: 'defence-and-evidence', from: receivedAt },
  ];
}

const SUIT_RULES = new Set(['insuit-report', 'defence-and-evidence', 'appearance-plan', 'substitute-approval']);

/**
 * A judgment, a ruling or a withdrawal ends the in-suit work: the report, the defence, the plans and approvals of
 * hearings not yet held, and an open mediation's duties end superseded (a lapsed one keeps its lapse on record but
 * escalates no more); hearings still to come are vacated.
 */
export function endSuitWork(m: CaseOps, reason: string, now: string): void {
  const s = m.state;
  for (const h of s.hearings) {
    if (h.record || h.status === 'cancelled' || Date.parse(h.scheduledAt) <= Date.parse(now)) continue;
    h.status = 'cancelled';
    h.history = [...(h.history ?? []), { from: h.scheduledAt, at: now, reason, kind: 'cancelled' }];
    m.supersede(planDutyId(h.id), reason);
    m.supersede(approvalDutyId(h.id), reason);
  }
  for (const d of m.outstanding()) if (SUIT_RULES.has(d.ruleId)) m.supersede(d.id, reason);
  for (const med of s.mediations.filter(isOpen)) {
    med.overtakenAt = now;
    for (const id of [med.periodDutyId, ...med.progressDutyIds]) m.supersede(id, reason);
  }
}

/** Opens the duty to file a document with the bureau (五), counted from the day it took effect. */
export function openFiling(m: CaseOps, from: string, titleSuffix: string): string {
  const id = m.duty('judgment-filing') ? `judgment-filing-${m.state.duties.length + 1}` : 'judgment-filing';
  m.addDuties([{ id, rule: 'judgment-filing', from, titleSuffix }]);
  return id;
}

export const suitHandlers = {
  'response-notice': on<'response-notice'>()({
    who: AGENCY_OR_BUREAU,
    ready: (c) => (c.state.stage !== 'pre-suit' ? '只有诉前阶段的案件才能登记应诉通知书' : undefined),
    receivedAt: (e) => e.receivedAt,
    apply({ m, event, actor }) {
      m.setStage('in-suit', actor);
      m.addDuties(responseNoticeDuties(event.receivedAt));
      m.log(actor, event.type, `收到人民法院应诉通知书（${dateText(shanghaiDate(event.receivedAt))}）`);
      m.notify('inform', [m.agencyOwner], {
        detail: '人民法院已立案：请于3日内告知县司法局并向分管县领导报告；收到起诉状副本之日起15日内提交答辩状及证据',
      });
    },
  }),

  'insuit-report': on<'insuit-report'>()({
    who: AGENCY_OR_BUREAU,
    ready: (c) => (c.awaited('insuit-report') ? undefined : '本案没有待报告的应诉情况'),
    check: (c) => {
      const duty = c.awaited('insuit-report');
      return duty ? { duty } : '本案没有待报告的应诉情况';
    },
    apply({ m, event, ctx: { duty }, actor }) {
      m.complete(duty, actor, event.summary);
      m.log(actor, event.type, '已告知县司法局并向分管县领导报告应诉情况');
      const detail = event.summary && clip(event.summary, 500);
      m.notify('report', ['bureau', m.leader], { dutyTitle: duty.title, detail });
    },
  }),

  'defence-submitted': on<'defence-submitted'>()({
    who: AGENCY_OR_BUREAU,
    ready: (c) => (c.awaited('defence-and-evidence') ? undefined : '本案没有待提交的答辩状及证据'),
    check: (c) => {
      const duty = c.awaited('defence-and-evidence');
      return duty ? { duty } : '本案没有待提交的答辩状及证据';
    },
    apply({ m, event, ctx: { duty }, actor }) {
      m.complete(duty, actor, event.note);
      m.log(actor, event.type, `已向人民法院提交答辩状及证据${event.note ? `：${clip(event.note)}` : ''}`);
      m.notify('report', ['bureau'], { dutyTitle: duty.title, detail: '已提交答辩状及证据' });
    },
  }),

  'self-correction': on<'self-correction'>()({
    who: AGENCY_OR_BUREAU,
    ready: (c) =>
      c.state.stage === 'in-suit' || c.state.stage === 'pre-suit' ? undefined : '主动纠正须在裁判作出前登记',
    apply({ m, event, actor, now }) {
      m.state.selfCorrections.push({ at: now, description: event.description, courtInformedOn: event.courtInformedOn });
      m.log(actor, event.type, `主动纠正被诉行政行为：${clip(event.description)}`);
      m.notify('report', ['bureau'], { detail: `主动纠正：${clip(event.description, 500)}` });
    },
  }),

  withdrawn: on<'withdrawn'>()({
    who: AGENCY_OR_BUREAU,
    ready: (c) => (c.state.stage !== 'in-suit' ? '只有诉讼中的案件才能登记撤诉' : undefined),
    check: (c, e) => {
      if (e.rulingOn > shanghaiDate(c.now)) return '准予撤诉裁定的日期不能晚于今天';
      if (e.rulingOn < shanghaiDate(c.state.trigger.receivedAt)) return '准予撤诉裁定的日期不能早于收到登记材料的日期';
      return undefined;
    },
    apply({ m, event, actor, now }) {
      m.state.withdrawn = { at: now, rulingOn: event.rulingOn, ...(event.reason ? { reason: event.reason } : {}) };
      endSuitWork(m, '原告撤诉，人民法院裁定准予撤诉', now);
      // The 准予撤诉 ruling is a document the agency files like a judgment (五), counted from the ruling.
      openFiling(m, event.rulingOn, '（准予撤诉裁定）');
      const reason = event.reason ? `：${clip(event.reason)}` : '';
      m.log(actor, event.type, `人民法院裁定准予撤诉（${dateText(event.rulingOn)}）${reason}，请备案裁定书`);
      m.notify('report', ['bureau', m.leader], { detail: '原告撤诉，人民法院裁定准予撤诉' });
    },
  }),
};
