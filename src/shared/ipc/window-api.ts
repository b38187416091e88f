// Builds the object the renderer sees as `window.keyhold` from the contract and a transport.
// The preload passes Electron IPC, the test harness passes HTTP on loopback; the shape is the same
// and no generic `invoke` is ever exposed, only one function per contract channel.
import type { Result } from '../result';
import type { EventPayload, RequestOf, ResponseOf } from './contract';
import { CHANNELS, type Channel, type EventName, isEventName } from './names';

type DomainOf<C extends string> = C extends `${infer D}:${string}` ? D : never;
type VerbOf<C extends string, D extends string> = C extends `${D}:${infer V}` ? V : never;

/** Channels whose request is all optional can be called without an argument. */
// biome-ignore lint/complexity/noBannedTypes: `{}` is exactly "a request with no required field"
type CallArgs<C extends Channel> = {} extends RequestOf<C> ? [request?: RequestOf<C>] : [request: RequestOf<C>];

export type Call<C extends Channel> = (...args: CallArgs<C>) => Promise<Result<ResponseOf<C>>>;

export type ChannelFunctions = {
  [D in DomainOf<Channel>]: { [V in VerbOf<Channel, D>]: Call<`${D}:${V}` & Channel> };
};

export type Subscribe = <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => () => void;

export type WindowApi = ChannelFunctions & { on: Subscribe };

export interface Transport {
  invoke(channel: Channel, request: unknown): Promise<unknown>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

/**
 * Asked for as soon as the window exists, before its page's code has loaded: the first screen's
 * largest answers (stores/start.ts asks for the same), which main then writes, and which travel,
 * while the page starts. The page's first call of each (with no request) takes that answer; later
 * calls ask again.
 */
export const ASKED_AT_START: readonly Channel[] = ['inventory:load', 'inventory:keys'];

const refusedSender = (answer: unknown): boolean =>
  (answer as { error?: { code?: string } } | null)?.error?.code === 'untrusted_sender';

export function buildWindowApi(transport: Transport): WindowApi {
  const early = new Map(ASKED_AT_START.map((name) => [name, transport.invoke(name, {})]));
  // A failure is the page's to see when it takes the answer; one never taken is not an error.
  for (const asked of early.values()) asked.catch(() => undefined);
  const api: Record<string, Record<string, unknown>> = {};
  for (const name of CHANNELS) {
    const [domain, verb] = name.split(':') as [string, string];
    api[domain] ??= {};
    api[domain][verb] = (request?: unknown) => {
      const asked = early.get(name);
      early.delete(name);
      if (!asked || request !== undefined) return transport.invoke(name, request ?? {});
      // Asked before the page was the app's own (main refuses an unknown sender): ask again now.
      return asked.then((answer) => (refusedSender(answer) ? transport.invoke(name, {}) : answer));
    };
  }
  const on: Subscribe = (event, listener) => {
    if (!isEventName(event)) throw new Error(`Unknown event: ${String(event)}`);
    return transport.subscribe(event, listener as (payload: unknown) => void);
  };
  return { ...(api as ChannelFunctions), on };
}
