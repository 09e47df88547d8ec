// Builds and caches the Temporal toolchain from package registries only (this project runs without internet):
// the Temporal CLI (dev server + UI) from the Go module proxy, and the Java time-skipping test server from Maven Central.
// Plain Node (no dependencies): it runs before `npm install` has necessarily happened.
import { spawnSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  chmodSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

export const TEMPORAL_CLI_VERSION = 'v1.5.1'; // newest cli tag whose go.mod has no replace directive (server 1.29.1)
export const TEST_SERVER_VERSION = '1.38.0'; // io.temporal:temporal-test-server
const MIN_SERVER_MINOR = 29; // a `temporal` on PATH is reused when it carries Temporal server >= 1.29

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const cacheDir =
  process.env.YINGSU_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'yingsu');

const say = (msg) => process.stderr.write(`[yingsu toolchain] ${msg}\n`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return { ok: r.status === 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

/** A directory lock, so two clones building at once do not clobber each other's half-written cache. */
async function withLock(name, fn) {
  mkdirSync(cacheDir, { recursive: true });
  const lock = join(cacheDir, `${name}.lock`);
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      // A lock whose owner is gone (an interrupted build) is taken over at once; a live owner is waited for.
      if (!lockOwnerAlive(lock)) {
        say(`removing the stale lock ${lock} (its build was interrupted)`);
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - started > 40 * 60_000) throw new Error(`timed out waiting for ${lock}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  const release = () => rmSync(lock, { recursive: true, force: true });
  process.once('exit', release);
  try {
    return await fn();
  } finally {
    release();
    process.removeListener('exit', release);
  }
}

function lockOwnerAlive(lock) {
  let pid;
  try {
    pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    // No pid yet: the owner is between mkdir and write, or died there; give it a few seconds.
    try {
      return Date.now() - statSync(lock).mtimeMs < 10_000;
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

function requireTool(cmd, versionArgs, hint) {
  const r = run(cmd, versionArgs);
  if (r.error || !r.ok)
    throw new Error(`'${cmd}' is needed to build the Temporal toolchain but was not found: ${hint}`);
}

/** Streams a long build's output with a prefix, so a first run shows what it is doing. */
function runStreaming(cmd, args, opts) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    const relay = (chunk) => {
      for (const line of String(chunk).split('\n')) if (line.trim()) say(`  ${line}`);
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`)),
    );
  });
}

function suitableTemporalOnPath() {
  const r = run('temporal', ['--version']);
  if (!r.ok) return undefined;
  const m = /Server (\d+)\.(\d+)/.exec(r.stdout);
  if (!m || Number(m[1]) !== 1 || Number(m[2]) < MIN_SERVER_MINOR) return undefined;
  const which = run('sh', ['-c', 'command -v temporal']);
  return which.ok ? which.stdout.trim() : 'temporal';
}

/** Path of a `temporal` CLI: $TEMPORAL_CLI, a suitable one on PATH, or the cached build (built on first use). */
export async function ensureTemporalCli() {
  if (process.env.TEMPORAL_CLI) return process.env.TEMPORAL_CLI;
  const onPath = suitableTemporalOnPath();
  if (onPath) return onPath;
  const dir = join(cacheDir, `temporal-${TEMPORAL_CLI_VERSION}`);
  const bin = join(dir, 'temporal');
  if (existsSync(bin)) return bin;
  return withLock(`temporal-${TEMPORAL_CLI_VERSION}`, async () => {
    if (existsSync(bin)) return bin;
    requireTool('go', ['version'], 'install Go (https://go.dev) or set TEMPORAL_ADDRESS to an existing server');
    const staging = join(cacheDir, `temporal-${TEMPORAL_CLI_VERSION}.partial`);
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    const t0 = Date.now();
    say(`building the Temporal CLI ${TEMPORAL_CLI_VERSION} (dev server + UI) from the Go module proxy into ${dir}`);
    say('first build only: this takes a few minutes on 2 cores; later runs reuse the cache');
    await runStreaming('go', ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], {
      env: {
        ...process.env,
        CGO_ENABLED: '0',
        GOBIN: staging,
        GOFLAGS: `${process.env.GOFLAGS ?? ''} -buildvcs=false`.trim(),
      },
    });
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    say(`Temporal CLI built in ${Math.round((Date.now() - t0) / 1000)} s: ${bin}`);
    return bin;
  });
}

