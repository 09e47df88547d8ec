// The case's rules as a deterministic state machine over plain-JSON state. It never touches I/O or the clock:
// time, due dates and notices reach it through `CasePorts`, which the workflow binds to activities (so every
// computed date is recorded in history) and unit tests bind to the deadline engine directly.
import type { NoticeKind, NoticeRequest, RecipientRef } from '../../notifications/types';
import type { Actor, CaseWorkflowOptions } from './messages';
import type { CaseEvent, Registration } from './schemas';
import type { CaseStage, CaseState, DueDate, Duty, Hearing, JudgmentOutcome, Mediation, Owner, PeriodRuleId } from './types';
import { addMs, DAY_MS, daysBetween, isoMs, shanghaiDate } from './time';

/** A due-date request to the deadline engine (src/deadlines). */
export interface DeadlineRequest {
  rule: PeriodRuleId;
  from: string;
  nth?: number;
  extension?: { until: string };
}

/** What the deadline engine answers (the fields the case needs). */
export interface ComputedDeadline extends DueDate {
  title: string;
  reminders: string[];
}

export interface CasePorts {
  /** The workflow's current time, ISO. */
  now(): string;
  deadlines(requests: DeadlineRequest[]): Promise<ComputedDeadline[]>;
  /** 09:00 Shanghai on the Nth working day after the instant's Shanghai date. */
  nextEscalationAt(after: string, workingDays: number): Promise<string>;
  notify(request: NoticeRequest): Promise<void>;
  /** Recomputes provisional due dates under the current calendar. */
  reproject(requests: { dutyId: string; request: DeadlineRequest }[]): Promise<{ dutyId: string; deadline: ComputedDeadline }[]>;
}

export class CaseRejection extends Error {
  override name = 'CaseRejection';
}

const STAGE_NAMES: Record<CaseStage, string> = { 'pre-suit': '诉前', 'in-suit': '诉中', 'post-judgment': '宣判后', closed: '已结案' };
export const stageName = (s: CaseStage): string => STAGE_NAMES[s];

const DEFAULTS = { escalationEveryWorkingDays: 3, planDaysBeforeHearing: 3 };
const TIMELINE_KEPT = 200;

/** The stage a case enters at, from what the bureau or agency received. */
export function entryStage(trigger: Registration['trigger']): CaseStage {
  switch (trigger.type) {
    case 'oral-notice':
      return 'pre-suit';
    case 'entrustment-letter':
      return trigger.stage;
    case 'response-notice':
      return 'in-suit';
    case 'judgment':
      return 'post-judgment';
  }
}

export function initialState(reg: Registration, leaderId: string, now: string): CaseState {
  const stage = entryStage(reg.trigger);
  return {
    caseId: reg.caseId,
    title: reg.title,
    agencyId: reg.agencyId,
    leaderId,
    field: reg.field,
    plaintiff: reg.plaintiff,
    countyGovernmentDefendant: reg.countyGovernmentDefendant,
    stage,
    enteredStage: stage,
    major: false,
    registeredAt: now,
    duties: [],
    mediations: [],
    hearings: [],
    selfCorrections: [],
    timeline: [],
    seq: { notice: 0, timeline: 0, hearing: 0 },
  };
}

/** The next moment the case must act on its own, and a Chinese label for the timer's summary. */
export interface WakeUp {
  at: string;
  label: string;
}

export class CaseMachine {
  private readonly opts: Required<Pick<CaseWorkflowOptions, 'escalationEveryWorkingDays' | 'planDaysBeforeHearing'>>;

  constructor(
    readonly state: CaseState,
    private readonly ports: CasePorts,
    options: CaseWorkflowOptions = {},
  ) {
    this.opts = { ...DEFAULTS, ...stripUndefined(options) };
  }

  // ---------------------------------------------------------------- queries over state

  get agencyOwner(): Owner {
    return `agency:${this.state.agencyId}`;
  }

  duty(id: string): Duty | undefined {
    return this.state.duties.find((d) => d.id === id);
  }

  outstanding(): Duty[] {
    return this.state.duties.filter((d) => d.status === 'open' || d.status === 'overdue');
  }

  openMediation(): Mediation | undefined {
    return this.state.mediations.find((m) => !m.result);
  }

  hearing(id: string): Hearing | undefined {
    return this.state.hearings.find((h) => h.id === id);
  }

  overdueCount(): number {
    return this.state.duties.filter((d) => d.status === 'overdue').length;
  }

  /** Earliest due instant among open duties (for the NextDueAt search attribute). */
  nextDueAt(): string | undefined {
    return minIso(this.state.duties.filter((d) => d.status === 'open').map((d) => d.dueAt));
  }

  nextWakeUp(): WakeUp | undefined {
    const candidates: WakeUp[] = [];
    for (const d of this.state.duties) {
      if (d.status === 'open') {
        const r = d.reminders[d.remindersSent];
        if (r && isoMs(r) < isoMs(d.dueAt)) candidates.push({ at: r, label: `提醒：${d.title} ${d.dueDate}` });
        candidates.push({ at: d.dueAt, label: `期限：${d.title} ${d.dueDate}` });
      } else if (d.status === 'overdue' && d.nextEscalationAt) {
        candidates.push({ at: d.nextEscalationAt, label: `再次督办：${d.title}（逾期）` });
      }
    }
    for (const h of this.state.hearings) {
      const at = this.hearingReminderAt(h);
      if (at) candidates.push({ at, label: `开庭提醒：${shanghaiDate(h.scheduledAt)} 开庭` });
    }
    candidates.sort((a, b) => isoMs(a.at) - isoMs(b.at));
    return candidates[0];
  }

