// `npm start` as a person runs it: the launcher, a real dev server, the worker and the API, in child processes.
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { devServerSettings, freePort, tempDir } from '../support/dev-server';
import {
  alive,
  descendants,
  exitWithin,
  httpStatus,
  killTree,
  launchStart,
  startEnv,
  until,
  type Launched,
} from './processes';

const launched: Launched[] = [];
const dirs: { remove(): void }[] = [];
const scratch = (prefix: string) => {
  const dir = tempDir(prefix);
  dirs.push(dir);
  return dir;
};

afterAll(() => {
  // Whatever happened above, no launcher, dev server or worker outlives this file.
  for (const l of launched) killTree(l.child.pid);
  for (const d of dirs) d.remove();
});

test('npm start brings up the dev server, the worker, the API and Temporal UI, and stops all of it on SIGTERM', async () => {
  const [temporalPort, uiPort, apiPort, metricsPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const data = scratch('start');
  const start = launchStart(
    startEnv({
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      PORT: String(apiPort),
      WORKER_METRICS_PORT: String(metricsPort),
      YINGSU_DATA_DIR: data.path,
    }),
  );
  launched.push(start);
  const failEarly = start.exited.then((code) => {
    throw new Error(`npm start exited (${code}) before it was ready:\n${start.output().stderr}`);
  });

  await Promise.race([
    until('/readyz to answer 200', 150_000, async () =>
      (await httpStatus(`http://127.0.0.1:${apiPort}/readyz`)) === 200 ? true : undefined,
    ),
    failEarly,
  ]);
  expect(await httpStatus(`http://127.0.0.1:${uiPort}/`)).toBe(200);
  expect(await httpStatus(`http://127.0.0.1:${apiPort}/healthz`)).toBe(200);
  // The SDK's metrics endpoint belongs to the worker: it answering means the worker process is up.
  await Promise.race([
    until('the worker metrics endpoint', 60_000, async () =>
      (await httpStatus(`http://127.0.0.1:${metricsPort}/metrics`)) === 200 ? true : undefined,
    ),
    failEarly,
  ]);
  await until('the launcher to print its ready line', 30_000, async () =>
    start.output().stderr.includes('ready.') ? true : undefined,
  );
  expect(start.output().stderr).toContain(`Temporal UI: http://localhost:${uiPort}`);
  // Both stores live under YINGSU_DATA_DIR: the dev server's SQLite file and the registry's (DATABASE_URL).
  expect(existsSync(join(data.path, 'temporal.db'))).toBe(true);
  expect(existsSync(join(data.path, 'yingsu.db'))).toBe(true);

  // A case registered and acted on through the API: payloads encrypted, the actor signed by the API and verified by
  // the worker's workflow code, each with the keys npm start generated.
  const api = (path: string, body: unknown) =>
    fetch(`http://127.0.0.1:${apiPort}${path}`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-bureau', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const caseId = `START-${Date.now()}`;
  const registered = await api('/api/cases', {
    caseId,
    title: '某乙诉县自然资源局行政处罚案',
    agencyId: 'natural-resources',
    field: 'land-taking',
    plaintiff: '某乙',
    trigger: { type: 'oral-notice', receivedAt: new Date().toISOString() },
  });
  expect(registered.status).toBe(201);
  const acted = await api(`/api/cases/${caseId}/events`, { type: 'presuit-feedback', summary: '已约谈' });
  expect(acted.status).toBe(200);
  expect(existsSync(join(data.path, 'actor-key.json'))).toBe(true);

  // Development: a payload codec key generated under the data directory, said in the log; the API on loopback.
  expect(existsSync(join(data.path, 'codec-keys.json'))).toBe(true);
  expect(start.output().stderr).toContain('generated a development payload codec key');
  // Another interface of this machine (if it has one) does not reach the API: it is bound to 127.0.0.1.
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal);
  if (lan) expect(await httpStatus(`http://${lan.address}:${apiPort}/healthz`)).toBeUndefined();

  // A worker that dies is restarted with backoff, and the launcher says so; the stack keeps running.
  const cmdline = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return '';
    }
  };
  // The dev server runs with every setting of scripts/dev-server.json: no version check (no network), and the transfer
  // queue and partitions measured for one machine (README, Performance), which the tests' dev server shares.
  const devServer = descendants(start.child.pid!).find((p) => cmdline(p).split('\0').includes('start-dev'));
  expect(devServer).toBeDefined();
  const devArgs = cmdline(devServer!).split('\0');
  const settings = devServerSettings();
  expect(settings).toEqual(
    expect.arrayContaining([
      'frontend.enableServerVersionCheck=false',
      'history.transferProcessorMaxPollRPS=1000',
      'matching.numTaskqueueReadPartitions=1',
      'matching.numTaskqueueWritePartitions=1',
    ]),
  );
  for (const setting of settings) expect(devArgs[devArgs.indexOf(setting) - 1]).toBe('--dynamic-config-value');
  const workerPid = () => descendants(start.child.pid!).find((p) => cmdline(p).includes('src/worker.ts'));
  const first = workerPid()!;
  expect(first).toBeDefined();
  process.kill(first, 'SIGKILL');
  await Promise.race([
    until('the launcher to say it restarts the worker', 15_000, async () =>
      start.output().stderr.includes('worker exited (SIGKILL); restarting it in 1 s') ? true : undefined,
    ),
    failEarly,
  ]);
  const second = await Promise.race([
    until('a new worker process with its metrics endpoint', 90_000, async () => {
      const pid = workerPid();
      return pid && pid !== first && (await httpStatus(`http://127.0.0.1:${metricsPort}/metrics`)) === 200
        ? pid
        : undefined;
    }),
    failEarly,
  ]);
  expect(second).not.toBe(first);
  expect(await httpStatus(`http://127.0.0.1:${apiPort}/readyz`)).toBe(200);

  const tree = descendants(start.child.pid!);
  expect(tree.length).toBeGreaterThanOrEqual(3);
  failEarly.catch(() => undefined);
  const t0 = Date.now();
  start.child.kill('SIGTERM');
  const code = await exitWithin(start, 30_000);
  expect(code).toBe(0);
  expect(Date.now() - t0).toBeLessThan(30_000);
  // The tools' helper processes (esbuild's service) go with their parents: allow them a moment.
  const left = await until('every child to be gone', 5_000, async () =>
    tree.filter(alive).length === 0 ? [] : undefined,
  ).catch(() => tree.filter(alive));
  expect(left).toEqual([]);
}, 240_000);

