import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..');

export interface Launched {
  child: ChildProcess;
  /** Everything the launcher and its children wrote so far (they share the launcher's pipes). */
  output(): { stdout: string; stderr: string };
  /** Resolves with the exit code (or the signal name) once the launcher has exited. */
  exited: Promise<number | string>;
}

/** `node scripts/start.mjs` with its output captured. */
export function launchStart(env: NodeJS.ProcessEnv): Launched {
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c) => (stdout += String(c)));
  child.stderr?.on('data', (c) => (stderr += String(c)));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return { child, output: () => ({ stdout, stderr }), exited };
}

/** An environment without anything that would make `npm start` use another server or database. */
export function startEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, YINGSU_ENV: 'development', LOG_LEVEL: 'warn', ...overrides };
  for (const k of ['TEMPORAL_ADDRESS', 'DATABASE_URL', 'YINGSU_TOKENS_FILE']) if (!(k in overrides)) delete env[k];
  return env;
}

/** Every process below `pid` (Linux `ps`). */
export function descendants(pid: number): number[] {
  const r = spawnSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  const children = new Map<number, number[]>();
  for (const line of r.stdout.split('\n')) {
    const [p, pp] = line.trim().split(/\s+/).map(Number);
    if (!p || pp === undefined) continue;
    children.set(pp, [...(children.get(pp) ?? []), p]);
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills a launcher and everything below it; for cleanup after a failed test. */
export function killTree(pid: number | undefined): void {
  if (!pid) return;
  for (const p of [...descendants(pid), pid]) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {}
  }
}

export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The launcher's exit code, or 'still running after N s' when it has not exited by then. */
export async function exitWithin(launched: Launched, ms: number): Promise<number | string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((r) => (timer = setTimeout(() => r(`still running after ${ms / 1000} s`), ms)));
  try {
    return await Promise.race([launched.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The HTTP status of a GET, or undefined when nothing answers. */
export async function httpStatus(url: string): Promise<number | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return undefined;
  }
}
