// OS notifications for keys about to expire: at start and then once a day, for every inventory
// that can still change (the embedded platform and each remote one's last sync), at most one per
// key per day, across restarts. The key rules' own `expiring` rule decides which keys.
import { type AuditPolicy, breaksRule, factsOf } from '../../shared/audit';
import type { Clock, Timers } from '../../shared/clock';
import type { ApiKey } from '../../shared/domain';
import type { KeyPlatform } from '../../shared/key-platform';
import { allKeys } from '../../shared/platform-reads';
import { DAY_MS, utcDay } from '../../shared/utc-time';
import type { AppStateRepo } from '../store/app-state-repo';

/** What a click on a notice opens: one key, or the Audit page when several keys are due. */
export type NoticeTarget =
  | { connection_id: string; key_id: string; account_id: string }
  | { connection_id: string; page: 'audit' };

export interface Notice {
  title: string;
  body: string;
  target: NoticeTarget;
}

/** Shows a notice; the Electron adapter wraps `Notification`, tests record them. */
export interface Notifier {
  show(notice: Notice, onClick: () => void): void;
}

/** Above this many keys due on one connection, one summary notice replaces the individual ones. */
export const MAX_NOTICES_PER_CONNECTION = 3;

export interface ExpiryNoticeDeps {
  state: AppStateRepo;
  embedded: KeyPlatform;
  notifier: Notifier;
  clock: Clock;
  policy: () => AuditPolicy;
  /** Brings the window forward on what the notice names. */
  open: (target: NoticeTarget) => void;
  /** The daily check's timer; tests pass their own to run it by hand. */
  timers: Timers;
}

export class ExpiryNotices {
  private cancel: (() => void) | null = null;

  constructor(private readonly deps: ExpiryNoticeDeps) {}

  /** Checks now, then a little after each UTC midnight, until stopped. */
  start(onError: (error: unknown) => void): void {
    const run = () => {
      this.check().catch(onError);
      const now = this.deps.clock.now();
      const nextDay = (Math.floor(now / DAY_MS) + 1) * DAY_MS + 5_000;
      this.cancel = this.deps.timers.after(nextDay - now, run);
    };
    run();
  }

  stop(): void {
    this.cancel?.();
    this.cancel = null;
  }

  /** Shows what is due today and not yet shown; returns the notices shown. */
  async check(): Promise<Notice[]> {
    const now = this.deps.clock.now();
    const policy = this.deps.policy();
    const shown: Notice[] = [];
    for (const connection of this.deps.state.list()) {
      if (connection.kind === 'imported') continue; // a file someone handed over is not ours to watch
      const due = new Map<string, { key: ApiKey; daysLeft: number }>();
      for (const key of await this.expiring(connection.id, connection.kind === 'embedded', policy, now)) {
        // Calendar days (UTC), so a notice reads the same whenever in the day it is shown.
        const daysLeft = Math.floor(Date.parse(key.expires_at ?? '') / DAY_MS) - Math.floor(now / DAY_MS);
        due.set(key.id, { key, daysLeft });
      }
      const fresh = this.deps.state.claimNotices(connection.id, [...due.keys()], utcDay(now));
      const notices =
        fresh.length > MAX_NOTICES_PER_CONNECTION
          ? [summaryNotice(connection.id, connection.name, fresh.length, policy.expiringDays)]
          : fresh.map((keyId) =>
              keyNotice(connection.id, connection.name, due.get(keyId) as { key: ApiKey; daysLeft: number }),
            );
      for (const notice of notices) {
        this.deps.notifier.show(notice, () => this.deps.open(notice.target));
        shown.push(notice);
      }
    }
    return shown;
  }

  // The keys the `expiring` rule names: the embedded platform answers it with its flag filter
  // (start-up must not list a 100,000-key inventory to find the few that expire this week); a
  // remote connection's last sync is checked key by key with the same rule.
  private async expiring(connectionId: string, embedded: boolean, policy: AuditPolicy, now: number) {
    if (embedded) {
      const platform = this.deps.embedded;
      return allKeys(platform, (await platform.me()).id, { flag: 'expiring' });
    }
    return this.deps.state
      .cachedKeys(connectionId, 0, Number.MAX_SAFE_INTEGER)
      .filter((key) => breaksRule('expiring', factsOf(key), policy, now));
  }
}

function keyNotice(connectionId: string, connectionName: string, due: { key: ApiKey; daysLeft: number }): Notice {
  const { key, daysLeft } = due;
  const when = daysLeft <= 0 ? 'expires today' : daysLeft === 1 ? 'expires tomorrow' : `expires in ${daysLeft} days`;
  return {
    title: `API key ${when}`,
    body: `“${key.label}” (${key.partial_key}) on ${connectionName} ${when}, ${key.expires_at?.slice(0, 16).replace('T', ' ')} UTC. Rotate it before then.`,
    target: { connection_id: connectionId, key_id: key.id, account_id: key.account_id },
  };
}

function summaryNotice(connectionId: string, connectionName: string, count: number, days: number): Notice {
  return {
    title: `${count} API keys expire within ${days} days`,
    body: `On ${connectionName}. Open the audit to rotate or extend them.`,
    target: { connection_id: connectionId, page: 'audit' },
  };
}