  /** A one-line Chinese summary of the case for Temporal UI's current details. */
  currentDetails(): string {
    const s = this.state;
    // Markdown for Temporal UI: blank lines between blocks so the lists render as lists.
    const blocks = [`**${s.title}**（${s.caseId}）`, `阶段：${stageName(s.stage)}${s.major ? ' · 重大案件' : ''}`];
    const open = s.duties.filter((d) => d.status === 'open').sort((a, b) => isoMs(a.dueAt) - isoMs(b.dueAt));
    const overdue = s.duties.filter((d) => d.status === 'overdue');
    if (overdue.length) {
      blocks.push(`逾期 ${overdue.length} 项：`, overdue.map((d) => `- ⚠ ${d.title}（应于 ${d.dueDate} 前完成，已督办 ${d.escalations} 次）`).join('\n'));
    }
    if (open.length) {
      blocks.push(`待办 ${open.length} 项：`, open.map((d) => `- ${d.title}（截止 ${d.dueDate}${d.provisional ? '，暂定' : ''}）`).join('\n'));
    }
    if (!open.length && !overdue.length) blocks.push(s.stage === 'closed' ? '已结案。' : '暂无待办事项。');
    return blocks.join('\n\n');
  }

  // ---------------------------------------------------------------- validation (synchronous, no mutation)

  /** Whether the actor acts on this case at all: the bureau, the case's agency, or its leader in charge. */
  canAct(actor: Actor): boolean {
    return actor === 'bureau' || actor === this.agencyOwner || actor === `leader:${this.state.leaderId}`;
  }

  /** Why this command is not allowed now, or undefined. Called by the update validator and again in the handler. */
  rejectReason(event: CaseEvent, actor: Actor): string | undefined {
    const s = this.state;
    if (s.stage === 'closed') return '案件已结案，不再接受事项';
    if (actor === 'operator') return 'operators read only';
    const isBureau = actor === 'bureau';
    const isAgency = actor === this.agencyOwner;
    const isLeader = actor === `leader:${s.leaderId}`;
    const agencyOrBureau = isBureau || isAgency;
    const need = (ok: boolean, who: string) => (ok ? undefined : `only ${who} may send ${event.type}`);
    const now = this.ports.now();
    const notFuture = (at: string) => (isoMs(at) > isoMs(now) + 5 * 60_000 ? `${at} is in the future` : undefined);
    const med = this.openMediation();
    switch (event.type) {
      case 'presuit-feedback': {
        const d = this.duty('presuit-feedback');
        if (!d || (d.status !== 'open' && d.status !== 'overdue')) return 'no pre-suit feedback is awaited on this case';
        return need(agencyOrBureau, 'the agency or the bureau');
      }
      case 'entrustment-letter':
        if (med) return `mediation round ${med.round} is still open`;
        return need(agencyOrBureau, 'the agency or the bureau') ?? notFuture(event.receivedAt);
      case 'mediation-progress':
        if (!med) return 'no mediation is open';
        return need(agencyOrBureau, 'the agency or the bureau');
      case 'mediation-extension': {
        if (!med) return 'no mediation is open';
        const period = this.duty(med.periodDutyId)!;
        if (event.newEndDate <= period.dueDate) return `the new end date ${event.newEndDate} is not after the current one ${period.dueDate}`;
        if (event.courtInformedOn > shanghaiDate(now)) return 'the court cannot have been informed in the future';
        return need(agencyOrBureau, 'the agency or the bureau');
      }
      case 'mediation-result':
        if (!med) return 'no mediation is open';
        return need(agencyOrBureau, 'the agency or the bureau');
      case 'response-notice':
        if (s.stage !== 'pre-suit') return `a response notice is not expected in stage ${s.stage}`;
        return need(agencyOrBureau, 'the agency or the bureau') ?? notFuture(event.receivedAt);
      case 'insuit-report': {
        const d = this.duty('insuit-report');
        if (!d || (d.status !== 'open' && d.status !== 'overdue')) return 'no in-suit report is awaited on this case';
        return need(agencyOrBureau, 'the agency or the bureau');
      }
      case 'self-correction':
        if (s.stage !== 'in-suit' && s.stage !== 'pre-suit') return 'self-correction is recorded before judgment';
        return need(agencyOrBureau, 'the agency or the bureau');
      case 'withdrawn':
        if (s.stage === 'post-judgment') return 'a case after judgment cannot be withdrawn';
        return need(agencyOrBureau, 'the agency or the bureau');
      case 'hearing-scheduled':
        if (s.stage !== 'in-suit') return 'hearings are scheduled while the suit is pending';
        if (event.hearingId && this.hearing(event.hearingId)) return `hearing ${event.hearingId} already exists`;
        if (isoMs(event.scheduledAt) <= isoMs(now)) return 'the hearing must be in the future';
        return need(agencyOrBureau, 'the agency or the bureau');
      case 'appearance-plan': {
        const h = this.hearing(event.hearingId);
        if (!h) return `no hearing ${event.hearingId}`;
        if (!h.headAppearanceRequired) return 'the court did not require the head to appear at this hearing';
        if (h.record) return 'the hearing is already recorded';
        if (s.countyGovernmentDefendant && !event.viceCountyHead) return 'the county government is the defendant: name the vice county head who appears (viceCountyHead)';
        return need(agencyOrBureau, 'the agency or the bureau');
      }
      case 'substitute-approval': {
        const h = this.hearing(event.hearingId);
        if (!h?.plan || h.plan.appearing !== 'deputy') return 'no deputy appearance awaits approval';
        if (h.plan.approval) return 'the deputy appearance was already decided';
        return need(isLeader || isBureau, 'the leader in charge');
      }
      case 'appearance-record': {
        const h = this.hearing(event.hearingId);
        if (!h) return `no hearing ${event.hearingId}`;
        if (h.record) return 'the hearing is already recorded';
        if (isoMs(h.scheduledAt) > isoMs(now)) return 'the hearing has not taken place yet';
        return need(agencyOrBureau, 'the agency or the bureau');
      }
      case 'judgment':
        if (s.stage !== 'in-suit') return `a judgment is not expected in stage ${s.stage}`;
        return need(agencyOrBureau, 'the agency or the bureau') ?? notFuture(event.receivedAt);
      case 'filing': {
        const d = this.duty('judgment-filing');
        if (!d || (d.status !== 'open' && d.status !== 'overdue')) return 'no judgment filing is awaited on this case';
        return need(agencyOrBureau, 'the agency or the bureau');
      }
      case 'loss-analysis-report': {
        const d = this.duty('loss-report');
        if (!d || (d.status !== 'open' && d.status !== 'overdue')) return 'no loss-analysis report is awaited on this case';
        return need(agencyOrBureau, 'the agency or the bureau');
      }
      case 'loss-report-review': {
        const lr = s.judgment?.lossReport;
        const d = this.duty('loss-report');
        if (lr?.reviews.some((r) => r.decision === 'approved')) return 'the report is already approved';
        if (!lr || d?.status !== 'done' || lr.reviews.length >= lr.submissions) return 'no loss-analysis report awaits review';
        return need(isBureau, 'the bureau');
      }
      case 'major-case':
        if (s.major) return 'the case is already flagged as major';
        return need(isBureau, 'the bureau');
      case 'recalculate-deadlines':
        return need(isBureau, 'the bureau');
    }
  }

