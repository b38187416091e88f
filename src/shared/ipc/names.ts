// The IPC's channel and event names and nothing else. The preload builds `window.keyhold` from
// them; the contract (contract.ts) gives each its request schema and answer type and must name
// exactly these (the compiler checks). Kept apart so the preload and the window never build the
// contract's zod schemas: that cost every window ~0.1 s before its page's code could start.

export const CHANNELS = [
  'app:info',
  'connections:list',
  'connections:test',
  'connections:add',
  'connections:switch',
  'connections:remove',
  'connections:saveView',
  'connections:import',
  'inventory:load',
  'inventory:keys',
  'inventory:sync',
  'inventory:use',
  'accounts:create',
  'accounts:update',
  'workflows:list',
  'workflows:start',
  'workflows:replace',
  'workflows:revokeOld',
  'workflows:schedule',
  'workflows:advance',
  'workflows:cancel',
  'workflows:update',
  'workflows:setEnvVar',
  'workflows:copy',
  'workflows:writeEnv',
  'workflows:probe',
  'workflows:review',
  'workflows:requests',
  'workflows:summary',
  'keys:create',
  'keys:update',
  'keys:revoke',
  'keys:reactivate',
  'keys:delete',
  'keys:details',
  'keys:setEnvironment',
  'audit:policy',
  'audit:setPolicy',
  'audit:resetPolicy',
  'secrets:reveal',
  'secrets:copy',
  'secrets:forget',
  'scan:start',
  'scan:cancel',
] as const;

export const EVENTS = [
  'app:navigate',
  'inventory:progress',
  'import:progress',
  'scan:progress',
  'clipboard:settled',
  'scan:done',
] as const;

export type Channel = (typeof CHANNELS)[number];
export type EventName = (typeof EVENTS)[number];

const eventNames: ReadonlySet<string> = new Set(EVENTS);
export const isEventName = (name: string): name is EventName => eventNames.has(name);
