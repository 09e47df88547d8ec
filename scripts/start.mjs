// `npm start`: the whole stack on one machine. Installs what is missing, starts the Temporal dev server with SQLite
// persistence under YINGSU_DATA_DIR (default ./data; skipped when TEMPORAL_ADDRESS names a server), checks that
// Temporal answers and registers the search attributes, then runs the worker and the HTTP API, and stops all of it
// on Ctrl-C or SIGTERM (exit 0). A worker or API that dies is restarted with backoff, as compose's restart policy
// does; only the dev server's death, or a crash loop, stops the stack (exit 1).
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join, resolve } from 'node:path';
import { ensureConsoleBuilt, ensureNodeModules, ensureTemporalCli, repoRoot, waitForPort } from './toolchain.mjs';

const say = (msg) => process.stderr.write(`[yingsu] ${msg}\n`);

/** `--dynamic-config-value KEY=VALUE` for each setting in scripts/dev-server.json (the tests' dev server reads it too). */
function devServerDynamicConfig() {
  const { dynamicConfig } = JSON.parse(readFileSync(join(repoRoot, 'scripts', 'dev-server.json'), 'utf8'));
  return dynamicConfig.flatMap(({ key, value }) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]);
}

const children = [];
let stopping = false;

/** Runs a child with the launcher's output; any child that exits on its own takes the whole stack down. */
function launch(name, cmd, args, env) {
  const child = spawn(cmd, args, { cwd: repoRoot, env, stdio: ['ignore', 'inherit', 'inherit'] });
  // 'error' without 'exit' means it never ran (e.g. ENOENT): that settles it too.
  const entry = { name, child, exited: new Promise((r) => (child.once('exit', r), child.once('error', r))) };
  child.once('error', (err) => {
    if (stopping) return;
    say(`${name} could not be started: ${err.message}`);
    void stop(1);
  });
  child.once('exit', (code, signal) => {
    if (!stopping) {
      say(`${name} exited (${signal ?? `code ${code}`}); stopping everything`);
      void stop(1);
    }
  });
  children.push(entry);
  return entry;
}

/** A crash loop: this many restarts within the window stops the stack instead of restarting again. */
const CRASH_LOOP = { restarts: 5, windowMs: 120_000 };

/**
 * Runs a worker or API child and restarts it when it dies (1 s, 2 s, 4 s… up to 30 s between restarts, said in the
 * log); a crash loop stops everything with a clear message.
 */
function supervise(name, cmd, args, env) {
  const restarts = [];
  const entry = { name, child: undefined, exited: Promise.resolve() };
  const start = () => {
    const child = spawn(cmd, args, { cwd: repoRoot, env, stdio: ['ignore', 'inherit', 'inherit'] });
    entry.child = child;
    entry.exited = new Promise((r) => (child.once('exit', r), child.once('error', r)));
    let settled = false;
    const died = (why) => {
      if (settled || stopping) return;
      settled = true;
      const now = Date.now();
      while (restarts.length && now - restarts[0] > CRASH_LOOP.windowMs) restarts.shift();
      if (restarts.length >= CRASH_LOOP.restarts) {
        say(
          `${name} ${why}; it died ${restarts.length + 1} times within ${CRASH_LOOP.windowMs / 1000} s (a crash loop): stopping everything`,
        );
        void stop(1);
        return;
      }
      restarts.push(now);
      const delay = Math.min(30_000, 1000 * 2 ** (restarts.length - 1));
      say(`${name} ${why}; restarting it in ${delay / 1000} s (restart ${restarts.length})`);
      setTimeout(() => {
        if (!stopping) start();
      }, delay).unref();
    };
    child.once('error', (err) => died(`could not be started: ${err.message}`));
    child.once('exit', (code, signal) => died(`exited (${signal ?? `code ${code}`})`));
  };
  start();
  children.push(entry);
  return entry;
}

/**
 * The API's actor-signing key (Ed25519) and the public key the worker bundles: the configured ones, or a development
 * pair generated once under the data directory.
 */
