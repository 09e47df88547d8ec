// The suit (一(二), 二): the response notice and the report on it, self-correction, withdrawal, and hearings with
// the head's appearance (plan, the leader's consent to a deputy, the record of who appeared and spoke).
import type { RecipientRef } from '../../../notifications/types';
import { addMs, DAY_MS, isoMs, shanghaiDate } from '../../../time/shanghai';
import { clip, roleName } from '../names';
import { AGENCY_OR_BUREAU, LEADER_OR_BUREAU, on } from './types';

const APPEARANCE_BASIS = {
  countyGovernment:
    '武政办〔2023〕47号 二：以县政府为被告的案件由分管副县长出庭，牵头应诉单位的主要负责人必须出庭；开庭3日前未提交出庭方案的，提醒分管县领导',
  agency:
    '武政办〔2023〕47号 二：人民法院要求行政机关负责人出庭的，必须由主要负责人出庭；开庭3日前未提交出庭方案的，提醒分管县领导',
  substitute:
    '武政办〔2023〕47号 二：主要负责人有正当理由不能出庭的，经分管县领导同意后可以由分管领导出庭并告知县司法局',
};

const planDutyId = (hearingId: string) => `hearing-${hearingId}-plan`;
const approvalDutyId = (hearingId: string) => `hearing-${hearingId}-substitute-approval`;

