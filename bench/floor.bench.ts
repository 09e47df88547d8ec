// yingsu next to Temporal's own floor, measured side by side in one run on one dev server (in memory, with npm start's
// settings from scripts/dev-server.json, without the tests' search-attribute cache-refresh flag), each with a worker
// process of the same kind:
//   floor-command   an update on a running, cached no-op workflow that answers a state of a case's size
//   floor-register  update-with-start of that no-op workflow
//   floor-io        update-with-start plus one local activity doing one registry transaction of a case's size
//   floor-command-io  the floor-command's update with that local activity (timed in a second loop beside yingsu's)
//   bare start      workflow.start of the no-op workflow (what intake is compared with)
// against POST /api/cases/:id/events and POST /api/cases through the real API, worker and registry: the API signs each
// command's actor and the workflow verifies the signature (--unsigned: the development set-up); on SQLite the worker's
// own drainer sends the notices, as npm start does (--postgres: compose's registry, with the delivery service sending
// from its own process, its CPU counted with the worker's).
//   npm run bench -- floor [--registrations 480 --commands 400 --unsigned --postgres]   (BENCH_DEBUG=1 prints each round's latencies)
// Ratios first; then p50/p99 at concurrency 1 and 16, and per-operation costs that do not depend on the machine
// (history events, workflow tasks, activities, executions) plus worker CPU-ms. Results: bench/results/floor.json.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ed25519 } from '@noble/curves/ed25519';
import { bytesToHex } from '@noble/hashes/utils';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { pino } from 'pino';
import { loadDirectory } from '../src/directory';
import { createAuthenticator } from '../src/http/auth';
import { casesRouter } from '../src/http/routes/cases';
import { createApp } from '../src/server';
import { CaseService } from '../src/services/cases';
import { actorSigner } from '../src/temporal/actor-signing';
import { ensureSearchAttributes } from '../src/temporal/search-attributes';
import { caseWorkflowId } from '../src/workflows/case/messages';
import { startDevServer, tempDir } from '../test/support/dev-server';
import { startTestPostgres } from '../test/support/postgres';
import { startDeliveryProcess, startWorkerProcess, vmRss, type WorkerProcess } from '../test/resilience/support';
import { floorCommand, floorRegister, floorWorkflow, type FloorInput } from './floor/workflows';

const { values } = parseArgs({
  options: {
    // 480: at concurrency 16, 240 a mode in each of two rounds, so intake is a rate held for seconds, not a burst of 24
    // (with 48, intake moved between 0.12 and 0.23 of bare starts from run to run); at concurrency 1, 80 a round.
    registrations: { type: 'string', default: process.env.BENCH_REGISTRATIONS ?? '480' },
    // At concurrency 1, half as many commands of ours as this, and as many of the floor's: 200 each, so that a p99 is
    // not simply the slowest sample (it was with 48, where one outlier on a shared machine decided it).
    commands: { type: 'string', default: process.env.BENCH_COMMANDS ?? '400' },
    // Production signs every command's actor and the workflow verifies it (src/workflows/shared/actor-claims.ts);
    // --unsigned measures the development set-up, which takes each command at its word.
    unsigned: { type: 'boolean', default: false },
    // The registry on PostgreSQL with the delivery service in its own process, as compose deploys it (the floor-io's
    // transaction on the same PostgreSQL); the default is the embedded SQLite with the worker's own drainer (npm start).
    postgres: { type: 'boolean', default: false },
  },
  allowPositionals: true,
});
const N_REG = Number(values.registrations);
const N_CMD = Number(values.commands);
const SIGNED = !values.unsigned;
const SEPARATE = values.postgres;
const EventType = temporal.api.enums.v1.EventType;
const say = (msg: string) => process.stderr.write(`[floor.bench] ${msg}\n`);
const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};
const stat = (xs: number[]) => ({ n: xs.length, p50ms: r1(pct(xs, 50)), p99ms: r1(pct(xs, 99)) });
const dayAgo = () => new Date(Date.now() - 86_400_000).toISOString();

