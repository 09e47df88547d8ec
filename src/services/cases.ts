import {
  isGrpcServiceError,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowExecutionInfo,
  type WorkflowStartOptions,
} from '@temporalio/client';
import { actorOf, canSeeAgency, caseListScope, mayCommand, mayRegister, type Actor, type Principal } from '../access';
import { DeadlineInputError, loadDeadlineEngine, type DeadlineEngine, type DeadlineInput } from '../deadlines';
import { findAgency, findLeader, type Agency, type Directory } from '../directory';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError, type Issue } from '../errors';
import type { ActorSigner } from '../temporal/actor-signing';
import { fieldName, triggerName } from '../vocabulary/case';
import { updateFailureToDomain } from '../temporal/update-failures';
import { commandPayload, type SignedClaim } from '../workflows/shared/actor-claims';
import { caseWorkflow } from '../workflows/case/workflow';
import {
  applyEventUpdate,
  CASE_TASK_QUEUE,
  caseStateQuery,
  caseWorkflowId,
  registeredUpdate,
  type CaseCommand,
  type CaseWorkflowInput,
  type CaseWorkflowOptions,
} from '../workflows/case/messages';
import type { CaseEvent, CaseEventType, Registration } from '../workflows/case/schemas';
import { allowedEvents } from '../workflows/case/handlers';
import {
  AgencyIdKey,
  CaseIdKey,
  CaseStageKey,
  EnforcementFieldKey,
  LeaderIdKey,
  MajorCaseKey,
  NextDueAtKey,
  OverdueCountKey,
} from '../workflows/case/search-attributes';
import type { CaseStage, CaseState } from '../workflows/case/types';
import { entryStage } from '../workflows/case/machine';

// Callers that took actorOf from here keep working; its home is src/access.
export { actorOf };

export interface CaseListFilter {
  agencyId?: string;
  stage?: CaseStage;
  overdue?: boolean;
  major?: boolean;
  limit: number;
}

export interface CaseSummary {
  caseId: string;
  agencyId?: string;
  leaderId?: string;
  stage?: string;
  field?: string;
  nextDueAt?: string;
  overdueCount?: number;
  major?: boolean;
  status: string;
  startedAt: string;
  closedAt?: string;
}

/**
 * How a case workflow is started: id, duplicate policy, typed search attributes, the summaries Temporal UI shows.
 * The API and the benchmark's direct-client baseline both start cases with exactly these options.
 */
export function caseStartOptions(
  reg: Registration,
  agency: Agency,
  registeredBy: Actor,
  taskQueue: string,
  options: CaseWorkflowOptions = {},
  leaderName?: string,
  claim?: SignedClaim,
) {
  const input: CaseWorkflowInput = {
    registration: reg,
    leaderId: agency.leaderId,
    agencyName: agency.name,
    ...(leaderName ? { leaderName } : {}),
    registeredBy,
    options,
    ...(claim ? { claim } : {}),
  };
  return {
    workflowId: caseWorkflowId(reg.caseId),
    taskQueue,
    args: [input] as [CaseWorkflowInput],
    // A case id is registered once, ever: a second start is refused even after the first case closed or was voided.
    // Only a run that failed (a registration the workflow refused, recording nothing) leaves the id free again.
    workflowIdConflictPolicy: 'FAIL' as const,
    workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY' as const,
    typedSearchAttributes: [
      { key: CaseIdKey, value: reg.caseId },
      { key: AgencyIdKey, value: reg.agencyId },
      { key: LeaderIdKey, value: agency.leaderId },
      { key: CaseStageKey, value: entryStage(reg.trigger) },
      { key: EnforcementFieldKey, value: reg.field },
      { key: MajorCaseKey, value: false },
      { key: OverdueCountKey, value: 0 },
    ],
    // Shown in Temporal UI's list; parties' names stay out of it.
    staticSummary: `行政应诉案件 ${reg.caseId} · ${agency.name}`,
    staticDetails: `涉诉单位：${agency.name}\n执法领域：${fieldName(reg.field)}\n登记依据：${triggerName(reg.trigger.type)}（${reg.trigger.receivedAt}）`,
  };
}

/** The calendar's supported years: a date outside them cannot be counted, so it is refused at the door. */
export const SUPPORTED_YEARS = { from: 2000, to: 2099 } as const;

/** The Shanghai calendar year of an instant or a date; NaN when unreadable. */
const shanghaiYear = (v: string): number =>
  /^\d{4}-\d{2}-\d{2}$/.test(v) ? Number(v.slice(0, 4)) : new Date(Date.parse(v) + 8 * 3600_000).getUTCFullYear();

