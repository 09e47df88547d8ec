// Mediation on the court's entrustment letter (一(一)-(三), 五): the period, its extension, weekly progress and
// the result, in any stage.
import { daysBetween, shanghaiDate } from '../../../time/shanghai';
import type { Actor } from '../messages';
import { clip, dueText, stageName } from '../names';
import type { Mediation } from '../types';
import { AGENCY_OR_BUREAU, isOpen, on, type CaseOps, type CaseView } from './types';

const NO_MEDIATION = '本案没有正在进行的协调化解';
const mediationOpen = (c: CaseView) => (c.openMediation() ? undefined : NO_MEDIATION);
const openMediation = (c: CaseView) => {
  const med = c.openMediation();
  return med ? { med } : NO_MEDIATION;
};

/** Opens a mediation round: its one-month period and its first weekly progress duty. */
export function startMediation(m: CaseOps, receivedAt: string, actor: Actor): void {
  const s = m.state;
  const round = s.mediations.length + 1;
  const periodDutyId = `mediation-${round}-period`;
  const med: Mediation = {
    round,
    stage: s.stage,
    letterReceivedAt: receivedAt,
    periodDutyId,
    progressDutyIds: [],
    extensions: [],
  };
  s.mediations.push(med);
  m.addDuties([{ id: med.periodDutyId, rule: 'mediation-period', from: receivedAt }]);
  const until = m.duty(periodDutyId)?.dueDate;
  m.log(
    actor,
    'entrustment-letter',
    `收到《委托协调化解函》（第${round}轮，${stageName(s.stage)}），协调化解期限至${until ? dueText(until) : '（未定）'}`,
  );
  ensureProgressDuty(m, med);
}

/**
 * Keeps exactly one weekly progress duty ahead while mediation is open. After a gap (registration weeks after
 * the letter, or downtime) it jumps to the current week rather than creating every missed week.
 */
export function ensureProgressDuty(m: CaseOps, med: Mediation): boolean {
  if (!isOpen(med)) return false;
  const latestId = med.progressDutyIds.at(-1);
  const latest = latestId === undefined ? undefined : m.duty(latestId);
  if (latest && latest.status === 'open') return false;
  const lastNth = latest ? Number(latest.id.split('-').pop()) : 0;
  const weeksElapsed = Math.floor(daysBetween(shanghaiDate(med.letterReceivedAt), shanghaiDate(m.now())) / 7);
  const nth = Math.max(lastNth + 1, weeksElapsed + (latest ? 1 : 0), 1);
  const id = `mediation-${med.round}-progress-${nth}`;
  // A missed week stays on record as overdue, but only the newest report escalates: one missing-report problem,
  // not a growing pile of parallel alerts.
  for (const pid of med.progressDutyIds) {
    const p = m.duty(pid);
    if (p && p !== latest && p.status === 'overdue' && p.nextEscalationAt) {
      delete p.nextEscalationAt;
      p.note = `由第${lastNth}周进展通报继续督办`;
    }
  }
  const titleSuffix = `（第${nth}周）`;
  m.addDuties([{ id, rule: 'mediation-weekly-progress', from: med.letterReceivedAt, nth, titleSuffix }]);
  med.progressDutyIds.push(id);
  return true;
}