  // ---------------------------------------------------------------- registration

  async register(reg: Registration, actor: Actor): Promise<void> {
    const t = reg.trigger;
    const s = this.state;
    this.log(actor, 'registered', `登记立案：${s.title}（${stageName(s.stage)}阶段登记，${triggerName(t.type)}）`);
    switch (t.type) {
      case 'oral-notice':
        await this.addDuties([{ id: 'presuit-feedback', rule: 'presuit-oral-feedback', from: t.receivedAt }]);
        break;
      case 'entrustment-letter':
        await this.startMediation(t.receivedAt, actor);
        break;
      case 'response-notice':
        await this.addDuties([{ id: 'insuit-report', rule: 'insuit-report', from: t.receivedAt }]);
        break;
      case 'judgment':
        await this.receiveJudgment(t.receivedAt, t.outcome, t.documentNo, actor);
        break;
    }
    // Rows 1, 8, 10: the bureau informs the agency and reports to the leader in charge at once.
    await this.notify('inform', [this.agencyOwner], { detail: `新登记案件（${triggerName(t.type)}）` });
    await this.notify('report', [`leader:${s.leaderId}`], { detail: `新登记案件（${triggerName(t.type)}），涉诉单位：${s.agencyId}` });
  }

  // ---------------------------------------------------------------- commands