/** Issues for every instant or date outside the supported years, each with its path. */
export function outOfRange(values: [path: (string | number)[], value: string | undefined][]): Issue[] {
  return values
    .filter(([, v]) => v !== undefined)
    .filter(([, v]) => {
      const y = shanghaiYear(v as string);
      return !(y >= SUPPORTED_YEARS.from && y <= SUPPORTED_YEARS.to);
    })
    .map(([path]) => ({
      path,
      message: `日期须在${SUPPORTED_YEARS.from}年1月1日至${SUPPORTED_YEARS.to}年12月31日之间`,
    }));
}

/** The due dates a registration's trigger starts, as the workflow will compute them. */
export function triggerDeadlines(reg: Registration): DeadlineInput[] {
  const from = reg.trigger.receivedAt;
  switch (reg.trigger.type) {
    case 'oral-notice':
      return [{ rule: 'presuit-oral-feedback', from }];
    case 'entrustment-letter':
      return [
        { rule: 'mediation-period', from },
        { rule: 'mediation-weekly-progress', from, nth: 1 },
      ];
    case 'response-notice':
      return [
        { rule: 'insuit-report', from },
        { rule: 'defence-and-evidence', from },
      ];
    case 'judgment':
      return [
        { rule: 'judgment-filing', from },
        { rule: 'loss-analysis-report', from },
      ];
  }
}

/** A case as one caller sees it: the state, and the events the caller may send now (what a console offers). */
export type CaseForCaller = CaseState & { allowedEvents: CaseEventType[] };

const forCaller = (state: CaseState, p: Principal): CaseForCaller => ({
  ...state,
  allowedEvents: mayCommand(p) ? allowedEvents(state, actorOf(p), new Date().toISOString()) : [],
});

const notFound = () => new NotFoundError('未找到该案件');

/** gRPC's UNIMPLEMENTED: the server has no update-with-start (the Java time-skipping test server). */
const GRPC_UNIMPLEMENTED = 12;
function unimplemented(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 4; depth++, e = (e as { cause?: unknown }).cause)
    if (isGrpcServiceError(e) && e.code === GRPC_UNIMPLEMENTED) return true;
  return false;
}
const readOnly = () => new ForbiddenError('运维人员只能查看案件，不能办理事项');

/** Cases as Temporal workflows: registration, state, commands and listing, with each caller's rights applied. */
export class CaseService {
  constructor(
    private readonly client: Client,
    private readonly directory: Directory,
    private readonly workflowOptions: CaseWorkflowOptions = {},
    private readonly taskQueue: string = CASE_TASK_QUEUE,
    /** The deployment's deadline engine (YINGSU_RULES_FILE); the notice's reading when omitted. */
    private readonly deadlines: DeadlineEngine = loadDeadlineEngine({}),
    /** Signs each command's actor (src/temporal/actor-signing.ts); the workers verify it when they bundle keys. */
    private readonly signer?: ActorSigner,
  ) {}

  /** Set once the server answered that it has no update-with-start: from then on, start + update. */
  private withStartUnsupported = false;

