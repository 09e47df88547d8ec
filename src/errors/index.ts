// Domain errors: what went wrong, in the domain's words, with a stable English `code` and a message for people. No
// HTTP status here: the HTTP layer's one error middleware maps each class to a status (src/http/errors.ts).

export interface Issue {
  path: (string | number)[];
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(
    message: string,
    readonly issues?: Issue[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The thing does not exist, or the caller may not know that it exists (a foreign case answers exactly so). */
export class NotFoundError extends DomainError {
  constructor(
    message = '未找到',
    readonly code = 'not_found',
  ) {
    super(message);
  }
}

/** The request is well-formed but the current state refuses it (a closed case, a duty not awaited, a duplicate id). */
export class ConflictError extends DomainError {
  constructor(
    message: string,
    readonly code = 'conflict',
  ) {
    super(message);
  }
}

/** The caller is known but its role may not do this. */
export class ForbiddenError extends DomainError {
  constructor(
    message = '当前角色无权进行此操作',
    readonly code = 'forbidden',
  ) {
    super(message);
  }
}

/** The caller is not known (no or a bad credential). */
export class UnauthenticatedError extends DomainError {
  readonly code = 'unauthorized';
  constructor(message = '需要有效的访问令牌（Bearer token）') {
    super(message);
  }
}

/** The input is malformed; `issues` names every field at fault. */
export class InvalidInputError extends DomainError {
  constructor(
    message: string,
    issues?: Issue[],
    readonly code = 'invalid_request',
  ) {
    super(message, issues);
  }
}

/** A dependency (Temporal, the registry) cannot be reached now; the same call may succeed later. */
export class UnavailableError extends DomainError {
  constructor(
    message: string,
    readonly code = 'unavailable',
  ) {
    super(message);
  }
}
