import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowExecutionInfo,
} from '@temporalio/client';
import { actorOf, canSeeAgency, caseListScope, mayCommand, mayRegister, type Actor, type Principal } from '../access';
import { findAgency, type Agency, type Directory } from '../directory';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors';
import type { ActorSigner } from '../temporal/actor-signing';
import { updateFailureToDomain } from '../temporal/update-failures';
import type { SignedClaim } from '../workflows/shared/actor-claims';
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
  claim?: SignedClaim,
) {
  return {
    workflowId: caseWorkflowId(reg.caseId),
    taskQueue,
    args: [{ registration: reg, leaderId: agency.leaderId, registeredBy, options, ...(claim ? { claim } : {}) }] as [
      CaseWorkflowInput,
    ],
    // 👉 A case id is registered once, ever: a second start is refused even after the first case closed.
    workflowIdConflictPolicy: 'FAIL' as const,
    workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
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
    staticDetails: `涉诉单位：${agency.name}\n执法领域：${reg.field}\n登记依据：${reg.trigger.type}（${reg.trigger.receivedAt}）`,
  };
}

/** A case as one caller sees it: the state, and the events the caller may send now (what a console offers). */
export type CaseForCaller = CaseState & { allowedEvents: CaseEventType[] };

const forCaller = (state: CaseState, p: Principal): CaseForCaller => ({
  ...state,
  allowedEvents: mayCommand(p) ? allowedEvents(state, actorOf(p), new Date().toISOString()) : [],
});

const notFound = () => new NotFoundError('case not found');

/** Cases as Temporal workflows: registration, state, commands and listing, with each caller's rights applied. */
export class CaseService {
  constructor(
    private readonly client: Client,
    private readonly directory: Directory,
    private readonly workflowOptions: CaseWorkflowOptions = {},
    private readonly taskQueue: string = CASE_TASK_QUEUE,
    /** Signs each command's actor (src/temporal/actor-signing.ts); the workers verify it when they bundle keys. */
    private readonly signer?: ActorSigner,
  ) {}

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
      throw new ForbiddenError('only the bureau, or the agency itself, registers a case');
    const agency = findAgency(this.directory, reg.agencyId);
    if (!agency)
      throw new InvalidInputError('unknown agency', [
        { path: ['agencyId'], message: `no agency ${reg.agencyId} in the directory` },
      ]);
    const actor = actorOf(principal);
    const claim = this.signer?.sign({ actor, caseId: reg.caseId, payload: reg });
    const options = caseStartOptions(reg, agency, actor, this.taskQueue, this.workflowOptions, claim);
    let handle;
    try {
      handle = await this.client.workflow.start(caseWorkflow, options);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      if (!retry?.resumed) throw new ConflictError(`case ${reg.caseId} is already registered`, 'case_exists');
      handle = this.client.workflow.getHandle(options.workflowId);
    }
    // Answers once due dates are computed and the first notices are out. (Update-with-start would save a round trip,
    // but the time-skipping test server does not implement it; one code path for both servers.)
    return forCaller(await handle.executeUpdate(registeredUpdate, retry ? { updateId: retry.key } : {}), principal);
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

  /** `retry.key` (from an Idempotency-Key) is the update id: Temporal runs a repeated command once and answers it. */
  async applyEvent(
    caseId: string,
    event: CaseEvent,
    principal: Principal,
    retry?: { key: string },
  ): Promise<CaseForCaller> {
    if (!mayCommand(principal)) throw new ForbiddenError('operators read only');
    try {
      const state = await this.client.workflow.getHandle(caseWorkflowId(caseId)).executeUpdate(applyEventUpdate, {
        args: [this.command(caseId, event, principal)],
        ...(retry ? { updateId: retry.key } : {}),
      });
      return forCaller(state, principal);
    } catch (err) {
      throw mapUpdateError(err);
    }
  }

  /** A case command as the workflow takes it: the actor and the person, signed by the API when it holds a key. */
  private command(caseId: string, event: CaseEvent, principal: Principal): CaseCommand {
    const actor = actorOf(principal);
    const person = principal.person;
    const claim = this.signer?.sign({ actor, person, caseId, payload: event });
    return { event, actor, ...(person ? { person } : {}), ...(claim ? { claim } : {}) };
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
    closed: () => new ConflictError('案件已结案，不再接受事项 (the case is closed)', 'case_closed'),
  });
}
