// Worker memory, measured in worker processes of production's kind (src/worker.ts, configured by environment only):
//   per cached case  N cases registered and held in the sticky cache; live heap (after full collections in every
//                    isolate: the workflow thread has its own) and RSS before and after, divided by N; with the heap
//                    uncapped and capped (--max-old-space-size), and the same for the floor's no-op workflow.
//   open cases       10,000 cases registered at concurrency 16 (open, waiting on timers) into a worker whose cache
//                    holds 1,000: peak RSS (goal ≤ 512 MiB) and how long intake took.
//   npm run bench -- memory [--cases 500 --cap 256 --open 10000 --open-cache 1000 --open-cap 256 --open-semi 2
//                            --skip floor,open]
// Cases go through CaseService (the API's own path), so the benchmark outlives changes inside the workflow.
// Live heap is read by bench/support/memstats-hook.js, preloaded through NODE_OPTIONS; nothing in src/ knows of it.
// Results: bench/results/memory.json and a table on stdout.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import type { Principal } from '../src/access';
import { loadDirectory } from '../src/directory';
import { CaseService } from '../src/services/cases';
import { ensureSearchAttributes } from '../src/temporal/search-attributes';
import { registrationSchema, type Registration } from '../src/workflows/case/schemas';
import { startDevServer, tempDir } from '../test/support/dev-server';
import { startWorkerProcess, type WorkerProcess } from '../test/resilience/support';
import { floorRegister, floorWorkflow } from './floor/workflows';
import {
  measuredNodeOptions,
  memStats,
  mib,
  pool,
  r1,
  r3,
  settle,
  sleep,
  startFloorWorker,
  type FloorWorker,
  type MemStats,
} from './support/harness';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: process.env.BENCH_MEM_CASES ?? '500' },
    cap: { type: 'string', default: process.env.BENCH_MEM_CAP_MIB ?? '256' },
    open: { type: 'string', default: process.env.BENCH_OPEN_CASES ?? '10000' },
    'open-cache': { type: 'string', default: process.env.BENCH_OPEN_CACHE ?? '1000' },
    // The open run uses compose's worker settings: a 256 MiB heap with 2 MiB semi-spaces ('' for V8's defaults).
    'open-cap': { type: 'string', default: process.env.BENCH_OPEN_CAP_MIB ?? '256' },
    'open-semi': { type: 'string', default: process.env.BENCH_OPEN_SEMI_MIB ?? '2' },
    concurrency: { type: 'string', default: '16' },
    // Comma list of: yingsu, floor, capped, uncapped, open.
    skip: { type: 'string', default: process.env.BENCH_SKIP ?? '' },
  },
  allowPositionals: true,
});
const N = Number(values.cases);
const CAP = Number(values.cap);
const N_OPEN = Number(values.open);
const OPEN_CACHE = Number(values['open-cache']);
const OPEN_CAP = values['open-cap'] ? Number(values['open-cap']) : undefined;
const OPEN_SEMI = values['open-semi'] ? Number(values['open-semi']) : undefined;
const C = Number(values.concurrency);
const skip = new Set(values.skip.split(',').filter(Boolean));
const say = (msg: string) => process.stderr.write(`[memory.bench] ${msg}\n`);

const bureau: Principal = { role: 'bureau' };
const directory = loadDirectory();
const agencies = directory.agencies.map((a) => a.id);
const registration = (caseId: string, i: number): Registration =>
  registrationSchema.parse({
    caseId,
    title: '基准测试：某甲诉县自然资源局行政处罚案',
    agencyId: agencies[i % agencies.length],
    field: 'land-taking',
    plaintiff: '某甲',
    // An entrustment letter opens a mediation: the case stays open, waiting on its progress and due-date timers.
    trigger: { type: 'entrustment-letter', receivedAt: new Date(Date.now() - 86_400_000).toISOString() },
  });

/** Rejects when the worker process exits: a registration would otherwise wait for it forever. */
const diesWith = (child: { once(e: 'exit', f: (code: number | null, sig: string | null) => void): unknown }) =>
  new Promise<never>((_, reject) =>
    child.once('exit', (code, sig) => reject(new Error(`worker exited (${code ?? sig}) while holding the cases`))),
  );

interface PerCase {
  workload: 'yingsu' | 'floor';
  heapCapMiB: number | 'none';
  cases: number;
  before: MemStats;
  after: MemStats;
  heapMiBPerCase: number;
  rssMiBPerCase: number;
  intakeSeconds: number;
}

