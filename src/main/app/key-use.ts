// The request log's account of the active connection's keys, for the audit's activity rules (a
// new source, many sources, refused attempts): read live from the embedded platform, and from a
// remote one at each sync into the local cache, so the audit has it offline too.
import type { AuditPolicy } from '../../shared/audit';
import type { Clock } from '../../shared/clock';
import type { InventoryKeyUse } from '../../shared/ipc/window-data';
import type { KeyPlatform } from '../../shared/key-platform';
import { DAY_MS } from '../../shared/utc-time';
import type { AppStateRepo } from '../store/app-state-repo';
import { type Connections, describeConnectionFailure } from './connections';

export class KeyUseReader {
  constructor(
    private readonly connections: Connections,
    private readonly state: AppStateRepo,
    private readonly clock: Clock,
    private readonly policy: () => AuditPolicy,
  ) {}

  /** The window of the policy's activity rules, ending now. */
  private since(): string {
    return new Date(this.clock.now() - this.policy().recentUseDays * DAY_MS).toISOString();
  }

  async read(): Promise<InventoryKeyUse> {
    const info = this.connections.activeInfo();
    const none = (missing_reason: string): InventoryKeyUse => ({
      connection_id: info.id,
      since: null,
      use: [],
      missing_reason,
    });
    if (info.kind !== 'embedded') {
      const cached = this.state.cachedKeyUse(info.id);
      if (cached === null) {
        return none(
          info.kind === 'imported'
            ? 'the inventory file holds no key use'
            : 'the platform’s request log is read at the next sync',
        );
      }
      return { connection_id: info.id, since: cached.since, use: cached.use, missing_reason: null };
    }
    const { platform } = await this.connections.active();
    const since = this.since();
    const use = await platform.keyUse((await platform.me()).id, since);
    return { connection_id: info.id, since, use, missing_reason: null };
  }

  /**
   * After a sync of a remote connection: its key use into the cache. A platform too old to have a
   * request log keeps the connection usable (its activity rules find nothing); other failures keep
   * the last copy and say so.
   */
  async sync(connectionId: string, platform: KeyPlatform, log: (message: string) => void): Promise<void> {
    const since = this.since();
    try {
      const use = await platform.keyUse((await platform.me()).id, since);
      this.state.replaceKeyUse(connectionId, since, use);
    } catch (error) {
      const failure = describeConnectionFailure(error);
      if (failure.code === 'not_found') this.state.replaceKeyUse(connectionId, since, []);
      else log(`reading the platform's key use: ${failure.message} (the last copy is kept)`);
    }
  }
}
