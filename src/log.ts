import pino from 'pino';

/** Structured JSON logs; every line about a case carries `caseId` (use `forCase`). */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: process.env.YINGSU_SERVICE ?? 'yingsu' },
  timestamp: pino.stdTimeFunctions.isoTime,
});

export type Logger = pino.Logger;

export const forCase = (log: Logger, caseId: string): Logger => log.child({ caseId });
