// The audit and the key rules it is built on; see rules.ts for the one definition of each rule.
export { type AuditInventory, AuditResult, audit, type Finding, ruleBit } from './audit';
export {
  ENVIRONMENTS,
  type Environment,
  environmentFromLabel,
  environmentOf,
  environmentSchema,
} from './environment';
export { type AuditPolicy, auditPolicySchema, DEFAULT_AUDIT_POLICY } from './policy';
export {
  breaksRule,
  checkKey,
  factsOf,
  KEY_RULES,
  type KeyFacts,
  type KeyRuleId,
  RULES,
  type RuleId,
  SEVERITIES,
  type Severity,
  type SuggestedAction,
} from './rules';
