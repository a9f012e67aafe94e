import { type ConsentErrorCode, isConsentError } from '@consentkit/core';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { fallbackLogger } from '../observability/logger.js';
import { ServerError } from '../server-error.js';

/**
 * Every API failure becomes an RFC 9457 problem document here, in one place. A client mistake
 * is a 4xx with the reason; anything unexpected is a bare 500 with no stack and no message
 * (the detail goes to the log, never to the client).
 */
export type ProblemIssue = { readonly path: readonly (string | number)[]; readonly message: string };

/**
 * The `code` of a problem document (also its `type` fragment). A core error that reaches a route
 * keeps its own code; the rest are the API's: see docs/errors.md, "Server".
 */
export type HttpErrorCode =
  | ConsentErrorCode
  | 'invalid-request'
  | 'unsupported-media-type'
  | 'batch-too-large'
  | 'invalid-record-id'
  | 'unknown-purpose'
  | 'shutting-down';

export type HttpErrorOptions = {
  readonly code: HttpErrorCode;
  readonly cause?: unknown;
  readonly issues?: readonly ProblemIssue[];
  readonly headers?: Readonly<Record<string, string>>;
};

/** A failure answered as a problem document; `detail` is the document's `detail`. */
export class HttpError extends ServerError<HttpErrorCode> {
  override readonly name = 'HttpError';
  readonly status: number;
  /** The problem document's `issues`: where the request was wrong (zod's path and message). */
  readonly problemIssues: readonly ProblemIssue[];
  readonly headers: Readonly<Record<string, string>>;
  constructor(status: number, detail: string, options: HttpErrorOptions) {
    super(options.code, detail, options.cause === undefined ? {} : { cause: options.cause });
    this.status = status;
    this.problemIssues = options.issues ?? [];
    this.headers = options.headers ?? {};
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const STATUS_OF_CODE: Partial<Record<ConsentErrorCode, number>> = {
  'not-found': 404,
  unauthorized: 401,
  forbidden: 403,
  conflict: 409,
  'payload-too-large': 413,
  'rate-limited': 429,
};

/** The code of a problem Hono raised itself (a middleware's HTTPException), by status. */
const CODE_OF_STATUS: Partial<Record<number, HttpErrorCode>> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'rate-limited',
};

/**
 * RFC 9457 §3.1.1: a problem type is a URI that need not resolve. A URN names each code without
 * pointing at a site that might not exist; docs/errors.md explains every code.
 */
export const PROBLEM_TYPE_BASE = 'urn:consentkit:problem:';

/** An RFC 9457 problem document as the API answers it (the OpenAPI document's Problem). */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string(),
    issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

export function problemResponse(error: HttpError): Response {
  const body = {
    type: `${PROBLEM_TYPE_BASE}${error.code}`,
    title: TITLES[error.status] ?? 'Error',
    status: error.status,
    code: error.code,
    detail: error.detail,
    ...(error.problemIssues.length > 0 ? { issues: error.problemIssues } : {}),
  };
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...error.headers },
  });
}

/** Turns anything thrown into an HttpError: client mistakes keep their reason, the rest is 500. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof HTTPException) {
    const status = error.status;
    if (status >= 500)
      return new HttpError(500, 'the server could not complete the request', { code: 'internal', cause: error });
    return new HttpError(status, status === 413 ? 'the request body is too large' : error.message || 'request failed', {
      code: CODE_OF_STATUS[status] ?? 'invalid-request',
    });
  }
  if (isConsentError(error)) {
    const status = STATUS_OF_CODE[error.code] ?? (error.code === 'internal' || error.code === 'storage' ? 500 : 400);
    if (status < 500) {
      const issues = error.issues.map((i) => ({ path: i.path, message: i.message }));
      // A core error keeps its formatted message; a server error its bare sentence.
      const detail = error instanceof ServerError ? error.detail : error.message;
      return new HttpError(status, detail, { code: error.code, issues, cause: error });
    }
  }
  return new HttpError(500, 'the server could not complete the request', { code: 'internal', cause: error });
}

export type ErrorHandlerOptions = {
  /** Where unexpected errors go (never to the client). */
  readonly log?: (error: unknown) => void;
};

/** Hono `onError` handler. */
export function createErrorHandler(options: ErrorHandlerOptions = {}) {
  const log = options.log ?? ((error: unknown) => fallbackLogger().error({ err: error }, 'unexpected error'));
  return function handleError(error: Error, _c: Context): Response {
    const http = toHttpError(error);
    if (http.status >= 500) log(error);
    return problemResponse(http);
  };
}

export function notFoundProblem(): Response {
  return problemResponse(new HttpError(404, 'no such resource', { code: 'not-found' }));
}
