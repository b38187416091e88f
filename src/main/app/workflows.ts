// Rotations and compromised-key responses, step by step on the active connection, saved after
// every step (app state) so they resume after a restart. Secrets stay in the keychain: the
// replacement's goes there on creation and from there to the clipboard or a .env file, here in main.
import type { Clock } from '../../shared/clock';
import { API_KEY_ENV } from '../../shared/env-names';
import { AppError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { CreateKeyResult, IncidentReview } from '../../shared/ipc/window-data';
import type { RandomBytes } from '../../shared/key-format';
import type { RequestOutcome, RequestPage } from '../../shared/request-log';
import { DAY_MS, isoOrNull } from '../../shared/utc-time';
import {
  currentStep,
  type EnvWrite,
  INVESTIGATION_CHECKLIST,
  incidentSummary,
  type KeyRef,
  keyRefOf,
  stepsOf,
  type Workflow,
  type WorkflowKind,
  type WorkflowStep,
} from '../../shared/workflows';
import type { AppStateRepo } from '../store/app-state-repo';
import type { Connections } from './connections';
import { writeEnvFile } from './env-file';
import type { KeyActions } from './key-actions';
import type { Secrets } from './secrets';

const envVarSetting = (connectionId: string) => `env_var:${connectionId}`;

/** Requests per page of the review step's list (it asks for the next as it scrolls). */
const REQUESTS_PAGE = 500;
/** Attempts after the revocation counted one by one; beyond, "1,000 or more". */
const AFTER_REVOKE_COUNTED = 1000;

export interface WorkflowDeps {
  state: AppStateRepo;
  connections: Connections;
  keys: KeyActions;
  secrets: Secrets;
  clock: Clock;
  random: RandomBytes;
  /** Days between the old key's revocation and its deletion (the policy's retention). */
  retentionDays: () => number;
}

export class Workflows {
  constructor(private readonly deps: WorkflowDeps) {}

  list(): Workflow[] {
    return this.deps.state.workflows();
  }

  /** A new rotation or incident for a key of the active connection; an open one for the key is resumed instead. */
  async start(kind: WorkflowKind, accountId: string, keyId: string, exposedAt: string | null): Promise<Workflow> {
    const info = this.deps.connections.activeInfo();
    const open = this.list().find(
      (w) => w.kind === kind && w.status === 'in_progress' && w.connection_id === info.id && w.old_key.id === keyId,
    );
    if (open) return open;
    const key = await this.deps.connections.withPlatform('Reading the key', ({ platform }) =>
      platform.getKey(accountId, keyId),
    );
    const now = this.now();
    return this.save({
      id: newId(kind === 'rotation' ? 'rot' : 'inc', this.deps.random),
      kind,
      connection_id: info.id,
      status: 'in_progress',
      step: 0,
      old_key: keyRefOf(key),
      new_key: null,
      env_file: null,
      new_first_used_at: null,
      old_last_used_at: key.last_used_at,
      old_revoked_at: key.revoked_at,
      deletion_due_at: null,
      exposed_at: exposedAt,
      notes: { how: '', prevention: '' },
      checklist: INVESTIGATION_CHECKLIST.map(() => false),
      log: [{ at: now, what: kind === 'rotation' ? 'Rotation started' : 'Incident opened' }],
      created_at: now,
      updated_at: now,
    });
  }

  /** Step "replace": the new key, in the old key's account; its secret goes to the keychain. */
  async replace(
    id: string,
    input: { label: string; expires_at: string | null },
  ): Promise<{ workflow: Workflow; created: CreateKeyResult }> {
    const workflow = this.at(id, 'replace');
    const created = await this.deps.keys.create(workflow.old_key.account_id, input);
    workflow.new_key = keyRefOf(created.key);
    this.note(workflow, `Replacement ${created.key.partial_key} (“${created.key.label}”) created`);
    return { workflow: this.next(workflow), created };
  }

  /** Step "revoke": the old key stops working. Already revoked (elsewhere) counts as done. */
  async revokeOld(id: string): Promise<Workflow> {
    const workflow = this.at(id, 'revoke');
    try {
      const revoked = await this.deps.keys.revoke(workflow.old_key.account_id, workflow.old_key.id);
      workflow.old_revoked_at = revoked.revoked_at;
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'conflict')) throw error;
      workflow.old_revoked_at ??= this.now();
    }
    this.note(workflow, `Old key ${workflow.old_key.partial_key} revoked`);
    return this.next(workflow);
  }

  /**
   * Step "schedule": the platform deletes the old key after the retention period (its deletes_at,
   * cancelable from the key until then); the rotation is done.
   */
  async schedule(id: string): Promise<Workflow> {
    const workflow = this.at(id, 'schedule');
    const due = new Date(this.deps.clock.now() + this.deps.retentionDays() * DAY_MS).toISOString();
    const old = workflow.old_key;
    await this.deps.keys.update(old.account_id, old.id, { deletes_at: due });
    workflow.deletion_due_at = due;
    this.note(
      workflow,
      `Deletion of ${workflow.old_key.partial_key} scheduled for ${workflow.deletion_due_at.slice(0, 10)}`,
    );
    return this.next(workflow);
  }

  /** Steps without an action of their own (update, test, review, notify, investigate): confirmed, move on. */
  advance(id: string, step: WorkflowStep): Workflow {
    const workflow = this.at(id, step);
    if (step === 'update' && workflow.new_key === null)
      throw new AppError('conflict', 'step: create the replacement first');
    return this.next(workflow);
  }

  cancel(id: string): Workflow {
    const workflow = this.get(id);
    if (workflow.status !== 'in_progress') return workflow;
    workflow.status = 'cancelled';
    this.note(workflow, 'Cancelled: both keys left as they are');
    return this.save(workflow);
  }

  update(
    id: string,
    patch: { exposed_at?: string | null; notes?: Partial<Workflow['notes']>; checklist?: boolean[] },
  ): Workflow {
    const workflow = this.get(id);
    if (patch.exposed_at !== undefined) workflow.exposed_at = patch.exposed_at;
    if (patch.notes) workflow.notes = { ...workflow.notes, ...patch.notes };
    if (patch.checklist) workflow.checklist = INVESTIGATION_CHECKLIST.map((_, i) => patch.checklist?.[i] ?? false);
    return this.save(workflow);
  }

  /** The variable name remembered for the connection (default ITELLICO_API_KEY). */
  envVar(connectionId = this.deps.connections.activeInfo().id): string {
    return this.deps.state.getSetting(envVarSetting(connectionId)) ?? API_KEY_ENV;
  }

  setEnvVar(name: string): string {
    this.deps.state.setSetting(envVarSetting(this.deps.connections.activeInfo().id), name);
    return name;
  }

  /** The replacement to the clipboard, plain or as NAME=value (cleared after 30 s). */
  copy(id: string, format: 'plain' | 'env'): Promise<{ clears_in_seconds: number }> {
    const replacement = this.replacement(this.own(id));
    return this.deps.secrets.copy(replacement.id, format, this.envVar());
  }

  /** The replacement into a .env file: its line replaced or added, the rest kept, written atomically. */
  async writeEnv(id: string, path: string, confirmName = false): Promise<{ workflow: Workflow; written: EnvWrite }> {
    const workflow = this.own(id);
    const secret = (await this.deps.secrets.reveal(this.replacement(workflow).id)).secret;
    const written = await writeEnvFile(path, this.envVar(), secret, { confirmName });
    workflow.env_file = written.path;
    this.note(workflow, `Replacement written to ${written.path} (${written.line})`);
    return { workflow: this.save(workflow), written };
  }

  /** Step "test", live: when the replacement was first used and the old key last used. */
  async probe(id: string): Promise<Workflow> {
    const workflow = this.own(id);
    const replacement = this.replacement(workflow);
    const [fresh, old] = await this.deps.connections.withPlatform('Checking the keys', ({ platform }) =>
      Promise.all([
        platform.getKey(replacement.account_id, replacement.id),
        platform.getKey(workflow.old_key.account_id, workflow.old_key.id),
      ]),
    );
    if (workflow.new_first_used_at === null && fresh.last_used_at !== null) {
      // The platform keeps the latest use; the first one seen by a check stands for the first use.
      workflow.new_first_used_at = fresh.last_used_at;
    }
    workflow.old_last_used_at = old.last_used_at;
    return this.save(workflow);
  }

  /**
   * Step "review": the key's daily usage (90 days) and its events, for the exposure window; who
   * used it (its sources), the attempts after its revocation, and what it did (its actions), from
   * the platform's request log (empty on a platform that serves no HTTP). Its requests come a page
   * at a time (`requests`).
   */
  review(id: string): Promise<IncidentReview> {
    const { old_key: old } = this.own(id);
    return this.deps.connections.withPlatform('Reading the key’s usage', async ({ platform }) => {
      const [usage, events, sources, refused, actions] = await Promise.all([
        platform.keyUsage(old.account_id, old.id, 90),
        platform.keyEvents(old.account_id, old.id),
        platform.keySources(old.account_id, old.id),
        platform.keyRequests(old.account_id, old.id, { outcome: 'revoked', limit: AFTER_REVOKE_COUNTED }),
        platform.keyActions(old.account_id, old.id),
      ]);
      const after_revoke = {
        count: refused.data.length,
        more: refused.next_cursor !== null,
        last: refused.data[0] ?? null,
      };
      return { usage, events, sources, after_revoke, actions };
    });
  }

  /** A page of the incident key's requests, newest first, filtered by the platform. */
  requests(
    id: string,
    query: { source?: string; outcome?: RequestOutcome; since?: string; cursor?: string },
  ): Promise<RequestPage> {
    const { old_key: old } = this.own(id);
    return this.deps.connections.withPlatform('Reading the key’s requests', ({ platform }) =>
      platform.keyRequests(old.account_id, old.id, { ...query, limit: REQUESTS_PAGE }),
    );
  }

  /** The incident summary in Markdown; the account is named when the platform can be reached. */
  async summary(id: string): Promise<{ markdown: string }> {
    const workflow = this.get(id);
    const old = workflow.old_key;
    const account = await this.deps.connections
      .withPlatform('Reading the account', ({ platform }) => platform.getAccount(old.account_id))
      .catch(() => null);
    const use = await this.deps.connections
      .withPlatform('Reading the key’s requests', async ({ platform }) => {
        const [sources, refused, actions] = await Promise.all([
          platform.keySources(old.account_id, old.id),
          platform.keyRequests(old.account_id, old.id, { outcome: 'revoked', limit: 1000 }),
          platform.keyActions(old.account_id, old.id),
        ]);
        return { sources, afterRevoke: refused.data.length, actions };
      })
      .catch(() => null);
    return { markdown: incidentSummary(workflow, account?.name ?? old.account_id, this.now(), use) };
  }

  private replacement(workflow: Workflow): KeyRef {
    if (!workflow.new_key) throw new AppError('conflict', 'step: create the replacement first');
    return workflow.new_key;
  }

  private get(id: string): Workflow {
    const workflow = this.deps.state.workflow(id);
    if (!workflow) throw new AppError('not_found', `No rotation or incident ${id}.`);
    return workflow;
  }

  /** A workflow of the active connection: its keys live on that connection's platform and keychain. */
  private own(id: string): Workflow {
    const workflow = this.get(id);
    const active = this.deps.connections.activeInfo();
    if (workflow.connection_id !== active.id) {
      throw new AppError('conflict', `This ${workflow.kind} belongs to another connection: switch to it to go on.`);
    }
    return workflow;
  }

  /** The workflow, which must be the active connection's, in progress and at `step`. */
  private at(id: string, step: WorkflowStep): Workflow {
    const workflow = this.own(id);
    if (workflow.status !== 'in_progress')
      throw new AppError('conflict', `This ${workflow.kind} is ${workflow.status}.`);
    if (currentStep(workflow) !== step) {
      throw new AppError(
        'conflict',
        `step: this ${workflow.kind} is at “${currentStep(workflow) ?? 'done'}”, not “${step}”`,
      );
    }
    return workflow;
  }

  private next(workflow: Workflow): Workflow {
    workflow.step += 1;
    if (workflow.step >= stepsOf(workflow.kind).length) {
      workflow.status = 'done';
      this.note(workflow, workflow.kind === 'rotation' ? 'Rotation done' : 'Incident closed');
    }
    return this.save(workflow);
  }

  private note(workflow: Workflow, what: string): void {
    workflow.log.push({ at: this.now(), what });
  }

  private save(workflow: Workflow): Workflow {
    workflow.updated_at = this.now();
    this.deps.state.saveWorkflow(workflow, this.deps.clock.now());
    return workflow;
  }

  private now(): string {
    return isoOrNull(this.deps.clock.now()) as string;
  }
}
