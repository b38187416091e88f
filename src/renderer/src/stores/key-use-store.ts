// What the request log says of the open inventory's keys (their sources and refused attempts),
// and the incidents' suspected exposures: the audit's activity rules read both. Loaded once every
// key is in (wiring.ts), again after a sync and when the policy's activity window changes.
import { create } from 'zustand';
import type { KeyUse } from '../../../shared/request-log';
import type { Workflow } from '../../../shared/workflows';
import { ipc } from '../ipc';

interface KeyUseState {
  connectionId: string | null;
  /** The start of the window the counts cover. */
  since: string | null;
  use: KeyUse[];
  /** Why the activity rules have nothing to read, in words, or null. */
  missingReason: string | null;
  load(): Promise<void>;
}

let generation = 0;

export const useKeyUseStore = create<KeyUseState>((set, get) => ({
  connectionId: null,
  since: null,
  use: [],
  missingReason: null,
  async load() {
    const asked = ++generation;
    try {
      const answer = await ipc.inventory.use();
      if (asked !== generation) return; // a newer load is on its way
      const known = get();
      // The same use as before (nothing logged, or no request since): the same list, so the audit
      // is not run again for nothing (a new audit re-filters the table's rows).
      const same = sameUse(known.use, answer.use);
      set({
        connectionId: answer.connection_id,
        since: answer.since,
        use: same ? known.use : answer.use,
        missingReason: answer.missing_reason,
      });
    } catch (error) {
      if (asked !== generation) return;
      const missingReason = error instanceof Error ? error.message : String(error);
      set({ connectionId: null, since: null, use: [], missingReason });
    }
  },
}));

/** Whether two reads of the keys' use say the same (in key id order, as the platform gives them). */
function sameUse(a: readonly KeyUse[], b: readonly KeyUse[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((use, i) => {
    const other = b[i] as KeyUse;
    return (
      use.key_id === other.key_id &&
      use.first_source_at === other.first_source_at &&
      use.newest_source_at === other.newest_source_at &&
      use.recent_sources === other.recent_sources &&
      use.refused_attempts === other.refused_attempts
    );
  });
}

/** Each key's suspected exposure on `connectionId`, the earliest when a key had several incidents. */
export function exposuresOf(workflows: readonly Workflow[], connectionId: string): Record<string, string> {
  const exposures: Record<string, string> = {};
  for (const workflow of workflows) {
    if (workflow.kind !== 'incident' || workflow.connection_id !== connectionId || workflow.exposed_at === null)
      continue;
    const known = exposures[workflow.old_key.id];
    if (known === undefined || workflow.exposed_at < known) exposures[workflow.old_key.id] = workflow.exposed_at;
  }
  return exposures;
}

/** The open inventory's use and exposures, or none when what is loaded belongs to another connection. */
/** Each rotation's and incident's (old key, replacement) of the connection: one key's lineage, for the audit. */
export function rotationsOf(workflows: readonly Workflow[], connectionId: string): Array<[string, string]> {
  return workflows
    .filter((workflow) => workflow.connection_id === connectionId && workflow.new_key !== null)
    .map((workflow) => [workflow.old_key.id, (workflow.new_key as { id: string }).id]);
}

export function activityOf(
  connectionId: string | null,
  workflows: readonly Workflow[],
): {
  key_use_since: string | null;
  key_use: KeyUse[];
  exposures: Record<string, string>;
  rotations: Array<[string, string]>;
} {
  const { connectionId: of, since, use } = useKeyUseStore.getState();
  const ours = connectionId !== null && of === connectionId;
  return {
    key_use_since: ours ? since : null,
    key_use: ours ? use : [],
    exposures: connectionId === null ? {} : exposuresOf(workflows, connectionId),
    rotations: connectionId === null ? [] : rotationsOf(workflows, connectionId),
  };
}
