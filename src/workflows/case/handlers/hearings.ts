// Hearings (二): scheduled, moved or cancelled by the court; the head's appearance plan, the leader's consent to a
// deputy, and the record of who appeared and spoke. A hearing learned of after it took place comes with its record.
import type { RecipientRef } from '../../../notifications/types';
import { addMs, DAY_MS, isoMs, shanghaiDate } from '../../../time/shanghai';
import { clip, momentText, roleName } from '../names';
import type { Hearing } from '../types';
import { AGENCY_OR_BUREAU, LEADER, on, type CaseOps, type CaseView } from './types';

// The plan 3 days before the hearing is this platform's own working rule, not the notice's: said so.
const APPEARANCE_BASIS = {
  countyGovernment:
    '武政办〔2023〕47号 二：以县政府为被告的案件由分管副县长出庭，牵头应诉单位的主要负责人必须出庭（出庭方案于开庭3日前提交，为本平台工作规则）',
  agency:
    '武政办〔2023〕47号 二：人民法院要求行政机关负责人出庭的，必须由主要负责人出庭（出庭方案于开庭3日前提交，为本平台工作规则）',
  substitute:
    '武政办〔2023〕47号 二：主要负责人有正当理由不能出庭的，经分管县领导同意后可以由分管领导出庭并告知县司法局',
};

export const planDutyId = (hearingId: string): string => `hearing-${hearingId}-plan`;
export const approvalDutyId = (hearingId: string): string => `hearing-${hearingId}-substitute-approval`;

/** The plan's due instant and its reminders for a hearing at `scheduledAt`, reminders at the working hour. */
function planDue(m: CaseOps, scheduledAt: string) {
  const now = m.now();
  const planAt = addMs(scheduledAt, -m.planDaysBeforeHearing * DAY_MS);
  const dueAt = isoMs(planAt) > isoMs(now) ? planAt : scheduledAt;
  const points = [addMs(scheduledAt, -7 * DAY_MS), addMs(scheduledAt, -4 * DAY_MS)].filter(
    (r) => isoMs(r) > isoMs(now),
  );
  const moved = points.map((p) => m.workingMoment(p));
  const reminders = [...new Set(moved)].filter((r) => isoMs(r) < isoMs(dueAt));
  return { dueAt, dueDate: shanghaiDate(addMs(dueAt, -1)), reminders };
}

const approvalDue = (scheduledAt: string, now: string) => ({
  dueAt: scheduledAt,
  dueDate: shanghaiDate(addMs(scheduledAt, -1)),
  reminders: [addMs(scheduledAt, -2 * DAY_MS)].filter((r) => isoMs(r) > isoMs(now)),
});

const pendingHearing = (c: CaseView, id: string) => {
  const hearing = c.hearing(id);
  if (!hearing) return `没有编号为 ${id} 的开庭`;
  if (hearing.status === 'cancelled') return '该次开庭已取消';
  if (hearing.record) return '该次开庭已登记出庭情况';
  return { hearing };
};

const anyPending = (c: CaseView) =>
  c.state.hearings.some((h) => h.status !== 'cancelled' && !h.record) ? undefined : '本案没有待进行的开庭';

