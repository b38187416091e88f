#!/usr/bin/env node
// The `keyhold` command: the platform's server, the audit, and keys from a terminal.
// Exit codes, one rule for every command: 0 done; 1 the operation failed (something not found
// included) or, for audit and scan, a finding reached --fail-on; 2 a usage error (called wrongly).
import { AppError } from '../shared/errors';
import {
  ACCOUNTS_ACTIVATE_USAGE,
  ACCOUNTS_CREATE_USAGE,
  ACCOUNTS_DEACTIVATE_USAGE,
  ACCOUNTS_LIST_USAGE,
  ACCOUNTS_RENAME_USAGE,
  ACCOUNTS_USAGE,
  AUDIT_USAGE,
  CREATE_ADMIN_KEY_USAGE,
  KEYS_CREATE_USAGE,
  KEYS_LIST_USAGE,
  KEYS_SCHEDULE_DELETE_USAGE,
  KEYS_USAGE,
  MIGRATE_USAGE,
  RUN_USAGE,
  SCAN_USAGE,
  SERVE_USAGE,
  SYNC_USAGE,
} from './help-texts';
import { forTerminal } from './terminal';
import { EXIT, UsageError } from './usage';

const USAGE = `Usage:\n${[AUDIT_USAGE, SYNC_USAGE, SCAN_USAGE, RUN_USAGE, KEYS_USAGE, ACCOUNTS_USAGE, SERVE_USAGE, MIGRATE_USAGE, CREATE_ADMIN_KEY_USAGE].map((text) => `  ${text.replaceAll('\n', '\n  ')}`).join('\n')}\n  keyhold --help | keyhold <command> --help
Exit codes: 0 done; 1 the operation failed (not found included), or a finding reached --fail-on;
2 a usage error (an unknown command or option, a missing or malformed value, a path that is not there).`;

/** Commands with subcommands, and the usage shown for the group alone. */
const GROUPS: Record<string, string> = { keys: KEYS_USAGE, accounts: ACCOUNTS_USAGE };

type Command = { usage: string; run: (args: string[]) => Promise<number> };

export async function main(
  argv: string[],
  now = Date.now(),
  out = (text: string) => void process.stdout.write(text),
): Promise<number> {
  // Each command's module is loaded when it runs: a scan or a hook does not pay for the server,
  // the database driver or the HTTP client it does not use.
  const commands: Record<string, Command> = {
    audit: { usage: AUDIT_USAGE, run: async (args) => (await import('./audit-command')).auditCommand(args, now, out) },
    sync: { usage: SYNC_USAGE, run: async (args) => (await import('./sync-command')).syncCommand(args, now, out) },
    scan: { usage: SCAN_USAGE, run: async (args) => (await import('./scan-command')).scanCommand(args, now, out) },
    run: { usage: RUN_USAGE, run: async (args) => (await import('./run-command')).runCommand(args, now) },
    'keys list': {
      usage: KEYS_LIST_USAGE,
      run: async (args) => (await import('./keys-commands')).keysList(args, now, out),
    },
    'keys create': {
      usage: KEYS_CREATE_USAGE,
      run: async (args) => (await import('./keys-commands')).keysCreate(args, now, out),
    },
    'keys schedule-delete': {
      usage: KEYS_SCHEDULE_DELETE_USAGE,
      run: async (args) => (await import('./keys-commands')).keysScheduleDelete(args, now, out),
    },
    'accounts list': {
      usage: ACCOUNTS_LIST_USAGE,
      run: async (args) => (await import('./accounts-commands')).accountsList(args, out),
    },
    'accounts create': {
      usage: ACCOUNTS_CREATE_USAGE,
      run: async (args) => (await import('./accounts-commands')).accountsCreate(args, out),
    },
    'accounts rename': {
      usage: ACCOUNTS_RENAME_USAGE,
      run: async (args) => (await import('./accounts-commands')).accountsRename(args, out),
    },
    'accounts deactivate': {
      usage: ACCOUNTS_DEACTIVATE_USAGE,
      run: async (args) => (await import('./accounts-commands')).accountsSetStatus('inactive')(args, out),
    },
    'accounts activate': {
      usage: ACCOUNTS_ACTIVATE_USAGE,
      run: async (args) => (await import('./accounts-commands')).accountsSetStatus('active')(args, out),
    },
    serve: {
      usage: SERVE_USAGE,
      run: async (args) => {
        await (await import('./server-commands')).serve(args);
        return EXIT.ok;
      },
    },
    migrate: {
      usage: MIGRATE_USAGE,
      run: async (args) => {
        await (await import('./server-commands')).migrate(args, out);
        return EXIT.ok;
      },
    },
    'create-admin-key': {
      usage: CREATE_ADMIN_KEY_USAGE,
      run: async (args) => {
        await (await import('./server-commands')).createAdminKey(args);
        return EXIT.ok;
      },
    },
  };
  const [first, second] = argv;
  const grouped = first !== undefined && first in GROUPS;
  const name = grouped && second !== undefined && !second.startsWith('-') ? `${first} ${second}` : first;
  const args = argv.slice(name?.includes(' ') ? 2 : 1);
  const command = name === undefined ? undefined : commands[name];
  // Only keyhold's own options: what follows `--` belongs to the command `keyhold run` starts.
  const own = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
  const help = own.includes('--help') || own.includes('-h');
  try {
    if (name === undefined || name === '--help' || name === '-h') {
      out(`${USAGE}\n`);
      return name === undefined ? EXIT.usage : EXIT.ok;
    }
    const group = GROUPS[name];
    if (group !== undefined) {
      out(`Usage:\n  ${group.replaceAll('\n', '\n  ')}\n`);
      return help ? EXIT.ok : EXIT.usage;
    }
    if (!command) {
      // One line saying what is wrong and the commands there are, not the whole help.
      const unknown = forTerminal(argv.slice(0, grouped ? 2 : 1).join(' '));
      process.stderr.write(
        `keyhold: unknown command "${unknown}"\nCommands: ${Object.keys(commands).join(', ')}\n` +
          'Run keyhold --help for their options.\n',
      );
      return EXIT.usage;
    }
    if (help) {
      out(`Usage:\n  ${command.usage.replaceAll('\n', '\n  ')}\n`);
      return EXIT.ok;
    }
    return await command.run(args);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(
        `keyhold: ${(error as Error).message}\n\nUsage:\n  ${(command?.usage ?? USAGE).replaceAll('\n', '\n  ')}\n`,
      );
      return EXIT.usage;
    }
    process.stderr.write(
      `keyhold: ${error instanceof AppError || error instanceof Error ? error.message : String(error)}\n`,
    );
    return EXIT.failed;
  }
}

/** Runs the command line; `serve` keeps the process alive, every other command ends with its code. */
export function run(argv: string[]): void {
  void main(argv).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) run(process.argv.slice(2));
