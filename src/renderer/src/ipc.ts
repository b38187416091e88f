// The one door from the renderer to main: window.keyhold with every Result unwrapped, so stores
// can `await ipc.app.info()` and catch an AppError that carries the code and a readable message.
import { AppError } from '../../shared/errors';
import type { ChannelFunctions } from '../../shared/ipc/window-api';
import type { Result } from '../../shared/result';

type Unwrapped<F> = F extends (...args: infer A) => Promise<Result<infer T>> ? (...args: A) => Promise<T> : never;
export type Ipc = {
  [D in keyof ChannelFunctions]: { [V in keyof ChannelFunctions[D]]: Unwrapped<ChannelFunctions[D][V]> };
};

async function unwrap<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending;
  if (result.ok) return result.data;
  throw new AppError(result.error.code, result.error.message);
}

function createIpc(): Ipc {
  const raw = window.keyhold as unknown as Record<
    string,
    Record<string, (request?: unknown) => Promise<Result<unknown>>>
  >;
  const calls: Record<string, Record<string, unknown>> = {};
  for (const [domain, functions] of Object.entries(raw)) {
    if (typeof functions !== 'object') continue; // `on`
    calls[domain] = Object.fromEntries(
      Object.entries(functions).map(([verb, call]) => [verb, (request?: unknown) => unwrap(call(request))]),
    );
  }
  return calls as Ipc;
}

export const ipc = createIpc();
export const onEvent = window.keyhold.on;

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
