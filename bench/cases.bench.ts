// The cost of the layer this project adds on top of Temporal, measured side by side in one run against its own dev
// server (in memory): intake through the HTTP API vs the Temporal client, command round trips, N open cases held by
// one worker process (memory, catch-up after a SIGKILL), and history events per case.
//   npm run bench -- cases [-- --cases 2000 --intake 300 --commands 200 --concurrency 16 --cache <n>]
// Options also as env: BENCH_CASES, BENCH_INTAKE, BENCH_COMMANDS, BENCH_CONCURRENCY, BENCH_CACHE, BENCH_SKIP (comma
// list of intake,commands,scale,warm,history), BENCH_OUT (results file name, default cases). Results: stdout table and
// bench/results/cases.json.
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { pino } from 'pino';
import { CaseService, caseStartOptions } from '../src/services/cases';
import { findAgency, loadDirectory } from '../src/directory';
import { createAuthenticator, type Principal } from '../src/http/auth';
import { casesRouter } from '../src/http/routes/cases';
import { RegistryStore } from '../src/registry';
import { createApp } from '../src/server';
import { ensureSearchAttributes } from '../src/temporal/search-attributes';
import { applyEventUpdate, caseStateQuery, caseWorkflowId, registeredUpdate } from '../src/workflows/case/messages';
import { registrationSchema, type Registration } from '../src/workflows/case/schemas';
import { caseWorkflow } from '../src/workflows/case/workflow';
import { startCaseEnv } from '../test/cases/case-env';
import { advance } from '../test/replay/scenarios';
import { startDevServer, tempDir } from '../test/support/dev-server';
import { startWorkerProcess, type WorkerProcess } from '../test/resilience/support';

const opt = (name: string, env: string, dflt: string) => ({
  type: 'string' as const,
  default: process.env[env] ?? dflt,
});
const { values } = parseArgs({
  options: {
    cases: opt('cases', 'BENCH_CASES', '10000'),
    intake: opt('intake', 'BENCH_INTAKE', '300'),
    commands: opt('commands', 'BENCH_COMMANDS', '200'),
    concurrency: opt('concurrency', 'BENCH_CONCURRENCY', '16'),
    cache: { type: 'string', default: process.env.BENCH_CACHE },
    // The scale worker's V8 old-space cap (--max-old-space-size, MiB): without one V8 grows lazily towards its
    // default limit and RSS measures uncollected garbage as much as open cases.
    heap: { type: 'string', default: process.env.BENCH_WORKER_HEAP_MB },
    skip: opt('skip', 'BENCH_SKIP', ''),
    out: opt('out', 'BENCH_OUT', 'cases'),
  },
  allowPositionals: true,
});
const N_SCALE = Number(values.cases);
const N_INTAKE = Number(values.intake);
const N_COMMANDS = Number(values.commands);
const CONCURRENCY = Number(values.concurrency);
// `--cache sdk` leaves the size to the SDK (derived from the heap limit: about 600 workflows per GiB).
const CACHE: number | 'sdk' = values.cache === 'sdk' ? 'sdk' : values.cache ? Number(values.cache) : N_SCALE;
const skip = new Set(values.skip.split(',').filter(Boolean));

const log = pino({ level: 'silent' });
const directory = loadDirectory();
const bureau: Principal = { role: 'bureau' };
const agencies = directory.agencies.map((a) => a.id);
const DAY = 86_400_000;
const dayAgo = () => new Date(Date.now() - DAY).toISOString();
const say = (msg: string) => process.stderr.write(`[cases.bench] ${msg}\n`);

function registration(caseId: string, i: number): Registration {
  return registrationSchema.parse({
    caseId,
    title: '基准测试：某甲诉县自然资源局行政处罚案',
    agencyId: agencies[i % agencies.length],
    field: 'land-taking',
    plaintiff: '某甲',
    // An entrustment letter opens a mediation: mediation-progress may then repeat without limit.
    trigger: { type: 'entrustment-letter', receivedAt: dayAgo() },
  });
}