export const suitHandlers = {
  'response-notice': on<'response-notice'>()({
    who: AGENCY_OR_BUREAU,
    ready: (c) =>
      c.state.stage !== 'pre-suit' ? `a response notice is not expected in stage ${c.state.stage}` : undefined,
    receivedAt: (e) => e.receivedAt,
    async apply({ m, event, actor }) {
      m.setStage('in-suit', actor);
      await m.addDuties([{ id: 'insuit-report', rule: 'insuit-report', from: event.receivedAt }]);
      m.log(actor, event.type, `收到人民法院应诉通知书（${event.receivedAt}）`);
      await m.notify('inform', [m.agencyOwner], { detail: '案件已立案，请于3日内告知县司法局并向分管县领导报告' });
    },
  }),

  'insuit-report': on<'insuit-report'>()({
    who: AGENCY_OR_BUREAU,
    ready: (c) => (c.awaited('insuit-report') ? undefined : 'no in-suit report is awaited on this case'),
    check: (c) => {
      const duty = c.awaited('insuit-report');
      return duty ? { duty } : 'no in-suit report is awaited on this case';
    },
    async apply({ m, event, ctx: { duty }, actor }) {
      m.complete(duty, actor, event.summary);
      m.log(actor, event.type, '已告知县司法局并向分管县领导报告应诉情况');
      const detail = event.summary && clip(event.summary, 500);
      await m.notify('report', ['bureau', m.leader], { dutyTitle: duty.title, detail });
    },
  }),

  'self-correction': on<'self-correction'>()({
    who: AGENCY_OR_BUREAU,
    ready: (c) =>
      c.state.stage === 'in-suit' || c.state.stage === 'pre-suit'
        ? undefined
        : 'self-correction is recorded before judgment',
    async apply({ m, event, actor, now }) {
      m.state.selfCorrections.push({ at: now, description: event.description, courtInformedOn: event.courtInformedOn });
      m.log(actor, event.type, `主动纠正被诉行政行为：${clip(event.description)}`);
      await m.notify('report', ['bureau'], { detail: `主动纠正：${clip(event.description, 500)}` });
    },
  }),

  withdrawn: on<'withdrawn'>()({
    who: AGENCY_OR_BUREAU,
    ready: (c) => (c.state.stage === 'post-judgment' ? 'a case after judgment cannot be withdrawn' : undefined),
    async apply({ m, event, actor, now }) {
      m.state.withdrawn = { at: now, reason: event.reason };
      for (const d of m.outstanding()) m.waive(d.id, '原告撤诉/案件终结');
      m.log(actor, event.type, `原告撤诉，案件终结${event.reason ? `：${clip(event.reason)}` : ''}`);
      await m.notify('report', ['bureau', m.leader], { detail: '原告撤诉，案件终结' });
    },
  }),

  'hearing-scheduled': on<'hearing-scheduled'>()({
    who: AGENCY_OR_BUREAU,
    ready: (c) => (c.state.stage !== 'in-suit' ? 'hearings are scheduled while the suit is pending' : undefined),
    check: (c, e) => {
      if (e.hearingId && c.hearing(e.hearingId)) return `hearing ${e.hearingId} already exists`;
      if (isoMs(e.scheduledAt) <= isoMs(c.now)) return 'the hearing must be in the future';
      return undefined;
    },
    async apply({ m, event, actor }) {
      const s = m.state;
      const { scheduledAt, headAppearanceRequired } = event;
      s.seq.hearing += 1;
      const id = event.hearingId ?? `h${s.seq.hearing}`;
      s.hearings.push({ id, scheduledAt, headAppearanceRequired });
      m.log(
        actor,
        'hearing-scheduled',
        `开庭时间：${scheduledAt}${headAppearanceRequired ? '，人民法院要求行政机关负责人出庭' : ''}`,
      );
      if (!headAppearanceRequired) return;
      const now = m.now();
      const planDue = addMs(scheduledAt, -m.planDaysBeforeHearing * DAY_MS);
      const dueAt = isoMs(planDue) > isoMs(now) ? planDue : scheduledAt;
      const reminders = [addMs(scheduledAt, -7 * DAY_MS), addMs(scheduledAt, -4 * DAY_MS)].filter(
        (r) => isoMs(r) > isoMs(now) && isoMs(r) < isoMs(dueAt),
      );
      const county = s.countyGovernmentDefendant;
      m.pushDuty({
        id: planDutyId(id),
        ruleId: 'appearance-plan',
        title: county
          ? '提交出庭应诉方案（分管副县长及牵头单位主要负责人出庭）'
          : '提交负责人出庭应诉方案（主要负责人出庭）',
        owner: m.agencyOwner,
        dueAt,
        dueDate: shanghaiDate(addMs(dueAt, -1)),
        provisional: false,
        basis: county ? APPEARANCE_BASIS.countyGovernment : APPEARANCE_BASIS.agency,
        reminders,
      });
      const to: RecipientRef[] = [m.agencyOwner, ...(county ? [m.leader] : [])];
      await m.notify('hearing-reminder', to, {
        hearingAt: scheduledAt,
        detail: '人民法院要求行政机关负责人出庭，请提交出庭方案',
      });
    },
  }),

  'appearance-plan': on<'appearance-plan'>()({
    who: AGENCY_OR_BUREAU,
    check: (c, e) => {
      const hearing = c.hearing(e.hearingId);
      if (!hearing) return `no hearing ${e.hearingId}`;
      if (!hearing.headAppearanceRequired) return 'the court did not require the head to appear at this hearing';
      if (hearing.record) return 'the hearing is already recorded';
      if (c.state.countyGovernmentDefendant && !e.viceCountyHead) {
        return 'the county government is the defendant: name the vice county head who appears (viceCountyHead)';
      }
      return { hearing };
    },
    async apply({ m, event, ctx: { hearing: h }, actor }) {
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
          dueAt: h.scheduledAt,
          dueDate: shanghaiDate(addMs(h.scheduledAt, -1)),
          provisional: false,
          basis: APPEARANCE_BASIS.substitute,
          reminders: [addMs(h.scheduledAt, -2 * DAY_MS)].filter((r) => isoMs(r) > isoMs(now)),
        });
      const detail = `${event.name} 代为出庭，理由：${clip(event.reason ?? '', 300)}`;
      await m.notify('substitute-approval-request', [m.leader], { hearingAt: h.scheduledAt, detail }, approvalId);
    },
  }),

  'substitute-approval': on<'substitute-approval'>()({
    who: LEADER_OR_BUREAU,
    check: (c, e) => {
      const hearing = c.hearing(e.hearingId);
      const plan = hearing?.plan;
      const approval = c.duty(approvalDutyId(e.hearingId));
      if (!hearing || !plan || plan.appearing !== 'deputy' || !approval) return 'no deputy appearance awaits approval';
      if (plan.approval) return 'the deputy appearance was already decided';
      return { hearing, plan, approval };
    },
    async apply({ m, event, ctx: { hearing: h, plan, approval }, actor }) {
      const now = m.now();
      plan.approval = { approved: event.approved, by: actor, at: now, comment: event.comment };
      m.complete(approval, actor, event.comment);
      if (event.approved) {
        m.log(actor, 'substitute-approval', `分管县领导同意由 ${plan.name} 代为出庭`);
        await m.notify('report', ['bureau'], {
          hearingAt: h.scheduledAt,
          detail: `经分管县领导同意，由 ${plan.name} 代为出庭`,
        });
      } else {
        const comment = event.comment ? `：${clip(event.comment)}` : '';
        m.log(actor, 'substitute-approval', `分管县领导不同意代为出庭${comment}，须由主要负责人出庭`);
        m.reopen(planDutyId(h.id), '代为出庭未获同意，须重新提交方案');
        await m.notify('inform', [m.agencyOwner], {
          hearingAt: h.scheduledAt,
          detail: '代为出庭未获分管县领导同意，须由主要负责人出庭',
        });
      }
    },
  }),

  'appearance-record': on<'appearance-record'>()({
    who: AGENCY_OR_BUREAU,
    check: (c, e) => {
      const hearing = c.hearing(e.hearingId);
      if (!hearing) return `no hearing ${e.hearingId}`;
      if (hearing.record) return 'the hearing is already recorded';
      if (isoMs(hearing.scheduledAt) > isoMs(c.now)) return 'the hearing has not taken place yet';
      return { hearing };
    },
    async apply({ m, event, ctx: { hearing: h }, actor, now }) {
      const { appeared, who, role, spoke, viceCountyHeadAppeared } = event;
      h.record = { appeared, who, role, spoke, at: now, viceCountyHeadAppeared };
      for (const id of [planDutyId(h.id), approvalDutyId(h.id)]) m.waive(id, '庭审已结束');
      const spokeText = appeared ? (spoke ? '并发言' : '但未发言') : '';
      m.log(actor, event.type, `庭审记录：${who}（${roleName(role)}）${appeared ? '出庭' : '未出庭'}${spokeText}`);
      if (h.headAppearanceRequired && !(appeared && spoke)) {
        const detail = '负责人出庭应诉未做到“既出庭、又出声”，计入出庭应诉率';
        await m.notify('escalation', [m.leader, 'bureau'], { detail });
      }
    },
  }),
};
