/**
 * Every non-2xx answer is an ErrorBody: a stable code, plain words a person can act on, and for a
 * bad request the path of the first offending field (`mutations.0.args.seat`).
 */
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import type { HttpErrorCode } from '../../shared/protocol/errors';
import type { ErrorBody } from '../../shared/protocol/v1';
import type { Failure, Success } from '../../shared/result';
import { fail, ok } from '../../shared/result';

export interface Problem {
  status: number;
  code: HttpErrorCode;
  message: string;
  field?: string;
}

export function errorBody(code: HttpErrorCode, message: string, field?: string): ErrorBody {
  return { error: field === undefined ? { code, message } : { code, message, field } };
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply
    .code(p.status)
    .type('application/json')
    .send(errorBody(p.code, p.message, p.field));
}

export type Parsed<T> = Success<T> | (Failure<'BAD_REQUEST'> & { field?: string });

/** Parses a request body with its protocol schema; the failure names the first bad field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): Parsed<z.infer<S>> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    return fail('BAD_REQUEST', 'Send a JSON object as the request body (content-type: application/json).');
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
  const why = issue?.message ?? 'invalid value';
  return field === undefined ? fail('BAD_REQUEST', why) : { ...fail('BAD_REQUEST', `${field}: ${why}`), field };
}

export function badRequest(p: Failure<'BAD_REQUEST'> & { field?: string }): Problem {
  return { status: 400, code: p.code, message: p.message, ...(p.field === undefined ? {} : { field: p.field }) };
}
