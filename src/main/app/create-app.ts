// The composition root of the main-process services, shared by the Electron shell and the test
// harness. It never imports electron: the host passes in what only it has (keychain, clipboard,
// a way to send events to the window).
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Keychain } from '../../keychain/keychain';
import { EmbeddedPlatform } from '../../platform/embedded-platform';
import { openDatabase } from '../../platform/store/sqlite/database';
import { openSqliteEngine } from '../../platform/store/sqlite/open-engine';
import type { AppInfo } from '../../shared/app-info';
import { type Clock, systemClock, systemTimers, type Timers } from '../../shared/clock';
import type { RandomBytes } from '../../shared/key-format';
import type { Handlers } from '../ipc/router';
import { APP_MIGRATIONS } from '../store/app-migrations';
import { AppStateRepo } from '../store/app-state-repo';
import { SyncCache } from '../store/sync-cache';
import { AccountActions } from './account-actions';
import { appHandlers } from './app-handlers';
import { AuditSettings } from './audit-settings';
import { type Clipboard, ClipboardGuard } from './clipboard-guard';
import { Connections } from './connections';
import { ExpiryNotices, type Notifier } from './expiry-notices';
import { type Emit, Inventory } from './inventory';
import { type ReadInventory, workerInventoryReader } from './inventory-reader';
import { KeyActions } from './key-actions';
import { KeyUseReader } from './key-use';
import { LeakScans } from './leak-scans';
import { Secrets } from './secrets';
import { viewHeadInWorker } from './view-head';
import type { WorkerFile } from './worker-file';
import { Workflows } from './workflows';

export interface AppHost {
  info: AppInfo;
  log: (line: string) => void;
  keychain: Keychain;
  clipboard: Clipboard;
  emit: Emit;
  /** Who acts on the embedded platform, as written in key events (`user:<name>`). */
  userName: string;
  clock?: Clock;
  timers?: Timers;
  /** Randomness for connection ids and the embedded platform's ids and keys (a CSPRNG outside tests). */
  random?: RandomBytes;
  /** Reads inventory files off the event loop; the worker thread next to create-app by default. */
  readInventory?: ReadInventory;
  /** The saved view's worker (view-head-worker): the built file next to main's bundle by default. */
  viewHeadWorker?: WorkerFile;
  /** better_sqlite3.node built for Electron. */
  nativeBinding?: string;
  clipboardClearMs?: number;
  /** Shows expiry notices (Electron's Notification, or a recorder in the harness); none: no notices. */
  notifier?: Notifier;
  /** Brings the window forward (Electron); the page and key to show are sent as app:navigate. */
  focusWindow?: () => void;
}

export interface KeyholdApp {
  handlers: Handlers;
  close(): Promise<void>;
}

