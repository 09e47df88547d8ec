import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { temporalCliPath } from './toolchain';

export interface DevServer {
  address: string;
  uiUrl: string;
  port: number;
  child: ChildProcess;
  dbFile?: string;
  stop(): Promise<void>;
}

/** Each setting of scripts/dev-server.json as `KEY=VALUE`, the form `--dynamic-config-value` takes. */
export function devServerSettings(): string[] {
  const file = join(__dirname, '..', '..', 'scripts', 'dev-server.json');
  const { dynamicConfig } = JSON.parse(readFileSync(file, 'utf8')) as {
    dynamicConfig: { key: string; value: unknown }[];
  };
  return dynamicConfig.map(({ key, value }) => `${key}=${JSON.stringify(value)}`);
}

/** `--dynamic-config-value KEY=VALUE` for each setting in scripts/dev-server.json, as scripts/start.mjs passes them. */
export const devServerDynamicConfig = (): string[] =>
  devServerSettings().flatMap((setting) => ['--dynamic-config-value', setting]);

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect({ port, host: '127.0.0.1' }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`port ${port} did not open within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A real Temporal dev server (the CLI built by the toolchain) on free loopback ports. With `dbFile` it persists to
 * SQLite, so a test can stop and restart it on the same file.
 */
export async function startDevServer(
  opts: {
    dbFile?: string;
    port?: number;
    uiPort?: number;
    headless?: boolean;
    /**
     * `system.forceSearchAttributesCacheRefreshOnRead`: only for a test that lists by a search attribute it has just
     * registered on this server (the server's own docs say it is not for production). Off by default, as in
     * `npm start` and production.
     */
    refreshSearchAttributeCache?: boolean;
    /** Temporal UI's codec server (`--ui-codec-endpoint`). */
    codecEndpoint?: string;
  } = {},
): Promise<DevServer> {
  const port = opts.port ?? (await freePort());
  const uiPort = opts.uiPort ?? (await freePort());
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
    '--log-level',
    'error',
    // The settings npm start runs its dev server with (scripts/dev-server.json): tests and benchmarks run the same server.
    ...devServerDynamicConfig(),
  ];
  if (opts.refreshSearchAttributeCache)
    args.push('--dynamic-config-value', 'system.forceSearchAttributesCacheRefreshOnRead=true');
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  if (opts.headless) args.push('--headless');
  if (opts.codecEndpoint) args.push('--ui-codec-endpoint', opts.codecEndpoint);
  const child = spawn(temporalCliPath(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c) => {
    stderr = (stderr + String(c)).slice(-4000);
  });
  try {
    await waitForPort(port, 30_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`dev server did not start: ${(err as Error).message}\n${stderr}`);
  }
  return {
    address: `127.0.0.1:${port}`,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    port,
    child,
    dbFile: opts.dbFile,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `yingsu-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
