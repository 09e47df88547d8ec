// Corrections by the bureau: a registration entered wrongly is amended (every due date that depends on a corrected
// date is counted again, the case moves to the right agency and leader, the amendment stays on record), and a case
// entered by mistake is voided (its timers stop, it leaves every indicator, its id stays reserved).
import { isOutstanding } from '../../../duties';
import { isoMs, shanghaiDate } from '../../../time/shanghai';
import { amendableName, clip, dateText, fieldName, momentText, outcomeName } from '../names';
import type { CaseAmendment, CaseState, JudgmentOutcome } from '../types';
import { isLoss } from './judgment';
import { BUREAU, isOpen, on, refuse, type CaseOps, type DeadlineRequest } from './types';

type Changes = CaseAmendment['changes'];

/** "征地拆迁 → 工伤认定", as the bureau reads a changed item. */
function changeText(key: string, c: { from: unknown; to: unknown }, s: CaseState): string {
  const show = (v: unknown): string => {
    if (key === 'field') return fieldName(String(v));
    if (key === 'outcome') return outcomeName(String(v));
    if (key === 'triggerReceivedAt') return momentText(String(v));
    return String(v);
  };
  if (key === 'agencyId') return `${amendableName(key)}（改为${s.agencyName}）`;
  if (key === 'title') return `${amendableName(key)}（改为“${clip(String(c.to), 40)}”）`;
  return `${amendableName(key)}（${show(c.from)} → ${show(c.to)}）`;
}

const REASON = '登记信息更正';

/** Counts again every duty that counted from `from`: period duties by their trigger, their lateness by it. */
function recount(m: CaseOps, from: string, to: string): void {
  const s = m.state;
  const affected = s.duties.filter((d) => d.from !== undefined && isoMsOrDate(d.from) === isoMsOrDate(from));
  const counted = affected.filter((d) => d.status !== 'superseded' && d.status !== 'waived');
  const requests: DeadlineRequest[] = counted.map((d) => {
    const med = s.mediations.find((x) => x.periodDutyId === d.id);
    const ext = med?.extensions.at(-1);
    return {
      rule: d.ruleId as DeadlineRequest['rule'],
      from: to,
      ...(d.nth ? { nth: d.nth } : {}),
      ...(ext ? { extension: { until: ext.newDueDate } } : {}),
    };
  });
  const computed = requests.length ? m.deadlines(requests) : [];
  counted.forEach((d, i) => {
    const next = computed[i];
    if (next && next.dueDate !== d.dueDate) m.moveDue(d, next, `${REASON}：起算时间改为${momentText(to)}`);
    d.from = to;
  });
  for (const d of affected) d.from = to;
}

/** Dates and instants compare as days or instants, whichever they are. */
const isoMsOrDate = (v: string): string => (v.length === 10 ? v : String(isoMs(v)));

/** The registration's trigger was received at another time: everything counted from it is counted again. */
function retimeTrigger(m: CaseOps, to: string): void {
  const s = m.state;
  const from = s.trigger.receivedAt;
  s.trigger.receivedAt = to;
  for (const med of s.mediations) if (isoMs(med.letterReceivedAt) === isoMs(from)) med.letterReceivedAt = to;
  recount(m, from, to);
  const j = [...(s.earlierJudgments ?? []), ...(s.judgment ? [s.judgment] : [])].find(
    (x) => isoMs(x.receivedAt) === isoMs(from),
  );
  if (!j) return;
  j.receivedAt = to;
  const oldEffective = j.effectiveOn;
  if (j.appealPeriod) {
    const rule = j.documentType === 'ruling' ? 'appeal-period-ruling' : 'appeal-period-judgment';
    const [period] = m.deadlines([{ rule, from: to }]);
    if (!period) throw new TypeError('the deadline engine answered no appeal period');
    j.appealPeriod = { dueDate: period.dueDate, dueAt: period.dueAt, basis: period.basis };
    const decision = m.duty(`appeal-decision-${j.id}`);
    if (decision && decision.dueDate !== period.dueDate) m.moveDue(decision, period, `${REASON}：上诉期重新计算`);
    if (j.effectiveBy === 'appeal-period-lapsed') {
      if (isoMs(period.dueAt) > isoMs(m.now()))
        throw refuse('更正后的上诉期尚未届满，而裁判文书已按期满生效：请先核实上诉情况', 'appeal_period_open');
      j.effectiveOn = shanghaiDate(period.dueAt);
    }
  }
  if (j.effectiveBy === 'final') j.effectiveOn = shanghaiDate(to);
  if (oldEffective && j.effectiveOn && oldEffective !== j.effectiveOn) recount(m, oldEffective, j.effectiveOn);
}