  /**
   * Starts a run and waits on its `registered` update: update-with-start, one round trip, where the server has it;
   * start then update where it does not. `existing` lets a resumed call attach to the run it started before.
   */
  private async startAndRegister(
    options: WorkflowStartOptions<typeof caseWorkflow>,
    update: { updateId?: string; existing?: boolean } = {},
  ): Promise<CaseState> {
    if (!this.withStartUnsupported) {
      try {
        return await this.client.workflow.executeUpdateWithStart(registeredUpdate, {
          ...(update.updateId ? { updateId: update.updateId } : {}),
          startWorkflowOperation: new WithStartWorkflowOperation(caseWorkflow, {
            ...options,
            workflowIdConflictPolicy: update.existing ? 'USE_EXISTING' : 'FAIL',
          }),
        });
      } catch (err) {
        if (!unimplemented(err)) throw err;
        this.withStartUnsupported = true;
      }
    }
    let handle;
    try {
      handle = await this.client.workflow.start(caseWorkflow, options);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError) || !update.existing) throw err;
      handle = this.client.workflow.getHandle(options.workflowId);
    }
    return handle.executeUpdate(registeredUpdate, update.updateId ? { updateId: update.updateId } : {});
  }

  /**
   * `retry` comes from an Idempotency-Key: its update id makes a repeated call answer as the first one did, and a
   * `resumed` call (an earlier one with the key never got its answer) finds its own case already started.
   */
  async register(
    reg: Registration,
    principal: Principal,
    retry?: { key: string; resumed: boolean },
  ): Promise<CaseForCaller> {
    if (!mayRegister(principal, reg.agencyId))
      throw new ForbiddenError('只有县司法局或涉诉行政机关本身可以登记本单位的案件');
    const agency = findAgency(this.directory, reg.agencyId);
    if (!agency)
      throw new InvalidInputError('未知的涉诉行政机关', [{ path: ['agencyId'], message: '名录中没有该行政机关' }]);
    // Everything that can fail is checked before the workflow starts: a refused registration never burns its id.
    this.checkTrigger(reg);
    const leaderName = findLeader(this.directory, agency.leaderId)?.name;
    const actor = actorOf(principal);
    const claim = this.signer?.sign({ actor, caseId: reg.caseId, payload: reg });
    const options = caseStartOptions(reg, agency, actor, this.taskQueue, this.workflowOptions, leaderName, claim);
    // Answers once due dates are computed and the case and its first notices are committed.
    try {
      const state = await this.startAndRegister(options, {
        ...(retry ? { updateId: retry.key } : {}),
        existing: !!retry?.resumed,
      });
      return forCaller(state, principal);
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError)
        throw new ConflictError(`案件编号 ${reg.caseId} 已登记，不能重复登记`, 'case_exists');
      throw err;
    }
  }

  async get(caseId: string, principal: Principal): Promise<CaseForCaller> {
    let state: CaseState;
    try {
      state = await this.client.workflow.getHandle(caseWorkflowId(caseId)).query(caseStateQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound();
      throw err;
    }
    // 👉 A case the caller may not see answers exactly like a case that does not exist.
    if (!canSeeAgency(principal, state.agencyId)) throw notFound();
    return forCaller(state, principal);
  }

  /** The trigger's date lies in the supported years and its due dates can be computed (else 400, in Chinese). */
  private checkTrigger(reg: Registration): void {
    const path = ['trigger', 'receivedAt'];
    const range = outOfRange([[path, reg.trigger.receivedAt]]);
    if (range.length) throw new InvalidInputError('登记日期超出可计算的范围', range, 'date_out_of_range');
    try {
      for (const input of triggerDeadlines(reg)) this.deadlines.compute(input);
    } catch (err) {
      if (!(err instanceof DeadlineInputError)) throw err;
      throw new InvalidInputError(
        '无法根据该日期计算办理期限',
        [{ path, message: '无法根据该日期计算办理期限，请核对收到日期' }],
        'deadline_not_computable',
      );
    }
  }

  /** `retry.key` (from an Idempotency-Key) is the update id: Temporal runs a repeated command once and answers it. */
  async applyEvent(
    caseId: string,
    event: CaseEvent,
    principal: Principal,
    retry?: { key: string },
  ): Promise<CaseForCaller> {
    if (!mayCommand(principal)) throw readOnly();
    const actor = actorOf(principal);
    const person = principal.person;
    const command: CaseCommand = { event, actor, ...(person ? { person } : {}) };
    if (event.type === 'registration-amended' && event.changes.agencyId !== undefined) {
      // The workflow must not read the directory (it may change between replays): the service resolves the new
      // agency's name and leader and hands them in with the command.
      const agency = findAgency(this.directory, event.changes.agencyId);
      if (!agency)
        throw new InvalidInputError('未知的涉诉行政机关', [
          { path: ['changes', 'agencyId'], message: '名录中没有该行政机关' },
        ]);
      const leaderName = findLeader(this.directory, agency.leaderId)?.name;
      command.resolved = { leaderId: agency.leaderId, agencyName: agency.name, ...(leaderName ? { leaderName } : {}) };
    }
    // Signed last, over everything the workflow will act on (the event and what was resolved for it).
    const claim = this.signer?.sign({ actor, person, caseId, payload: commandPayload(command) });
    if (claim) command.claim = claim;
    const handle = this.client.workflow.getHandle(caseWorkflowId(caseId));
    if (event.type === 'entrustment-letter') {
      const reopened = await this.reopenIfClosed(caseId, command, principal);
      if (reopened) return reopened;
    }
    try {
      const state = await handle.executeUpdate(applyEventUpdate, {
        args: [command],
        ...(retry ? { updateId: retry.key } : {}),
      });
      return forCaller(state, principal);
    } catch (err) {
      throw mapUpdateError(err);
    }
  }

  /**
   * A post-judgment 《委托协调化解函》 on a closed case (typically a won one) reopens it: a new run of the same
   * workflow id carrying the closed run's state, which applies the letter first. The only path that reuses an id.
   * Answers undefined when the case is still running (the ordinary update handles it).
   */
  private async reopenIfClosed(
    caseId: string,
    command: CaseCommand,
    principal: Principal,
  ): Promise<CaseForCaller | undefined> {
    const handle = this.client.workflow.getHandle(caseWorkflowId(caseId));
    let status: string;
    try {
      status = (await handle.describe()).status.name;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound();
      throw err;
    }
    if (status !== 'COMPLETED') return undefined;
    const carried = await handle.query(caseStateQuery);
    if (!canSeeAgency(principal, carried.agencyId)) throw notFound();
    if (!allowedEvents(carried, command.actor, new Date().toISOString()).includes('entrustment-letter'))
      throw new ConflictError('案件已结案，且不符合判后委托协调化解的条件', 'case_closed');
    const input: CaseWorkflowInput = {
      registration: registrationOf(carried),
      leaderId: carried.leaderId,
      agencyName: carried.agencyName,
      ...(carried.leaderName ? { leaderName: carried.leaderName } : {}),
      registeredBy: carried.timeline.find((e) => e.type === 'registered')?.actor ?? 'bureau',
      carried,
      reopen: command,
      options: this.workflowOptions,
    };
    // A fresh run must carry the API's word for what it starts from and the command that reopens it.
    const claim = this.signer?.sign({ actor: command.actor, caseId, payload: { carried, reopen: command.event } });
    if (claim) input.claim = claim;
    try {
      const state = await this.startAndRegister({
        workflowId: caseWorkflowId(caseId),
        taskQueue: this.taskQueue,
        args: [input],
        // 👉 Only a closed case's post-judgment mediation reuses its id; the carried state keeps its history whole.
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        workflowIdConflictPolicy: 'FAIL',
        staticSummary: `行政应诉案件 ${caseId} · ${carried.agencyName}（判后委托协调化解）`,
      });
      return forCaller(state, principal);
    } catch (err) {
      // Another caller reopened it a moment ago: the ordinary update path takes over.
      if (err instanceof WorkflowExecutionAlreadyStartedError) return undefined;
      throw mapUpdateError(err);
    }
  }

  async list(filter: CaseListFilter, principal: Principal): Promise<CaseSummary[]> {
    const clauses = [`WorkflowType = 'caseWorkflow'`];
    if (filter.agencyId) {
      if (!canSeeAgency(principal, filter.agencyId)) return [];
      clauses.push(`AgencyId = '${filter.agencyId}'`);
    }
    const scope = caseListScope(principal);
    if (scope && 'agencyId' in scope) clauses.push(`AgencyId = '${scope.agencyId}'`);
    if (scope && 'leaderId' in scope) clauses.push(`LeaderId = '${scope.leaderId}'`);
    if (filter.stage) clauses.push(`CaseStage = '${filter.stage}'`);
    if (filter.overdue !== undefined) clauses.push(filter.overdue ? 'OverdueCount > 0' : 'OverdueCount = 0');
    if (filter.major !== undefined) clauses.push(`MajorCase = ${filter.major}`);
    const out: CaseSummary[] = [];
    for await (const wf of this.client.workflow.list({
      query: clauses.join(' AND '),
      pageSize: Math.min(filter.limit, 1000),
    })) {
      out.push(summarize(wf));
      if (out.length >= filter.limit) break;
    }
    return out;
  }
}

