import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { getHeapStatistics } from 'node:v8';
import { z } from 'zod';

/** A duration as Temporal reads it (`7 days`, `4 hours`, `90m`), checked here rather than in a workflow. */
const duration = z.string().refine((v) => {
  try {
    return msToNumber(v as Duration) > 0;
  } catch {
    return false;
  }
}, 'a positive duration such as "7 days" or "4 hours"');

/**
 * The worker's capacity settings (WorkerOptions), explicit rather than the SDK's guesses: the defaults were chosen from
 * bench/memory.bench.ts and bench/catch-up.bench.ts on a 2-core machine (README, "Environment variables").
 */
export const workerSettingsSchema = z.object({
  /** Workflows kept in the sticky cache: a cached case answers a command without replaying its history. */
  YINGSU_WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
  /**
   * How long a task waits on this worker's sticky queue before the server hands it to any worker (which replays the
   * history). After a crash, timers that fired meanwhile wait this long for the dead worker first.
   */
  YINGSU_WORKER_STICKY_QUEUE_TIMEOUT: duration.default('3s'),
  /**
   * Workflow tasks in flight at once. A task spends most of its time waiting (for its local activity, for history),
   * not running workflow code: 40 caught 200 lapsed cases up in 3.6 s after a crash where 10 took 5.6 s, and took
   * intake at concurrency 16 from 50 to 66 cases/s (bench/catch-up.bench.ts, bench/floor.bench.ts, 2026-12-03).
   */
  YINGSU_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).default(40),
  /** Local activities in flight at once (registry transactions and calendar look-ups): one per task at most. */
  YINGSU_WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: z.coerce.number().int().min(1).default(40),
});

/** Every environment variable the worker and the API read, validated once at start-up (README lists them). */
export const configSchema = z.object({
  YINGSU_ENV: z.enum(['development', 'production']).default('development'),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** mTLS to Temporal: the CA that signed the frontend's certificate, and this process's certificate and key. */
  TEMPORAL_TLS_CA_FILE: z.string().min(1).optional(),
  TEMPORAL_TLS_CERT_FILE: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_FILE: z.string().min(1).optional(),
  /** The name in the frontend's certificate, when it differs from the address's host. */
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  TEMPORAL_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** The API's listening address: loopback unless told otherwise (compose sets 0.0.0.0 inside its network). */
  YINGSU_BIND: z.string().min(1).default('127.0.0.1'),
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** The case task queue the worker polls and the API starts cases on (tests and benchmarks use one of their own). */
  YINGSU_TASK_QUEUE: z.string().min(1).default('yingsu-cases'),
  /** The older name of YINGSU_WORKER_MAX_CACHED_WORKFLOWS, still honoured (it wins when set). */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
  ...workerSettingsSchema.shape,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Directory of agencies, leaders, bureau, court (JSON); the embedded sample county when unset. */
  YINGSU_DIRECTORY_FILE: z.string().min(1).optional(),
  /** Bearer tokens (JSON file of sha256 hashes and roles); required in production. */
  YINGSU_TOKENS_FILE: z.string().min(1).optional(),
  /** Deadline-rule overrides per deployment (JSON); the notice's reading when unset. */
  YINGSU_RULES_FILE: z.string().min(1).optional(),
  /** Registry database: `sqlite:<path>` (default ./data/yingsu.db) or a `postgres://` URL. */
  DATABASE_URL: z.string().min(1).default('sqlite:./data/yingsu.db'),
  /** SMTP server for email notices; the email channel is disabled when unset. */
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  /** `true`: TLS from the first byte (port 465); `false`: STARTTLS when the server offers it. */
  SMTP_SECURE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  SMTP_USER: z.string().min(1).optional(),
  /** The SMTP password, or an `env:NAME` reference to another variable. */
  SMTP_PASSWORD: z.string().min(1).optional(),
  SMTP_FROM: z.string().min(1).default('县司法局行政应诉平台 <noreply@localhost>'),
  /** The payload codec's keys (JSON `{ "keys": [{ "id", "key" }] }`, first encrypts): required in production. */
  YINGSU_CODEC_KEYS_FILE: z.string().min(1).optional(),
  /** The same keys inline, `id:base64,id:base64` (a secret store's variable); the file wins when both are set. */
  YINGSU_CODEC_KEYS: z.string().min(1).optional(),
  /** The Temporal UI's origin, the only one the codec endpoint answers cross-origin (CORS). */
  YINGSU_CODEC_CORS_ORIGIN: z.string().min(1).default('http://127.0.0.1:8233'),
  /** The API's Ed25519 key for signing each command's actor (JSON `{ signingKey, publicKeys }`): the API's only. */
  YINGSU_ACTOR_KEY_FILE: z.string().min(1).optional(),
  /** The public keys (hex, comma-separated) the worker bundles to verify actors; the key file's when unset. */
  YINGSU_ACTOR_PUBLIC_KEYS: z.string().min(1).optional(),
  /** How long a notice keeps being retried before it is failed for good (`7 days`, `36 hours`, `90m`). */
  YINGSU_DELIVERY_HORIZON: duration.default('7 days'),
  /** How long a notice may fail before the bureau is alerted (once per notice); delivery keeps trying after. */
  YINGSU_DELIVERY_ALERT_AFTER: duration.default('4 hours'),
  /** How often the outbox drainer looks for due notices when nothing has woken it (milliseconds). */
  YINGSU_OUTBOX_POLL_MS: z.coerce.number().int().positive().default(1000),
  /**
   * Which process sends the outbox's notices: `worker` (the worker drains what its workflows write, nudged by each
   * commit: right for SQLite, where a second writing process makes commits wait on its locks) or `separate` (the
   * delivery service, `src/delivery.ts`, drains; the worker only writes rows). Compose runs `separate` on PostgreSQL:
   * sends and their retries then take nothing from the process that answers commands.
   */
  YINGSU_DELIVERY: z.enum(['worker', 'separate']).default('worker'),
  /**
   * The console's address as people reach it: links in calendar feeds and notices start with it (robot messages
   * link to the case there instead of naming its parties).
   */
  YINGSU_PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .default('http://localhost:3000')
    .transform((u) => u.replace(/\/+$/, '')),
  /** Sign-in sessions end after this many hours without a request. */
  YINGSU_SESSION_IDLE_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(8),
  /** OIDC single sign-on (authorization code + PKCE): the provider's issuer URL; sign-in by OIDC is off while unset. */
  YINGSU_OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  YINGSU_OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** The client secret, or an `env:NAME` reference to another variable; omit for a public client (PKCE only). */
  YINGSU_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The ID-token or userinfo claim whose value is the person's role, e.g. `agency:hrss`. */
  YINGSU_OIDC_ROLE_CLAIM: z.string().min(1).default('yingsu_role'),
});

