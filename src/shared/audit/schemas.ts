// The audit's zod schemas, apart from its rules and defaults: the window runs the audit from its
// first screen, and importing these would build them (and load zod) before it can start. The
// barrel (index.ts) leaves them out; import them from here.
import { z } from 'zod';
import { ENVIRONMENTS } from './environment';
import type { AuditPolicy } from './policy';

export const environmentSchema = z.enum(ENVIRONMENTS);

const days = (max: number) =>
  z.number().int('must be a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max}`);

/** Errors name the field, e.g. `rotationDays.production: must be at least 1`. */
export const auditPolicySchema = z.strictObject({
  neverUsedGraceDays: days(3650),
  unusedDays: days(3650),
  expiringDays: days(365),
  rotationDays: z.strictObject({ production: days(3650), staging: days(3650), development: days(3650) }),
  revokedRetentionDays: days(3650),
  maxKeysPerAccount: z.number().int('must be a whole number').min(1, 'must be at least 1').max(100_000),
  extendDays: days(3650),
  recentUseDays: days(365),
  maxSources: z.number().int('must be a whole number').min(1, 'must be at least 1').max(1_000_000),
  refusedAttempts: z.number().int('must be a whole number').min(1, 'must be at least 1').max(100_000),
}) satisfies z.ZodType<AuditPolicy>;
