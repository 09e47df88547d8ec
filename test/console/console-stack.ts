import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { freePort, tempDir } from '../support/dev-server';
import { httpStatus, killTree, launchStart, repoRoot, startEnv, until, type Launched } from '../platform/processes';

/**
 * `npm start`'s stack for the console's browser tests: the launcher runs the worker and the API (serving the built
 * console at `/`) against the suite's dev server, on a task queue and data directory of this file's own; Debian's
 * Chromium drives the pages.
 */
export interface ConsoleStack {
  url: string;
  browser: Browser;
  /** A JSON call with a bearer token, for setting cases up and checking what changed. */
  call<T = any>(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  newPage(opts?: { width?: number; height?: number }): Promise<{ context: BrowserContext; page: Page }>;
  stop(): Promise<void>;
}

export const screenshotsDir = join(repoRoot, 'test', 'console', 'screenshots');

/** `npm test` builds the console when web/dist is missing or older than its sources (one build at a time). */
export function ensureConsoleBuilt(): void {
  const r = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', "await (await import('./scripts/toolchain.mjs')).ensureConsoleBuilt()"],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  if (r.status !== 0) throw new Error('the console could not be built');
}

export async function startConsoleStack(): Promise<ConsoleStack> {
  // For working on the console: CONSOLE_TEST_URL points the tests at a stack already running (`npm start`).
  if (process.env.CONSOLE_TEST_URL)
    return connect(process.env.CONSOLE_TEST_URL, async () => undefined, tempDir('console'));
  const address = process.env.TEMPORAL_TEST_ADDRESS;
  if (!address)
    throw new Error('TEMPORAL_TEST_ADDRESS is not set: run through npm test (jest globalSetup starts the dev server)');
  ensureConsoleBuilt();
  const [apiPort, metricsPort] = [await freePort(), await freePort()];
  const data = tempDir('console');
  const start: Launched = launchStart(
    startEnv({
      TEMPORAL_ADDRESS: address,
      PORT: String(apiPort),
      WORKER_METRICS_PORT: String(metricsPort),
      YINGSU_DATA_DIR: data.path,
      YINGSU_TASK_QUEUE: `console-${randomUUID()}`,
    }),
  );
  const failEarly = start.exited.then((code) => {
    throw new Error(`npm start exited (${code}) before it was ready:\n${start.output().stderr}`);
  });
  failEarly.catch(() => undefined);
  const url = `http://127.0.0.1:${apiPort}`;
  try {
    await Promise.race([
      until('/readyz to answer 200', 120_000, async () =>
        (await httpStatus(`${url}/readyz`)) === 200 ? true : undefined,
      ),
      failEarly,
    ]);
    // The worker is ready when its metrics answer: before that, a registration would wait on an idle task queue.
    await Promise.race([
      until('the worker', 60_000, async () =>
        (await httpStatus(`http://127.0.0.1:${metricsPort}/metrics`)) === 200 ? true : undefined,
      ),
      failEarly,
    ]);
  } catch (err) {
    killTree(start.child.pid);
    data.remove();
    throw err;
  }
  return connect(
    url,
    async () => {
      start.child.kill('SIGTERM');
      await Promise.race([start.exited, new Promise((r) => setTimeout(r, 20_000).unref())]);
      killTree(start.child.pid);
    },
    data,
  );
}

async function connect(
  url: string,
  stopStack: () => Promise<void>,
  data: { path: string; remove(): void },
): Promise<ConsoleStack> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // No network here: keep Chromium from reaching out for updates, sync or components. Playwright gives every
    // launch a fresh temporary profile (--user-data-dir), removed when the browser closes.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  mkdirSync(screenshotsDir, { recursive: true });
  return {
    url,
    browser,
    async call(token, method, path, body) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async newPage({ width = 1366, height = 900 } = {}) {
      const context = await browser.newContext({
        viewport: { width, height },
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        baseURL: url,
      });
      return { context, page: await context.newPage() };
    },
    async stop() {
      await browser.close().catch(() => undefined);
      await stopStack();
      data.remove();
    },
  };
}

/** Signs in through the sign-in page, as a person would. */
export async function signIn(page: Page, token: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('访问令牌').fill(token);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('person').waitFor({ timeout: 15_000 });
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core in the page: the serious and critical violations, as readable lines. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, not as a <script>: the API's Content-Security-Policy (script-src 'self')
  // rightly refuses inline scripts, and the pages are scanned under the policy they are served with.
  await page.evaluate(axeSource);
  // The callback runs in the page: DOM globals through globalThis (this project's tsconfig has no DOM lib).
  const violations = await page.evaluate(async () => {
    const g = globalThis as unknown as {
      document: unknown;
      axe: {
        run(
          ctx: unknown,
          o: object,
        ): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>;
      };
    };
    const r = await g.axe.run(g.document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.targets.join(', ')}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  // Not while tables are still loading (antd fades them under a spinner).
  await page
    .locator('.ant-spin-spinning')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
  await page.screenshot({ path: join(screenshotsDir, `${name}.png`), fullPage: false });
}

/** Now minus `days` days, as an ISO instant with the Shanghai offset. */
export function daysAgo(days: number): string {
  const t = new Date(Date.now() - days * 86_400_000 + 8 * 3_600_000);
  return `${t.toISOString().slice(0, 19)}+08:00`;
}

export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  return until(what, ms, probe);
}