test('npm start says that Temporal is not reachable, and exits, instead of hanging', async () => {
  const closed = await freePort();
  const start = launchStart(
    startEnv({
      TEMPORAL_ADDRESS: `127.0.0.1:${closed}`,
      TEMPORAL_CONNECT_TIMEOUT_MS: '2000',
      PORT: String(await freePort()),
      WORKER_METRICS_PORT: String(await freePort()),
      YINGSU_DATA_DIR: scratch('unreachable').path,
    }),
  );
  launched.push(start);
  const t0 = Date.now();
  const code = await exitWithin(start, 30_000);
  expect(code).not.toBe(0);
  expect(typeof code).toBe('number');
  expect(Date.now() - t0).toBeLessThan(30_000);
  expect(start.output().stderr).toContain(`Temporal is not reachable at 127.0.0.1:${closed}`);
  expect(descendants(start.child.pid!).filter(alive)).toEqual([]);
}, 60_000);

test('npm start names the variable to change when a port is taken', async () => {
  const busy = net.createServer();
  await new Promise<void>((r) => busy.listen(0, '0.0.0.0', () => r()));
  const port = (busy.address() as net.AddressInfo).port;
  try {
    const start = launchStart(
      startEnv({
        // The suite's dev server: the launcher must fail on the port before it touches Temporal.
        TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS!,
        PORT: String(port),
        WORKER_METRICS_PORT: String(await freePort()),
        YINGSU_DATA_DIR: scratch('busy').path,
      }),
    );
    launched.push(start);
    const code = await exitWithin(start, 30_000);
    expect(code).toBe(1);
    expect(start.output().stderr).toContain(`port ${port} (PORT) already in use`);
  } finally {
    busy.close();
  }
}, 60_000);
