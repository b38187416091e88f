// Connects every contract channel to its handler on anything that looks like ipcMain.
// Electron's ipcMain in the app, an HTTP adapter in the test harness: the same code path runs.
import { AppError, type ErrorInfo } from '../../shared/errors';
import { contract, type ParsedRequestOf, type ResponseOf } from '../../shared/ipc/contract';
import { CHANNELS, type Channel } from '../../shared/ipc/names';
import { redactSecrets } from '../../shared/redact';
import { fail, ok, type Result } from '../../shared/result';
import { describeIssues } from '../../shared/validation';

/** The part of an invoke event the router looks at: which frame sent it. */
export interface InvokeEventLike {
  senderFrame?: { url: string } | null;
}

export interface IpcMainLike<E extends InvokeEventLike = InvokeEventLike> {
  handle(channel: string, listener: (event: E, request: unknown) => Promise<unknown>): void;
}

export type Handlers = {
  [C in Channel]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
};

export interface RouterOptions<E extends InvokeEventLike> {
  handlers: Handlers;
  /** True only for the app's own window loaded from the app's own origin. */
  isTrustedSender: (event: E) => boolean;
  log?: (line: string) => void;
}

export function registerRouter<E extends InvokeEventLike>(ipc: IpcMainLike<E>, options: RouterOptions<E>): void {
  for (const name of CHANNELS) {
    ipc.handle(name, async (event, request) => {
      if (!options.isTrustedSender(event)) {
        return fail({
          code: 'untrusted_sender',
          message: `${name} refused: the request did not come from Keyhold's window`,
        });
      }
      return dispatch(name, request, options);
    });
  }
}

/** Validates the request, runs the handler, and turns every outcome into a Result. */
export async function dispatch<C extends Channel>(
  name: C,
  request: unknown,
  options: Pick<RouterOptions<InvokeEventLike>, 'handlers' | 'log'>,
): Promise<Result<ResponseOf<C>>> {
  const parsed = contract[name].request.safeParse(request);
  if (!parsed.success) return fail({ code: 'invalid_request', message: describeIssues(parsed.error) });
  try {
    const handler = options.handlers[name] as (req: unknown) => Promise<ResponseOf<C>> | ResponseOf<C>;
    return ok(await handler(parsed.data));
  } catch (error) {
    return fail(toErrorInfo(error, name, options.log));
  }
}

export function toErrorInfo(error: unknown, context: string, log?: (line: string) => void): ErrorInfo {
  if (error instanceof AppError) return { code: error.code, message: redactSecrets(error.message) };
  // Unexpected: keep the detail in the log (redacted), give the window a message without internals.
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  log?.(redactSecrets(`${context} failed: ${detail}`));
  return { code: 'internal', message: `${context} failed unexpectedly; the details are in Keyhold's log.` };
}