  async apply(event: CaseEvent, actor: Actor): Promise<void> {
    const reason = this.rejectReason(event, actor);
    if (reason) throw new CaseRejection(reason);
    const s = this.state;
    const now = this.ports.now();
    switch (event.type) {
      case 'presuit-feedback':
        this.complete('presuit-feedback', actor, event.summary);
        this.log(actor, event.type, `反馈诉前协调化解情况：${clip(event.summary)}`);
        await this.notify('report', ['bureau'], { dutyTitle: this.duty('presuit-feedback')!.title, detail: clip(event.summary, 500) });
        break;
      case 'entrustment-letter':
        await this.startMediation(event.receivedAt, actor);
        await this.notify('inform', [this.agencyOwner], { detail: '收到《委托协调化解函》，请在期限内协调化解并每周通报进展' });
        await this.notify('report', [`leader:${s.leaderId}`], { detail: '收到《委托协调化解函》，请与县司法局共同督促协调化解' });
        break;
      case 'mediation-progress': {
        const med = this.openMediation()!;
        // A report counts for the week it falls in (and any overdue week): reporting ahead does not buy silence later.
        const daysIn = daysBetween(shanghaiDate(med.letterReceivedAt), shanghaiDate(now));
        const current = med.progressDutyIds
          .map((id) => this.duty(id)!)
          .find((d) => d.status === 'overdue' || (d.status === 'open' && ((d.nth ?? 1) === 1 || daysIn > 7 * ((d.nth ?? 1) - 1))));
        if (current) this.complete(current.id, actor, event.summary);
        this.log(actor, event.type, `通报协调化解进展：${clip(event.summary)}`);
        await this.notify('report', ['bureau'], { dutyTitle: current?.title, detail: clip(event.summary, 500) });
        await this.ensureProgressDuty(med);
        break;
      }
      case 'mediation-extension': {
        const med = this.openMediation()!;
        const period = this.duty(med.periodDutyId)!;
        const [next] = await this.ports.deadlines([{ rule: 'mediation-period', from: med.letterReceivedAt, extension: { until: event.newEndDate } }]);
        med.extensions.push({ at: now, newDueDate: next!.dueDate, previousDueDate: period.dueDate, partiesConsented: true, courtInformedOn: event.courtInformedOn });
        this.moveDue(period, next!, `经各方当事人同意延长，${event.courtInformedOn} 已函告人民法院`);
        this.log(actor, event.type, `协调化解期限延长至 ${next!.dueDate}（原 ${med.extensions.at(-1)!.previousDueDate}）`);
        await this.notify('report', ['bureau'], { dutyTitle: period.title, dueDate: next!.dueDate, detail: '协调化解期限已延长' });
        break;
      }
      case 'mediation-result': {
        const med = this.openMediation()!;
        med.result = { ...event.result, at: now };
        this.complete(med.periodDutyId, actor, event.result.outcome === 'resolved' ? event.result.summary : event.result.failureReasons);
        for (const id of med.progressDutyIds) this.waive(id, '协调化解结果已反馈，不再需要进展通报');
        const text = event.result.outcome === 'resolved' ? `协调化解成功：${clip(event.result.summary)}` : `协调化解未成功：${clip(event.result.failureReasons)}`;
        this.log(actor, event.type, text);
        await this.notify('report', ['bureau'], { detail: text });
        break;
      }
      case 'response-notice':
        this.setStage('in-suit', actor);
        await this.addDuties([{ id: 'insuit-report', rule: 'insuit-report', from: event.receivedAt }]);
        this.log(actor, event.type, `收到人民法院应诉通知书（${event.receivedAt}）`);
        await this.notify('inform', [this.agencyOwner], { detail: '案件已立案，请于3日内告知县司法局并向分管县领导报告' });
        break;
      case 'insuit-report':
        this.complete('insuit-report', actor, event.summary);
        this.log(actor, event.type, '已告知县司法局并向分管县领导报告应诉情况');
        await this.notify('report', ['bureau', `leader:${s.leaderId}`], { dutyTitle: this.duty('insuit-report')!.title, detail: event.summary && clip(event.summary, 500) });
        break;
      case 'self-correction':
        s.selfCorrections.push({ at: now, description: event.description, courtInformedOn: event.courtInformedOn });
        this.log(actor, event.type, `主动纠正被诉行政行为：${clip(event.description)}`);
        await this.notify('report', ['bureau'], { detail: `主动纠正：${clip(event.description, 500)}` });
        break;
      case 'withdrawn':
        s.withdrawn = { at: now, reason: event.reason };
        for (const d of this.outstanding()) this.waive(d.id, '原告撤诉/案件终结');
        this.log(actor, event.type, `原告撤诉，案件终结${event.reason ? `：${clip(event.reason)}` : ''}`);
        await this.notify('report', ['bureau', `leader:${s.leaderId}`], { detail: '原告撤诉，案件终结' });
        break;
      case 'hearing-scheduled':
        await this.scheduleHearing(event.hearingId, event.scheduledAt, event.headAppearanceRequired, actor);
        break;
      case 'appearance-plan':
        await this.planAppearance(event, actor);
        break;
      case 'substitute-approval':
        await this.decideSubstitute(event, actor);
        break;
      case 'appearance-record': {
        const h = this.hearing(event.hearingId)!;
        h.record = { appeared: event.appeared, who: event.who, role: event.role, spoke: event.spoke, at: now, viceCountyHeadAppeared: event.viceCountyHeadAppeared };
        const plan = this.duty(`hearing-${h.id}-plan`);
        if (plan && (plan.status === 'open' || plan.status === 'overdue')) this.waive(plan.id, '庭审已结束');
        const approval = this.duty(`hearing-${h.id}-substitute-approval`);
        if (approval && (approval.status === 'open' || approval.status === 'overdue')) this.waive(approval.id, '庭审已结束');
        const ok = event.appeared && event.spoke;
        this.log(actor, event.type, `庭审记录：${event.who}（${roleName(event.role)}）${event.appeared ? '出庭' : '未出庭'}${event.appeared ? (event.spoke ? '并发言' : '但未发言') : ''}`);
        if (h.headAppearanceRequired && !ok) {
          await this.notify('escalation', [`leader:${s.leaderId}`, 'bureau'], { detail: '负责人出庭应诉未做到“既出庭、又出声”，计入出庭应诉率' });
        }
        break;
      }
      case 'judgment':
        this.setStage('post-judgment', actor);
        await this.receiveJudgment(event.receivedAt, event.outcome, event.documentNo, actor);
        await this.notify('report', ['bureau', `leader:${s.leaderId}`], { detail: `收到生效裁判文书：${outcomeName(event.outcome)}` });
        break;
      case 'filing':
        this.complete('judgment-filing', actor, event.documentNo ?? event.note);
        this.log(actor, event.type, `裁判文书已向县司法局备案${event.documentNo ? `（${event.documentNo}）` : ''}`);
        break;
      case 'loss-analysis-report': {
        this.complete('loss-report', actor, event.summary);
        s.judgment!.lossReport!.submittedAt = now;
        s.judgment!.lossReport!.submissions += 1;
        this.log(actor, event.type, '报送《行政案件败诉原因分析报告》');
        await this.notify('report', ['bureau'], { dutyTitle: this.duty('loss-report')!.title, detail: '败诉原因分析报告已报送，请审核' });
        break;
      }
      case 'loss-report-review': {
        const lr = s.judgment!.lossReport!;
        lr.reviews.push({ at: now, decision: event.decision, comments: event.comments });
        if (event.decision === 'approved') {
          lr.reportedToCountyGovernmentAt = now;
          this.log(actor, event.type, '县司法局审核通过败诉原因分析报告，已上报县政府');
          await this.notify('loss-report-review', [this.agencyOwner], { detail: '审核通过' });
          await this.notify('county-government-report', ['county-government'], { detail: '败诉原因分析报告（经县司法局审核）' });
        } else {
          this.reopen('loss-report', `县司法局退回：${event.comments}`);
          this.log(actor, event.type, `县司法局退回败诉原因分析报告：${clip(event.comments ?? '')}`);
          await this.notify('loss-report-review', [this.agencyOwner], { detail: `退回修改：${clip(event.comments ?? '', 500)}` });
        }
        break;
      }
      case 'major-case':
        s.major = true;
        this.log(actor, event.type, `列为疑难复杂/重大影响案件：${clip(event.reason)}`);
        await this.notify('major-case', [`leader:${s.leaderId}`], { detail: clip(event.reason, 500) });
        break;
      case 'recalculate-deadlines':
        await this.reprojectProvisional(actor);
        break;
    }
    this.closeIfDone(actor);
  }

