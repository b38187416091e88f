// The composition root of the main-process services, shared by the Electron shell and the test
// harness. It never imports electron: the host passes in what only it knows.
import type { AppInfo } from '../../shared/app-info';
import type { Handlers } from '../ipc/router';
import { appHandlers } from './app-handlers';

export interface AppHost {
  info: AppInfo;
  log: (line: string) => void;
}

export interface KeyholdApp {
  handlers: Handlers;
  close(): Promise<void>;
}

export async function createApp(host: AppHost): Promise<KeyholdApp> {
  const handlers: Handlers = {
    ...appHandlers(host.info),
  };
  return {
    handlers,
    async close() {},
  };
}
