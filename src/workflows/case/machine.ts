// The case's rules as a deterministic state machine over plain-JSON state. It never touches I/O or the clock:
// time and due dates reach it through `CasePorts`, which the workflow binds to local activities (so every computed
// date is recorded in history) and unit tests bind to the deadline engine directly. The notices a change produces
// wait in the machine until the workflow commits them with the change (`takeNotices`). What each event may
// do lives in handlers/ (one handler per event type); the machine dispatches, ticks, notifies, logs and closes.
import { actsOnCase } from '../../access';
import * as duties from '../../duties';
import type { NewDuty, Reschedule } from '../../duties';
import { noticeKey } from '../../notifications/keys';
import type { NoticeKind, NoticeRequest, RecipientRef } from '../../notifications/types';
import { addMs, DAY_MS, isoMs } from '../../time/shanghai';
import { checkEvent, handlerOf } from './handlers';
import { appealPeriodLapse, receiveJudgment } from './handlers/judgment';
import { ensureProgressDuty, startMediation } from './handlers/mediation';
import { responseNoticeDuties } from './handlers/suit';
import {
  caseView,
  isOpen,
  Refusal,
  type CaseOps,
  type CaseView,
  type ComputedDeadline,
  type DeadlineRequest,
  type DutySpec,
} from './handlers/types';
import type { Actor, CaseCommand, CaseWorkflowOptions } from './messages';
import { clip, dueText, momentText, stageName, triggerName } from './names';
import type { CaseEvent, Registration } from './schemas';
import type { CaseStage, CaseState, Duty, Hearing, Mediation, PeriodRuleId, TimelineEntry } from './types';

export type { ComputedDeadline, DeadlineRequest } from './handlers/types';
export { allowedEvents } from './handlers';
export { stageName } from './names';

export interface CasePorts {
  /** The workflow's current time, ISO. */
  now(): string;
  deadlines(requests: DeadlineRequest[]): ComputedDeadline[];
  /** 09:00 Shanghai on the Nth working day after the instant's Shanghai date. */
  nextEscalationAt(after: string, workingDays: number): string;
  /** The instant itself in working hours on a working day, else the next working morning (09:00). */
  workingMoment(at: string): string;
  /** Recomputes provisional due dates under the current calendar. */
  reproject(requests: { dutyId: string; request: DeadlineRequest }[]): { dutyId: string; deadline: ComputedDeadline }[];
}

/** A refused command: a Chinese message for people and a stable English code for programs. */
export class CaseRejection extends Error {
  override name = 'CaseRejection';
  constructor(
    message: string,
    readonly code = 'not_expected',
  ) {
    super(message);
  }
}

/** The deadline engine refused an input (a date outside its calendar): the command is refused, never half-applied. */
function deadlineInputError(err: unknown): boolean {
  // The engine's own error (unit tests), or the activity failure that carries it (its cause, in the workflow).
  let e = err as { name?: string; type?: string; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 4; depth++) {
    if (e.name === 'DeadlineInputError' || e.type === 'DeadlineInputError') return true;
    e = e.cause as typeof e;
  }
  return false;
}

const DEADLINE_REFUSED = new CaseRejection(
  '期限无法计算：所涉日期超出工作日历支持的范围（2000年至2099年），请核对日期',
  'deadline_out_of_range',
);

/** The command being applied: who sent it, when it says it happened, and the person it names. */
interface Applied {
  actor: Actor;
  occurredAt?: string;
  person?: CaseCommand['person'];
}

const DEFAULTS = { escalationEveryWorkingDays: 3, planDaysBeforeHearing: 3 };
/**
 * How many of the most recent timeline entries the case's state keeps (the registry keeps every one, and the console
 * shows the registry's). The state is every command's answer, written into history with it, and what a continued run
 * carries: with 200 entries a long case's answer grew to ~25 KB a command, and a command on it cost ~20 % more than on a
 * new case (README, Performance).
 */
export const TIMELINE_KEPT = 30;

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