async function main(): Promise<void> {
  const machine = { nproc: cpus().length, cpuModel: cpus()[0]?.model ?? '?', memoryMiB: mib(totalmem()) };
  const server = await startDevServer({ headless: true, refreshSearchAttributeCache: false });
  const dir = tempDir('bench-memory');
  const connection = await Connection.connect({ address: server.address });
  await ensureSearchAttributes(connection, 'default');
  const client = new Client({ connection, namespace: 'default' });
  const run = randomUUID().slice(0, 6);
  const results: Record<string, unknown> = {
    machine,
    node: process.version,
    startedAt: new Date().toISOString(),
    definition:
      'per case = (after − before) / N, N cases registered and cached; heap = live heap after gc() in the main isolate and the workflow thread; RSS = VmRSS of the worker process',
  };
  const live: (WorkerProcess | FloorWorker)[] = [];
  let sample: Record<string, unknown> = { padding: 'x'.repeat(4000) };

  async function yingsuPerCase(cap?: number): Promise<PerCase> {
    const taskQueue = `bench-mem-${run}-${cap ?? 'free'}`;
    const worker = await startWorkerProcess({
      TEMPORAL_ADDRESS: server.address,
      DATABASE_URL: `sqlite:${dir.path}/${taskQueue}.db`,
      YINGSU_TASK_QUEUE: taskQueue,
      YINGSU_WORKER_MAX_CACHED_WORKFLOWS: String(N + 100),
      NODE_OPTIONS: measuredNodeOptions(cap),
      // As npm start and compose run the worker.
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
    });
    live.push(worker);
    const dies = diesWith(worker.child);
    dies.catch(() => undefined);
    try {
      const cases = new CaseService(client, directory, {}, taskQueue);
      // Warm-up: the bundle, connections, the registry's tables; these stay cached and count in "before".
      await Promise.race([
        pool(8, 8, async (i) => {
          const s = await cases.register(registration(`MW-${run}-${cap ?? 'free'}-${i}`, i), bureau);
          if (i === 0) sample = JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
        }),
        dies,
      ]);
      await settle(client, taskQueue);
      const before = await memStats(worker.child);
      const ms = await Promise.race([
        pool(N, C, (i) => cases.register(registration(`M-${run}-${cap ?? 'free'}-${i}`, i), bureau).then(() => {})),
        dies,
      ]);
      // The registrations' notice deliveries (child workflows) finish and leave the cache.
      await Promise.race([settle(client, taskQueue), dies]);
      await sleep(2000);
      const after = await memStats(worker.child);
      return perCase('yingsu', cap, before, after, ms);
    } finally {
      await worker.stop();
      live.splice(live.indexOf(worker), 1);
    }
  }

  async function floorPerCase(cap?: number): Promise<PerCase> {
    const taskQueue = `bench-mem-floor-${run}-${cap ?? 'free'}`;
    const floor = await startFloorWorker({
      TEMPORAL_ADDRESS: server.address,
      DATABASE_URL: `sqlite:${dir.path}/${taskQueue}.db`,
      FLOOR_TASK_QUEUE: taskQueue,
      FLOOR_MAX_CACHED_WORKFLOWS: String(N + 100),
      NODE_OPTIONS: measuredNodeOptions(cap),
    });
    live.push(floor);
    const dies = diesWith(floor.child);
    dies.catch(() => undefined);
    const register = (id: string) =>
      client.workflow
        .executeUpdateWithStart(floorRegister, {
          startWorkflowOperation: new WithStartWorkflowOperation(floorWorkflow, {
            workflowId: id,
            taskQueue,
            args: [{ state: sample, io: false }],
            workflowIdConflictPolicy: 'FAIL',
          }),
        })
        .then(() => undefined);
    try {
      await Promise.race([pool(8, 8, (i) => register(`FW-${run}-${cap ?? 'free'}-${i}`)), dies]);
      await settle(client, taskQueue);
      const before = await memStats(floor.child);
      const ms = await Promise.race([pool(N, C, (i) => register(`F-${run}-${cap ?? 'free'}-${i}`)), dies]);
      await settle(client, taskQueue);
      await sleep(2000);
      const after = await memStats(floor.child);
      return perCase('floor', cap, before, after, ms);
    } finally {
      await floor.stop();
      live.splice(live.indexOf(floor), 1);
    }
  }

  const perCase = (
    workload: PerCase['workload'],
    cap: number | undefined,
    before: MemStats,
    after: MemStats,
    ms: number,
  ): PerCase => ({
    workload,
    heapCapMiB: cap ?? 'none',
    cases: N,
    before,
    after,
    heapMiBPerCase: r3((after.heapUsed - before.heapUsed) / N / 2 ** 20),
    rssMiBPerCase: r3((after.rss - before.rss) / N / 2 ** 20),
    intakeSeconds: r1(ms / 1000),
  });

  try {
    const rows: (PerCase | { workload: string; heapCapMiB: number | 'none'; error: string })[] = [];
    for (const workload of ['yingsu', 'floor'] as const) {
      if (skip.has(workload)) continue;
      for (const cap of [undefined, CAP]) {
        if (skip.has(cap ? 'capped' : 'uncapped')) continue;
        say(`${workload}, heap cap ${cap ?? 'none'}: ${N} cases`);
        try {
          const row = workload === 'yingsu' ? await yingsuPerCase(cap) : await floorPerCase(cap);
          say(JSON.stringify(row));
          rows.push(row);
        } catch (err) {
          say(`${workload}, cap ${cap ?? 'none'}: ${(err as Error).message}`);
          rows.push({ workload, heapCapMiB: cap ?? 'none', error: (err as Error).message.split('\n')[0]! });
        }
      }
    }
    results.perCachedCase = rows;

    if (!skip.has('open')) {
      const taskQueue = `bench-open-${run}`;
      const worker = await startWorkerProcess({
        TEMPORAL_ADDRESS: server.address,
        DATABASE_URL: `sqlite:${dir.path}/${taskQueue}.db`,
        YINGSU_TASK_QUEUE: taskQueue,
        YINGSU_WORKER_MAX_CACHED_WORKFLOWS: String(OPEN_CACHE),
        NODE_OPTIONS: [measuredNodeOptions(OPEN_CAP), OPEN_SEMI ? `--max-semi-space-size=${OPEN_SEMI}` : '']
          .filter(Boolean)
          .join(' '),
        MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
      });
      live.push(worker);
      const dies = diesWith(worker.child);
      dies.catch(() => undefined);
      const idle = worker.rss();
      let peak = idle;
      const sampler = setInterval(() => (peak = Math.max(peak, worker.rss())), 500);
      let done = 0;
      const progress = setInterval(
        () => say(`open: ${done}/${N_OPEN} registered, worker RSS ${mib(worker.rss())} MiB (peak ${mib(peak)})`),
        30_000,
      );
      try {
        const cases = new CaseService(client, directory, {}, taskQueue);
        const ms = await Promise.race([
          pool(N_OPEN, C, async (i) => {
            await cases.register(registration(`O-${run}-${String(i).padStart(5, '0')}`, i), bureau);
            done++;
          }),
          dies,
        ]);
        await Promise.race([settle(client, taskQueue), dies]);
        await sleep(3000);
        const settled = worker.rss();
        const liveHeap = await memStats(worker.child);
        results.openCases = {
          cases: N_OPEN,
          maxCachedWorkflows: OPEN_CACHE,
          heapCapMiB: OPEN_CAP ?? 'none',
          semiSpaceMiB: OPEN_SEMI ?? 'default',
          concurrency: C,
          intakeSeconds: r1(ms / 1000),
          casesPerSecond: r1(N_OPEN / (ms / 1000)),
          workerRssIdleMiB: mib(idle),
          workerRssPeakMiB: mib(Math.max(peak, settled)),
          workerRssSettledMiB: mib(settled),
          liveHeapSettledMiB: mib(liveHeap.heapUsed),
          goal: 'peak RSS ≤ 512 MiB',
        };
      } catch (err) {
        results.openCases = { cases: N_OPEN, done, peakRssMiB: mib(peak), error: (err as Error).message };
      } finally {
        clearInterval(sampler);
        clearInterval(progress);
        await worker.stop();
        live.splice(live.indexOf(worker), 1);
      }
    }
  } finally {
    for (const w of live) await w.stop().catch(() => undefined);
    await connection.close();
    await server.stop();
    dir.remove();
  }
  results.finishedAt = new Date().toISOString();
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'memory.json'), `${JSON.stringify(results, null, 2)}\n`);
  print(results);
}