const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xss512k', '-XX:-UsePerfData'];

/**
 * Path of an executable that starts the Java time-skipping test server on the port given as its argument.
 * The wrapper `exec`s java so the SDK's teardown signals the JVM itself (a shell left in between orphans the JVM).
 */
export async function ensureTestServer() {
  if (process.env.TEMPORAL_TEST_SERVER) return process.env.TEMPORAL_TEST_SERVER;
  const dir = join(cacheDir, `temporal-test-server-${TEST_SERVER_VERSION}`);
  const wrapper = join(dir, 'temporal-test-server');
  if (existsSync(wrapper)) return wrapper;
  return withLock(`temporal-test-server-${TEST_SERVER_VERSION}`, async () => {
    if (existsSync(wrapper)) return wrapper;
    requireTool('java', ['-version'], 'install a JDK 17+ (Debian: openjdk-17-jdk-headless)');
    requireTool('mvn', ['-v'], 'install Maven (Debian: maven)');
    const staging = `${dir}.partial`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    const t0 = Date.now();
    say(`resolving io.temporal:temporal-test-server:${TEST_SERVER_VERSION} from Maven Central into ${dir}`);
    writeFileSync(
      join(staging, 'pom.xml'),
      `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>yingsu.toolchain</groupId><artifactId>temporal-test-server-classpath</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>${TEST_SERVER_VERSION}</version></dependency>
  </dependencies>
</project>
`,
    );
    await runStreaming(
      'mvn',
      ['-q', '-B', 'dependency:build-classpath', `-Dmdep.outputFile=${join(staging, 'classpath.txt')}`],
      {
        cwd: staging,
      },
    );
    rmSync(dir, { recursive: true, force: true });
    const classpath = readFileSync(join(staging, 'classpath.txt'), 'utf8').trim();
    const cds = join(dir, 'test-server.jsa');
    // A dynamic CDS archive of the classes the server loads at start roughly halves the JVM's start time.
    await buildCdsArchive(classpath, join(staging, 'test-server.jsa'));
    writeFileSync(
      join(staging, 'temporal-test-server'),
      `#!/bin/sh
# Generated by scripts/toolchain.mjs: starts the Temporal time-skipping test server on port $1.
# exec, so the SDK's teardown signal reaches the JVM directly.
cds=""
[ -f "${cds}" ] && cds="-XX:SharedArchiveFile=${cds} -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off"
exec java ${JVM_FLAGS.join(' ')} $cds -cp "${classpath}" io.temporal.testserver.TestServer "$@"
`,
    );
    chmodSync(join(staging, 'temporal-test-server'), 0o755);
    renameSync(staging, dir);
    say(`test server ready in ${Math.round((Date.now() - t0) / 1000)} s: ${wrapper}`);
    return wrapper;
  });
}

async function buildCdsArchive(classpath, archive) {
  const port = await freePort();
  const child = spawn(
    'java',
    [
      ...JVM_FLAGS,
      `-XX:ArchiveClassesAtExit=${archive}`,
      '-Xlog:cds=off',
      '-cp',
      classpath,
      'io.temporal.testserver.TestServer',
      String(port),
    ],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise((r) => child.on('exit', r));
  try {
    await waitForPort(port, 30_000);
  } catch {
    say('the test server did not start while building its CDS archive; continuing without one');
  }
  child.kill('SIGTERM');
  await exited;
  if (!existsSync(archive)) say('no CDS archive was written; the test server will start without it');
}

export function freePort() {
  return new Promise((resolvePromise, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePromise(port));
    });
  });
}