function summarize(wf: WorkflowExecutionInfo): CaseSummary {
  const sa = wf.typedSearchAttributes;
  const next = sa.get(NextDueAtKey);
  return {
    caseId: sa.get(CaseIdKey) ?? wf.workflowId.replace(/^case-/, ''),
    agencyId: sa.get(AgencyIdKey),
    leaderId: sa.get(LeaderIdKey),
    stage: sa.get(CaseStageKey),
    field: sa.get(EnforcementFieldKey),
    nextDueAt: next ? next.toISOString() : undefined,
    overdueCount: sa.get(OverdueCountKey),
    major: sa.get(MajorCaseKey),
    status: wf.status.name,
    startedAt: wf.startTime.toISOString(),
    closedAt: wf.closeTime?.toISOString(),
  };
}

/** Update failures become domain errors: a refused command a conflict, a foreign case not found, a finished case closed. */
export function mapUpdateError(err: unknown): unknown {
  return updateFailureToDomain(err, {
    notFound,
    closed: () => new ConflictError('案件已结案，不再接受事项', 'case_closed'),
  });
}

/** A registration rebuilt from a case's state (a reopened run ignores it, as a continued one does). */
function registrationOf(s: CaseState): Registration {
  const trigger = s.trigger;
  return {
    caseId: s.caseId,
    title: s.title,
    agencyId: s.agencyId,
    countyGovernmentDefendant: s.countyGovernmentDefendant,
    field: s.field,
    plaintiff: s.plaintiff,
    trigger:
      trigger.type === 'judgment'
        ? { type: 'judgment', receivedAt: trigger.receivedAt, outcome: s.judgment?.outcome ?? 'other' }
        : trigger.type === 'entrustment-letter'
          ? { type: 'entrustment-letter', receivedAt: trigger.receivedAt, stage: 'post-judgment' }
          : { type: trigger.type, receivedAt: trigger.receivedAt },
  } as Registration;
}
