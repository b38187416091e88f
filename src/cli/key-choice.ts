// Which key a command line names: `keyhold run --key KEY`, `keyhold keys schedule-delete KEY`.
import type { ApiKey } from '../shared/domain';
import { AppError } from '../shared/errors';
import { forTerminal } from './terminal';
import { UsageError } from './usage';

/**
 * The one key KEY names: by id, by partial key, or by exact label. `field`: how the command line
 * named it, for the message (`--key`, `KEY`).
 */
export function resolveKey(keys: ApiKey[], wanted: string, field = '--key'): ApiKey {
  const byId = keys.filter((key) => key.id === wanted || key.partial_key === wanted.replace(/…$/, ''));
  const matches = byId.length > 0 ? byId : keys.filter((key) => key.label === wanted);
  if (matches.length === 1) return matches[0] as ApiKey;
  if (matches.length === 0)
    throw new AppError('not_found', `${field}: no key has the id, partial key or label "${forTerminal(wanted)}"`);
  const list = matches.map((key) => `  ${key.partial_key}  ${key.id}  ${key.account_id}  ${key.status}`).join('\n');
  throw new UsageError(
    `${field}: ${matches.length} keys are labelled "${forTerminal(wanted)}"; name one by id or partial key:\n${list}`,
  );
}