  // ---------------------------------------------------------------- the timer loop's work

  /**
   * Acts on everything due by now: one reminder per duty (the latest passed point, never a backlog), one
   * escalation per newly lapsed duty, and a repeated escalation for each duty whose cadence came round; the next
   * escalation is counted from now, so downtime never produces a burst of back-dated alerts.
   */
  async tick(): Promise<boolean> {
    const now = this.ports.now();
    const nowMs = isoMs(now);
    let changed = false;
    // 👉 Never remind or declare a lapse on a provisional date: recompute it first, in case the year's official
    // holiday arrangement has been loaded since.
    const acting = this.outstanding().some(
      (d) => d.provisional && d.status === 'open' && (isoMs(d.dueAt) <= nowMs || isoMs(d.reminders[d.remindersSent] ?? d.dueAt) <= nowMs),
    );
    if (acting) changed = await this.reprojectProvisional('system');
    for (const d of this.state.duties) {
      if (d.status === 'open' && isoMs(d.dueAt) <= nowMs) {
        d.status = 'overdue';
        d.overdueSince = d.dueAt;
        d.remindersSent = d.reminders.length;
        d.escalations = 1;
        d.nextEscalationAt = await this.ports.nextEscalationAt(now, this.opts.escalationEveryWorkingDays);
        this.log('system', 'overdue', `逾期：${d.title}（应于 ${d.dueDate} 前完成），已督办`);
        await this.notify('escalation', this.escalationRecipients(d), this.dutyFacts(d, now), d.id);
        changed = true;
      } else if (d.status === 'open') {
        let passed = d.remindersSent;
        while (passed < d.reminders.length && isoMs(d.reminders[passed]!) <= nowMs) passed++;
        if (passed > d.remindersSent) {
          d.remindersSent = passed;
          this.log('system', 'reminder', `提醒：${d.title}（截止 ${d.dueDate}）`);
          await this.notify('reminder', [d.owner], this.dutyFacts(d, now), d.id);
          changed = true;
        }
      } else if (d.status === 'overdue' && d.nextEscalationAt && isoMs(d.nextEscalationAt) <= nowMs) {
        d.escalations += 1;
        d.nextEscalationAt = await this.ports.nextEscalationAt(now, this.opts.escalationEveryWorkingDays);
        this.log('system', 'escalation', `再次督办（第${d.escalations}次）：${d.title}`);
        await this.notify('repeated-escalation', this.escalationRecipients(d), this.dutyFacts(d, now), d.id);
        changed = true;
      }
    }
    for (const h of this.state.hearings) {
      const at = this.hearingReminderAt(h);
      if (at && isoMs(at) <= nowMs) {
        h.reminderSentAt = now;
        const to: RecipientRef[] = [this.agencyOwner];
        if (this.state.countyGovernmentDefendant) to.push(`leader:${this.state.leaderId}`);
        await this.notify('hearing-reminder', to, { hearingAt: h.scheduledAt, detail: h.plan ? `出庭人：${h.plan.name}` : '尚未提交出庭方案' });
        changed = true;
      }
    }
    for (const med of this.state.mediations) if (!med.result && (await this.ensureProgressDuty(med))) changed = true;
    if (changed) this.closeIfDone('system');
    return changed;
  }

  // ---------------------------------------------------------------- pieces

  private async startMediation(receivedAt: string, actor: Actor): Promise<void> {
    const s = this.state;
    const round = s.mediations.length + 1;
    const med: Mediation = { round, stage: s.stage, letterReceivedAt: receivedAt, periodDutyId: `mediation-${round}-period`, progressDutyIds: [], extensions: [] };
    s.mediations.push(med);
    await this.addDuties([{ id: med.periodDutyId, rule: 'mediation-period', from: receivedAt }]);
    this.log(actor, 'entrustment-letter', `收到《委托协调化解函》（第${round}轮，${stageName(s.stage)}），协调化解期限至 ${this.duty(med.periodDutyId)!.dueDate}`);
    await this.ensureProgressDuty(med);
  }