function print(r: Record<string, any>): void {
  const out: string[] = [`\nmachine: ${r.machine.nproc} × ${r.machine.cpuModel}, ${r.machine.memoryMiB} MiB`];
  out.push('workload  heap cap  cases  MiB/case heap  MiB/case RSS  live heap after  RSS after  intake s');
  for (const x of r.perCachedCase ?? []) {
    if (x.error) {
      out.push(`${x.workload.padEnd(8)}  ${String(x.heapCapMiB).padEnd(8)}  failed: ${x.error}`);
      continue;
    }
    out.push(
      [
        x.workload.padEnd(8),
        String(x.heapCapMiB).padEnd(8),
        String(x.cases).padStart(5),
        String(x.heapMiBPerCase).padStart(13),
        String(x.rssMiBPerCase).padStart(12),
        `${mib(x.after.heapUsed)} MiB`.padStart(15),
        `${mib(x.after.rss)} MiB`.padStart(9),
        String(x.intakeSeconds).padStart(8),
      ].join('  '),
    );
  }
  const o = r.openCases;
  if (o?.error) out.push(`open cases: failed after ${o.done}/${o.cases}: ${o.error} (peak RSS ${o.peakRssMiB} MiB)`);
  else if (o)
    out.push(
      `open cases: ${o.cases} (cache ${o.maxCachedWorkflows}, heap cap ${o.heapCapMiB}, semi-space ${o.semiSpaceMiB}): peak RSS ${o.workerRssPeakMiB} MiB ` +
        `(goal ≤ 512), settled ${o.workerRssSettledMiB} MiB, live heap ${o.liveHeapSettledMiB} MiB; intake ${o.intakeSeconds} s ` +
        `(${o.casesPerSecond} cases/s at concurrency ${o.concurrency})`,
    );
  console.log(out.join('\n'));
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
