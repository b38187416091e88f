// `keyhold scan`: finds the platform's keys in files and git history and says, from the inventory,
// which are live. Never prints a secret: a key is its partial key.
import { accessSync, constants, existsSync, lstatSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { HookExistsError, installPreCommitHook, repositoryOf } from '../scan/git';
import { DEFAULT_MAX_FILE_BYTES, type RawScan, scanPaths } from '../scan/scan';
import {
  classifyHits,
  historyPlace,
  historyState,
  inventoryIndex,
  type KeyLocation,
  type KnownKey,
  placeText,
  reachesSeverity,
  type ScanFinding,
  SKIP_REASON_TEXT,
  type SkippedPath,
  skipSummary,
} from '../shared/scan/findings';
import { toSarif } from '../shared/scan/sarif';
import { toSafeJson } from '../shared/text-rules';
import { appPlatformDb } from './app-data-dir';
import { forTerminal } from './terminal';
import { EXIT, number, UsageError } from './usage';

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** The inventory: --db, --url or --file; by default the app's platform, or none when there is none. */
async function inventory(
  values: { db?: string; url?: string; file?: string },
  now: number,
): Promise<{ index: Map<string, KnownKey>; name: string }> {
  // Loaded only when there is an inventory to read: a scan without one (a hook on a machine
  // without the app) starts without the database driver and the HTTP client.
  const explicit = values.db !== undefined || values.url !== undefined || values.file !== undefined;
  if (!explicit && !existsSync(appPlatformDb())) {
    return { index: new Map(), name: 'none (the app has no embedded platform here)' };
  }
  const { fetchSnapshot, loadSnapshot, openPlatform } = await import('./sources');
  if (explicit) {
    const snapshot = await loadSnapshot(values, now);
    return { index: inventoryIndex(snapshot), name: snapshot.source.name };
  }
  const source = await openPlatform({});
  try {
    const snapshot = await fetchSnapshot(source, now);
    return { index: inventoryIndex(snapshot), name: source.name };
  } finally {
    await source.close();
  }
}

/** The command line that runs this same keyhold again (for the hook): node, its loader flags, the script. */
function selfCommand(): string {
  const quote = (part: string) => `'${part.replaceAll("'", `'\\''`)}'`;
  return [process.execPath, ...process.execArgv, process.argv[1] as string, 'scan', '--staged', '--fail-on', 'warning']
    .map(quote)
    .join(' ');
}

const SEVERITY_LABEL = { critical: 'CRITICAL', warning: 'WARNING ', info: 'INFO    ' } as const;

function locationText(location: KeyLocation): string {
  const at = placeText(location);
  if (location.origin === 'staged') return `staged: ${at}`;
  if (location.origin === 'file') return at;
  if (location.commit === null) return `history: ${at}, in an object no commit brought in`;
  const date = location.author_date ? ` (${location.author_date})` : '';
  return `history: ${historyPlace(location)}${date}, ${historyState(location)}`;
}

function findingText(finding: ScanFinding): string {
  const head = SEVERITY_LABEL[finding.severity];
  if (finding.kind === 'exposed_file') {
    const what =
      finding.state === 'tracked'
        ? 'is tracked by git: git rm --cached it and list it in .gitignore'
        : 'is not covered by .gitignore: list it there';
    return `${head}  ${forTerminal(finding.path)} ${what}\n`;
  }
  let about: string;
  if (finding.kind === 'lookalike') about = "has a key's shape but its checksum fails: not a key";
  else if (!finding.key) about = 'not in the inventory';
  else {
    const { status, label, account_name, last_used_at } = finding.key;
    about = `${status} "${forTerminal(label)}" in ${forTerminal(account_name)}, last used ${last_used_at ?? 'never'}`;
  }
  const places = finding.locations.map((location) => `          ${forTerminal(locationText(location))}\n`).join('');
  return `${head}  ${finding.partial_key}…  ${about}\n${places}`;
}

function skippedText({ path, reason }: SkippedPath): string {
  return `SKIPPED   ${forTerminal(path)}: ${SKIP_REASON_TEXT[reason]}\n`;
}

function summaryText(scan: RawScan, findings: ScanFinding[], inventoryName: string, history: boolean): string {
  const { counts } = scan;
  const skipped = skipSummary(counts.skipped);
  const mb = (counts.bytes / 1_048_576).toFixed(1);
  const repos = counts.repositories.length;
  const bySeverity = (['critical', 'warning', 'info'] as const).map(
    (severity) => `${findings.filter((finding) => finding.severity === severity).length} ${severity}`,
  );
  return (
    `Scanned ${counts.files} files (${mb} MB)${history ? `, and the history of ${repos} ${repos === 1 ? 'repository' : 'repositories'}` : ''}.` +
    `${skipped.length > 0 ? ` Skipped: ${skipped.join(', ')}.` : ''}\n` +
    `Inventory: ${forTerminal(inventoryName)}\n` +
    `${findings.length} findings: ${bySeverity.join(', ')}.\n`
  );
}

/**
 * A path named on the command line that is not there is a mistake (a typo in a CI job), not a clean
 * scan: a usage error. What the walk meets inside a folder is only reported as skipped.
 */
function mustBeReadable(path: string): void {
  let link: boolean;
  try {
    link = lstatSync(path).isSymbolicLink();
  } catch {
    throw new UsageError(`no such file or folder: ${forTerminal(path)}`);
  }
  if (link) return; // never followed: the scan reports it as skipped
  try {
    accessSync(path, constants.R_OK);
  } catch {
    throw new UsageError(`cannot read ${forTerminal(path)}: permission denied`);
  }
}

export async function scanCommand(args: string[], now: number, out: (text: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'git-history': { type: 'boolean', default: false },
      staged: { type: 'boolean', default: false },
      db: { type: 'string' },
      url: { type: 'string' },
      file: { type: 'string' },
      json: { type: 'boolean', default: false },
      sarif: { type: 'boolean', default: false },
      'fail-on': { type: 'string' },
      'max-file-mb': { type: 'string' },
      'install-hook': { type: 'boolean', default: false },
      append: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      'sarif-lookalikes': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values['install-hook']) {
    const repo = repositoryOf(positionals[0] ?? process.cwd());
    if (!repo) throw new UsageError(`--install-hook: ${positionals[0] ?? 'this folder'} is not in a git repository`);
    try {
      const hook = installPreCommitHook(repo, selfCommand(), values.append);
      out(`Pre-commit hook ${hook.action}: ${forTerminal(hook.path)}\n`);
      return EXIT.ok;
    } catch (error) {
      if (error instanceof HookExistsError) {
        process.stderr.write(`keyhold: ${error.message}\n`);
        return EXIT.failed;
      }
      throw error;
    }
  }
  const threshold = values['fail-on'];
  if (threshold !== undefined && threshold !== 'warning' && threshold !== 'critical') {
    throw new UsageError(`--fail-on must be warning or critical, got "${threshold}"`);
  }
  if (values.json && values.sarif) throw new UsageError('give --json or --sarif, not both');
  if (values.staged && values['git-history']) throw new UsageError('give --staged or --git-history, not both');
  const maxFileMb = number(values['max-file-mb'], 'max-file-mb', DEFAULT_MAX_FILE_BYTES / 1_048_576, 1);
  for (const path of positionals) mustBeReadable(path);

  // The scan's threads start first and work while the inventory loads (a remote one takes a round
  // trip, the embedded one a database read); an inventory that cannot be read stops the scan.
  const stop = new AbortController();
  const scanning = scanPaths({
    paths: positionals,
    cwd: process.cwd(),
    gitHistory: values['git-history'],
    staged: values.staged,
    maxFileBytes: Math.round(maxFileMb * 1_048_576),
    signal: stop.signal,
  });
  // Handled here too: a scan that fails while the inventory loads is reported when awaited below.
  scanning.catch(() => undefined);
  const { index, name } = await inventory(values, now).catch(async (error: unknown) => {
    stop.abort();
    await scanning.catch(() => undefined);
    throw error;
  });
  const scan = await scanning;
  const findings = classifyHits(scan.hits, index, scan.exposed);
  const failed = threshold !== undefined && reachesSeverity(findings, threshold);

  if (values.sarif) {
    // Code scanning resolves a URI against the repository's root, not the folder the scan ran in.
    const root = repositoryOf(process.cwd());
    const fromRoot = (path: string) =>
      root === null ? path : relative(root, resolve(process.cwd(), path)).split(sep).join('/');
    const sarif = toSarif(findings, version(), {
      fromRoot,
      lookalikes: values['sarif-lookalikes'],
      skipped: scan.skipped_paths,
    });
    out(`${toSafeJson(sarif, 2)}\n`);
  } else if (values.json) {
    const report = {
      scanned_at: new Date(now).toISOString(),
      inventory: name,
      git_history: values['git-history'],
      staged: values.staged,
      counts: scan.counts,
      fail_on: threshold ?? null,
      failed,
      findings,
      skipped_paths: scan.skipped_paths,
    };
    out(`${toSafeJson(report, 2)}\n`);
  } else {
    out(findings.map(findingText).join(''));
    if (values.verbose) out(scan.skipped_paths.map(skippedText).join(''));
    out(summaryText(scan, findings, name, values['git-history']));
  }
  return failed ? EXIT.failed : EXIT.ok;
}
