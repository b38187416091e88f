// The numbers every rule reads. The app keeps one in Settings, the CLI's audit and the server take
// one from a JSON file (`--policy FILE`); defaults follow the platform's best-practice guidance.
// Its schema is in schemas.ts.
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
  /** The window of the activity rules: a new source, many sources, refused attempts. */
  recentUseDays: number;
  /** More distinct sources (address and user agent) than this within the window is a finding. */
  maxSources: number;
  /** This many requests with a revoked or expired key within the window is a finding. */
  refusedAttempts: number;
}

export const DEFAULT_AUDIT_POLICY: AuditPolicy = {
  neverUsedGraceDays: 7,
  unusedDays: 90,
  expiringDays: 7,
  rotationDays: { production: 90, staging: 180, development: 365 },
  revokedRetentionDays: 30,
  maxKeysPerAccount: 15,
  extendDays: 90,
  recentUseDays: 7,
  maxSources: 10,
  refusedAttempts: 3,
};