  /**
   * Keeps exactly one weekly progress duty ahead while mediation is open. After a gap (registration weeks after
   * the letter, or downtime) it jumps to the current week rather than creating every missed week.
   */
  private async ensureProgressDuty(med: Mediation): Promise<boolean> {
    if (med.result) return false;
    const latest = med.progressDutyIds.length ? this.duty(med.progressDutyIds[med.progressDutyIds.length - 1]!) : undefined;
    if (latest && latest.status === 'open') return false;
    const now = this.ports.now();
    const lastNth = latest ? Number(latest.id.split('-').pop()) : 0;
    const weeksElapsed = Math.floor(daysBetween(shanghaiDate(med.letterReceivedAt), shanghaiDate(now)) / 7);
    const nth = Math.max(lastNth + 1, weeksElapsed + (latest ? 1 : 0), 1);
    const id = `mediation-${med.round}-progress-${nth}`;
    // A missed week stays on record as overdue, but only the newest report escalates: one missing-report problem,
    // not a growing pile of parallel alerts.
    for (const pid of med.progressDutyIds) {
      const p = this.duty(pid)!;
      if (p !== latest && p.status === 'overdue' && p.nextEscalationAt) {
        delete p.nextEscalationAt;
        p.note = `由第${lastNth}周进展通报继续督办`;
      }
    }
    await this.addDuties([{ id, rule: 'mediation-weekly-progress', from: med.letterReceivedAt, nth, titleSuffix: `（第${nth}周）` }]);
    med.progressDutyIds.push(id);
    return true;
  }

  private async receiveJudgment(receivedAt: string, outcome: JudgmentOutcome, documentNo: string | undefined, actor: Actor): Promise<void> {
    const s = this.state;
    const lost = outcome === 'lost' || outcome === 'partly-lost';
    s.judgment = { receivedAt, outcome, documentNo, ...(lost ? { lossReport: { reviews: [], submissions: 0 } } : {}) };
    const duties: DutySpec[] = [{ id: 'judgment-filing', rule: 'judgment-filing', from: receivedAt }];
    if (lost) duties.push({ id: 'loss-report', rule: 'loss-analysis-report', from: receivedAt });
    await this.addDuties(duties);
    this.log(actor, 'judgment', `收到生效裁判文书（${outcomeName(outcome)}${documentNo ? `，${documentNo}` : ''}），7个工作日内备案${lost ? '，30日内报送败诉原因分析报告' : ''}`);
  }

  private async scheduleHearing(hearingId: string | undefined, scheduledAt: string, headRequired: boolean, actor: Actor): Promise<void> {
    const s = this.state;
    s.seq.hearing += 1;
    const id = hearingId ?? `h${s.seq.hearing}`;
    const h: Hearing = { id, scheduledAt, headAppearanceRequired: headRequired };
    s.hearings.push(h);
    this.log(actor, 'hearing-scheduled', `开庭时间：${scheduledAt}${headRequired ? '，人民法院要求行政机关负责人出庭' : ''}`);
    if (!headRequired) return;
    const now = this.ports.now();
    const planDue = addMs(scheduledAt, -this.opts.planDaysBeforeHearing * DAY_MS);
    const dueAt = isoMs(planDue) > isoMs(now) ? planDue : scheduledAt;
    const reminders = [addMs(scheduledAt, -7 * DAY_MS), addMs(scheduledAt, -4 * DAY_MS)].filter((r) => isoMs(r) > isoMs(now) && isoMs(r) < isoMs(dueAt));
    this.pushDuty({
      id: `hearing-${id}-plan`,
      ruleId: 'appearance-plan',
      title: s.countyGovernmentDefendant ? '提交出庭应诉方案（分管副县长及牵头单位主要负责人出庭）' : '提交负责人出庭应诉方案（主要负责人出庭）',
      owner: this.agencyOwner,
      dueAt,
      dueDate: shanghaiDate(addMs(dueAt, -1)),
      provisional: false,
      basis: s.countyGovernmentDefendant
        ? '武政办〔2023〕47号 二：以县政府为被告的案件由分管副县长出庭，牵头应诉单位的主要负责人必须出庭；开庭3日前未提交出庭方案的，提醒分管县领导'
        : '武政办〔2023〕47号 二：人民法院要求行政机关负责人出庭的，必须由主要负责人出庭；开庭3日前未提交出庭方案的，提醒分管县领导',
      reminders,
    });
    await this.notify('hearing-reminder', [this.agencyOwner, ...(s.countyGovernmentDefendant ? [`leader:${s.leaderId}` as const] : [])], { hearingAt: scheduledAt, detail: '人民法院要求行政机关负责人出庭，请提交出庭方案' });
  }

  private async planAppearance(event: Extract<CaseEvent, { type: 'appearance-plan' }>, actor: Actor): Promise<void> {
    const s = this.state;
    const h = this.hearing(event.hearingId)!;
    const now = this.ports.now();
    h.plan = { appearing: event.appearing, name: event.name, reason: event.reason, submittedAt: now };
    const planDuty = this.duty(`hearing-${h.id}-plan`);
    if (planDuty && (planDuty.status === 'open' || planDuty.status === 'overdue')) this.complete(planDuty.id, actor);
    const who = `${event.name}（${event.appearing === 'principal' ? '主要负责人' : '分管领导代为出庭'}）${event.viceCountyHead ? `、${event.viceCountyHead}（分管副县长）` : ''}`;
    this.log(actor, 'appearance-plan', `出庭方案：${who}`);
    if (event.appearing === 'deputy') {
      const approvalId = `hearing-${h.id}-substitute-approval`;
      const existing = this.duty(approvalId);
      if (existing) this.reopen(approvalId, '新的代为出庭方案');
      else
        this.pushDuty({
          id: approvalId,
          ruleId: 'substitute-approval',
          title: `审批分管领导代为出庭（${event.name}）`,
          owner: `leader:${s.leaderId}`,
          dueAt: h.scheduledAt,
          dueDate: shanghaiDate(addMs(h.scheduledAt, -1)),
          provisional: false,
          basis: '武政办〔2023〕47号 二：主要负责人有正当理由不能出庭的，经分管县领导同意后可以由分管领导出庭并告知县司法局',
          reminders: [addMs(h.scheduledAt, -2 * DAY_MS)].filter((r) => isoMs(r) > isoMs(now)),
        });
      await this.notify('substitute-approval-request', [`leader:${s.leaderId}`], { hearingAt: h.scheduledAt, detail: `${event.name} 代为出庭，理由：${clip(event.reason ?? '', 300)}` }, approvalId);
    }
  }

