// `--policy FILE` for `audit` and `serve`: the JSON the app's Settings save. Numbers left out keep
// their defaults (rotation days one by one); a bad number is refused with its field named.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type AuditPolicy, DEFAULT_AUDIT_POLICY } from '../shared/audit';
import { auditPolicySchema } from '../shared/audit/schemas';
import { describeIssues } from '../shared/validation';
import { UsageError } from './usage';

export function readPolicyFile(file: string | undefined): AuditPolicy {
  if (file === undefined) return DEFAULT_AUDIT_POLICY;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(resolve(file), 'utf8'));
  } catch (error) {
    throw new UsageError(
      `--policy: cannot read ${file} as JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UsageError(`--policy: ${file} must hold a JSON object`);
  }
  const given = data as Partial<AuditPolicy>;
  const merged = {
    ...DEFAULT_AUDIT_POLICY,
    ...given,
    rotationDays: { ...DEFAULT_AUDIT_POLICY.rotationDays, ...(given.rotationDays ?? {}) },
  };
  const parsed = auditPolicySchema.safeParse(merged);
  if (!parsed.success) throw new UsageError(`--policy: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
