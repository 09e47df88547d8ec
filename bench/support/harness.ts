// What the memory and catch-up benchmarks share: a bounded pool, percentiles, worker processes (yingsu's through
// test/resilience/support.ts, the floor's bench/floor/worker.ts) with the memstats preload, and queue backlogs.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { vmRss } from '../../test/resilience/support';

export const mib = (b: number): number => Math.round((b / 2 ** 20) * 10) / 10;
export const r1 = (x: number): number => Math.round(x * 10) / 10;
export const r3 = (x: number): number => Math.round(x * 1000) / 1000;
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs `n` jobs with at most `c` in flight; the wall time in ms. */
export async function pool(n: number, c: number, job: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(c, n) }, async () => {
      for (let i = next++; i < n; i = next++) await job(i);
    }),
  );
  return performance.now() - t0;
}

/** NODE_OPTIONS for a measured worker: the memstats preload, and a V8 old-space cap when given. */
export function measuredNodeOptions(heapCapMiB?: number): string {
  return [
    process.env.NODE_OPTIONS ?? '',
    `--require ${join(__dirname, 'memstats-hook.js')}`,
    heapCapMiB ? `--max-old-space-size=${heapCapMiB}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

export interface MemStats {
  rss: number;
  /** Live heap (after full collections) of the main isolate plus every workflow thread's isolate. */
  heapUsed: number;
  mainHeapUsed: number;
  threadHeapUsed: number;
  threads: number;
}

/** SIGUSR2 to a process started with the memstats preload; resolves with the JSON line it prints. */
export function memStats(child: ChildProcess, timeoutMs = 90_000): Promise<MemStats> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => {
      child.stdout!.off('data', onData);
      reject(new Error('no memstats line: was the worker started with measuredNodeOptions()?'));
    }, timeoutMs);
    const onData = (c: Buffer) => {
      buf += String(c);
      const line = buf.split('\n').find((l) => l.startsWith('{"memstats"'));
      if (!line) {
        buf = buf.slice(buf.lastIndexOf('\n') + 1);
        return;
      }
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      const s = JSON.parse(line) as {
        rss: number;
        main: { heapUsed: number };
        threads: { heapUsed: number }[];
        expected: number;
      };
      if (s.threads.length < s.expected)
        process.stderr.write(`memstats: ${s.expected - s.threads.length} thread(s) did not answer\n`);
      const threadHeapUsed = s.threads.reduce((a, t) => a + t.heapUsed, 0);
      resolve({
        rss: s.rss,
        heapUsed: s.main.heapUsed + threadHeapUsed,
        mainHeapUsed: s.main.heapUsed,
        threadHeapUsed,
        threads: s.threads.length,
      });
    };
    child.stdout!.on('data', onData);
    child.kill('SIGUSR2');
  });
}

export interface FloorWorker {
  child: ChildProcess;
  pid: number;
  rss(): number;
  stop(): Promise<void>;
}

/** bench/floor/worker.ts (the floor benchmark's no-op worker) as a child process. */
export function startFloorWorker(env: Record<string, string>): Promise<FloorWorker> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'floor', 'worker.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('floor worker did not start')), 90_000);
    const onData = (c: Buffer) => {
      if (!String(c).includes('floor worker ready')) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve({
        child,
        pid: child.pid!,
        rss: () => vmRss(child.pid!),
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
          await exited;
          clearTimeout(t);
        },
      });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`floor worker exited ${code}`)));
  });
}

/** Approximate backlog of a task queue's normal partition (workflow or activity tasks). */
export async function backlog(client: Client, taskQueue: string, activity = false): Promise<number> {
  const { TaskQueueKind, TaskQueueType } = temporal.api.enums.v1;
  const res = await client.workflowService.describeTaskQueue({
    namespace: 'default',
    taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: activity ? TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY : TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    reportStats: true,
  });
  return Number(res.stats?.approximateBacklogCount ?? 0);
}

/** Waits until neither workflow nor activity tasks are queued on two reads a second apart (at most `ms`). */
export async function settle(client: Client, taskQueue: string, ms = 300_000): Promise<void> {
  const end = Date.now() + ms;
  let zeros = 0;
  while (zeros < 2 && Date.now() < end) {
    const n = (await backlog(client, taskQueue)) + (await backlog(client, taskQueue, true));
    zeros = n === 0 ? zeros + 1 : 0;
    await sleep(1000);
  }
}