  private async decideSubstitute(event: Extract<CaseEvent, { type: 'substitute-approval' }>, actor: Actor): Promise<void> {
    const h = this.hearing(event.hearingId)!;
    const now = this.ports.now();
    h.plan!.approval = { approved: event.approved, by: actor, at: now, comment: event.comment };
    const approvalId = `hearing-${h.id}-substitute-approval`;
    this.complete(approvalId, actor, event.comment);
    if (event.approved) {
      this.log(actor, 'substitute-approval', `分管县领导同意由 ${h.plan!.name} 代为出庭`);
      await this.notify('report', ['bureau'], { hearingAt: h.scheduledAt, detail: `经分管县领导同意，由 ${h.plan!.name} 代为出庭` });
    } else {
      this.log(actor, 'substitute-approval', `分管县领导不同意代为出庭${event.comment ? `：${clip(event.comment)}` : ''}，须由主要负责人出庭`);
      this.reopen(`hearing-${h.id}-plan`, '代为出庭未获同意，须重新提交方案');
      await this.notify('inform', [this.agencyOwner], { hearingAt: h.scheduledAt, detail: '代为出庭未获分管县领导同意，须由主要负责人出庭' });
    }
  }

  private async reprojectProvisional(actor: Actor): Promise<boolean> {
    // Period duties carry the trigger they count from; appearance plans and approvals have fixed instants.
    const pending = this.outstanding().filter((d) => d.provisional && d.from !== undefined);
    if (!pending.length) return false;
    let moved = false;
    const requests = pending.map((d) => ({ dutyId: d.id, request: this.requestFor(d) }));
    const results = await this.ports.reproject(requests);
    for (const { dutyId, deadline } of results) {
      const d = this.duty(dutyId)!;
      if (deadline.dueDate !== d.dueDate || deadline.provisional !== d.provisional) {
        this.moveDue(d, deadline, '官方节假日安排公布后重新计算');
        this.log(actor, 'recalculated', `重新计算期限：${d.title} → ${deadline.dueDate}`);
        moved = true;
      }
    }
    return moved;
  }

  /** Rebuilds the engine request of a period duty from its own facts (for re-projection). */
  private requestFor(d: Duty): DeadlineRequest {
    const rule = d.ruleId as PeriodRuleId;
    const med = this.state.mediations.find((m) => m.periodDutyId === d.id);
    const ext = med?.extensions.at(-1);
    return { rule, from: d.from!, ...(d.nth ? { nth: d.nth } : {}), ...(ext ? { extension: { until: ext.newDueDate } } : {}) };
  }

  private async addDuties(specs: DutySpec[]): Promise<void> {
    const computed = await this.ports.deadlines(specs.map((s) => ({ rule: s.rule, from: s.from, ...(s.nth ? { nth: s.nth } : {}) })));
    specs.forEach((spec, i) => {
      const c = computed[i]!;
      this.pushDuty({
        id: spec.id,
        ruleId: spec.rule,
        title: `${c.title}${spec.titleSuffix ?? ''}`,
        owner: this.agencyOwner,
        dueDate: c.dueDate,
        dueAt: c.dueAt,
        provisional: c.provisional,
        basis: c.basis,
        reminders: c.reminders,
        from: spec.from,
        ...(spec.nth ? { nth: spec.nth } : {}),
      });
    });
  }

  private pushDuty(d: Pick<Duty, 'id' | 'ruleId' | 'title' | 'owner' | 'dueDate' | 'dueAt' | 'provisional' | 'basis' | 'reminders' | 'from' | 'nth'>): void {
    const now = this.ports.now();
    // Reminder points already behind us at creation are not owed.
    const remindersSent = d.reminders.filter((r) => isoMs(r) <= isoMs(now)).length;
    this.state.duties.push({ ...d, remindersSent, status: 'open', createdAt: now, escalations: 0 });
  }

  private moveDue(d: Duty, next: DueDate & { reminders: string[] }, reason: string): void {
    const now = this.ports.now();
    d.previousDue = [...(d.previousDue ?? []), { dueDate: d.dueDate, dueAt: d.dueAt, provisional: d.provisional, basis: d.basis, replacedAt: now, reason }];
    d.dueDate = next.dueDate;
    d.dueAt = next.dueAt;
    d.provisional = next.provisional;
    d.basis = next.basis;
    d.reminders = next.reminders;
    d.remindersSent = next.reminders.filter((r) => isoMs(r) <= isoMs(now)).length;
    if (d.status === 'overdue' && isoMs(d.dueAt) > isoMs(now)) {
      // An extension granted after the lapse reopens the duty; the lapse itself stays on record (overdueSince).
      d.status = 'open';
      delete d.nextEscalationAt;
    }
  }

