import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from '../log';

/** An error that maps to an HTTP answer; thrown anywhere, answered by `errorMiddleware` alone. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: { path: (string | number)[]; message: string }[],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export class ValidationError extends HttpError {
  constructor(error: z.ZodError, where = 'request') {
    super(
      400,
      'invalid_request',
      `the ${where} is not valid: ${error.issues.length} issue(s)`,
      error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message })),
    );
  }
}

export class UnauthorizedError extends HttpError {
  constructor(message = 'a valid bearer token is required') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends HttpError {
  constructor(message = 'your role may not do this') {
    super(403, 'forbidden', message);
  }
}

export class NotFoundError extends HttpError {
  constructor(message = 'not found') {
    super(404, 'not_found', message);
  }
}

export class ConflictError extends HttpError {
  constructor(message: string, code = 'conflict') {
    super(409, code, message);
  }
}

export class UnavailableError extends HttpError {
  constructor(message: string) {
    super(503, 'unavailable', message);
  }
}

/** Parses with a zod schema and returns the parsed value, or throws a 400 listing every issue. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, where?: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(result.error, where);
  return result.data;
}

type BodyParserError = Error & { type?: string; status?: number; expose?: boolean };

/** The one place errors become answers: JSON `{ error: { code, message, issues? } }`, never a stack trace. */
export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    let httpError: HttpError;
    if (err instanceof HttpError) {
      httpError = err;
    } else if (err instanceof z.ZodError) {
      httpError = new ValidationError(err);
    } else if (typeof (err as BodyParserError)?.type === 'string' && (err as BodyParserError).expose) {
      // express.json(): malformed JSON, a body over the limit, a wrong charset.
      const e = err as BodyParserError;
      const code = e.type === 'entity.too.large' ? 'payload_too_large' : e.type === 'entity.parse.failed' ? 'malformed_json' : 'bad_request';
      httpError = new HttpError(e.status ?? 400, code, e.type === 'entity.parse.failed' ? 'the body is not valid JSON' : e.message);
    } else if (err instanceof URIError) {
      // The router could not percent-decode a path parameter (`/api/cases/%`): the client's mistake, not ours.
      httpError = new HttpError(400, 'invalid_request', 'the path is not valid percent-encoding');
    } else {
      log.error({ err, method: req.method, path: req.path }, 'unhandled error');
      httpError = new HttpError(500, 'internal', 'internal error');
    }
    const body: { error: { code: string; message: string; issues?: HttpError['issues'] } } = {
      error: { code: httpError.code, message: httpError.message },
    };
    if (httpError.issues) body.error.issues = httpError.issues;
    res.status(httpError.status).json(body);
  };
}