export const hearingHandlers = {
  'hearing-scheduled': on<'hearing-scheduled'>()({
    who: AGENCY_OR_BUREAU,
    ready: (c) => (c.state.stage !== 'in-suit' ? '只有诉讼中的案件才能登记开庭' : undefined),
    check: (c, e) => {
      if (e.hearingId && c.hearing(e.hearingId)) return `编号为 ${e.hearingId} 的开庭已登记`;
      const past = isoMs(e.scheduledAt) <= isoMs(c.now);
      if (past && !e.record) return '开庭时间已过：补登已进行的开庭，须同时登记出庭情况';
      if (!past && e.record) return '开庭尚未进行，不能登记出庭情况';
      if (past && isoMs(e.scheduledAt) < isoMs(c.state.trigger.receivedAt)) return '开庭时间不能早于收到登记材料的时间';
      return undefined;
    },
    apply({ m, event, actor, now }) {
      const s = m.state;
      const { scheduledAt, headAppearanceRequired, record } = event;
      s.seq.hearing += 1;
      const id = event.hearingId ?? `h${s.seq.hearing}`;
      const required = headAppearanceRequired ? '，人民法院要求行政机关负责人出庭' : '';
      if (record) {
        // Learned of after it took place: held, with its record; no plan is owed for a date already past.
        s.hearings.push({ id, scheduledAt, headAppearanceRequired, status: 'held', record: { ...record, at: now } });
        const spoke = record.appeared ? (record.spoke ? '并发言' : '但未发言') : '';
        m.log(
          actor,
          'hearing-scheduled',
          `补登已进行的开庭：${momentText(scheduledAt)}${required}；${record.who}（${roleName(record.role)}）${record.appeared ? '出庭' : '未出庭'}${spoke}`,
        );
        absenceNotice(m, s.hearings.at(-1)!);
        return;
      }
      s.hearings.push({ id, scheduledAt, headAppearanceRequired, status: 'scheduled' });
      m.log(actor, 'hearing-scheduled', `开庭时间：${momentText(scheduledAt)}${required}`);
      if (!headAppearanceRequired) return;
      const county = s.countyGovernmentDefendant;
      m.pushDuty({
        id: planDutyId(id),
        ruleId: 'appearance-plan',
        title: county
          ? '提交出庭应诉方案（分管副县长及牵头单位主要负责人出庭）'
          : '提交负责人出庭应诉方案（主要负责人出庭）',
        owner: m.agencyOwner,
        provisional: false,
        basis: county ? APPEARANCE_BASIS.countyGovernment : APPEARANCE_BASIS.agency,
        ...planDue(m, scheduledAt),
      });
      const to: RecipientRef[] = [m.agencyOwner, ...(county ? [m.leader] : [])];
      m.notify('hearing-reminder', to, {
        hearingAt: scheduledAt,
        detail: '人民法院要求行政机关负责人出庭，请提交出庭方案',
      });
    },
  }),

  'hearing-rescheduled': on<'hearing-rescheduled'>()({
    who: AGENCY_OR_BUREAU,
    ready: anyPending,
    check: (c, e) => {
      const found = pendingHearing(c, e.hearingId);
      if (typeof found === 'string') return found;
      if (isoMs(e.scheduledAt) <= isoMs(c.now)) return '变更后的开庭时间须晚于现在';
      if (isoMs(e.scheduledAt) === isoMs(found.hearing.scheduledAt)) return '开庭时间没有变化';
      return found;
    },
    apply({ m, event, ctx: { hearing: h }, actor, now }) {
      const from = h.scheduledAt;
      h.history = [
        ...(h.history ?? []),
        { from, to: event.scheduledAt, at: now, reason: event.reason, kind: 'rescheduled' },
      ];
      h.scheduledAt = event.scheduledAt;
      h.status = 'scheduled';
      // The day-before reminder belongs to the new date: the vacated date is never reminded.
      delete h.reminderSentAt;
      const why = `开庭时间变更：${clip(event.reason, 60)}`;
      const plan = m.duty(planDutyId(h.id));
      if (plan?.status === 'open' || plan?.status === 'overdue')
        m.moveDue(plan, { ...plan, provisional: false, ...planDue(m, h.scheduledAt) }, why);
      const approval = m.duty(approvalDutyId(h.id));
      if (approval?.status === 'open' || approval?.status === 'overdue')
        m.moveDue(approval, { ...approval, provisional: false, ...approvalDue(h.scheduledAt, m.now()) }, why);
      m.log(
        actor,
        event.type,
        `开庭时间由 ${momentText(from)} 变更为 ${momentText(h.scheduledAt)}：${clip(event.reason)}`,
      );
      const to: RecipientRef[] = [m.agencyOwner, ...(m.state.countyGovernmentDefendant ? [m.leader] : [])];
      m.notify('inform', to, { hearingAt: h.scheduledAt, detail: `开庭时间变更（原定${momentText(from)}）` });
    },
  }),

  'hearing-cancelled': on<'hearing-cancelled'>()({
    who: AGENCY_OR_BUREAU,
    ready: anyPending,
    check: (c, e) => pendingHearing(c, e.hearingId),
    apply({ m, event, ctx: { hearing: h }, actor, now }) {
      h.history = [...(h.history ?? []), { from: h.scheduledAt, at: now, reason: event.reason, kind: 'cancelled' }];
      h.status = 'cancelled';
      const why = `开庭已取消：${clip(event.reason, 60)}`;
      m.supersede(planDutyId(h.id), why);
      m.supersede(approvalDutyId(h.id), why);
      m.log(actor, event.type, `取消开庭（原定${momentText(h.scheduledAt)}）：${clip(event.reason)}`);
      const to: RecipientRef[] = [m.agencyOwner, ...(m.state.countyGovernmentDefendant ? [m.leader] : [])];
      m.notify('inform', to, { hearingAt: h.scheduledAt, detail: '人民法院已取消该次开庭' });
    },
  }),

  'appearance-plan': on<'appearance-plan'>()({
    who: AGENCY_OR_BUREAU,
    check: (c, e) => {
      const found = pendingHearing(c, e.hearingId);
      if (typeof found === 'string') return found;
      if (!found.hearing.headAppearanceRequired) return '人民法院未要求行政机关负责人出庭该次开庭';
      if (c.state.countyGovernmentDefendant && !e.viceCountyHead) {
        return '县政府为被告的案件，须写明出庭的分管副县长（viceCountyHead）';
      }
      return found;
    },
    apply({ m, event, ctx: { hearing: h }, actor }) {
      const now = m.now();
      h.plan = { appearing: event.appearing, name: event.name, reason: event.reason, submittedAt: now };
      const planDuty = m.duty(planDutyId(h.id));
      if (planDuty && (planDuty.status === 'open' || planDuty.status === 'overdue')) m.complete(planDuty, actor);
      const appearing = event.appearing === 'principal' ? '主要负责人' : '分管领导代为出庭';
      const who = `${event.name}（${appearing}）${event.viceCountyHead ? `、${event.viceCountyHead}（分管副县长）` : ''}`;
      m.log(actor, 'appearance-plan', `出庭方案：${who}`);
      if (event.appearing !== 'deputy') return;
      const approvalId = approvalDutyId(h.id);
      if (m.duty(approvalId)) m.reopen(approvalId, '新的代为出庭方案');
      else
        m.pushDuty({
          id: approvalId,
          ruleId: 'substitute-approval',
          title: `审批分管领导代为出庭（${event.name}）`,
          owner: m.leader,
          provisional: false,
          basis: APPEARANCE_BASIS.substitute,
          ...approvalDue(h.scheduledAt, now),
        });
      const detail = `${event.name} 代为出庭，理由：${clip(event.reason ?? '', 300)}`;
      m.notify('substitute-approval-request', [m.leader], { hearingAt: h.scheduledAt, detail }, approvalId);
    },
  }),

  'substitute-approval': on<'substitute-approval'>()({
    who: LEADER,
    check: (c, e) => {
      const hearing = c.hearing(e.hearingId);
      const plan = hearing?.plan;
      const approval = c.duty(approvalDutyId(e.hearingId));
      if (!hearing || !plan || plan.appearing !== 'deputy' || !approval || hearing.status === 'cancelled')
        return '没有待审批的代为出庭方案';
      if (plan.approval) return '代为出庭方案已审批';
      return { hearing, plan, approval };
    },
    apply({ m, event, ctx: { hearing: h, plan, approval }, actor }) {
      const now = m.now();
      plan.approval = { approved: event.approved, by: actor, at: now, comment: event.comment };
      m.complete(approval, actor, event.comment);
      if (event.approved) {
        m.log(actor, 'substitute-approval', `分管县领导同意由 ${plan.name} 代为出庭`);
        m.notify('report', ['bureau'], {
          hearingAt: h.scheduledAt,
          detail: `经分管县领导同意，由 ${plan.name} 代为出庭`,
        });
      } else {
        const comment = event.comment ? `：${clip(event.comment)}` : '';
        m.log(actor, 'substitute-approval', `分管县领导不同意代为出庭${comment}，须由主要负责人出庭`);
        m.reopen(planDutyId(h.id), '代为出庭未获同意，须重新提交方案');
        m.notify('inform', [m.agencyOwner], {
          hearingAt: h.scheduledAt,
          detail: '代为出庭未获分管县领导同意，须由主要负责人出庭',
        });
      }
    },
  }),

  'appearance-record': on<'appearance-record'>()({
    who: AGENCY_OR_BUREAU,
    check: (c, e) => {
      const found = pendingHearing(c, e.hearingId);
      if (typeof found === 'string') return found;
      if (isoMs(found.hearing.scheduledAt) > isoMs(c.now)) return '该次开庭尚未进行';
      return found;
    },
    apply({ m, event, ctx: { hearing: h }, actor, now }) {
      const { appeared, who, role, spoke, viceCountyHeadAppeared } = event;
      h.record = { appeared, who, role, spoke, at: now, viceCountyHeadAppeared };
      h.status = 'held';
      for (const id of [planDutyId(h.id), approvalDutyId(h.id)]) m.waive(id, '庭审已结束');
      const spokeText = appeared ? (spoke ? '并发言' : '但未发言') : '';
      m.log(actor, event.type, `庭审记录：${who}（${roleName(role)}）${appeared ? '出庭' : '未出庭'}${spokeText}`);
      absenceNotice(m, h);
    },
  }),
};

/** A head who was required but did not both appear and speak: the leader and the bureau are told. */
function absenceNotice(m: CaseOps, h: Hearing): void {
  const r = h.record;
  if (!h.headAppearanceRequired || !r || (r.appeared && r.spoke)) return;
  const detail = '负责人出庭应诉未做到“既出庭、又出声”，不计为有效出庭';
  m.notify('escalation', [m.leader, 'bureau'], { hearingAt: h.scheduledAt, detail });
}
