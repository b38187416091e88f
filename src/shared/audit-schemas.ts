// Validation for what the audit takes from outside: the policy (Settings, the CLI) and a key's
// environment set by hand. Errors name the field, e.g. `rotationDays.production: must be at least 1`.
import { z } from 'zod';
import { type AuditPolicy, ENVIRONMENTS } from './audit';

const days = (max: number) =>
  z.number().int('must be a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max}`);

export const auditPolicySchema = z.strictObject({
  neverUsedGraceDays: days(3650),
  unusedDays: days(3650),
  expiringDays: days(365),
  rotationDays: z.strictObject({ production: days(3650), staging: days(3650), development: days(3650) }),
  revokedRetentionDays: days(3650),
  maxKeysPerAccount: z.number().int('must be a whole number').min(1, 'must be at least 1').max(100_000),
  extendDays: days(3650),
}) satisfies z.ZodType<AuditPolicy>;

export const environmentSchema = z.enum(ENVIRONMENTS);
