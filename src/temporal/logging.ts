import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import type { Logger } from '../log';

const LEVELS: Record<string, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** The case a Temporal log line is about, from its workflow id (`case-<id>`). */
export function caseIdOf(meta: Record<string, unknown> | undefined): string | undefined {
  const id = typeof meta?.workflowId === 'string' ? meta.workflowId : undefined;
  if (!id) return undefined;
  if (id.startsWith('case-')) return id.slice('case-'.length);
  return undefined;
}

/** The SDK's logs (worker, workflow and activity contexts) as the same JSON lines as ours, with `caseId`. */
export function sdkLogger(log: Logger, level: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' = 'INFO'): DefaultLogger {
  return new DefaultLogger(level, (entry: LogEntry) => {
    const meta = entry.meta as Record<string, unknown> | undefined;
    const caseId = caseIdOf(meta);
    log[LEVELS[entry.level] ?? 'info']({ sdk: true, ...meta, ...(caseId ? { caseId } : {}) }, entry.message);
  });
}