/** Who the case belongs to, resolved from the directory by the service. */
export interface CaseOwners {
  leaderId: string;
  agencyName: string;
  leaderName?: string;
}

export function initialState(reg: Registration, owners: CaseOwners, now: string): CaseState {
  const stage = entryStage(reg.trigger);
  return {
    caseId: reg.caseId,
    title: reg.title,
    agencyId: reg.agencyId,
    agencyName: owners.agencyName,
    leaderId: owners.leaderId,
    ...(owners.leaderName ? { leaderName: owners.leaderName } : {}),
    trigger: { type: reg.trigger.type, receivedAt: reg.trigger.receivedAt },
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

export class CaseMachine implements CaseOps {
  /** The command being applied, while it is. */
  private applied: Applied | undefined;
  /** How many transactions are open (they nest: a command's transaction holds its tick's). */
  private depth = 0;
  /** Notices of the changes applied since the workflow last took them: written to the outbox with the change. */
  private pending: NoticeRequest[] = [];
  private readonly opts: Required<Pick<CaseWorkflowOptions, 'escalationEveryWorkingDays' | 'planDaysBeforeHearing'>>;

  constructor(
    readonly state: CaseState,
    private readonly ports: CasePorts,
    options: CaseWorkflowOptions = {},
  ) {
    this.opts = { ...DEFAULTS, ...stripUndefined(options) };
  }

  // ---------------------------------------------------------------- queries over state

  get agencyOwner(): `agency:${string}` {
    return `agency:${this.state.agencyId}`;
  }

  get leader(): `leader:${string}` {
    return `leader:${this.state.leaderId}`;
  }

  get planDaysBeforeHearing(): number {
    return this.opts.planDaysBeforeHearing;
  }

  now(): string {
    return this.ports.now();
  }

  duty(id: string): Duty | undefined {
    return this.state.duties.find((d) => d.id === id);
  }

  outstanding(): Duty[] {
    return this.state.duties.filter(duties.isOutstanding);
  }

  openMediation(): Mediation | undefined {
    return this.state.mediations.find(isOpen);
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
      const wake = duties.nextWakeUp(d);
      if (!wake) continue;
      const label = {
        reminder: `提醒：${d.title} ${d.dueDate}`,
        due: `期限：${d.title} ${d.dueDate}`,
        escalation: `再次督办：${d.title}（逾期）`,
      }[wake.why];
      candidates.push({ at: wake.at, label });
    }
    for (const h of this.state.hearings) {
      const at = this.hearingReminderAt(h);
      if (at) candidates.push({ at, label: `开庭提醒：${momentText(h.scheduledAt)} 开庭` });
    }
    const j = this.state.judgment;
    if (j?.appealPeriod && !j.effectiveOn && !j.appeal)
      candidates.push({ at: j.appealPeriod.dueAt, label: `上诉期届满：${dueText(j.appealPeriod.dueDate)}` });
    candidates.sort((a, b) => isoMs(a.at) - isoMs(b.at));
    return candidates[0];
  }

  /** A one-line Chinese summary of the case for Temporal UI's current details. */
  currentDetails(): string {
    const s = this.state;
    // Markdown for Temporal UI: blank lines between blocks so the lists render as lists.
    // Current details are shown in Temporal UI without the codec: the case id, never the title (it names parties).
    const blocks = [
      `**行政应诉案件 ${s.caseId}**`,
      `涉诉单位：${s.agencyName} · 阶段：${stageName(s.stage)}${s.major ? ' · 重大案件' : ''}`,
    ];
    const open = s.duties.filter((d) => d.status === 'open').sort((a, b) => isoMs(a.dueAt) - isoMs(b.dueAt));
    const overdue = s.duties.filter((d) => d.status === 'overdue');
    if (overdue.length) {
      const lines = overdue.map(
        (d) => `- 逾期：${d.title}（应于${dueText(d.dueDate)}完成，已督办 ${d.escalations} 次）`,
      );
      blocks.push(`逾期 ${overdue.length} 项：`, lines.join('\n'));
    }
    if (open.length) {
      const lines = open.map((d) => `- ${d.title}（${dueText(d.dueDate)}完成${d.provisional ? '，暂定' : ''}）`);
      blocks.push(`待办 ${open.length} 项：`, lines.join('\n'));
    }
    if (!open.length && !overdue.length)
      blocks.push({ closed: '已结案。', voided: '已作废（误登记）。' }[s.stage as string] ?? '暂无待办事项。');
    return blocks.join('\n\n');
  }

  // ---------------------------------------------------------------- validation (synchronous, no mutation)

  /** Whether the actor acts on this case at all: the bureau, the case's agency, or its leader in charge. */
  canAct(actor: Actor): boolean {
    return actsOnCase(actor, this.state);
  }

  private view(): CaseView {
    return caseView(this.state, this.ports.now());
  }

  /** Why this command is not allowed now, or undefined. Called by the update validator and again in the handler. */
  rejectReason(
    event: CaseEvent,
    actor: Actor,
    command: Pick<CaseCommand, 'person' | 'resolved'> = {},
  ): CaseRejection | undefined {
    const checked = checkEvent(this.view(), event, actor, command);
    return 'refused' in checked ? new CaseRejection(checked.refused, checked.code) : undefined;
  }

  // ---------------------------------------------------------------- registration

  /** Registers the case; a failed due-date computation refuses the registration and leaves the state as it was. */
  register(reg: Registration, actor: Actor): void {
    this.transaction({ actor }, () => this.registerNow(reg, actor));
  }

  private registerNow(reg: Registration, actor: Actor): void {
    const t = reg.trigger;
    const s = this.state;
    this.log(actor, 'registered', `登记建档：${s.title}（${stageName(s.stage)}阶段登记，${triggerName(t.type)}）`);
    switch (t.type) {
      case 'oral-notice':
        this.addDuties([{ id: 'presuit-feedback', rule: 'presuit-oral-feedback', from: t.receivedAt }]);
        break;
      case 'entrustment-letter':
        startMediation(this, t.receivedAt, actor);
        break;
      case 'response-notice':
        this.addDuties(responseNoticeDuties(t.receivedAt));
        break;
      case 'judgment':
        receiveJudgment(this, t, actor);
        break;
    }
    // Rows 1, 8, 10: the bureau informs the agency and reports to the leader in charge at once.
    this.notify('inform', [this.agencyOwner], { detail: `新登记案件（${triggerName(t.type)}）` });
    this.notify('report', [this.leader], {
      detail: `新登记案件（${triggerName(t.type)}），涉诉单位：${s.agencyName}`,
    });
  }

  // ---------------------------------------------------------------- commands

  /**
   * Checks the event again (the state may have changed while it queued), applies it, and closes a finished case. The
   * command commits whole or not at all: on a refusal mid-way (a due date the engine cannot compute) the state is
   * put back as it was and no notice leaves.
   */
  apply(event: CaseEvent, actor: Actor, command: Pick<CaseCommand, 'person' | 'resolved'> = {}): void {
    const view = this.view();
    const checked = checkEvent(view, event, actor, command);
    if ('refused' in checked) throw new CaseRejection(checked.refused, checked.code);
    const occurredAt = 'occurredAt' in event ? event.occurredAt : undefined;
    this.transaction({ actor, occurredAt, person: command.person }, () => {
      handlerOf(event.type).apply({ m: this, event, ctx: checked.ctx, actor, now: view.now, command });
      this.closeIfDone(actor);
    });
  }

  /**
   * A command and the timer loop's work it brings due (a corrected date already passed, a duty it reopened overdue),
   * at one instant, whole or not at all: the timer loop then only recomputes its next wake-up.
   */
  command(event: CaseEvent, actor: Actor, command: Pick<CaseCommand, 'person' | 'resolved'> = {}): void {
    this.transaction(undefined, () => {
      this.apply(event, actor, command);
      if (this.state.stage !== 'closed' && this.state.stage !== 'voided') this.tick();
    });
  }

  /**
   * Runs `work` on the state whole or not at all: on any failure the state and its notices are as they were. A
   * transaction inside another is undone with it (only the outermost keeps a copy of the state).
   */
  private transaction<T>(applied: Applied | undefined, work: () => T): T {
    const outermost = this.depth === 0;
    const before = outermost ? JSON.stringify(this.state) : '';
    const noticesBefore = this.pending.length;
    const outer = this.applied;
    this.applied = applied;
    this.depth += 1;
    try {
      return work();
    } catch (err) {
      if (outermost) {
        restore(this.state, JSON.parse(before) as CaseState);
        this.pending.length = noticesBefore;
      }
      if (err instanceof Refusal) throw new CaseRejection(err.message, err.code);
      if (deadlineInputError(err)) throw DEADLINE_REFUSED;
      throw err;
    } finally {
      this.depth -= 1;
      this.applied = outer;
    }
  }

  /** The notices of the changes since the last call, in order: the workflow commits them with the state. */
  takeNotices(): NoticeRequest[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }

  // ---------------------------------------------------------------- the timer loop's work

  /**
   * Acts on everything due by now: one reminder per duty (the latest passed point, never a backlog), one
   * escalation per newly lapsed duty, and a repeated escalation for each duty whose cadence came round; the next
   * escalation is counted from now, so downtime never produces a burst of back-dated alerts. Whole or nothing, like
   * a command.
   */
  tick(): boolean {
    return this.transaction({ actor: 'system' }, () => this.tickNow());
  }

  private tickNow(): boolean {
    const now = this.ports.now();
    const nowMs = isoMs(now);
    let changed = false;
    // Never remind or declare a lapse on a provisional date: recompute it first, in case the year's official
    // holiday arrangement has been loaded since.
    const acting = this.outstanding().some(
      (d) =>
        d.provisional &&
        d.status === 'open' &&
        (isoMs(d.dueAt) <= nowMs || isoMs(d.reminders[d.remindersSent] ?? d.dueAt) <= nowMs),
    );
    if (acting) changed = this.reprojectProvisional('system');
    const every = this.opts.escalationEveryWorkingDays;
    for (const d of this.state.duties) {
      switch (duties.dueAction(d, now)) {
        case 'lapse': {
          // The lapse is recorded at the due instant; people are alerted only in working hours on a working day.
          const moment = this.ports.workingMoment(now);
          if (isoMs(moment) <= nowMs) {
            duties.lapse(d, this.ports.nextEscalationAt(now, every));
            this.log('system', 'overdue', `逾期：${d.title}（应于${dueText(d.dueDate)}完成），已督办`);
            this.notify('escalation', this.escalationRecipients(d), this.dutyFacts(d, now), d.id);
          } else {
            duties.lapse(d, moment, false);
            this.log(
              'system',
              'overdue',
              `逾期：${d.title}（应于${dueText(d.dueDate)}完成），将于${momentText(moment)}督办`,
            );
          }
          changed = true;
          break;
        }
        case 'escalate':
          duties.repeatEscalation(d, this.ports.nextEscalationAt(now, every));
          this.log('system', 'escalation', `督办：${d.title}（应于${dueText(d.dueDate)}完成，已逾期）`);
          this.notify('escalation', this.escalationRecipients(d), this.dutyFacts(d, now), d.id);
          changed = true;
          break;
        case 'remind':
          duties.remind(d, now);
          this.log('system', 'reminder', `提醒：${d.title}（${dueText(d.dueDate)}完成）`);
          this.notify('reminder', [d.owner], this.dutyFacts(d, now), d.id);
          changed = true;
          break;
        case 'repeat-escalation':
          duties.repeatEscalation(d, this.ports.nextEscalationAt(now, every));
          this.log('system', 'escalation', `再次督办（第${d.escalations}次）：${d.title}`);
          this.notify('repeated-escalation', this.escalationRecipients(d), this.dutyFacts(d, now), d.id);
          changed = true;
          break;
        case undefined:
          break;
      }
    }
    for (const h of this.state.hearings) {
      const at = this.hearingReminderAt(h);
      if (at && isoMs(at) <= nowMs) {
        h.reminderSentAt = now;
        const to: RecipientRef[] = [this.agencyOwner];
        if (this.state.countyGovernmentDefendant) to.push(this.leader);
        const detail = h.plan ? `出庭人：${h.plan.name}` : '尚未提交出庭方案';
        this.notify('hearing-reminder', to, { hearingAt: h.scheduledAt, detail });
        changed = true;
      }
    }
    for (const med of this.state.mediations) if (isOpen(med) && ensureProgressDuty(this, med)) changed = true;
    // A first-instance document's appeal period ended with no appeal: it takes effect the next day.
    if (appealPeriodLapse(this, now)) changed = true;
    if (changed) this.closeIfDone('system');
    return changed;
  }

  // ---------------------------------------------------------------- operations the handlers use

  deadlines(requests: DeadlineRequest[]): ComputedDeadline[] {
    return this.ports.deadlines(requests);
  }

  reprojectProvisional(actor: Actor): boolean {
    // Period duties carry the trigger they count from; appearance plans and approvals have fixed instants.
    const pending = this.outstanding().filter(
      (d): d is Duty & { from: string } => d.provisional && d.from !== undefined,
    );
    if (!pending.length) return false;
    let moved = false;
    const requests = pending.map((d) => ({ dutyId: d.id, request: this.requestFor(d) }));
    const results = this.ports.reproject(requests);
    for (const { dutyId, deadline } of results) {
      const d = this.duty(dutyId);
      if (!d) continue;
      if (deadline.dueDate !== d.dueDate || deadline.provisional !== d.provisional) {
        this.moveDue(d, deadline, '官方节假日安排公布后重新计算');
        this.log(actor, 'recalculated', `重新计算期限：${d.title} → ${deadline.dueDate}`);
        moved = true;
      }
    }
    return moved;
  }

  /** Rebuilds the engine request of a period duty from its own facts (for re-projection). */
  private requestFor(d: Duty & { from: string }): DeadlineRequest {
    const rule = d.ruleId as PeriodRuleId;
    const med = this.state.mediations.find((m) => m.periodDutyId === d.id);
    const ext = med?.extensions.at(-1);
    const extension = ext ? { extension: { until: ext.newDueDate } } : {};
    return { rule, from: d.from, ...(d.nth ? { nth: d.nth } : {}), ...extension };
  }

  addDuties(specs: DutySpec[]): void {
    const requests = specs.map((s) => ({ rule: s.rule, from: s.from, ...(s.nth ? { nth: s.nth } : {}) }));
    const computed = this.ports.deadlines(requests);
    specs.forEach((spec, i) => {
      const c = computed[i];
      if (!c) throw new TypeError(`the deadline engine answered no deadline for ${spec.id}`);
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

  pushDuty(d: NewDuty): void {
    this.state.duties.push(duties.createDuty(d, this.ports.now()));
  }

  moveDue(d: Duty, next: Reschedule, reason: string): void {
    duties.moveDue(d, next, reason, this.ports.now());
  }

  complete(d: Duty, actor: Actor, note?: string): void {
    const a = this.applied?.actor === actor ? this.applied : undefined;
    duties.complete(d, actor, this.ports.now(), note ? clip(note, 500) : undefined, {
      occurredAt: a?.occurredAt,
      person: a?.person?.name,
    });
  }

  waive(id: string, reason: string): void {
    const d = this.duty(id);
    if (d) duties.waive(d, reason);
  }

  supersede(id: string, reason: string): void {
    const d = this.duty(id);
    if (d) duties.supersede(d, reason);
  }

  workingMoment(at: string): string {
    return this.ports.workingMoment(at);
  }

  reopen(id: string, reason: string): void {
    const d = this.duty(id);
    if (d) duties.reopen(d, reason, this.ports.now());
  }

  setStage(stage: CaseStage, actor: Actor): void {
    const s = this.state;
    if (s.stage === stage) return;
    this.log(actor, 'stage-changed', `阶段变更：${stageName(s.stage)} → ${stageName(stage)}`);
    s.stage = stage;
  }

  notify(kind: NoticeKind, recipients: RecipientRef[], facts: Partial<NoticeRequest['facts']>, dutyId?: string): void {
    const s = this.state;
    s.seq.notice += 1;
    const request: NoticeRequest = {
      key: noticeKey(s.caseId, dutyId, kind, s.seq.notice),
      caseId: s.caseId,
      dutyId,
      kind,
      recipients,
      facts: { caseTitle: s.title, agencyId: s.agencyId, ...stripUndefined(facts) },
      requestedAt: this.ports.now(),
    };
    // Notices wait for the change to commit: a refused command tells no one anything.
    this.pending.push(request);
  }

  log(actor: string, type: string, summary: string): void {
    const s = this.state;
    s.seq.timeline += 1;
    const at = this.ports.now();
    const entry: TimelineEntry = { seq: s.seq.timeline, at, actor, type, summary };
    const a = this.applied?.actor === actor ? this.applied : undefined;
    if (a?.occurredAt && isoMs(a.occurredAt) !== isoMs(at)) entry.occurredAt = a.occurredAt;
    if (a?.person) entry.by = a.person.name;
    s.timeline.push(entry);
    if (s.timeline.length > TIMELINE_KEPT) s.timeline.splice(0, s.timeline.length - TIMELINE_KEPT);
  }

  // ---------------------------------------------------------------- closing and the timer's pieces

  private stageOver(): boolean {
    const s = this.state;
    // A withdrawal ends the case once its ruling is filed (the filing duty is then no longer outstanding).
    if (s.withdrawn) return true;
    if (this.openMediation()) return false;
    switch (s.stage) {
      case 'pre-suit':
        return !!s.presuitSettled || s.mediations.some((m) => m.result?.outcome === 'resolved');
      case 'in-suit':
        return false;
      case 'post-judgment': {
        const j = s.judgment;
        if (!j?.effectiveOn) return false;
        const lost = j.outcome === 'lost' || j.outcome === 'partly-lost';
        const filing = s.duties.filter((d) => d.ruleId === 'judgment-filing').at(-1);
        return filing?.status === 'done' && (!lost || !!j.lossReport?.reportedToCountyGovernmentAt);
      }
      case 'closed':
      case 'voided':
        return true;
    }
  }

  private closeIfDone(actor: Actor): void {
    const s = this.state;
    if (s.stage === 'closed' || s.stage === 'voided' || !this.stageOver() || this.outstanding().length) return;
    this.log(actor, 'closed', '本案各阶段事项均已完成，结案归档');
    s.stage = 'closed';
    s.closedAt = this.ports.now();
  }

  private hearingReminderAt(h: Hearing): string | undefined {
    if (!h.headAppearanceRequired || h.reminderSentAt || h.record || h.status === 'cancelled') return undefined;
    const at = addMs(h.scheduledAt, -DAY_MS);
    return isoMs(at) > isoMs(this.state.registeredAt) ? at : undefined;
  }

  private escalationRecipients(d: Duty): RecipientRef[] {
    const to: RecipientRef[] = [this.leader, 'bureau'];
    if (d.owner.startsWith('agency:')) to.unshift(d.owner as RecipientRef);
    return to;
  }

  private dutyFacts(d: Duty, now: string): NoticeRequest['facts'] {
    return {
      caseTitle: this.state.title,
      agencyId: this.state.agencyId,
      dutyTitle: d.title,
      dueDate: d.dueDate,
      basis: d.basis,
      ...(d.status === 'overdue' ? { daysLate: duties.daysLate(d, now), escalationNumber: d.escalations } : {}),
    };
  }
}

function minIso(xs: string[]): string | undefined {
  let best: string | undefined;
  for (const x of xs) if (!best || isoMs(x) < isoMs(best)) best = x;
  return best;
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Puts the state object back as it was (in place: the workflow's query handler holds this very object). */
function restore(state: CaseState, before: CaseState): void {
  for (const k of Object.keys(state)) delete (state as unknown as Record<string, unknown>)[k];
  Object.assign(state, before);
}