export async function createApp(host: AppHost): Promise<KeyholdApp> {
  const clock = host.clock ?? systemClock;
  const timers = host.timers ?? systemTimers;
  const random = host.random ?? ((size: number) => randomBytes(size));
  mkdirSync(host.info.dataDir, { recursive: true, mode: 0o700 }); // its databases are 0600 (database.ts)
  const binding = host.nativeBinding ? { nativeBinding: host.nativeBinding } : {};
  const appDb = openDatabase(join(host.info.dataDir, 'app-state.db'), { migrations: APP_MIGRATIONS, ...binding });
  const state = new AppStateRepo(appDb);
  const auditSettings = new AuditSettings(state);
  // The embedded platform's `flag` filter reads the policy set in Settings, as the audit does.
  const engine = openSqliteEngine(join(host.info.dataDir, 'platform.db'), {
    clock,
    policy: () => auditSettings.get().policy,
    timers,
    random,
    onFlushError: (error) =>
      host.log(`writing key usage: ${error instanceof Error ? error.message : String(error)} (kept for the next try)`),
    ...binding,
  }).start();

  const embedded = await EmbeddedPlatform.open(engine, { kind: 'user', name: host.userName });
  const readInventory = host.readInventory ?? workerInventoryReader();
  const connections = new Connections(state, host.keychain, embedded, clock, random, readInventory).start();
  const inventory = new Inventory(
    connections,
    state,
    host.keychain,
    clock,
    host.emit,
    embedded,
    {
      policy: () => auditSettings.get().policy,
      headOf: viewHeadInWorker(host.viewHeadWorker),
      log: host.log,
    },
    new SyncCache(appDb, state),
  );
  // After the host has created the window (it awaits this function): main reads while the window loads.
  const preparing = setImmediate(() => {
    inventory.prepareKeys().catch((error: unknown) => {
      host.log(
        `reading the inventory ahead: ${error instanceof Error ? error.message : String(error)} (the window reads it itself)`,
      );
    });
  });
  const keyUse = new KeyUseReader(connections, state, clock, () => auditSettings.get().policy);
  const keys = new KeyActions(connections, state, host.keychain);
  const accounts = new AccountActions(connections, state);
  const guard = new ClipboardGuard(host.clipboard, timers, host.clipboardClearMs, (outcome) =>
    host.emit('clipboard:settled', { outcome }),
  );
  const secrets = new Secrets(connections, host.keychain, guard);
  const workflows = new Workflows({
    state,
    connections,
    keys,
    secrets,
    clock,
    random,
    retentionDays: () => auditSettings.get().policy.revokedRetentionDays,
  });
  const notices = host.notifier
    ? new ExpiryNotices({
        state,
        embedded,
        notifier: host.notifier,
        clock,
        timers,
        policy: () => auditSettings.get().policy,
        open: (target) => {
          host.focusWindow?.();
          host.emit(
            'app:navigate',
            'key_id' in target
              ? {
                  page: 'keys',
                  connection_id: target.connection_id,
                  key: { account_id: target.account_id, key_id: target.key_id },
                }
              : { page: 'audit', connection_id: target.connection_id },
          );
        },
      })
    : null;
  notices?.start((error) => host.log(`expiry notices: ${error instanceof Error ? error.message : String(error)}`));

  const scans = new LeakScans(host.emit);

  const handlers: Handlers = {
    ...appHandlers(host.info),
    'connections:list': () => connections.list(),
    'connections:test': (r) => connections.test(r.base_url, r.api_key),
    'connections:add': (r) => connections.add(r),
    'connections:switch': (r) => connections.switch(r.id),
    'connections:remove': (r) => connections.remove(r.id),
    'connections:saveView': (r) => connections.saveView(r.id, r.view),
    'connections:import': (r) =>
      connections.import(r.file_name, r.content, (done, total) =>
        host.emit('import:progress', { file_name: r.file_name, done, total }),
      ),
    'inventory:load': () => inventory.load(),
    'inventory:keys': () => inventory.keys(),
    'inventory:sync': async () => {
      const head = await inventory.sync();
      if (!head.offline && head.connection.kind === 'remote') {
        const { platform } = await connections.active();
        await keyUse.sync(head.connection.id, platform, host.log);
      }
      return head;
    },
    'inventory:use': () => keyUse.read(),
    'accounts:create': (r) => accounts.create(r.parent_id, r.name),
    'accounts:update': ({ account_id, ...patch }) => accounts.update(account_id, patch),
    'workflows:list': () => ({ workflows: workflows.list(), env_var: workflows.envVar() }),
    'workflows:start': (r) => workflows.start(r.kind, r.account_id, r.key_id, r.exposed_at),
    'workflows:replace': ({ id, ...input }) => workflows.replace(id, input),
    'workflows:revokeOld': (r) => workflows.revokeOld(r.id),
    'workflows:schedule': (r) => workflows.schedule(r.id),
    'workflows:advance': (r) => workflows.advance(r.id, r.step),
    'workflows:cancel': (r) => workflows.cancel(r.id),
    'workflows:update': ({ id, ...patch }) => workflows.update(id, patch),
    'workflows:setEnvVar': (r) => ({ env_var: workflows.setEnvVar(r.name) }),
    'workflows:copy': (r) => workflows.copy(r.id, r.format),
    'workflows:writeEnv': (r) => workflows.writeEnv(r.id, r.path, r.confirm_name),
    'workflows:probe': (r) => workflows.probe(r.id),
    'workflows:review': (r) => workflows.review(r.id),
    'workflows:requests': ({ id, ...query }) => workflows.requests(id, query),
    'workflows:summary': (r) => workflows.summary(r.id),
    'keys:create': ({ account_id, ...input }) => keys.create(account_id, input),
    'keys:update': ({ account_id, key_id, ...patch }) => keys.update(account_id, key_id, patch),
    'keys:revoke': (r) => keys.revoke(r.account_id, r.key_id),
    'keys:reactivate': (r) => keys.reactivate(r.account_id, r.key_id),
    'keys:delete': (r) => keys.delete(r.account_id, r.key_id),
    'keys:details': (r) => keys.details(r.account_id, r.key_id),
    'keys:setEnvironment': (r) => ({ environments: connections.setEnvironment(r.key_id, r.environment) }),
    'audit:policy': () => auditSettings.get(),
    'audit:setPolicy': (r) => auditSettings.set(r.policy),
    'audit:resetPolicy': () => auditSettings.reset(),
    'secrets:reveal': (r) => secrets.reveal(r.key_id),
    'secrets:copy': (r) => secrets.copy(r.key_id, r.format),
    'secrets:forget': (r) => secrets.forget(r.key_id),
    'scan:start': (r) => scans.start(r.paths, r.git_history),
    'scan:cancel': () => scans.cancel(),
  };

  return {
    handlers,
    async close() {
      clearImmediate(preparing);
      notices?.stop();
      await scans.close();
      guard.flush();
      await engine.close();
      appDb.close();
    },
  };
}
