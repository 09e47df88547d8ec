// Helpers shared by the resilience suite and bench/cases.bench.ts: the real worker (src/worker.ts) as a child process,
// a directory whose every party has a webhook contact at a local receiver, and a seeded random source.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDeadlineEngine } from '../../src/deadlines';
import { loadDirectory, parseDirectory, type Directory } from '../../src/directory';

const repoRoot = join(__dirname, '../..');

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** Resident memory of the worker process (VmRSS), in bytes. */
  rss(): number;
  /** SIGKILL: no graceful shutdown, in-flight tasks are lost mid-way. */
  kill(): Promise<void>;
  /** SIGTERM: the runtime drains in-flight tasks, then exits. */
  stop(): Promise<void>;
}

/**
 * Starts `src/worker.ts` exactly as production does (its `main`, configured by environment variables only) and
 * resolves once it logs "worker started". `node --import tsx`, not the tsx launcher: the launcher would run the worker
 * in a grandchild that survives a SIGKILL sent to the launcher.
 */
export function startWorkerProcess(env: Record<string, string>, timeoutMs = 90_000): Promise<WorkerProcess> {
  return startServiceProcess('worker', env, timeoutMs);
}

/** Starts the delivery service (`src/delivery.ts`, as npm start and compose run it) once it logs "delivery started". */
export function startDeliveryProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<WorkerProcess> {
  return startServiceProcess('delivery', env, timeoutMs);
}

function startServiceProcess(
  name: 'worker' | 'delivery',
  env: Record<string, string>,
  timeoutMs: number,
): Promise<WorkerProcess> {
  // Extra node flags for the process (e.g. `--cpu-prof --cpu-prof-dir=…`, which NODE_OPTIONS refuses).
  const nodeArgs = env.WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(repoRoot, `src/${name}.ts`)], {
    cwd: repoRoot,
    env: { ...process.env, WORKER_METRICS_PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (c: Buffer) => void (tail = (tail + String(c)).slice(-4000));
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const wp: WorkerProcess = {
    child,
    pid: child.pid!,
    rss: () => vmRss(child.pid!),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(t);
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within ${timeoutMs} ms\n${tail}`));
    }, timeoutMs);
    let buffered = '';
    child.stdout!.on('data', (c: Buffer) => {
      keep(c);
      if (buffered === null) return;
      buffered += String(c);
      if (buffered.includes(`"msg":"${name} started"`)) {
        buffered = null as unknown as string;
        clearTimeout(timer);
        resolve(wp);
      } else {
        buffered = buffered.slice(-2000);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it started (${code ?? signal})\n${tail}`));
    });
  });
}

/** VmRSS of a process from /proc, in bytes (0 when the process is gone). */
export function vmRss(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * The sample county with one webhook contact per party, each at its own path of the receiver (`/bureau`,
 * `/agency/<id>`, `/leader/<id>`, …), written to `file` for YINGSU_DIRECTORY_FILE.
 */
export function writeWebhookDirectory(file: string, receiverUrl: string): Directory {
  const d = structuredClone(loadDirectory());
  const hook = (path: string) => [{ channel: 'webhook' as const, url: `${receiverUrl}/${path}` }];
  d.bureau.contacts = hook('bureau');
  // Delivery-failure alerts take another route than the bureau's ordinary contact.
  d.bureau.alertContacts = hook('bureau-alerts');
  d.court.contacts = hook('court');
  d.principalLeader.contacts = hook('principal-leader');
  d.countyGovernment.contacts = hook('county-government');
  for (const l of d.leaders) l.contacts = hook(`leader/${l.id}`);
  for (const a of d.agencies) a.contacts = hook(`agency/${a.id}`);
  const parsed = parseDirectory(d, 'resilience directory');
  writeFileSync(file, JSON.stringify(parsed, null, 1));
  return parsed;
}

/**
 * What a worker process (or the delivery service) needs beside Temporal: its own SQLite registry and task queue under
 * `dir`, and the webhook directory at the receiver. `env` is for startWorkerProcess; the rest for the test's own client.
 */
export function webhookStack(dir: string, receiverUrl: string, queuePrefix: string, temporalAddress: string) {
  const directoryFile = join(dir, 'directory.json');
  const directory = writeWebhookDirectory(directoryFile, receiverUrl);
  const databaseUrl = `sqlite:${join(dir, 'yingsu.db')}`;
  const taskQueue = `${queuePrefix}-${randomUUID()}`;
  const env: Record<string, string> = {
    TEMPORAL_ADDRESS: temporalAddress,
    DATABASE_URL: databaseUrl,
    YINGSU_DIRECTORY_FILE: directoryFile,
    YINGSU_TASK_QUEUE: taskQueue,
  };
  return { directory, databaseUrl, taskQueue, env };
}

/** mulberry32: a small seeded generator, so a failing run can be repeated with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed from RESILIENCE_SEED (to repeat a run), else a fresh one; always printed by the tests. */
export const seedFromEnv = (): number =>
  process.env.RESILIENCE_SEED ? Number(process.env.RESILIENCE_SEED) : Math.floor(Math.random() * 2 ** 31);

export async function until<T>(
  check: () => Promise<T | undefined> | T | undefined,
  ms: number,
  what: string,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const calendar = createDeadlineEngine();
/**
 * Whether an escalation due now reaches people now: within working hours of a working day. Since issue 11 a lapse at
 * night or on a rest day is recorded at once but escalated the next working morning, so real-time tests expect an
 * escalation only when this is true.
 */
export const escalatesNow = (): boolean => {
  const now = new Date().toISOString();
  return Date.parse(calendar.workingMoment(now).at) - Date.parse(now) < 60_000;
};
