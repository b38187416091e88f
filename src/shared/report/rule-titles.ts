import type { RuleId } from '../audit';

/** A rule's name for people: group headings on the Audit page, in reports and in the CLI. */
export const RULE_TITLES: Record<RuleId, string> = {
  never_used: 'Never used',
  unused: 'Unused',
  expiring: 'Expiring soon',
  expired: 'Expired',
  no_expiration_production: 'Production key without expiration',
  no_expiration_parent: 'Parent-account key without expiration',
  rotation_overdue: 'Rotation overdue',
  vague_label: 'Vague label',
  duplicate_label: 'Duplicate label',
  revoked_stale: 'Revoked long ago',
  too_many_keys: 'Too many keys in an account',
  new_source: 'Used from a new source',
  many_sources: 'Used from many sources',
  refused_attempts: 'Still presented after revocation or expiry',
  used_after_exposure: 'Used after its suspected exposure',
};
