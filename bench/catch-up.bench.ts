// Catch-up after a crash: N cases whose next timer falls a few seconds ahead, the worker SIGKILLed just before, kept
// down past the instant, then restarted; measured from the new worker's ready line ("worker started") until every
// case has acted on its lapsed timer, read from the registry (the duty's row turns `overdue`). Goal ≤ 5 s.
//   npm run bench -- catch-up [-- --cases 200 --kill-before 3 --down 5 --lead <s>]
// Worker settings come from the environment (YINGSU_WORKER_*), so one setting can be compared with another:
//   YINGSU_WORKER_STICKY_QUEUE_TIMEOUT=10s npm run bench -- catch-up
// The timer: each case is registered by a response notice received now (in-suit; its own due dates are days away),
// then a hearing with the head's appearance required is scheduled for the same instant T, a few seconds ahead. The
// appearance plan is due 3 days before a hearing, or at the hearing itself when that is already past: so its due
// instant is T, to the second. A lapse is recorded at its due instant whatever the hour (only the escalation waits
// for working hours on a working day), so the action measured happens whenever the benchmark runs.
// Results: bench/results/catch-up.json.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Principal } from '../src/access';
import { loadDirectory } from '../src/directory';
import { RegistryStore } from '../src/registry';
import { CaseService } from '../src/services/cases';
import { ensureSearchAttributes } from '../src/temporal/search-attributes';
import { caseWorkflowId } from '../src/workflows/case/messages';
import { registrationSchema } from '../src/workflows/case/schemas';
import { startDevServer, tempDir } from '../test/support/dev-server';
import { startWorkerProcess, type WorkerProcess } from '../test/resilience/support';
import { pool, r1, settle, sleep } from './support/harness';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: process.env.BENCH_CATCHUP_CASES ?? '200' },
    'kill-before': { type: 'string', default: '3' },
    down: { type: 'string', default: '5' },
    lead: { type: 'string' },
    concurrency: { type: 'string', default: '16' },
  },
  allowPositionals: true,
});
const N = Number(values.cases);
const KILL_BEFORE_MS = Number(values['kill-before']) * 1000;
const DOWN_AFTER_MS = Number(values.down) * 1000;
const C = Number(values.concurrency);
const say = (msg: string) => process.stderr.write(`[catch-up.bench] ${msg}\n`);
const bureau: Principal = { role: 'bureau' };
const untilMs = (at: number) => sleep(Math.max(0, at - Date.now()));

