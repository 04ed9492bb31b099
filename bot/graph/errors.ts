/**
 * Graph failures the app tells apart: a missing application permission (403), a resource that is
 * not there (404), and Graph being unavailable after the retries. Each carries a message fit for
 * a user — never Graph's own text — and the operation that failed, for the log.
 */
import { GraphError } from '@microsoft/microsoft-graph-client';

/** The Graph operations the app performs, and the application permission each needs. */
export const REQUIRED_PERMISSIONS = {
  'read users': 'User.Read.All',
  'read free/busy': 'Calendars.ReadWrite',
  'create meeting': 'Calendars.ReadWrite',
  'update meeting': 'Calendars.ReadWrite',
  'cancel meeting': 'Calendars.ReadWrite',
  'read meeting': 'Calendars.ReadWrite',
} as const;

/** One of the operations in {@link REQUIRED_PERMISSIONS}. */
export type GraphOperation = keyof typeof REQUIRED_PERMISSIONS;

/** Base of the app's Graph errors. */
export class GraphFailure extends Error {
  constructor(
    readonly operation: GraphOperation,
    /** What the user is told (no Graph text, no ids). */
    readonly userMessage: string,
    /** Graph's HTTP status (0 when no response arrived). */
    readonly status: number,
    /** Graph's error code, for the log. */
    readonly code: string,
  ) {
    super(`${operation}: ${userMessage}`);
    this.name = 'GraphFailure';
  }
}

/** Graph answered 403: the app registration lacks an application permission (or admin consent). */
export class GraphPermissionError extends GraphFailure {
  constructor(
    operation: GraphOperation,
    readonly permission: string,
    code: string,
  ) {
    super(
      operation,
      `The app is not allowed to ${operation} in Microsoft 365: it needs the Microsoft Graph application permission ${permission}, granted with admin consent${permission.startsWith('Calendars') ? ' (and the mailbox allowed by the Exchange application access policy)' : ''}. Please ask your Microsoft 365 administrator.`,
      403,
      code,
    );
    this.name = 'GraphPermissionError';
  }
}

/** Graph answered 404 for the thing asked about. */
export class GraphNotFoundError extends GraphFailure {
  constructor(operation: GraphOperation, code: string) {
    super(operation, `Microsoft 365 could not find what was asked for (${operation}).`, 404, code);
    this.name = 'GraphNotFoundError';
  }
}

/** Graph could not be reached or kept failing after the retries (429/5xx/network). */
export class GraphUnavailableError extends GraphFailure {
  constructor(operation: GraphOperation, status: number, code: string) {
    super(
      operation,
      `Microsoft 365 is busy or unavailable right now, so the app could not ${operation}. Please try again in a few minutes.`,
      status,
      code,
    );
    this.name = 'GraphUnavailableError';
  }
}

/** The HTTP status of a Graph SDK error (0 when none arrived, e.g. a dropped connection). */
export function statusOfGraphError(error: unknown): number {
  if (error instanceof GraphError) return error.statusCode > 0 ? error.statusCode : 0;
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status > 0 ? status : 0;
}

/** True when no HTTP response arrived (connection reset, closed, timed out). */
export function isTransportError(error: unknown): boolean {
  return statusOfGraphError(error) === 0;
}

/** Turns an error from the Graph SDK into one of the app's typed failures. */
export function toGraphFailure(error: unknown, operation: GraphOperation): GraphFailure {
  if (error instanceof GraphFailure) return error;
  const status = statusOfGraphError(error);
  const code =
    error instanceof GraphError ? (error.code ?? 'unknown') : error instanceof Error ? error.name : 'unknown';
  if (status === 403) return new GraphPermissionError(operation, REQUIRED_PERMISSIONS[operation], code);
  if (status === 404) return new GraphNotFoundError(operation, code);
  if (status === 0 || status === 429 || status >= 500)
    return new GraphUnavailableError(operation, status, code);
  return new GraphFailure(
    operation,
    `Microsoft 365 refused the request to ${operation}. Please try again, or tell your administrator if it keeps happening.`,
    status,
    code,
  );
}