export type Config = z.infer<typeof configSchema>;

/** The worker's settings as WorkerOptions fields. */
/**
 * Live heap one cached case may hold in the workflow thread: bench/memory.bench.ts measured 0.08 MiB in that thread
 * (0.10 MiB in the whole process) for a freshly registered case on 2026-12-03; 0.25 leaves room for a case with a
 * year of weekly reports. And what the thread holds with no case (34–49 MiB measured).
 */
const CACHED_CASE_MIB = 0.25;
const WORKFLOW_THREAD_BASE_MIB = 64;

/**
 * The default sticky cache: as many cases as fit in 80 % of the workflow thread's V8 heap (which takes the process's
 * --max-old-space-size), at most 1,000. A cache that outgrows the heap kills the worker, so the size follows the heap
 * rather than the SDK's guess.
 */
export function defaultMaxCachedWorkflows(heapLimitMiB = getHeapStatistics().heap_size_limit / 2 ** 20): number {
  return Math.max(10, Math.min(1000, Math.floor(((heapLimitMiB - WORKFLOW_THREAD_BASE_MIB) * 0.8) / CACHED_CASE_MIB)));
}

export interface WorkerSettings {
  maxCachedWorkflows: number;
  stickyQueueScheduleToStartTimeout: Duration;
  maxConcurrentWorkflowTaskExecutions: number;
  maxConcurrentLocalActivityExecutions: number;
}

/** The YINGSU_WORKER_* settings from the environment, with the measured defaults. */
export function workerSettings(env: NodeJS.ProcessEnv = process.env): WorkerSettings {
  const parsed = workerSettingsSchema
    .extend({ WORKER_MAX_CACHED_WORKFLOWS: configSchema.shape.WORKER_MAX_CACHED_WORKFLOWS })
    .safeParse(withoutEmpty(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid worker settings:\n${lines.join('\n')}`);
  }
  const s = parsed.data;
  return {
    maxCachedWorkflows:
      s.WORKER_MAX_CACHED_WORKFLOWS ?? s.YINGSU_WORKER_MAX_CACHED_WORKFLOWS ?? defaultMaxCachedWorkflows(),
    stickyQueueScheduleToStartTimeout: s.YINGSU_WORKER_STICKY_QUEUE_TIMEOUT as Duration,
    maxConcurrentWorkflowTaskExecutions: s.YINGSU_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxConcurrentLocalActivityExecutions: s.YINGSU_WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES,
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** An empty variable counts as unset: docker-compose passes `${VAR:-}` through as ''. */
const withoutEmpty = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  if (config.YINGSU_ENV === 'production' && !config.YINGSU_TOKENS_FILE) {
    throw new ConfigError('YINGSU_TOKENS_FILE is required when YINGSU_ENV=production (development tokens are refused)');
  }
  if (config.YINGSU_ENV === 'production' && !config.YINGSU_CODEC_KEYS_FILE && !config.YINGSU_CODEC_KEYS) {
    throw new ConfigError(
      "YINGSU_CODEC_KEYS_FILE (or YINGSU_CODEC_KEYS) is required when YINGSU_ENV=production: parties' data must not reach Temporal in clear",
    );
  }
  if (config.YINGSU_OIDC_ISSUER && !config.YINGSU_OIDC_CLIENT_ID) {
    throw new ConfigError('YINGSU_OIDC_CLIENT_ID is required when YINGSU_OIDC_ISSUER is set');
  }
  return config;
}