export const mediationHandlers = {
  'entrustment-letter': on<'entrustment-letter'>()({
    who: AGENCY_OR_BUREAU,
    ready: (c) => {
      const med = c.openMediation();
      if (med) return `第${med.round}轮协调化解尚未结束`;
      const s = c.state;
      // After judgment (一(三)) only once the judgment has taken effect; a closed case reopens for it.
      if ((s.stage === 'post-judgment' || s.stage === 'closed') && !s.judgment?.effectiveOn)
        return '裁判文书生效后才能委托协调化解';
      return undefined;
    },
    receivedAt: (e) => e.receivedAt,
    apply({ m, event, actor }) {
      const s = m.state;
      if (s.stage === 'closed') {
        // The same case, its history and registry record continue.
        delete s.closedAt;
        m.setStage('post-judgment', actor);
        m.log(actor, 'reopened', '收到判后《委托协调化解函》，已结案件重新开启');
      }
      startMediation(m, event.receivedAt, actor);
      m.notify('inform', [m.agencyOwner], { detail: '收到《委托协调化解函》，请在期限内协调化解并每周通报进展' });
      m.notify('report', [m.leader], { detail: '收到《委托协调化解函》，请与县司法局共同督促协调化解' });
    },
  }),

  'mediation-progress': on<'mediation-progress'>()({
    who: AGENCY_OR_BUREAU,
    ready: mediationOpen,
    check: openMediation,
    apply({ m, event, ctx: { med }, actor, now }) {
      // A report counts for the week it falls in (and any overdue week): reporting ahead does not buy silence later.
      const daysIn = daysBetween(shanghaiDate(med.letterReceivedAt), shanghaiDate(now));
      const counts = (nth: number) => nth === 1 || daysIn > 7 * (nth - 1);
      const current = med.progressDutyIds
        .map((id) => m.duty(id))
        .find((d) => d && (d.status === 'overdue' || (d.status === 'open' && counts(d.nth ?? 1))));
      if (current) m.complete(current, actor, event.summary);
      m.log(actor, event.type, `通报协调化解进展：${clip(event.summary)}`);
      m.notify('report', ['bureau'], { dutyTitle: current?.title, detail: clip(event.summary, 500) });
      ensureProgressDuty(m, med);
    },
  }),

  'mediation-extension': on<'mediation-extension'>()({
    who: AGENCY_OR_BUREAU,
    ready: mediationOpen,
    check: (c, e) => {
      const med = c.openMediation();
      const period = med && c.duty(med.periodDutyId);
      if (!med || !period) return NO_MEDIATION;
      if (e.newEndDate <= period.dueDate) {
        return `延长后的期限（${e.newEndDate}）须晚于现有期限（${period.dueDate}）`;
      }
      if (e.courtInformedOn > shanghaiDate(c.now)) return '函告人民法院的日期不能晚于今天';
      return { med, period };
    },
    apply({ m, event, ctx: { med, period }, actor, now }) {
      const extension = { until: event.newEndDate };
      const [next] = m.deadlines([{ rule: 'mediation-period', from: med.letterReceivedAt, extension }]);
      if (!next) throw new TypeError('the deadline engine answered no deadline');
      const previousDueDate = period.dueDate;
      const courtInformedOn = event.courtInformedOn;
      const newDueDate = next.dueDate;
      med.extensions.push({ at: now, newDueDate, previousDueDate, partiesConsented: true, courtInformedOn });
      m.moveDue(period, next, `经各方当事人同意延长，${courtInformedOn} 已函告人民法院`);
      m.log(actor, event.type, `协调化解期限延长至${dueText(next.dueDate)}（原${dueText(previousDueDate)}）`);
      m.notify('report', ['bureau'], {
        dutyTitle: period.title,
        dueDate: next.dueDate,
        detail: '协调化解期限已延长',
      });
    },
  }),

  'mediation-result': on<'mediation-result'>()({
    who: AGENCY_OR_BUREAU,
    ready: mediationOpen,
    check: (c) => {
      const med = c.openMediation();
      const period = med && c.duty(med.periodDutyId);
      return med && period ? { med, period } : NO_MEDIATION;
    },
    apply({ m, event, ctx: { med, period }, actor, now }) {
      const result = event.result;
      med.result = { ...result, at: event.occurredAt ?? now };
      m.complete(period, actor, result.outcome === 'resolved' ? result.summary : result.failureReasons);
      for (const id of med.progressDutyIds) m.waive(id, '协调化解结果已反馈，不再需要进展通报');
      const text =
        result.outcome === 'resolved'
          ? `协调化解成功：${clip(result.summary)}`
          : `协调化解未成功：${clip(result.failureReasons)}`;
      m.log(actor, event.type, text);
      m.notify('report', ['bureau'], { detail: text });
    },
  }),
};
