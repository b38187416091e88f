import type { AppInfo } from '../../shared/app-info';
import type { Handlers } from '../ipc/router';

export function appHandlers(info: AppInfo): Pick<Handlers, 'app:info'> {
  return { 'app:info': () => info };
}