/** The outcome was entered wrongly: the loss report (and the decision on an appeal) appear or end superseded. */
function changeOutcome(m: CaseOps, to: JudgmentOutcome): void {
  const j = m.state.judgment!;
  const was = isLoss(j.outcome);
  j.outcome = to;
  if (was === isLoss(to)) return;
  const why = `${REASON}：裁判结果改为${outcomeName(to)}`;
  if (was) {
    for (const d of m.outstanding())
      if (d.ruleId === 'loss-analysis-report' || d.ruleId === 'appeal-decision') m.supersede(d.id, why);
    if (!j.lossReport?.submissions) delete j.lossReport;
    return;
  }
  j.lossReport ??= { reviews: [], submissions: 0 };
  if (j.effectiveOn) {
    const id = m.duty('loss-report') ? `loss-report-${j.id}` : 'loss-report';
    m.addDuties([{ id, rule: 'loss-analysis-report', from: j.effectiveOn }]);
  } else if (j.appealPeriod && !j.appeal && isoMs(j.appealPeriod.dueAt) > isoMs(m.now())) {
    const rule = j.documentType === 'ruling' ? 'appeal-period-ruling' : 'appeal-period-judgment';
    const [period] = m.deadlines([{ rule, from: j.receivedAt }]);
    if (!period) throw new TypeError('the deadline engine answered no appeal period');
    const id = `appeal-decision-${j.id}`;
    if (m.duty(id)) m.reopen(id, why);
    else
      m.pushDuty({
        id,
        ruleId: 'appeal-decision',
        title: '决定是否提起上诉',
        owner: m.agencyOwner,
        dueDate: period.dueDate,
        dueAt: period.dueAt,
        provisional: period.provisional,
        basis: period.basis,
        reminders: period.reminders,
      });
  }
}

export const correctionHandlers = {
  'registration-amended': on<'registration-amended'>()({
    who: BUREAU,
    check: (c, e, command) => {
      const s = c.state;
      const want = e.changes;
      const changes: Changes = {};
      if (want.title !== undefined && want.title !== s.title) changes.title = { from: s.title, to: want.title };
      if (want.field !== undefined && want.field !== s.field) changes.field = { from: s.field, to: want.field };
      if (want.agencyId !== undefined && want.agencyId !== s.agencyId) {
        if (!command.resolved) return refuse('更换涉诉单位须附新单位及其分管县领导的信息', 'unresolved_agency');
        changes.agencyId = { from: s.agencyId, to: want.agencyId };
      }
      if (want.triggerReceivedAt !== undefined && isoMs(want.triggerReceivedAt) !== isoMs(s.trigger.receivedAt)) {
        if (isoMs(want.triggerReceivedAt) > isoMs(c.now) + 5 * 60_000)
          return refuse('收到时间不能晚于现在', 'in_future');
        changes.triggerReceivedAt = { from: s.trigger.receivedAt, to: want.triggerReceivedAt };
      }
      if (want.outcome !== undefined) {
        if (!s.judgment) return '本案尚无裁判文书，不能更正裁判结果';
        if (want.outcome !== s.judgment.outcome) changes.outcome = { from: s.judgment.outcome, to: want.outcome };
      }
      if (!Object.keys(changes).length) return refuse('更正内容与现有登记信息相同，无需更正', 'no_change');
      return { changes };
    },
    apply({ m, event, ctx: { changes }, actor, now, command }) {
      const s = m.state;
      const oldAgency = m.agencyOwner;
      const oldLeader = m.leader;
      if (changes.title) s.title = event.changes.title!;
      if (changes.field) s.field = event.changes.field!;
      if (changes.agencyId && command.resolved) {
        const r = command.resolved;
        s.agencyId = event.changes.agencyId!;
        s.agencyName = r.agencyName;
        s.leaderId = r.leaderId;
        if (r.leaderName) s.leaderName = r.leaderName;
        else delete s.leaderName;
        // The duties move with the case: the new agency owes them, the new leader approves and is alerted.
        for (const d of s.duties) {
          if (d.owner === oldAgency) d.owner = m.agencyOwner;
          else if (d.owner === oldLeader) d.owner = m.leader;
        }
      }
      if (changes.triggerReceivedAt) retimeTrigger(m, event.changes.triggerReceivedAt!);
      if (changes.outcome) changeOutcome(m, event.changes.outcome!);
      s.amendments = [...(s.amendments ?? []), { at: now, by: actor, reason: event.reason, changes }];
      const what = Object.entries(changes)
        .map(([k, c]) => changeText(k, c, s))
        .join('；');
      m.log(actor, event.type, `更正登记信息：${what}。理由：${clip(event.reason)}`);
      const to = changes.agencyId ? [m.agencyOwner, oldAgency] : [m.agencyOwner];
      m.notify('inform', to, { detail: `县司法局更正了登记信息：${what}` });
      m.notify('report', [m.leader], { detail: `县司法局更正了登记信息：${what}` });
    },
  }),

  'registration-voided': on<'registration-voided'>()({
    who: BUREAU,
    apply({ m, event, actor, now }) {
      const s = m.state;
      for (const d of s.duties) if (isOutstanding(d)) m.supersede(d.id, '误登记，案件作废');
      for (const med of s.mediations.filter(isOpen)) med.overtakenAt = now;
      s.voided = { at: now, by: actor, reason: event.reason };
      m.setStage('voided', actor);
      m.log(actor, event.type, `案件系误登记，予以作废：${clip(event.reason)}（${dateText(shanghaiDate(now))}）`);
      m.notify('inform', [m.agencyOwner], { detail: '该案件系误登记，已作废，相关事项不再办理' });
      m.notify('report', [m.leader], { detail: '该案件系误登记，已作废' });
    },
  }),
};