async function pool(n: number, c: number, job: (i: number) => Promise<void>) {
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

/** CPU time (user + system) a process has used, in ms (Linux clock ticks are 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time of a process and of every process under it, in ms (the dev server's, whatever it runs beneath it). */
function treeCpuMs(pid: number): number {
  let children: string[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean);
  } catch {
    // A process that has just exited has no children left to count.
  }
  return cpuMs(pid) + children.reduce((sum, child) => sum + treeCpuMs(Number(child)), 0);
}

/** CPU time this process (the benchmark's clients, and yingsu's HTTP API, which it hosts) has used, in ms. */
const ownCpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function startFloorWorker(env: Record<string, string>): Promise<{ child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'floor', 'worker.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('floor worker did not start')), 90_000);
    child.stdout!.on('data', (c) => {
      if (String(c).includes('floor worker ready')) {
        clearTimeout(timer);
        resolve({
          child,
          stop: () =>
            new Promise((r) => {
              child.once('exit', () => r());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`floor worker exited ${code}`)));
  });
}

interface Costs {
  historyEvents: number;
  workflowTasks: number;
  activities: number;
  localActivities: number;
  executions: number;
  childHistoryEvents: number;
}

/** What one operation cost in history: events between two history lengths, and the children it started. */
async function costsOf(client: Client, workflowId: string, fromEvent: number): Promise<Costs> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = (history.events ?? []).filter((e) => Number(e.eventId) > fromEvent);
  const count = (t: number) => events.filter((e) => e.eventType === t).length;
  const children = events
    .filter((e) => e.eventType === EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED)
    .map((e) => e.childWorkflowExecutionStartedEventAttributes!.workflowExecution!.workflowId!);
  let childHistoryEvents = 0;
  for (const id of children) {
    await client.workflow
      .getHandle(id)
      .result()
      .catch(() => undefined);
    childHistoryEvents += (await client.workflow.getHandle(id).fetchHistory()).events?.length ?? 0;
  }
  return {
    historyEvents: events.length,
    workflowTasks: count(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
    activities: count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
    localActivities: count(EventType.EVENT_TYPE_MARKER_RECORDED),
    executions: 1 + children.length,
    childHistoryEvents,
  };
}

const historyLength = async (client: Client, id: string) =>
  Number((await client.workflow.getHandle(id).describe()).historyLength);

async function main(): Promise<void> {
  const machine = {
    nproc: cpus().length,
    cpuModel: cpus()[0]?.model ?? '?',
    memoryMiB: Math.round(totalmem() / 2 ** 20),
  };
  const server = await startDevServer({ headless: true, refreshSearchAttributeCache: false });
  const dir = tempDir('bench-floor');
  const postgres = SEPARATE ? await startTestPostgres() : undefined;
  const databaseUrl = postgres ? postgres.url : `sqlite:${dir.path}/yingsu.db`;
  const floorDatabaseUrl = postgres ? postgres.url : `sqlite:${dir.path}/floor.db`;
  const connection = await Connection.connect({ address: server.address });
  await ensureSearchAttributes(connection, 'default');
  const client = new Client({ connection, namespace: 'default' });
  const run = randomUUID().slice(0, 6);
  const ourQueue = `bench-yingsu-${run}`;
  const floorQueue = `bench-floor-${run}`;
  let worker: WorkerProcess | undefined;
  let delivery: WorkerProcess | undefined;
  let floor: Awaited<ReturnType<typeof startFloorWorker>> | undefined;
  let http: Server | undefined;
  const results: Record<string, unknown> = { machine, startedAt: new Date().toISOString() };
  try {
    const signer = SIGNED ? actorSigner(bytesToHex(ed25519.utils.randomPrivateKey())) : undefined;
    results.signed = SIGNED;
    results.registry = postgres ? 'postgres, delivery service separate' : 'sqlite, drainer in the worker';
    worker = await startWorkerProcess({
      ...(signer ? { YINGSU_ACTOR_PUBLIC_KEYS: signer.publicKey } : {}),
      TEMPORAL_ADDRESS: server.address,
      DATABASE_URL: databaseUrl,
      YINGSU_TASK_QUEUE: ourQueue,
      YINGSU_DELIVERY: SEPARATE ? 'separate' : 'worker',
      // A CPU profile of yingsu's worker (each thread), written when it stops: BENCH_WORKER_PROFILE=<dir>.
      ...(process.env.BENCH_WORKER_PROFILE
        ? { WORKER_NODE_ARGS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_WORKER_PROFILE}` }
        : {}),
    });
    // As compose deploys it (PostgreSQL), the delivery service sends the notices from its own process and the worker
    // only writes them; on SQLite (npm start) the worker's own drainer sends them.
    if (SEPARATE) delivery = await startDeliveryProcess({ DATABASE_URL: databaseUrl });
    /** yingsu's CPU: the worker's, and the delivery service's when it runs. */
    const ourCpuMs = () => cpuMs(worker!.pid) + (delivery ? cpuMs(delivery.pid) : 0);
    if (process.env.BENCH_WORKER_LOG) {
      worker.child.stdout!.pipe(createWriteStream(process.env.BENCH_WORKER_LOG));
      worker.child.stderr!.pipe(createWriteStream(`${process.env.BENCH_WORKER_LOG}.err`));
    }
    floor = await startFloorWorker({
      TEMPORAL_ADDRESS: server.address,
      DATABASE_URL: floorDatabaseUrl,
      FLOOR_TASK_QUEUE: floorQueue,
    });
    const directory = loadDirectory();
    const cases = new CaseService(client, directory, {}, ourQueue, undefined, signer);
    const auth = createAuthenticator({ directory, production: false });
    const app = createApp({
      client,
      namespace: 'default',
      directory,
      auth,
      log: pino({ level: process.env.BENCH_LOG ?? 'silent' }),
      routers: [casesRouter(cases)],
    });
    http = await new Promise<Server>((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const call = async (method: string, path: string, body: unknown) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { Authorization: 'Bearer dev-bureau', 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
      return text;
    };
    const registration = (caseId: string) => ({
      caseId,
      title: '基准测试：某甲诉县自然资源局行政处罚案',
      agencyId: 'natural-resources',
      field: 'land-taking',
      plaintiff: '某甲',
      trigger: { type: 'entrustment-letter', receivedAt: dayAgo() },
    });

    // A case's state, to give the floor the same size of answer and of registry transaction.
    const sample = JSON.parse(await call('POST', '/api/cases', registration(`F-${run}-sample`)));
    const stateBytes = JSON.stringify(sample).length;
    const floorInput = (io: boolean): FloorInput => ({ state: sample, io });
    results.stateBytes = stateBytes;
    say(`a case's state is ${stateBytes} bytes of JSON`);

    const modes = {
      yingsuRegister: (id: string) => call('POST', '/api/cases', registration(id)).then(() => undefined),
      floorRegister: (id: string) =>
        client.workflow
          .executeUpdateWithStart(floorRegister, {
            startWorkflowOperation: new WithStartWorkflowOperation(floorWorkflow, {
              workflowId: id,
              taskQueue: floorQueue,
              args: [floorInput(false)],
              workflowIdConflictPolicy: 'FAIL',
            }),
          })
          .then(() => undefined),
      floorIo: (id: string) =>
        client.workflow
          .executeUpdateWithStart(floorRegister, {
            startWorkflowOperation: new WithStartWorkflowOperation(floorWorkflow, {
              workflowId: id,
              taskQueue: floorQueue,
              args: [floorInput(true)],
              workflowIdConflictPolicy: 'FAIL',
            }),
          })
          .then(() => undefined),
      bareStart: (id: string) =>
        client.workflow
          .start(floorWorkflow, { workflowId: id, taskQueue: floorQueue, args: [floorInput(false)] })
          .then(() => undefined),
    };
    type Mode = keyof typeof modes;
    // Warm-up: bundles, connections, registry tables, the caches of both workers.
    for (const m of Object.keys(modes) as Mode[]) await pool(8, 8, (i) => modes[m](`W-${run}-${m}-${i}`));
    // The warm-up's notices drain before anything is timed (as between rounds below).
    await new Promise((res) => setTimeout(res, 3000));

    // Where the time goes: operations one at a time, each cut at the server's own event times into what
    // came before the server wrote its first event (client, HTTP API, gRPC), the wait for a worker to take the task,
    // the workflow task itself (the worker) and what came after it completed (server, gRPC, HTTP API, client).
    const whereTheTimeGoes = async () => {
      const ourCase = `T-${run}-case`;
      await modes.yingsuRegister(ourCase);
      await modes.floorRegister(`T-${run}-floor`);
      await modes.floorIo(`T-${run}-floorIo`);
      // Each operation answers the workflow it touched, whose history is cut below.
      const timed: Record<string, Record<string, (i: number) => Promise<string>>> = {
        registration: {
          yingsu: (i) => modes.yingsuRegister(`T-${run}-y-${i}`).then(() => caseWorkflowId(`T-${run}-y-${i}`)),
          floorRegister: (i) => modes.floorRegister(`T-${run}-r-${i}`).then(() => `T-${run}-r-${i}`),
          floorIo: (i) => modes.floorIo(`T-${run}-io-${i}`).then(() => `T-${run}-io-${i}`),
        },
        command: {
          yingsu: (i) =>
            call('POST', `/api/cases/${ourCase}/events`, { type: 'mediation-progress', summary: `第${i}次计时` }).then(
              () => caseWorkflowId(ourCase),
            ),
          floorCommand: (i) =>
            client.workflow
              .getHandle(`T-${run}-floor`)
              .executeUpdate(floorCommand, { args: [`第${i}次计时`] })
              .then(() => `T-${run}-floor`),
          floorCommandIo: (i) =>
            client.workflow
              .getHandle(`T-${run}-floorIo`)
              .executeUpdate(floorCommand, { args: [`第${i}次计时`] })
              .then(() => `T-${run}-floorIo`),
        },
      };
      const wall = () => performance.timeOrigin + performance.now();
      const at = (e: temporal.api.history.v1.IHistoryEvent) =>
        Number(e.eventTime!.seconds) * 1000 + (e.eventTime!.nanos ?? 0) / 1e6;
      const N_TIMED = 40;
      const split: Record<string, Record<string, Record<string, number>>> = {};
      for (const [kind, ops] of Object.entries(timed)) {
        const spans: { who: string; id: string; t0: number; t1: number }[] = [];
        // In blocks of ten of a kind with a pause after each, as the rounds above run them.
        for (let block = 0; block < N_TIMED / 10; block++)
          for (const [who, op] of Object.entries(ops)) {
            for (let i = block * 10; i < block * 10 + 10; i++) {
              const t0 = wall();
              const id = await op(i);
              spans.push({ who, id, t0, t1: wall() });
            }
            await new Promise((res) => setTimeout(res, 1500));
          }
        const histories = new Map<string, temporal.api.history.v1.IHistoryEvent[]>();
        const parts: Record<string, Record<string, number[]>> = {};
        for (const sp of spans) {
          if (!histories.has(sp.id))
            histories.set(sp.id, (await client.workflow.getHandle(sp.id).fetchHistory()).events ?? []);
          const inSpan = histories.get(sp.id)!.filter((e) => at(e) >= sp.t0 && at(e) <= sp.t1);
          const first = inSpan.find(
            (e) =>
              e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED ||
              e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
          );
          const started = inSpan.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
          const completed = inSpan.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).pop();
          if (!first || !started || !completed) continue;
          const p = (parts[sp.who] ??= {});
          const add = (k: string, v: number) => (p[k] ??= []).push(v);
          add('beforeServerMs', at(first) - sp.t0);
          add('waitForWorkerMs', at(started) - at(first));
          add('workflowTaskMs', at(completed) - at(started));
          add('afterTaskMs', sp.t1 - at(completed));
          add('totalMs', sp.t1 - sp.t0);
          if (process.env.BENCH_DEBUG)
            say(`${kind} ${sp.who} wait ${(at(started) - at(first)).toFixed(1)} total ${(sp.t1 - sp.t0).toFixed(1)}`);
        }
        split[kind] = Object.fromEntries(
          Object.entries(parts).map(([who, p]) => [
            who,
            { n: p.totalMs!.length, ...Object.fromEntries(Object.entries(p).map(([k, xs]) => [k, r1(pct(xs, 50))])) },
          ]),
        );
      }
      return split;
    };
    const perLevel: Record<string, unknown> = {};
    const cpu: Record<string, number> = {};
    for (const c of [1, 16]) {
      // Registration: rounds alternate the order, so a noisy neighbour weighs on every mode alike.
      const reg: Record<Mode, { n: number; ms: number; latencies: number[] }> = {} as never;
      // Where a registration's CPU goes, process by process: on 2 shared cores, intake is what they allow.
      const spent: Record<Mode, { worker: number; server: number; apiAndClient: number }> = {} as never;
      const orders: Mode[][] = [
        ['yingsuRegister', 'floorRegister', 'floorIo', 'bareStart'],
        ['bareStart', 'floorIo', 'floorRegister', 'yingsuRegister'],
      ];
      const perRound = Math.max(2, Math.ceil(N_REG / orders.length / (c === 1 ? 3 : 1)));
      for (const [r, order] of orders.entries()) {
        for (const m of order) {
          const cpu0 = m === 'yingsuRegister' ? ourCpuMs() : cpuMs(floor.child.pid!);
          const server0 = treeCpuMs(server.child.pid!);
          const own0 = ownCpuMs();
          const out = await pool(perRound, c, (i) => modes[m](`R-${run}-${c}-${m}-${r}-${i}`));
          if (process.env.BENCH_DEBUG) say(`${m}@${c} ${out.latencies.map((x) => x.toFixed(1)).join(' ')}`);
          const sp = (spent[m] ??= { worker: 0, server: 0, apiAndClient: 0 });
          sp.worker += (m === 'yingsuRegister' ? ourCpuMs() : cpuMs(floor.child.pid!)) - cpu0;
          sp.server += treeCpuMs(server.child.pid!) - server0;
          sp.apiAndClient += ownCpuMs() - own0;
          const t = (reg[m] ??= { n: 0, ms: 0, latencies: [] });
          t.n += perRound;
          t.ms += out.ms;
          t.latencies.push(...out.latencies);
          // Let the deliveries this round started drain before the next mode is timed.
          await new Promise((res) => setTimeout(res, 1500));
        }
      }
      // Commands: one workflow per concurrent sender (updates to one case run one at a time by design).
      const ours = Array.from({ length: c }, (_, i) => `R-${run}-${c}-yingsuRegister-0-${i % perRound}`);
      const theirs = Array.from({ length: c }, (_, i) => `R-${run}-${c}-floorRegister-0-${i % perRound}`);
      const per = Math.max(2, Math.ceil(N_CMD / c / (c === 1 ? 2 : 1)));
      let seq = 0;
      /** `rounds` commands per sender, alternating ours with the floor's update on `floorIds`: both latencies. */
      const alternate = async (floorIds: string[], rounds: number) => {
        const out = { yingsu: [] as number[], floor: [] as number[] };
        await Promise.all(
          Array.from({ length: c }, async (_, k) => {
            for (let j = 0; j < rounds; j++) {
              const ourTurn = (j + k) % 2 === 0;
              const note = `第${++seq}次协调进展`;
              const s = performance.now();
              if (ourTurn)
                await call('POST', `/api/cases/${ours[k]}/events`, { type: 'mediation-progress', summary: note });
              else await client.workflow.getHandle(floorIds[k]!).executeUpdate(floorCommand, { args: [note] });
              (ourTurn ? out.yingsu : out.floor).push(performance.now() - s);
            }
          }),
        );
        return out;
      };
      const cpuCmd0 = { yingsu: ourCpuMs(), floor: cpuMs(floor.child.pid!) };
      const lat = await alternate(theirs, per * 2);
      if (process.env.BENCH_DEBUG)
        for (const [who, xs] of Object.entries(lat))
          say(`command ${who}@${c} ${xs.map((x) => x.toFixed(1)).join(' ')}`);
      cpu[`yingsuCommand@${c}`] = ourCpuMs() - cpuCmd0.yingsu;
      cpu[`floorCommand@${c}`] = cpuMs(floor.child.pid!) - cpuCmd0.floor;
      // Then a command next to the floor's update with one registry transaction (floor-command-io): what a command
      // that must commit before it answers cannot go below.
      const cpuIo0 = cpuMs(floor.child.pid!);
      const beside = await alternate(
        Array.from({ length: c }, (_, i) => `R-${run}-${c}-floorIo-0-${i % perRound}`),
        per,
      );
      cpu[`floorCommandIo@${c}`] = cpuMs(floor.child.pid!) - cpuIo0;
      const lat2 = { yingsu: beside.yingsu, floorIo: beside.floor };
      const rate = (m: Mode) => reg[m].n / (reg[m].ms / 1000);
      perLevel[`concurrency${c}`] = {
        registration: {
          yingsu: { ...stat(reg.yingsuRegister.latencies), perSecond: r1(rate('yingsuRegister')) },
          floorRegister: { ...stat(reg.floorRegister.latencies), perSecond: r1(rate('floorRegister')) },
          floorIo: { ...stat(reg.floorIo.latencies), perSecond: r1(rate('floorIo')) },
          bareStart: { ...stat(reg.bareStart.latencies), perSecond: r1(rate('bareStart')) },
        },
        command: {
          yingsu: stat(lat.yingsu),
          floorCommand: stat(lat.floor),
          besideFloorIo: { yingsu: stat(lat2.yingsu), floorCommandIo: stat(lat2.floorIo) },
        },
        // Per registration: the worker's CPU, the Temporal server's, this process's (the benchmark's clients, and
        // for yingsu its HTTP API), and the rate the machine's cores would allow if nothing else ran.
        cpuMsPerRegistration: Object.fromEntries(
          (Object.keys(spent) as Mode[]).map((m) => {
            const { worker, server, apiAndClient } = spent[m];
            const n = reg[m].n;
            const total = (worker + server + apiAndClient) / n;
            return [
              m,
              {
                worker: r1(worker / n),
                server: r1(server / n),
                apiAndClient: r1(apiAndClient / n),
                total: r1(total),
                ceilingPerSecond: Math.round((machine.nproc * 1000) / total),
              },
            ];
          }),
        ),
        workerCpuMsPerOp: {
          yingsuRegister: r1(spent.yingsuRegister.worker / reg.yingsuRegister.n),
          floorRegister: r1(spent.floorRegister.worker / reg.floorRegister.n),
          floorIo: r1(spent.floorIo.worker / reg.floorIo.n),
          yingsuCommand: r1(cpu[`yingsuCommand@${c}`]! / lat.yingsu.length),
          floorCommand: r1(cpu[`floorCommand@${c}`]! / lat.floor.length),
          floorCommandIo: r1(cpu[`floorCommandIo@${c}`]! / lat2.floorIo.length),
        },
      };
      say(`concurrency ${c}: ${JSON.stringify(perLevel[`concurrency${c}`])}`);
      if (c === 1) {
        results.whereTheTimeGoes = await whereTheTimeGoes();
        say(`where the time goes (p50 of each part): ${JSON.stringify(results.whereTheTimeGoes)}`);
      }
    }
    results.levels = perLevel;

    // Per-operation costs, read from histories (they do not depend on the machine).
    const regId = `COST-${run}`;
    await call('POST', '/api/cases', registration(regId));
    const registrationCost = await costsOf(client, caseWorkflowId(regId), 0);
    const before = await historyLength(client, caseWorkflowId(regId));
    await call('POST', `/api/cases/${regId}/events`, { type: 'mediation-progress', summary: '成本测量' });
    await new Promise((r) => setTimeout(r, 1000));
    const commandCost = await costsOf(client, caseWorkflowId(regId), before);
    const floorId = `COST-FLOOR-${run}`;
    await modes.floorIo(floorId);
    const floorRegCost = await costsOf(client, floorId, 0);
    const floorBefore = await historyLength(client, floorId);
    await client.workflow.getHandle(floorId).executeUpdate(floorCommand, { args: ['成本测量'] });
    const floorCmdCost = await costsOf(client, floorId, floorBefore);
    results.costs = {
      yingsuRegistration: registrationCost,
      yingsuCommand: commandCost,
      floorIoRegistration: floorRegCost,
      floorIoCommand: floorCmdCost,
    };
    results.workerRssMiB = {
      yingsu: Math.round(vmRss(worker.pid) / 2 ** 20),
      ...(delivery ? { delivery: Math.round(vmRss(delivery.pid) / 2 ** 20) } : {}),
      floor: Math.round(vmRss(floor.child.pid!) / 2 ** 20),
    };

    const l1 = perLevel.concurrency1 as never as Record<string, Record<string, Record<string, number>>>;
    const l16 = perLevel.concurrency16 as never as Record<string, Record<string, Record<string, number>>>;
    results.ratios = {
      'command p50 ÷ floor-command p50, c=1 (goal ≤ 2)': r2(
        l1.command!.yingsu!.p50ms! / l1.command!.floorCommand!.p50ms!,
      ),
      'command p99 ÷ floor-command p99, c=1 (goal ≤ 3)': r2(
        l1.command!.yingsu!.p99ms! / l1.command!.floorCommand!.p99ms!,
      ),
      'command p99 ÷ floor-command p99, c=16 (goal ≤ 3)': r2(
        l16.command!.yingsu!.p99ms! / l16.command!.floorCommand!.p99ms!,
      ),
      'command p50 ÷ floor-command-io p50, c=1 (an update with one registry transaction)': r2(
        (l1.command!.besideFloorIo as never as Record<string, Record<string, number>>).yingsu!.p50ms! /
          (l1.command!.besideFloorIo as never as Record<string, Record<string, number>>).floorCommandIo!.p50ms!,
      ),
      'registration p50 ÷ floor-register p50, c=1 (goal ≤ 2)': r2(
        l1.registration!.yingsu!.p50ms! / l1.registration!.floorRegister!.p50ms!,
      ),
      'registration p50 ÷ floor-io p50, c=1': r2(l1.registration!.yingsu!.p50ms! / l1.registration!.floorIo!.p50ms!),
      'intake ÷ bare starts per second, c=16 (goal ≥ 0.3)': r2(
        l16.registration!.yingsu!.perSecond! / l16.registration!.bareStart!.perSecond!,
      ),
    };
    process.stdout.write(`\nRatios (one run, same server and worker kind)\n`);
    for (const [k, v] of Object.entries(results.ratios as Record<string, number>))
      process.stdout.write(`  ${v}\t${k}\n`);
    // Intake is bounded by the CPU a registration costs on the machine's shared cores, whatever runs it.
    const spentAt16 = (perLevel.concurrency16 as { cpuMsPerRegistration: Record<string, Record<string, number>> })
      .cpuMsPerRegistration;
    process.stdout.write(
      `\nCPU per registration at c=16, in ms (worker + Temporal server + API and client = total), and the rate ` +
        `${machine.nproc} cores allow at that cost, beside the rate measured\n`,
    );
    for (const [m, x] of Object.entries(spentAt16))
      process.stdout.write(
        `  ${m.padEnd(15)} ${x.worker} + ${x.server} + ${x.apiAndClient} = ${x.total}\t${x.ceilingPerSecond}/s allowed, ` +
          `${l16.registration![m === 'yingsuRegister' ? 'yingsu' : m]!.perSecond}/s measured\n`,
      );
    process.stdout.write(
      `\nWhere the time goes (p50 of each part, c=1; parts cut at the server's event times)\n${JSON.stringify(results.whereTheTimeGoes, null, 2)}\n`,
    );
    process.stdout.write(`\nCosts per operation\n${JSON.stringify(results.costs, null, 2)}\n`);
    process.stdout.write(`\nLatency and CPU\n${JSON.stringify(results.levels, null, 2)}\n`);
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', 'floor.json'), JSON.stringify(results, null, 2));
  } finally {
    if (http) await new Promise<void>((r) => http!.close(() => r()));
    await floor?.stop().catch(() => undefined);
    await worker?.stop().catch(() => undefined);
    await delivery?.stop().catch(() => undefined);
    await connection.close();
    await server.stop();
    await postgres?.stop();
    dir.remove();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
