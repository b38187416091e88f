// The numbers every rule reads. The app keeps one in Settings, the CLI's audit and the server take
// one from a JSON file (`--policy FILE`); defaults follow the platform's best-practice guidance.
import { z } from 'zod';
import type { Environment } from './environment';

export interface AuditPolicy {
  /** A key never used this long after its creation should go. */
  neverUsedGraceDays: number;
  unusedDays: number;
  expiringDays: number;
  rotationDays: Record<Environment, number>;
  /** A revoked key kept longer than this after its revocation should be deleted. */
  revokedRetentionDays: number;
  maxKeysPerAccount: number;
  /** How far the bulk "extend" action pushes an expiration: from now, or from the old date if later. */
  extendDays: number;
}

export const DEFAULT_AUDIT_POLICY: AuditPolicy = {
  neverUsedGraceDays: 7,
  unusedDays: 90,
  expiringDays: 7,
  rotationDays: { production: 90, staging: 180, development: 365 },
  revokedRetentionDays: 30,
  maxKeysPerAccount: 15,
  extendDays: 90,
};

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
}) satisfies z.ZodType<AuditPolicy>;