async function main(): Promise<void> {
  const server = await startDevServer({ headless: true, refreshSearchAttributeCache: false });
  const dir = tempDir('bench-catch-up');
  const connection = await Connection.connect({ address: server.address });
  await ensureSearchAttributes(connection, 'default');
  const client = new Client({ connection, namespace: 'default' });
  const run = randomUUID().slice(0, 6);
  const taskQueue = `bench-catch-up-${run}`;
  const databaseUrl = `sqlite:${join(dir.path, 'yingsu.db')}`;
  const env = { TEMPORAL_ADDRESS: server.address, DATABASE_URL: databaseUrl, YINGSU_TASK_QUEUE: taskQueue };
  const settings = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('YINGSU_WORKER_')));
  let worker: WorkerProcess | undefined;
  let store: RegistryStore | undefined;
  try {
    worker = await startWorkerProcess(env);
    store = await RegistryStore.open(databaseUrl);
    const directory = loadDirectory();
    const agencies = directory.agencies.map((a) => a.id);
    const cases = new CaseService(client, directory, {}, taskQueue);
    const ids = Array.from({ length: N }, (_, i) => `K-${run}-${String(i).padStart(4, '0')}`);

    const registerMs = await pool(N, C, async (i) => {
      await cases.register(
        registrationSchema.parse({
          caseId: ids[i],
          title: `追赶测试案 ${i}`,
          agencyId: agencies[i % agencies.length],
          field: 'other',
          plaintiff: '某乙',
          trigger: { type: 'response-notice', receivedAt: new Date().toISOString() },
        }),
        bureau,
      );
    });
    say(`${N} registered in ${r1(registerMs / 1000)} s`);
    await settle(client, taskQueue);
    // Scheduling the hearings costs about what registering did; T leaves room for that, the settling and the kill.
    const leadMs = values.lead ? Number(values.lead) * 1000 : 2 * registerMs + KILL_BEFORE_MS + 15_000;
    const T = Math.ceil((Date.now() + leadMs) / 1000) * 1000;
    const scheduledAt = new Date(T).toISOString();
    await pool(N, C, async (i) => {
      await cases.applyEvent(
        ids[i]!,
        { type: 'hearing-scheduled', hearingId: 'h1', scheduledAt, headAppearanceRequired: true },
        bureau,
      );
    });
    await settle(client, taskQueue, Math.max(0, T - KILL_BEFORE_MS - Date.now() - 1000));
    const spare = T - KILL_BEFORE_MS - Date.now();
    if (spare < 0) throw new Error(`hearings scheduled too late by ${-spare} ms: raise --lead`);
    const planDue = await store.listDuties({ status: 'open', limit: 10 * N });
    const due = planDue.filter((d) => ids.includes(d.caseId) && d.ruleId === 'appearance-plan');
    if (due.length !== N || due.some((d) => Math.abs(Date.parse(d.dueAt) - T) >= 1000))
      throw new Error(`expected ${N} appearance plans due at ${scheduledAt}, found ${due.length}`);

    // Workflow-task timeouts in normal operation (intake at concurrency 16): each one is a sticky task that waited
    // too long for its worker and was replayed from history by another poll.
    const EventType = temporal.api.enums.v1.EventType;
    const timeouts = async () => {
      let n = 0;
      for (const id of ids.slice(0, 20)) {
        const h = await client.workflow.getHandle(caseWorkflowId(id)).fetchHistory();
        n += (h.events ?? []).filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT).length;
      }
      return n;
    };
    const timeoutsUnderLoad = await timeouts();
    await untilMs(T - KILL_BEFORE_MS);
    const killedAt = Date.now();
    await worker.kill();
    await untilMs(T + DOWN_AFTER_MS);
    const restartAt = Date.now();
    worker = await startWorkerProcess(env);
    const readyAt = Date.now();
    say(
      `killed ${T - killedAt} ms before T, restarted ${restartAt - T} ms after, ready ${readyAt - restartAt} ms later`,
    );

    const lapsed = async () =>
      (await store!.listDuties({ status: 'overdue', limit: 10 * N })).filter(
        (d) => d.ruleId === 'appearance-plan' && ids.includes(d.caseId),
      ).length;
    let first: number | undefined;
    let n = 0;
    const end = readyAt + 300_000;
    while ((n = await lapsed()) < N && Date.now() < end) {
      if (n > 0 && first === undefined) first = Date.now();
      await sleep(100);
    }
    const caughtUpAt = Date.now();
    if (n < N) throw new Error(`only ${n} of ${N} cases acted on their lapsed timer within 300 s of the restart`);

    const timedOut = (await timeouts()) - timeoutsUnderLoad;
    const results = {
      machine: { nproc: cpus().length, cpuModel: cpus()[0]?.model ?? '?' },
      startedAt: new Date(killedAt).toISOString(),
      cases: N,
      workerSettings: Object.keys(settings).length ? settings : 'defaults (src/config.ts)',
      timer: 'appearance plan of a hearing scheduled at T (due at T); lapse recorded at once whatever the hour',
      killedBeforeTSeconds: r1((T - killedAt) / 1000),
      restartedAfterTSeconds: r1((restartAt - T) / 1000),
      readyAfterRestartSeconds: r1((readyAt - restartAt) / 1000),
      firstCaseAfterReadySeconds: first === undefined ? 0 : r1((first - readyAt) / 1000),
      caughtUpAfterReadySeconds: r1((caughtUpAt - readyAt) / 1000),
      workflowTaskTimeoutsPer20Cases: { intake: timeoutsUnderLoad, afterKill: timedOut },
      registerSeconds: r1(registerMs / 1000),
      goal: 'caught up ≤ 5 s after the ready line',
    };
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', 'catch-up.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log(
      `\ncatch-up after SIGKILL: ${N} cases, every lapse recorded ${results.caughtUpAfterReadySeconds} s after the ` +
        `ready line (goal ≤ 5 s); first after ${results.firstCaseAfterReadySeconds} s; worker killed ` +
        `${results.killedBeforeTSeconds} s before the instant, restarted ${results.restartedAfterTSeconds} s after it; ` +
        `workflow-task timeouts in 20 cases' histories: ${timeoutsUnderLoad} during intake, ${timedOut} after the kill; settings ${JSON.stringify(results.workerSettings)}`,
    );
  } finally {
    await worker?.kill();
    await store?.close();
    await connection.close();
    await server.stop();
    dir.remove();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
