import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  UnauthenticatedError,
  UnavailableError,
  type Issue,
} from '../errors';
import type { Logger } from '../log';

/** The one place a domain error becomes an HTTP status. */
const statusByClass: [abstract new (...args: never[]) => DomainError, number][] = [
  [NotFoundError, 404],
  [ConflictError, 409],
  [ForbiddenError, 403],
  [UnauthenticatedError, 401],
  [InvalidInputError, 400],
  [UnavailableError, 503],
];

export function statusOf(err: DomainError): number {
  return statusByClass.find(([cls]) => err instanceof cls)?.[1] ?? 500;
}

/** An answer that only HTTP knows (a malformed body, a bad path encoding); domain errors come from src/errors. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: Issue[],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const issuesOf = (error: z.ZodError): Issue[] =>
  error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message }));

// Shape errors in Chinese for people (zod's zh-CN locale), set once here: every HTTP entry imports this module before
// it parses anything. The workflow bundle never imports src/http, so the sandbox's zod stays untouched.
z.config(z.locales.zhCN());

const whereNames: Record<string, string> = {
  request: '请求',
  registration: '登记信息',
  event: '事项',
  query: '查询参数',
  path: '路径参数',
  body: '请求正文',
};

/** A zod failure as a domain error listing every issue with its path. */
export const invalidInput = (error: z.ZodError, where = 'request'): InvalidInputError =>
  new InvalidInputError(`${whereNames[where] ?? '请求'}有误，共 ${error.issues.length} 处`, issuesOf(error));

/** Parses with a zod schema and returns the parsed value, or throws an InvalidInputError listing every issue. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, where?: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidInput(result.error, where);
  return result.data;
}

type BodyParserError = Error & { type?: string; status?: number; expose?: boolean };

/** How long a caller should wait before retrying while Temporal cannot be reached. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * Whether an error means Temporal could not be reached or did not answer in time: gRPC UNAVAILABLE (14) or
 * DEADLINE_EXCEEDED (4) anywhere in the cause chain, or a connection refused.
 */
export function isTemporalUnavailable(err: unknown): boolean {
  for (
    let e = err as { code?: unknown; cause?: unknown; name?: string; message?: string } | undefined, depth = 0;
    e && depth < 8;
    e = e.cause as typeof e, depth++
  ) {
    if (e.code === 14 || e.code === 4) return true;
    if (e.code === 'ECONNREFUSED' || e.name === 'TransportError') return true;
    if (
      typeof e.message === 'string' &&
      /\b(UNAVAILABLE|DEADLINE_EXCEEDED)\b|Deadline exceeded|ECONNREFUSED/.test(e.message)
    )
      return true;
  }
  return false;
}

interface Answer {
  status: number;
  code: string;
  message: string;
  issues?: Issue[];
}

/** The one place errors become answers: JSON `{ error: { code, message, issues? } }`, never a stack trace. */
export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    let answer: Answer;
    if (err instanceof DomainError) {
      answer = { status: statusOf(err), code: err.code, message: err.message, issues: err.issues };
      if (err instanceof UnavailableError) res.set('Retry-After', String(RETRY_AFTER_SECONDS));
    } else if (err instanceof HttpError) {
      answer = err;
    } else if (err instanceof z.ZodError) {
      const e = invalidInput(err);
      answer = { status: 400, code: e.code, message: e.message, issues: e.issues };
    } else if (typeof (err as BodyParserError)?.type === 'string' && (err as BodyParserError).expose) {
      // express.json(): malformed JSON, a body over the limit, a wrong charset.
      const e = err as BodyParserError;
      const code =
        e.type === 'entity.too.large'
          ? 'payload_too_large'
          : e.type === 'entity.parse.failed'
            ? 'malformed_json'
            : 'bad_request';
      answer = {
        status: e.status ?? 400,
        code,
        message:
          e.type === 'entity.parse.failed'
            ? '请求正文不是有效的 JSON'
            : e.type === 'entity.too.large'
              ? '请求正文过大'
              : '请求无效',
      };
    } else if (isTemporalUnavailable(err)) {
      // Temporal is down or slow: say so, and when to come back, rather than a bare 500.
      log.warn({ method: req.method, path: req.path, error: (err as Error).message }, 'Temporal unavailable');
      res.set('Retry-After', String(RETRY_AFTER_SECONDS));
      answer = { status: 503, code: 'temporal_unavailable', message: '工作流服务暂时不可用，请稍后重试' };
    } else if (err instanceof URIError) {
      // The router could not percent-decode a path parameter (`/api/cases/%`): the client's mistake, not ours.
      answer = { status: 400, code: 'invalid_request', message: '请求路径的百分号编码无效' };
    } else {
      log.error({ err, method: req.method, path: req.path }, 'unhandled error');
      answer = { status: 500, code: 'internal', message: '服务器内部错误' };
    }
    const body: { error: { code: string; message: string; issues?: Issue[] } } = {
      error: { code: answer.code, message: answer.message },
    };
    if (answer.issues) body.error.issues = answer.issues;
    res.status(answer.status).json(body);
  };
}