export async function waitForPort(port, timeoutMs, host = '127.0.0.1') {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise((r) => {
      const s = net.connect({ port, host }, () => {
        s.destroy();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Debian packages the suite drives for real: PostgreSQL (the registry's second database), Chromium (the browser
 * tests of Temporal UI and the console) and a CJK font (without one, Chinese renders as empty boxes in Chromium's
 * screenshots). Installed with apt-get when missing and we are root; otherwise a clear error says what to install.
 * Nothing is skipped silently.
 */
export function ensureSystemPackages() {
  const wanted = [
    { pkg: 'postgresql', present: () => run('sh', ['-c', 'ls /usr/lib/postgresql/*/bin/initdb']).ok },
    { pkg: 'chromium', present: () => existsSync('/usr/bin/chromium') },
    {
      pkg: 'fonts-noto-cjk',
      present: () =>
        existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc') ||
        run('sh', ['-c', 'fc-list :lang=zh | grep -q .']).ok,
    },
    // Validates docker-compose.yml (test/platform/compose.test.ts): Debian's, so that test never skips.
    { pkg: 'docker-compose', present: () => run('sh', ['-c', 'command -v docker-compose']).ok },
  ];
  const missing = wanted.filter((w) => !w.present()).map((w) => w.pkg);
  if (!missing.length) return;
  const root = process.getuid?.() === 0;
  if (!root || !run('sh', ['-c', 'command -v apt-get']).ok) {
    throw new Error(
      `missing Debian packages: ${missing.join(' ')}. Install them: sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  say(`installing Debian packages: ${missing.join(' ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', ...missing],
  ]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed`);
  }
}

const consoleDir = join(repoRoot, 'web');
const consoleIndex = join(consoleDir, 'dist', 'index.html');

/** The newest modification time among the console's sources (and the lock file: a new antd is a new bundle). */
function newestConsoleSource() {
  let newest = statSync(join(repoRoot, 'package-lock.json')).mtimeMs;
  const walk = (p) => {
    const st = statSync(p);
    if (st.isDirectory()) for (const f of readdirSync(p)) walk(join(p, f));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const f of ['src', 'index.html', 'vite.config.mts', 'tsconfig.json'])
    if (existsSync(join(consoleDir, f))) walk(join(consoleDir, f));
  return newest;
}

/** Whether web/dist is missing or older than the console's sources. */
export function consoleStale() {
  return !existsSync(consoleIndex) || statSync(consoleIndex).mtimeMs < newestConsoleSource();
}

/**
 * Builds the 工作台 console (web/ → web/dist, served by the API at `/`) when missing or, with `whenStale`, older
 * than its sources. A lock keeps two test files from building at once.
 */
export async function ensureConsoleBuilt({ whenStale = true } = {}) {
  if (existsSync(consoleIndex) && !(whenStale && consoleStale())) return consoleIndex;
  // The lock lives in the shared cache: name it after this clone, so another clone's build does not hold this one.
  return withLock(`console-build-${repoRoot.replace(/[^A-Za-z0-9]+/g, '_')}`, async () => {
    if (existsSync(consoleIndex) && !(whenStale && consoleStale())) return consoleIndex;
    say(
      existsSync(consoleIndex)
        ? 'the console is older than its sources: rebuilding (vite build)'
        : 'building the console (vite build)',
    );
    const t0 = Date.now();
    const r = spawnSync('npm', ['run', '--silent', 'console:build'], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (r.status !== 0) throw new Error('the console build failed (npm run console:build)');
    say(`console built in ${((Date.now() - t0) / 1000).toFixed(1)} s: web/dist`);
    return consoleIndex;
  });
}

/** Runs `npm ci` when node_modules is missing or older than package-lock.json. */
export function ensureNodeModules() {
  const marker = join(repoRoot, 'node_modules', '.package-lock.json');
  const lock = join(repoRoot, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  say('installing npm packages (npm ci)');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm ci failed');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureNodeModules();
    const cli = await ensureTemporalCli();
    const ts = await ensureTestServer();
    console.log(JSON.stringify({ temporalCli: cli, testServer: ts, cacheDir }, null, 2));
  } catch (err) {
    say(`failed: ${err.message}`);
    process.exit(1);
  }
}