/** What CaseService.register does, with the client alone: the same options, the same two calls. */
function startOptions(reg: Registration, taskQueue: string) {
  return caseStartOptions(reg, findAgency(directory, reg.agencyId)!, 'bureau', taskQueue);
}

/** Runs `n` jobs with at most `c` in flight; returns the wall time in ms and each job's latency. */
async function pool(
  n: number,
  c: number,
  job: (i: number) => Promise<void>,
): Promise<{ ms: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(c, n) }, async () => {
      for (let i = next++; i < n; i = next++) {
        const s = performance.now();
        await job(i);
        latencies.push(performance.now() - s);
      }
    }),
  );
  return { ms: performance.now() - t0, latencies };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};
const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const mib = (b: number) => Math.round(b / 2 ** 20);

async function http(base: string, method: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: 'Bearer dev-bureau', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
}

/** Workflow-task backlog of a task queue's normal partition (DescribeTaskQueue with stats). */
async function backlog(client: Client, taskQueue: string): Promise<number> {
  const res = await client.workflowService.describeTaskQueue({
    namespace: 'default',
    taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    reportStats: true,
  });
  return Number(res.stats?.approximateBacklogCount ?? 0);
}

async function main(): Promise<void> {
  const machine = {
    nproc: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryMiB: mib(totalmem()),
    node: process.version,
    platform: process.platform,
  };
  say(`machine: ${JSON.stringify(machine)}`);
  const server = await startDevServer({ headless: true });
  const dir = tempDir('bench-cases');
  const connection = await Connection.connect({ address: server.address });
  await ensureSearchAttributes(connection, 'default');
  const client = new Client({ connection, namespace: 'default' });
  const results: Record<string, unknown> = {
    machine,
    options: {
      cases: N_SCALE,
      intake: N_INTAKE,
      commands: N_COMMANDS,
      concurrency: CONCURRENCY,
      maxCachedWorkflows: CACHE,
      workerMaxOldSpaceMiB: values.heap ? Number(values.heap) : 'node default',
    },
    startedAt: new Date().toISOString(),
  };
  const workerEnv = (taskQueue: string, extra: Record<string, string> = {}) => ({
    TEMPORAL_ADDRESS: server.address,
    DATABASE_URL: `sqlite:${dir.path}/${taskQueue}.db`,
    YINGSU_TASK_QUEUE: taskQueue,
    LOG_LEVEL: 'info',
    ...extra,
  });
  const workers: WorkerProcess[] = [];
  let httpServer: Server | undefined;
  try {
    // ------------------------------------------------------------------ intake and commands: one worker process
    if (!skip.has('intake') || !skip.has('commands')) {
      const taskQueue = `bench-api-${randomUUID().slice(0, 8)}`;
      const worker = await startWorkerProcess(workerEnv(taskQueue));
      workers.push(worker);
      const store = await RegistryStore.open('sqlite::memory:');
      const cases = new CaseService(client, directory, {}, taskQueue);
      const auth = createAuthenticator({ directory, production: false });
      const app = createApp({ client, namespace: 'default', directory, auth, log, routers: [casesRouter(cases)] });
      httpServer = await new Promise<Server>((r) => {
        const s = app.listen(0, '127.0.0.1', () => r(s));
      });
      const base = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
      const run = randomUUID().slice(0, 6);
      // Warm-up: bundle caches, connections, the registry's tables.
      await pool(CONCURRENCY, CONCURRENCY, (i) => http(base, 'POST', '/api/cases', registration(`W-${run}-${i}`, i)));

      if (!skip.has('intake')) {
        const modes = {
          api: (id: string, i: number) => http(base, 'POST', '/api/cases', registration(id, i)),
          client: async (id: string, i: number) => {
            const h = await client.workflow.start(caseWorkflow, startOptions(registration(id, i), taskQueue));
            await h.executeUpdate(registeredUpdate);
          },
          bareStart: async (id: string, i: number) => {
            await client.workflow.start(caseWorkflow, startOptions(registration(id, i), taskQueue));
          },
        };
        const totals: Record<string, { n: number; ms: number; latencies: number[] }> = {};
        // Rounds alternate the order, so a noisy neighbour weighs on every mode alike.
        const rounds = 4;
        const order: (keyof typeof modes)[][] = [
          ['api', 'client', 'bareStart'],
          ['client', 'api', 'bareStart'],
          ['bareStart', 'api', 'client'],
          ['bareStart', 'client', 'api'],
        ];
        for (let r = 0; r < rounds; r++) {
          for (const mode of order[r % order.length]!) {
            const n = Math.ceil(N_INTAKE / rounds);
            const out = await pool(n, CONCURRENCY, (i) => modes[mode](`I-${run}-${mode}-${r}-${i}`, i));
            const t = (totals[mode] ??= { n: 0, ms: 0, latencies: [] });
            t.n += n;
            t.ms += out.ms;
            t.latencies.push(...out.latencies);
            say(`intake round ${r + 1}/${rounds} ${mode}: ${n} in ${r1(out.ms)} ms`);
            if (mode === 'bareStart') {
              // Untimed: wait until the bare-started cases have registered, so their work does not weigh on the
              // next mode's figure.
              await pool(n, CONCURRENCY, (i) =>
                client.workflow
                  .getHandle(caseWorkflowId(`I-${run}-${mode}-${r}-${i}`))
                  .executeUpdate(registeredUpdate)
                  .then(() => undefined),
              );
            }
            // Let the children (notice deliveries) of this round drain before the next mode is measured.
            await new Promise((res) => setTimeout(res, 1000));
          }
        }
        const rate = (m: string) => totals[m]!.n / (totals[m]!.ms / 1000);
        const intake = Object.fromEntries(
          Object.entries(totals).map(([m, t]) => [
            m,
            { cases: t.n, perSecond: r1(rate(m)), p50ms: r1(pct(t.latencies, 50)), p99ms: r1(pct(t.latencies, 99)) },
          ]),
        );
        results.intake = { ...intake, ratioApiToClient: r2(rate('api') / rate('client')), goal: '>= 0.8' };
      }

      if (!skip.has('commands')) {
        // One case per concurrent sender: updates to one case run one at a time by design.
        const ids = Array.from({ length: CONCURRENCY }, (_, i) => `C-${run}-${i}`);
        await pool(ids.length, CONCURRENCY, (i) => http(base, 'POST', '/api/cases', registration(ids[i]!, i)));
        const lat = { api: [] as number[], client: [] as number[] };
        let seq = 0;
        const per = Math.ceil(N_COMMANDS / ids.length);
        const t0 = performance.now();
        await Promise.all(
          ids.map(async (id, k) => {
            for (let j = 0; j < per * 2; j++) {
              // Alternate API and client on the same case, starting with a different one on every other case.
              const viaApi = (j + k) % 2 === 0;
              const summary = `第${++seq}次协调进展`;
              const s = performance.now();
              if (viaApi) await http(base, 'POST', `/api/cases/${id}/events`, { type: 'mediation-progress', summary });
              else
                await client.workflow.getHandle(caseWorkflowId(id)).executeUpdate(applyEventUpdate, {
                  args: [{ event: { type: 'mediation-progress', summary }, actor: 'bureau' }],
                });
              (viaApi ? lat.api : lat.client).push(performance.now() - s);
            }
          }),
        );
        const stat = (xs: number[]) => ({
          n: xs.length,
          p50ms: r1(pct(xs, 50)),
          p99ms: r1(pct(xs, 99)),
          meanMs: r1(xs.reduce((a, b) => a + b, 0) / xs.length),
        });
        results.commands = {
          event: 'mediation-progress',
          casesInParallel: ids.length,
          seconds: r1((performance.now() - t0) / 1000),
          api: stat(lat.api),
          client: stat(lat.client),
          ratioP50: r2(pct(lat.api, 50) / pct(lat.client, 50)),
          ratioP99: r2(pct(lat.api, 99) / pct(lat.client, 99)),
          goal: 'p99 ratio <= 1.3',
        };
      }
      await new Promise<void>((r) => httpServer!.close(() => r()));
      httpServer = undefined;
      await worker.stop();
      workers.splice(workers.indexOf(worker), 1);
      await store.close();
    }

    // ------------------------------------------------------------------ scale: N open cases in one worker process
    if (!skip.has('scale')) {
      const taskQueue = `bench-scale-${randomUUID().slice(0, 8)}`;
      const env = workerEnv(taskQueue, {
        ...(CACHE === 'sdk' ? {} : { WORKER_MAX_CACHED_WORKFLOWS: String(CACHE) }),
        ...(values.heap
          ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${values.heap}`.trim() }
          : {}),
      });
      let worker = await startWorkerProcess(env);
      workers.push(worker);
      const idle = worker.rss();
      let peak = idle;
      const sampler = setInterval(() => (peak = Math.max(peak, worker.rss())), 500);
      const ids = Array.from({ length: N_SCALE }, (_, i) => `S-${String(i).padStart(6, '0')}`);
      const t0 = performance.now();
      let done = 0;
      const progress = setInterval(
        () => say(`scale: ${done}/${N_SCALE} registered, worker RSS ${mib(worker.rss())} MiB`),
        15_000,
      );
      // Registered with the client (the same two calls as the API): this phase measures the worker, not HTTP.
      await pool(N_SCALE, Math.max(CONCURRENCY, 32), async (i) => {
        const h = await client.workflow.start(caseWorkflow, startOptions(registration(ids[i]!, i), taskQueue));
        await h.executeUpdate(registeredUpdate);
        done++;
      });
      clearInterval(progress);
      const registerSeconds = (performance.now() - t0) / 1000;
      // Settled: the first notices' delivery children finished, nothing left in the queue.
      const settleStart = performance.now();
      while ((await backlog(client, taskQueue)) > 0 && performance.now() - settleStart < 300_000)
        await new Promise((r) => setTimeout(r, 1000));
      await new Promise((r) => setTimeout(r, 3000));
      const rssAllOpen = worker.rss();
      clearInterval(sampler);
      say(`scale: ${N_SCALE} open cases, worker RSS ${mib(rssAllOpen)} MiB (peak ${mib(peak)})`);

      // Restart: SIGKILL, a fresh worker, then probes. Caught up = (a) a query on the newest and on the oldest case
      // answers (each replays that case's history in the new worker), and (b) the workflow-task backlog of the
      // queue reads 0 on two reads a second apart. Full warm-up (every case queried once, so every case is replayed
      // into the new worker's cache) is reported apart: it is the bound, not what a restart needs.
      const killedAt = performance.now();
      await worker.kill();
      workers.splice(workers.indexOf(worker), 1);
      worker = await startWorkerProcess(env);
      workers.push(worker);
      const readyMs = performance.now() - killedAt;
      const probe = (id: string) => client.workflow.getHandle(caseWorkflowId(id)).query(caseStateQuery);
      // In its first moments the server has seen no poll of the new worker yet and refuses a query outright
      // (FAILED_PRECONDITION, "no poller seen for task queue recently"): asked again, within the time measured.
      const answered = async (id: string): Promise<void> => {
        for (;;) {
          try {
            await probe(id);
            return;
          } catch (err) {
            const cause = (err as { cause?: { code?: number; details?: string } }).cause;
            const noPollerYet = cause?.code === 9 && /no poller seen/.test(cause.details ?? '');
            if (!noPollerYet || performance.now() - killedAt > 120_000) throw err;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      };
      await Promise.all([answered(ids[ids.length - 1]!), answered(ids[0]!)]);
      const probesMs = performance.now() - killedAt;
      let zeros = 0;
      while (zeros < 2) {
        zeros = (await backlog(client, taskQueue)) === 0 ? zeros + 1 : 0;
        if (zeros < 2) await new Promise((r) => setTimeout(r, 1000));
      }
      const drainedMs = performance.now() - killedAt - 1000;
      const rssAfterRestart = worker.rss();
      // `--skip warm` leaves this out (it replays every case once: minutes at 10,000).
      const warm = skip.has('warm')
        ? { ms: NaN, latencies: [] as number[] }
        : await pool(N_SCALE, 32, async (i) => {
            await probe(ids[i]!);
          });
      const rssAllReplayed = worker.rss();
      results.scale = {
        openCases: N_SCALE,
        maxCachedWorkflows: CACHE,
        workerMaxOldSpaceMiB: values.heap ? Number(values.heap) : 'node default',
        registerSeconds: r1(registerSeconds),
        registeredPerSecond: r1(N_SCALE / registerSeconds),
        workerRssIdleMiB: mib(idle),
        workerRssAllOpenMiB: mib(rssAllOpen),
        workerRssPeakMiB: mib(peak),
        restart: {
          definition:
            'from SIGKILL of the old worker: ready = new worker polling; caughtUp = queries on the newest and the oldest case answered AND the workflow-task backlog read 0 twice 1 s apart',
          readySeconds: r1(readyMs / 1000),
          probesAnsweredSeconds: r1(probesMs / 1000),
          caughtUpSeconds: r1(Math.max(probesMs, drainedMs) / 1000),
          workerRssAfterRestartMiB: mib(rssAfterRestart),
          everyCaseReplayedSeconds: Number.isNaN(warm.ms) ? null : r1(warm.ms / 1000),
          queryAfterRestartP50ms: r1(pct(warm.latencies, 50)),
          queryAfterRestartP99ms: r1(pct(warm.latencies, 99)),
          workerRssEveryCaseReplayedMiB: Number.isNaN(warm.ms) ? null : mib(rssAllReplayed),
        },
        goal: 'worker RSS < 1024 MiB',
      };
      await worker.stop();
      workers.splice(workers.indexOf(worker), 1);
    }

    // ------------------------------------------------------------------ history: events per case
    if (!skip.has('history')) {
      const histDir = join(__dirname, '../test/replay/histories');
      const paths: Record<string, unknown> = {};
      for (const f of readdirSync(histDir)
        .filter((x) => x.endsWith('.json'))
        .sort()) {
        paths[f.replace(/\.json$/, '')] = describeHistory(
          JSON.parse(readFileSync(join(histDir, f), 'utf8')).events ?? [],
        );
      }
      paths['mediation-one-year-weekly'] = await oneYearMediation();
      results.history = {
        source:
          'test/replay/histories/*.json (case workflow only; delivery children have their own) + a simulated year',
        paths,
      };
    }
  } finally {
    for (const w of workers) await w.kill();
    if (httpServer) httpServer.close();
    await connection.close();
    await server.stop();
    dir.remove();
  }
  results.finishedAt = new Date().toISOString();
  print(results);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', `${values.out}.json`), `${JSON.stringify(results, null, 2)}\n`);
}

type HistEvent = { eventType?: string | number };
function describeHistory(events: HistEvent[]) {
  const by = (t: string) => events.filter((e) => String(e.eventType).endsWith(t)).length;
  return {
    events: events.length,
    workflowTasks: by('WORKFLOW_TASK_COMPLETED'),
    activities: by('ACTIVITY_TASK_SCHEDULED'),
    timers: by('TIMER_STARTED'),
    updates: by('WORKFLOW_EXECUTION_UPDATE_ACCEPTED'),
    noticeChildren: by('START_CHILD_WORKFLOW_EXECUTION_INITIATED'),
    continuedAsNew: by('WORKFLOW_EXECUTION_CONTINUED_AS_NEW'),
  };
}

/** A year of pre-suit mediation, extended at once, with a progress report every week: the long-lived path. */
async function oneYearMediation() {
  // The Java test server stops skipping time after a continue-as-new: keep the whole year in one run.
  const t = await startCaseEnv({ maxHistoryEvents: 1_000_000 });
  try {
    const caseId = `Y-${randomUUID().slice(0, 8)}`;
    const now = async (ms = 0) => new Date((await t.env.currentTimeMs()) + ms).toISOString();
    const date = async (ms = 0) => (await now(ms + 8 * 3600_000)).slice(0, 10);
    const agency: Principal = { role: 'agency', agencyId: 'natural-resources' };
    await t.cases.register(
      registrationSchema.parse({
        caseId,
        title: '一年调解',
        agencyId: 'natural-resources',
        field: 'land-taking',
        plaintiff: '某甲',
        trigger: { type: 'entrustment-letter', receivedAt: await now() },
      }),
      bureau,
    );
    await t.cases.applyEvent(
      caseId,
      {
        type: 'mediation-extension',
        newEndDate: await date(370 * DAY),
        partiesConsented: true,
        courtInformedOn: await date(),
      },
      agency,
    );
    for (let week = 1; week <= 52; week++) {
      await t.cases.applyEvent(caseId, { type: 'mediation-progress', summary: `第${week}周协调进展` }, agency);
      await advance(t.env, 7 * DAY);
    }
    await t.cases.applyEvent(
      caseId,
      { type: 'mediation-result', result: { outcome: 'resolved', summary: '达成和解' } },
      agency,
    );
    const history = await t.env.client.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory();
    const json = temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.fromObject(history), {
      enums: String,
    });
    return { ...describeHistory(json.events ?? []), weeklyReports: 52 };
  } finally {
    await t.teardown();
  }
}

function print(r: Record<string, any>): void {
  const rows: [string, string, string][] = [];
  if (r.intake) {
    const i = r.intake;
    rows.push([
      'intake: API / client (cases/s)',
      `${i.ratioApiToClient}`,
      `API ${i.api.perSecond}/s vs client ${i.client.perSecond}/s (bare start ${i.bareStart.perSecond}/s); goal ≥ 0.8`,
    ]);
  }
  if (r.commands) {
    const c = r.commands;
    rows.push([
      'commands: API / client p99',
      `${c.ratioP99}`,
      `p99 ${c.api.p99ms} vs ${c.client.p99ms} ms; goal ≤ 1.3`,
    ]);
    rows.push(['commands: API / client p50', `${c.ratioP50}`, `p50 ${c.api.p50ms} vs ${c.client.p50ms} ms`]);
  }
  if (r.scale) {
    const s = r.scale;
    rows.push([
      `scale: worker RSS, ${s.openCases} open`,
      `${s.workerRssAllOpenMiB} MiB`,
      `peak ${s.workerRssPeakMiB} MiB, idle ${s.workerRssIdleMiB} MiB, cache ${s.maxCachedWorkflows}, heap cap ${s.workerMaxOldSpaceMiB}; goal < 1024 MiB`,
    ]);
    rows.push([
      'scale: catch-up after SIGKILL',
      `${s.restart.caughtUpSeconds} s`,
      `ready ${s.restart.readySeconds} s, probes ${s.restart.probesAnsweredSeconds} s; ${s.restart.everyCaseReplayedSeconds === null ? 'every-case replay skipped' : `every case replayed ${s.restart.everyCaseReplayedSeconds} s more (RSS ${s.restart.workerRssEveryCaseReplayedMiB} MiB)`}`,
    ]);
  }
  if (r.history) {
    for (const [name, h] of Object.entries<any>(r.history.paths)) {
      rows.push([
        `history: ${name}`,
        `${h.events} events`,
        `${h.updates} updates, ${h.timers} timers, ${h.activities} activities, ${h.noticeChildren} notice children`,
      ]);
    }
  }
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  console.log(
    `\nmachine: ${r.machine.nproc} × ${r.machine.cpuModel}, ${r.machine.memoryMiB} MiB, node ${r.machine.node}`,
  );
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