function actorKeyEnv(dataDir) {
  if (process.env.YINGSU_ACTOR_KEY_FILE || process.env.YINGSU_ACTOR_PUBLIC_KEYS) return {};
  const file = join(dataDir, 'actor-key.json');
  if (!existsSync(file)) {
    // PKCS#8 DER of an Ed25519 key ends with the 32-byte seed; SPKI DER ends with the 32-byte public key.
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32).toString('hex');
    const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
    writeFileSync(file, `${JSON.stringify({ signingKey: seed, publicKeys: [pub] }, null, 2)}\n`, { mode: 0o600 });
    say(`generated a development actor-signing key: ${file} (production: YINGSU_ACTOR_KEY_FILE)`);
  }
  return { YINGSU_ACTOR_KEY_FILE: file };
}

/**
 * The payload codec's keys: the configured ones, or a development key file generated once under the data
 * directory (never in the repository or an image). Returns the variables for the worker and the API.
 */
function codecKeysEnv(dataDir) {
  if (process.env.YINGSU_CODEC_KEYS_FILE || process.env.YINGSU_CODEC_KEYS) return {};
  const file = join(dataDir, 'codec-keys.json');
  if (!existsSync(file)) {
    const key = { id: 'dev', key: randomBytes(32).toString('base64') };
    writeFileSync(file, `${JSON.stringify({ keys: [key] }, null, 2)}\n`, { mode: 0o600 });
    say(`generated a development payload codec key: ${file} (production: YINGSU_CODEC_KEYS_FILE)`);
  } else say(`payload codec keys: ${file}`);
  return { YINGSU_CODEC_KEYS_FILE: file };
}

async function terminate({ name, child, exited }, graceMs) {
  if (!child || child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    say(`${name} did not stop within ${graceMs / 1000} s; killing it`);
    child.kill('SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

async function stop(code) {
  if (stopping) return;
  stopping = true;
  // Worker and API first (they drain in-flight work), the dev server last (it flushes SQLite).
  const server = children.find((c) => c.name === 'Temporal dev server');
  await Promise.all(children.filter((c) => c !== server).map((c) => terminate(c, 15_000)));
  if (server) await terminate(server, 10_000);
  process.exit(code);
}

let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    signals += 1;
    if (signals === 1) {
      say(`${signal}: stopping`);
      void stop(0);
    } else {
      // A second Ctrl-C means "now".
      for (const { child } of children) child.kill('SIGKILL');
      process.exit(130);
    }
  });
}

function portFree(port) {
  return new Promise((resolvePromise) => {
    const srv = net.createServer();
    srv.once('error', () => resolvePromise(false));
    srv.listen({ port, host: '0.0.0.0', exclusive: true }, () => srv.close(() => resolvePromise(true)));
  });
}

/** Fails early, naming the variable to change, instead of letting a child die with EADDRINUSE. */
async function checkPorts(ports) {
  const taken = [];
  for (const [variable, port] of ports) if (port !== 0 && !(await portFree(port))) taken.push(`${port} (${variable})`);
  if (taken.length === 0) return true;
  say(`port ${taken.join(', ')} already in use: stop what uses it, or set the variable to a free port`);
  return false;
}

function intFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name}=${raw} is not a port number`);
  return n;
}

/** Runs `src/temporal/setup-cli.ts`: exit 0 ready, 2 unreachable, anything else another failure (already printed). */
function runSetup(env) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/temporal/setup-cli.ts'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  // Tracked so that a signal stops it too, but a one-shot: its exit is not a crash.
  const entry = {
    name: 'Temporal setup',
    child,
    exited: new Promise((r) => (child.once('exit', (code) => r(code ?? 1)), child.once('error', () => r(1)))),
  };
  children.push(entry);
  return entry.exited.then((code) => {
    children.splice(children.indexOf(entry), 1);
    return code;
  });
}

async function waitForReady(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!stopping && Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return true;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

async function main() {
  ensureNodeModules();
  // The API serves the 工作台 console from web/dist: build it first when it is missing or older than its sources.
  await ensureConsoleBuilt();
  if (stopping) return;
  const dataDir = resolve(process.env.YINGSU_DATA_DIR || join(repoRoot, 'data'));
  mkdirSync(dataDir, { recursive: true });
  const apiPort = intFromEnv('PORT', 3000);
  const metricsPort = intFromEnv('WORKER_METRICS_PORT', 9464);
  const uiPort = intFromEnv('TEMPORAL_UI_PORT', 8233);
  const external = process.env.TEMPORAL_ADDRESS;
  let address = external;

  const ports = [
    ['PORT', apiPort],
    ['WORKER_METRICS_PORT', metricsPort],
  ];
  if (!external) {
    const temporalPort = intFromEnv('TEMPORAL_PORT', 7233);
    if (!(await checkPorts([['TEMPORAL_PORT', temporalPort], ['TEMPORAL_UI_PORT', uiPort], ...ports]))) return stop(1);
    const cli = await ensureTemporalCli();
    if (stopping) return;
    const dbFile = join(dataDir, 'temporal.db');
    // Temporal UI decodes the encrypted payloads through the API's codec endpoint. Development tokens may ride in
    // the path (the dev server cannot add a header); with a tokens file, a proxy must add the bearer (deploy/README).
    const codecEndpoint = process.env.YINGSU_TOKENS_FILE
      ? `http://127.0.0.1:${apiPort}/codec`
      : `http://127.0.0.1:${apiPort}/codec/dev/dev-operator`;
    say(`starting the Temporal dev server on 127.0.0.1:${temporalPort} (SQLite: ${dbFile})`);
    launch(
      'Temporal dev server',
      cli,
      [
        'server',
        'start-dev',
        '--ip',
        process.env.TEMPORAL_IP || '127.0.0.1',
        '--port',
        String(temporalPort),
        '--ui-port',
        String(uiPort),
        '--db-filename',
        dbFile,
        '--ui-codec-endpoint',
        codecEndpoint,
        '--namespace',
        process.env.TEMPORAL_NAMESPACE || 'default',
        '--log-level',
        'warn',
        // No version check (no network here), and the settings measured for one machine (scripts/dev-server.json).
        ...devServerDynamicConfig(),
      ],
      process.env,
    );
    address = `127.0.0.1:${temporalPort}`;
    try {
      await waitForPort(temporalPort, 60_000);
    } catch {
      if (!stopping) say(`the Temporal dev server did not open port ${temporalPort} within 60 s`);
      return stop(1);
    }
  } else {
    if (!(await checkPorts(ports))) return stop(1);
    say(`using the Temporal server at ${address} (TEMPORAL_ADDRESS); not starting a dev server`);
  }
  if (stopping) return;

  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: address,
    PORT: String(apiPort),
    WORKER_METRICS_PORT: String(metricsPort),
    DATABASE_URL: process.env.DATABASE_URL || `sqlite:${join(dataDir, 'yingsu.db')}`,
    // Loopback unless told otherwise: the development tokens must not be reachable from the network.
    YINGSU_BIND: process.env.YINGSU_BIND || '127.0.0.1',
    YINGSU_CODEC_CORS_ORIGIN:
      process.env.YINGSU_CODEC_CORS_ORIGIN || `http://localhost:${uiPort},http://127.0.0.1:${uiPort}`,
    ...codecKeysEnv(dataDir),
    ...actorKeyEnv(dataDir),
  };
  // One clear verdict on Temporal before anything else starts, instead of two processes retrying silently.
  const setup = await runSetup(env);
  if (stopping) return;
  if (setup !== 0) {
    say(
      setup === 2
        ? `Temporal is not reachable at ${address}${external ? ' (TEMPORAL_ADDRESS)' : ''}. Nothing else was started.`
        : `cannot use Temporal at ${address}: see the message above. Nothing else was started.`,
    );
    return stop(1);
  }
  // `--import tsx` keeps each part a single process: signals reach it directly, nothing is orphaned.
  supervise('worker', process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
    ...env,
    YINGSU_SERVICE: 'yingsu-worker',
    // Fewer malloc arenas, less RSS lost to fragmentation across the SDK's threads (README, Performance).
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
  });
  supervise('API', process.execPath, ['--import', 'tsx', 'src/api.ts'], { ...env, YINGSU_SERVICE: 'yingsu-api' });
  const ready = await waitForReady(`http://127.0.0.1:${apiPort}/readyz`, 90_000);
  if (stopping) return;
  if (!ready) say(`the API did not report ready within 90 s (http://localhost:${apiPort}/readyz); still trying`);
  say(`console:     http://localhost:${apiPort}/  (工作台)`);
  say(`HTTP API:    http://localhost:${apiPort}/api  (OpenAPI: http://localhost:${apiPort}/api/docs)`);
  if (!external) say(`Temporal UI: http://localhost:${uiPort}`);
  say(`data:        ${dataDir}`);
  say('ready. Ctrl-C stops everything.');
}

main().catch((err) => {
  say(`failed: ${err.message}`);
  void stop(1);
});
