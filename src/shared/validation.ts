import type { z } from 'zod';
import { AppError, type FieldIssue } from './errors';

/** One line naming each bad field, e.g. `label: Too small: expected string to have >=1 characters`. */
export function describeIssues(error: z.ZodError): string {
  return fieldIssues(error)
    .map(({ param, message }) => `${param}: ${message}`)
    .join('; ');
}

/** Each problem with the field it is about (`request` for the whole). */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    param: issue.path.length > 0 ? issue.path.map(String).join('.') : 'request',
    message: issue.message,
  }));
}

/** Parses or throws an `invalid_request` AppError that names the field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError('invalid_request', describeIssues(parsed.error), fieldIssues(parsed.error));
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
