// `keyhold serve` as a real process, as an operator starts it.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { KEYHOLD_NODE, keyholdArgs } from './keyhold-command';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** The bootstrap admin key, when this process made one. */
  adminKey: string | null;
  /** SIGTERM (a clean stop that flushes usage) or SIGKILL; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const ADMIN_KEY_LINE = /^sk-[0-9a-f]{8}\.[0-9A-Za-z]{49}$/m;

export const exited = (child: ChildProcess) =>
  new Promise<number | null>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done(child.exitCode);
    else child.on('exit', (code) => done(code));
  });

export function startServerProcess(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<ServerProcess> {
  const child = spawn(KEYHOLD_NODE, keyholdArgs('serve', '--port', '0', ...args), {
    cwd: options.cwd,
    env: options.env ?? process.env,
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk;
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return new Promise((done, fail) => {
    const timer = setInterval(() => {
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (!url) return;
      clearInterval(timer);
      done({
        child,
        url,
        output: () => output,
        adminKey: ADMIN_KEY_LINE.exec(output)?.[0] ?? null,
        stop: (signal = 'SIGTERM') => {
          child.kill(signal);
          return exited(child);
        },
      });
    }, 50);
    child.on('exit', (code) => {
      clearInterval(timer);
      fail(new Error(`server exited with ${code}: ${output}`));
    });
  });
}

/** A one-shot keyhold command (migrate, create-admin-key) run to the end. */
export function keyholdSync(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  return spawnSync(KEYHOLD_NODE, keyholdArgs(...args), {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: 'utf8',
  });
}