  private complete(id: string, actor: Actor, note?: string): void {
    const d = this.duty(id)!;
    const now = this.ports.now();
    d.status = 'done';
    d.doneAt = now;
    d.doneBy = actor;
    if (note) d.note = clip(note, 500);
    delete d.nextEscalationAt;
    const late = daysBetween(d.dueDate, shanghaiDate(now));
    if (isoMs(now) > isoMs(d.dueAt)) d.lateDays = Math.max(late, 1);
  }

  private waive(id: string, reason: string): void {
    const d = this.duty(id);
    if (!d || (d.status !== 'open' && d.status !== 'overdue')) return;
    d.status = 'waived';
    d.note = reason;
    delete d.nextEscalationAt;
  }

  private reopen(id: string, reason: string): void {
    const d = this.duty(id);
    if (!d) return;
    const now = this.ports.now();
    d.status = 'open';
    d.note = reason;
    delete d.doneAt;
    delete d.doneBy;
    delete d.lateDays;
    d.remindersSent = d.reminders.filter((r) => isoMs(r) <= isoMs(now)).length;
    // The original due date stands: a duty sent back after its due date lapses again at once, and escalates.
  }

  private setStage(stage: CaseStage, actor: Actor): void {
    const s = this.state;
    if (s.stage === stage) return;
    this.log(actor, 'stage-changed', `阶段变更：${stageName(s.stage)} → ${stageName(stage)}`);
    s.stage = stage;
  }

  private stageOver(): boolean {
    const s = this.state;
    if (s.withdrawn) return true;
    if (this.openMediation()) return false;
    switch (s.stage) {
      case 'pre-suit':
        return s.mediations.some((m) => m.result?.outcome === 'resolved');
      case 'in-suit':
        return false;
      case 'post-judgment': {
        const j = s.judgment;
        if (!j) return false;
        const lost = j.outcome === 'lost' || j.outcome === 'partly-lost';
        return this.duty('judgment-filing')?.status === 'done' && (!lost || !!j.lossReport?.reportedToCountyGovernmentAt);
      }
      case 'closed':
        return true;
    }
  }

  private closeIfDone(actor: Actor): void {
    const s = this.state;
    if (s.stage === 'closed' || !this.stageOver() || this.outstanding().length) return;
    this.log(actor, 'closed', '本案各阶段事项均已完成，结案归档');
    s.stage = 'closed';
    s.closedAt = this.ports.now();
  }

  private hearingReminderAt(h: Hearing): string | undefined {
    if (!h.headAppearanceRequired || h.reminderSentAt || h.record) return undefined;
    const at = addMs(h.scheduledAt, -DAY_MS);
    return isoMs(at) > isoMs(this.state.registeredAt) ? at : undefined;
  }

  private escalationRecipients(d: Duty): RecipientRef[] {
    const to: RecipientRef[] = [`leader:${this.state.leaderId}`, 'bureau'];
    if (d.owner.startsWith('agency:')) to.unshift(d.owner as RecipientRef);
    return to;
  }

  private dutyFacts(d: Duty, now: string): NoticeRequest['facts'] {
    const late = daysBetween(d.dueDate, shanghaiDate(now));
    return {
      caseTitle: this.state.title,
      agencyId: this.state.agencyId,
      dutyTitle: d.title,
      dueDate: d.dueDate,
      basis: d.basis,
      ...(d.status === 'overdue' ? { daysLate: Math.max(late, 0), escalationNumber: d.escalations } : {}),
    };
  }

  private async notify(kind: NoticeKind, recipients: RecipientRef[], facts: Partial<NoticeRequest['facts']>, dutyId?: string): Promise<void> {
    const s = this.state;
    s.seq.notice += 1;
    await this.ports.notify({
      key: `${s.caseId}/${dutyId ?? '-'}/${kind}/${s.seq.notice}`,
      caseId: s.caseId,
      dutyId,
      kind,
      recipients,
      facts: { caseTitle: s.title, agencyId: s.agencyId, ...stripUndefined(facts) },
      requestedAt: this.ports.now(),
    });
  }

  private log(actor: string, type: string, summary: string): void {
    const s = this.state;
    s.seq.timeline += 1;
    s.timeline.push({ seq: s.seq.timeline, at: this.ports.now(), actor, type, summary });
    if (s.timeline.length > TIMELINE_KEPT) s.timeline.splice(0, s.timeline.length - TIMELINE_KEPT);
  }
}

interface DutySpec {
  id: string;
  rule: PeriodRuleId;
  from: string;
  nth?: number;
  titleSuffix?: string;
}


function triggerName(t: Registration['trigger']['type']): string {
  return { 'oral-notice': '口头通知', 'entrustment-letter': '委托协调化解函', 'response-notice': '应诉通知书', judgment: '生效裁判文书' }[t];
}

function outcomeName(o: string): string {
  return ({ won: '胜诉', lost: '败诉', 'partly-lost': '部分败诉', dismissed: '驳回起诉', other: '其他' } as Record<string, string>)[o] ?? o;
}

function roleName(r: string): string {
  return ({ principal: '主要负责人', deputy: '分管领导', 'vice-county-head': '分管副县长', other: '其他人员' } as Record<string, string>)[r] ?? r;
}

const clip = (s: string, n = 80): string => (s.length > n ? `${s.slice(0, n)}…` : s);

function minIso(xs: string[]): string | undefined {
  let best: string | undefined;
  for (const x of xs) if (!best || isoMs(x) < isoMs(best)) best = x;
  return best;
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

