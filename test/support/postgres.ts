// A throwaway PostgreSQL cluster for the tests: initdb in a temporary folder, a server listening
// only on a Unix socket there, removed afterwards. PostgreSQL refuses to run as root, so as root the
// cluster runs as the `postgres` user Debian's package creates.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PgClusterInfo {
  socketDir: string;
  port: number;
  /** The superuser, with trust authentication on the socket. */
  user: string;
}

export interface PgCluster extends PgClusterInfo {
  stop(): void;
}

/** The connection string of one database on the cluster. */
export const pgUrl = (info: PgClusterInfo, database: string): string =>
  `postgresql://${info.user}@/${database}?host=${encodeURIComponent(info.socketDir)}&port=${info.port}`;

/** Where Debian puts the server's programs (the newest version there), or PG_BINDIR. */
function binDir(): string {
  if (process.env.PG_BINDIR) return process.env.PG_BINDIR;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error("PostgreSQL's server is not installed: `npm run setup` installs Debian's postgresql package.");
  }
  return join(root, versions[0] as string, 'bin');
}

export function startPostgres(settings: Record<string, string> = {}): PgCluster {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (program: string, args: string[]) => {
    const command = asRoot ? 'runuser' : join(bin, program);
    const argv = asRoot ? ['-u', 'postgres', '--', join(bin, program), ...args] : args;
    const result = spawnSync(command, argv, { encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`${program} failed (${result.status}): ${result.stderr || result.stdout || result.error}`);
    }
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const user = 'keyhold';
  const port = 20_000 + Math.floor(Math.random() * 40_000);
  const options = {
    listen_addresses: "''",
    unix_socket_directories: `'${dir}'`,
    port: String(port),
    ...settings,
  };
  try {
    run('initdb', ['-D', data, '-A', 'trust', '-U', user, '-E', 'UTF8', '--locale=C', '--no-sync']);
    const flags = Object.entries(options)
      .map(([name, value]) => `-c ${name}=${value}`)
      .join(' ');
    run('pg_ctl', ['-D', data, '-o', flags, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    socketDir: dir,
    port,
    user,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
