// The audit and the key rules it is built on; see rules.ts for the one definition of each rule.
// Its zod schemas are not here (schemas.ts): the window imports this before its first screen.
export { type AuditInventory, AuditResult, audit, type Finding, ruleBit } from './audit';
export { ENVIRONMENTS, type Environment, environmentFromLabel, environmentOf } from './environment';
export { type AuditPolicy, DEFAULT_AUDIT_POLICY } from './policy';
export {
  blankFacts,
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
