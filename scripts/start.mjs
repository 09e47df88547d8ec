// `npm start`: the whole stack on one machine. Installs what is missing, starts the Temporal dev server with SQLite
// persistence under ./data/ (unless TEMPORAL_ADDRESS names a server), then the worker and the HTTP API, and stops all
// of it on Ctrl-C or SIGTERM.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNodeModules, ensureTemporalCli, repoRoot, waitForPort } from './toolchain.mjs';

const say = (msg) => process.stderr.write(`[yingsu] ${msg}\n`);
const children = [];
let stopping = false;

function launch(name, cmd, args, env = {}) {
  const child = spawn(cmd, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      say(`${name} exited (${signal ?? code}); stopping everything`);
      void stop(1);
    }
  });
  children.push({ name, child });
  return child;
}

async function stop(code) {
  if (stopping) return;
  stopping = true;
  // Worker and API first (they drain), the dev server last (it flushes SQLite).
  for (const { name, child } of [...children].reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      say(`${name} did not stop in 20 s; killing it`);
      child.kill('SIGKILL');
    }, 20_000);
    await exited;
    clearTimeout(timer);
  }
  process.exit(code);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

async function main() {
  ensureNodeModules();
  const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
  let address = process.env.TEMPORAL_ADDRESS;
  const uiPort = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
  if (!address) {
    const cli = await ensureTemporalCli();
    const port = Number(process.env.TEMPORAL_PORT ?? 7233);
    const dataDir = join(repoRoot, 'data');
    mkdirSync(dataDir, { recursive: true });
    say(`starting the Temporal dev server on 127.0.0.1:${port} (SQLite: data/temporal.db)`);
    launch('temporal dev server', cli, [
      'server', 'start-dev',
      '--ip', process.env.TEMPORAL_IP ?? '127.0.0.1',
      '--port', String(port),
      '--ui-port', String(uiPort),
      '--db-filename', join(dataDir, 'temporal.db'),
      '--namespace', process.env.TEMPORAL_NAMESPACE ?? 'default',
      '--log-level', 'warn',
      // No network here: the server must not phone home for a version check.
      '--dynamic-config-value', 'frontend.enableServerVersionCheck=false',
    ]);
    address = `127.0.0.1:${port}`;
    try {
      await waitForPort(port, 60_000);
    } catch {
      say(`the Temporal dev server did not open port ${port} within 60 s (is the port taken? set TEMPORAL_PORT)`);
      return stop(1);
    }
  } else {
    say(`using the Temporal server at ${address} (TEMPORAL_ADDRESS); not starting a dev server`);
  }
  const env = { TEMPORAL_ADDRESS: address };
  // The worker checks the connection, registers the search attributes, then polls; the API waits for it to be ready.
  const setup = spawnSync(tsx, ['src/temporal/setup-cli.ts'], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: 'inherit' });
  if (setup.status !== 0) {
    say(`cannot use Temporal at ${address}: see the message above. Nothing else was started.`);
    return stop(1);
  }
  launch('worker', tsx, ['src/worker.ts'], env);
  launch('api', tsx, ['src/api.ts'], env);
  const apiPort = process.env.PORT ?? '3000';
  say(`HTTP API:    http://localhost:${apiPort}/api  (OpenAPI: http://localhost:${apiPort}/api/docs)`);
  if (!process.env.TEMPORAL_ADDRESS) say(`Temporal UI: http://localhost:${uiPort}`);
  say('Ctrl-C stops everything.');
}

main().catch((err) => {
  say(`failed: ${err.message}`);
  void stop(1);
});
