import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { canSeeAgency, letterActorOf, mayRunReport, seesCounty, type Actor, type Principal } from '../access';
import { findAgency, type Directory } from '../directory';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import type { RegistryStore } from '../registry';
import {
  indicatorsFromRegistry,
  quarterPeriod,
  ReportStore,
  type IndicatorReport,
  type Indicators,
  type LetterRecord,
  type Period,
  type Quarter,
  type StoredReport,
} from '../reports';
import { updateFailureToDomain } from '../temporal/update-failures';
import {
  acknowledgeLetterUpdate,
  answerLetterUpdate,
  OVERSIGHT_TASK_QUEUE,
  quarterlyReportWorkflowId,
  reminderLetterWorkflowId,
  type AcknowledgeLetter,
  type AnswerLetter,
  type ReminderLetterState,
} from '../workflows/oversight/messages';
import { quarterlyReportWorkflow } from '../workflows/oversight/quarterly';

export interface VisibleIndicators {
  period: Period;
  asOf: string;
  /** County-wide figures: the bureau and operators only. */
  county?: Indicators;
  agencies: Record<string, Indicators>;
}

export interface RunAnswer {
  workflowId: string;
  runId: string;
  /** `started`: a new run (a first run, or a rerun after completion); `running`: the run in progress was joined. */
  status: 'started' | 'running';
}

/** Reports and letters for the HTTP API, with each caller's rights applied. */
export class ReportService {
  private readonly reports: ReportStore;

  constructor(
    private readonly client: Client,
    private readonly store: RegistryStore,
    private readonly directory: Directory,
    private readonly now: () => Date = () => new Date(),
    private readonly taskQueue: string = OVERSIGHT_TASK_QUEUE,
  ) {
    this.reports = new ReportStore(store);
  }

  async indicators(period: Period, agencyId: string | undefined, p: Principal): Promise<VisibleIndicators> {
    if (agencyId && (!canSeeAgency(p, agencyId) || !findAgency(this.directory, agencyId)))
      throw new NotFoundError('未找到该行政机关');
    const all: IndicatorReport = await indicatorsFromRegistry(
      this.store,
      this.directory,
      period,
      this.now().toISOString(),
    );
    const agencies = Object.fromEntries(
      Object.entries(all.agencies).filter(([id]) => (agencyId ? id === agencyId : canSeeAgency(p, id))),
    );
    const countyVisible = !agencyId && seesCounty(p);
    return { period: all.period, asOf: all.asOf, ...(countyVisible ? { county: all.county } : {}), agencies };
  }

  /** The stored report; every role receives it (it is sent to all), so every role may read it. */
  async quarterly(year: number, quarter: Quarter): Promise<StoredReport> {
    const report = await this.reports.getReport(year, quarter);
    if (!report) throw new NotFoundError(`${year}年第${quarter}季度通报尚未生成`);
    return report;
  }

  /**
   * Runs a quarter's report now. A run in progress is joined; a completed one is run again under the same id with a
   * new run id: the stored report is regenerated (its generation counts up), while notices and letters, keyed by the
   * quarter, are never sent twice.
   */
  async run(year: number, quarter: Quarter, p: Principal): Promise<RunAnswer> {
    if (!mayRunReport(p)) throw new ForbiddenError('只有县司法局可以生成季度通报');
    if (this.now().getTime() < Date.parse(quarterPeriod(year, quarter).to))
      throw new ConflictError(`${year}年第${quarter}季度尚未结束，不能生成通报`, 'quarter_not_over');
    const workflowId = quarterlyReportWorkflowId(year, quarter);
    const existing = this.client.workflow.getHandle(workflowId);
    try {
      const d = await existing.describe();
      if (d.status.name === 'RUNNING') return { workflowId, runId: d.runId, status: 'running' };
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    try {
      const handle = await this.client.workflow.start(quarterlyReportWorkflow, {
        workflowId,
        taskQueue: this.taskQueue,
        args: [{ year, quarter }],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        // 👉 Two bureau clicks at once: the second joins the first run instead of failing or starting another.
        workflowIdConflictPolicy: 'USE_EXISTING',
        staticSummary: `${year}年第${quarter}季度行政诉讼工作情况通报`,
      });
      return { workflowId, runId: handle.firstExecutionRunId, status: 'started' };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError)
        throw new ConflictError(`${year}年第${quarter}季度通报正在生成中`, 'report_running');
      throw err;
    }
  }

  async letter(letterId: string, p: Principal): Promise<LetterRecord> {
    const letter = await this.reports.getLetter(letterId);
    // 👉 Another agency's letter answers exactly like a missing one.
    if (!letter || !canSeeAgency(p, letter.agencyId)) throw letterNotFound();
    return letter;
  }

  acknowledge(letterId: string, body: AcknowledgeLetter, p: Principal): Promise<ReminderLetterState> {
    return this.command(letterId, p, (actor) =>
      this.client.workflow
        .getHandle(reminderLetterWorkflowId(letterId))
        .executeUpdate(acknowledgeLetterUpdate, { args: [{ actor, body }] }),
    );
  }

  answer(letterId: string, body: AnswerLetter, p: Principal): Promise<ReminderLetterState> {
    return this.command(letterId, p, (actor) =>
      this.client.workflow
        .getHandle(reminderLetterWorkflowId(letterId))
        .executeUpdate(answerLetterUpdate, { args: [{ actor, body }] }),
    );
  }

  private async command(
    letterId: string,
    p: Principal,
    send: (actor: Actor) => Promise<ReminderLetterState>,
  ): Promise<ReminderLetterState> {
    const letter = await this.letter(letterId, p);
    const actor = letterActorOf(p);
    if (!actor) throw new ForbiddenError('只有收函单位可以签收和反馈该《工作提醒函》');
    if (letter.status === 'answered') throw new ConflictError('该《工作提醒函》已反馈整改措施', 'letter_answered');
    try {
      return await send(actor);
    } catch (err) {
      throw mapLetterError(err);
    }
  }
}

/** Update failures of a letter become domain errors: a foreign letter not found, a finished one closed. */
const letterNotFound = () => new NotFoundError('未找到该《工作提醒函》');

export function mapLetterError(err: unknown): unknown {
  return updateFailureToDomain(err, {
    notFound: letterNotFound,
    closed: () => new ConflictError('该《工作提醒函》已办结', 'letter_closed'),
  });
}
