import type { z } from 'zod';
import { AppError } from './errors';

/** One line naming each bad field, e.g. `label: Too small: expected string to have >=1 characters`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'request';
      return `${field}: ${issue.message}`;
    })
    .join('; ');
}

/** Parses or throws an `invalid_request` AppError that names the field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError('invalid_request', describeIssues(parsed.error));
  return parsed.data;
}

/** Parses a single value that is not inside a request object, naming it in the error. */
export function parseField<S extends z.ZodType>(field: string, schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new AppError('invalid_request', `${field}: ${parsed.error.issues[0]?.message ?? 'is not valid'}`);
  }
  return parsed.data;
}
