// The IPC contract: every channel the renderer may call, with its request schema and response
// type, and every event main may send. Channel names are written here and nowhere else; the
// router, the preload and the test harness all iterate `channels` and `events`.
import { z } from 'zod';
import type { AppInfo, PAGES } from '../app-info';

interface ChannelSpec<Req extends z.ZodType, Res> {
  request: Req;
  /** Type-only marker; never read at run time. */
  response?: Res;
}

/** `channel<Response>()(requestSchema)`: fixes the response type, infers the request type. */
const channel =
  <Res>() =>
  <Req extends z.ZodType>(request: Req): ChannelSpec<Req, Res> => ({ request });

const event = <Payload>(): { payload?: Payload } => ({});

const empty = z.object({}).strict();

export const contract = {
  'app:info': channel<AppInfo>()(empty),
};

export const eventContract = {
  /** The app menu asks the window to show a page. */
  'app:navigate': event<{ page: (typeof PAGES)[number] }>(),
};

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type RequestOf<C extends Channel> = z.input<Contract[C]['request']>;
export type ParsedRequestOf<C extends Channel> = z.output<Contract[C]['request']>;
export type ResponseOf<C extends Channel> = NonNullable<Contract[C]['response']>;

export type EventName = keyof typeof eventContract;
export type EventPayload<E extends EventName> = NonNullable<(typeof eventContract)[E]['payload']>;

export const channels = Object.keys(contract) as Channel[];
export const events = Object.keys(eventContract) as EventName[];

export const isChannel = (name: string): name is Channel => Object.hasOwn(contract, name);
export const isEventName = (name: string): name is EventName => Object.hasOwn(eventContract, name);
