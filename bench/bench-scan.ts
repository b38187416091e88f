// npm run bench:scan — keyhold scan against ripgrep (a plain pattern search: the floor) and
// secretlint (a general secret scanner, the newest that runs on Node 20) over the same tree:
// 20,000 files of about 200 MB with planted keys, lookalikes and one large minified file, and keys
// where a token-boundary search misses them (after a JSON escape or a URL's %3D, in base64, in a
// binary file, escaped in a URL); then the history half (bench-scan-history.ts).
// keyhold and ripgrep run once to warm the page cache, then take turns for ROUNDS rounds; medians.
// RESULT scan_vs_ripgrep=<x> scan_vs_peer=<y> recall=<r> false_keys=<n> (targets: x at most 2,
// y below 1, recall 1.0, false_keys 0), then RESULT history_vs_gitlog_rg=... (see that file).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateKey } from '../src/shared/key-format';
import { buildHistory, GIT_LOG_RG, patchMegabytes } from './bench-scan-history';

const ROOT = resolve(__dirname, '..');
const FILES = Number(process.env.BENCH_FILES ?? 20_000);
const FOLDERS = 200;
const MEAN_FILE_BYTES = 10_000;
const PLANTED = 150;
const LOOKALIKES = 300;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
// secretlint takes minutes over this tree: one round, on a cache the other tools have warmed.
const PEER_ROUNDS = Number(process.env.BENCH_PEER_ROUNDS ?? 1);
// ...and a time limit: past it the peer is stopped and its time counted as the limit, so
// scan_vs_peer is then an upper bound (it was slower than that).
const PEER_LIMIT_MS = Number(process.env.BENCH_PEER_LIMIT_S ?? 900) * 1000;
const PATTERN = 'sk-[0-9a-f]{8}\\.[0-9A-Za-z]{49}';

const hexId = () => randomBytes(4).toString('hex');
const lookalike = () => {
  const key = generateKey(hexId(), randomBytes);
  return key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
};

/** Source-like text: words, identifiers and base62 noise in lines of varied length. */
function filler(bytes: number): string {
  const words = [
    'const',
    'return',
    'function',
    'import',
    'token',
    'value',
    'config',
    'skip',
    'sk',
    'task',
    '=',
    '{',
    '}',
  ];
  let text = '';
  while (text.length < bytes) {
    const line: string[] = [];
    for (let i = 0; i < 8 + (text.length % 11); i++)
      line.push(words[(text.length * 7 + i * 13) % words.length] as string);
    line.push(randomBytes(12).toString('base64url'));
    text += `${line.join(' ')}\n`;
  }
  return text;
}

function buildTree(dir: string): Set<string> {
  const planted = new Set<string>();
  const block = filler(MEAN_FILE_BYTES * 4);
  const plantAt = new Map<number, string>();
  for (let i = 0; i < PLANTED; i++) {
    const key = generateKey(hexId(), randomBytes);
    planted.add(key.slice(3, 11));
    plantAt.set(Math.floor((i * FILES) / PLANTED) + 1, key);
  }
  const lookalikeAt = new Set(Array.from({ length: LOOKALIKES }, (_, i) => Math.floor((i * FILES) / LOOKALIKES) + 3));
  for (let f = 0; f < FOLDERS; f++) mkdirSync(join(dir, `pkg${f}`, 'src'), { recursive: true });
  for (let i = 0; i < FILES; i++) {
    const size = MEAN_FILE_BYTES / 2 + ((i * 7919) % MEAN_FILE_BYTES);
    const start = (i * 4099) % (block.length - size);
    let text = block.slice(start, start + size);
    const key = plantAt.get(i);
    if (key) text = `${text}\nexport const API_KEY = "${key}";\n`;
    if (lookalikeAt.has(i)) text = `${text}\n// example: ${lookalike()}\n`;
    writeFileSync(join(dir, `pkg${i % FOLDERS}`, 'src', `file${i}.ts`), text);
  }
  // One large minified bundle: a single 20 MB line with two keys inside.
  const minified = [filler(10_000_000).replaceAll('\n', ';')];
  for (let i = 0; i < 2; i++) {
    const key = generateKey(hexId(), randomBytes);
    planted.add(key.slice(3, 11));
    minified.push(`var k${i}="${key}";`, filler(5_000_000).replaceAll('\n', ';'));
  }
  writeFileSync(join(dir, 'pkg0', 'bundle.min.js'), minified.join(''));
  // Keys where a general scanner finds them and a token-boundary one did not: after a JSON escape,
  // after a URL's %3D, in base64 (a Kubernetes secret), in a binary file, and escaped in a URL.
  const tricky: Array<(key: string) => [string, string | Buffer]> = [
    (key) => ['logs/app.json', `{"msg":"boot\\nITELLICO_API_KEY=${key}\\tready"}\n`],
    (key) => ['logs/access.log', `GET /cb?next=%2Fhome%3Fkey%3D${key} 200\n`],
    (key) => [
      'deploy/secret.yaml',
      `apiVersion: v1\nkind: Secret\ndata:\n  KEY: ${Buffer.from(key).toString('base64')}\n`,
    ],
    (key) => [
      'assets/logo.png',
      Buffer.concat([Buffer.from([137, 80, 78, 71, 0, 0]), Buffer.from(key), Buffer.from([0])]),
    ],
    (key) => ['logs/proxy.log', `GET /x?k=${key.replace('-', '%2D')} 200\n`],
  ];
  for (let i = 0; i < 5; i++) {
    for (const [n, make] of tricky.entries()) {
      const key = generateKey(hexId(), randomBytes);
      planted.add(key.slice(3, 11));
      const [path, content] = make(key);
      mkdirSync(join(dir, `tricky${i}`, path, '..'), { recursive: true });
      writeFileSync(join(dir, `tricky${i}`, path.replace(/(\.\w+)$/, `-${n}$1`)), content);
    }
  }
  return planted;
}

let peerStopped = false;

function timed(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  limitMs?: number,
): { ms: number; stdout: string } {
  const start = process.hrtime.bigint();
  // SIGKILL: a busy Node program with a SIGTERM listener would not stop until its work is done.
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env,
    timeout: limitMs,
    killSignal: 'SIGKILL',
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (limitMs !== undefined && result.signal === 'SIGKILL') {
    peerStopped = true;
    return { ms: limitMs, stdout: '' };
  }
  if (result.error) throw result.error;
  return { ms, stdout: result.stdout };
}

const HISTORY_ROUNDS = Number(process.env.BENCH_HISTORY_ROUNDS ?? 3);

/** Keys of a report, by public id, as found and as planted. */
function recallOf(report: string, planted: Set<string>) {
  const findings = (JSON.parse(report) as { findings: Array<{ kind: string; partial_key: string }> }).findings;
  const keys = new Set(
    findings.filter((finding) => finding.kind === 'key').map((finding) => finding.partial_key.slice(3)),
  );
  return {
    found: [...planted].filter((id) => keys.has(id)).length,
    falseKeys: [...keys].filter((id) => !planted.has(id)).length,
  };
}

/** The history half (bench-scan-history.ts): keyhold --git-history and `git log -p --all | rg` take turns. */
function benchHistory(work: string, cli: string, env: NodeJS.ProcessEnv): void {
  const repo = join(work, 'history');
  mkdirSync(repo);
  const built = Date.now();
  const planted = buildHistory(repo);
  console.log(
    `history: ${((Date.now() - built) / 1000).toFixed(1)} s to build, ${patchMegabytes(repo).toFixed(0)} MB of patch text; ${planted.size} keys planted`,
  );
  const keyhold = () => timed(process.execPath, [cli, 'scan', repo, '--git-history', '--json'], env);
  const plain = () => timed('sh', ['-c', `cd '${repo}' && ${GIT_LOG_RG[1]}`]);
  const times = { keyhold: [] as number[], plain: [] as number[] };
  let report = keyhold().stdout;
  plain();
  for (let round = 0; round < HISTORY_ROUNDS; round++) {
    const first = round % 2 === 0;
    if (first) {
      const run = keyhold();
      report = run.stdout;
      times.keyhold.push(run.ms);
    }
    times.plain.push(plain().ms);
    if (!first) times.keyhold.push(keyhold().ms);
  }
  // The scan's own peak memory (git's processes are git's), as GNU time reports it.
  const peak = spawnSync(
    '/usr/bin/time',
    ['-f', '%M', process.execPath, cli, 'scan', repo, '--git-history', '--json'],
    {
      encoding: 'utf8',
      env,
      maxBuffer: 1 << 30,
    },
  );
  const peakMb = Number(peak.stderr.trim().split('\n').at(-1)) / 1024;
  const { found, falseKeys } = recallOf(report, planted);
  console.log(
    `keyhold --git-history ${median(times.keyhold).toFixed(0)} ms, git log -p | rg ${median(times.plain).toFixed(0)} ms (medians of ${HISTORY_ROUNDS})`,
  );
  console.log(`keyhold found ${found} of ${planted.size} planted history keys, ${falseKeys} false keys`);
  console.log(
    `RESULT history_vs_gitlog_rg=${(median(times.keyhold) / median(times.plain)).toPrecision(2)} history_recall=${(found / planted.size).toFixed(3)} history_false_keys=${falseKeys} history_peak_mb=${peakMb.toFixed(0)}`,
  );
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

function main(): void {
  const cli = join(ROOT, 'out/cli/keyhold.cjs');
  if (!existsSync(cli)) throw new Error('run `npm run build:cli` first (npm run bench:scan does)');
  const work = mkdtempSync(join(tmpdir(), 'keyhold-bench-scan-'));
  const tree = join(work, 'tree');
  mkdirSync(tree);
  try {
    const built = Date.now();
    const planted = buildTree(tree);
    console.log(
      `tree: ${FILES + 1} files in ${((Date.now() - built) / 1000).toFixed(1)} s; ${planted.size} keys planted, ${LOOKALIKES} lookalikes`,
    );
    const rc = join(work, '.secretlintrc.json');
    writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));

    const env = { ...process.env, KEYHOLD_DATA_DIR: join(work, 'no-app') };
    const tools = {
      keyhold: () => timed(process.execPath, [cli, 'scan', tree, '--json'], env),
      // Node starting and exiting with nothing to do: the part of keyhold's time that is not the scan.
      node: () => timed(process.execPath, ['-e', '0'], env),
      ripgrep: () => timed('rg', ['--no-ignore', '--hidden', '--count-matches', '--no-messages', PATTERN, tree]),
      secretlint: () =>
        timed(
          join(ROOT, 'node_modules/.bin/secretlint'),
          [`${tree}/**/*`, '--secretlintrc', rc, '--format', 'json', '--no-color'],
          process.env,
          PEER_LIMIT_MS,
        ),
    };
    const times: Record<keyof typeof tools, number[]> = { keyhold: [], node: [], ripgrep: [], secretlint: [] };
    let report = '';
    const measure = (name: keyof typeof tools) => {
      const { ms, stdout } = tools[name]();
      times[name].push(ms);
      if (name === 'keyhold') report = stdout;
    };
    const show = (name: keyof typeof tools, rounds: number, note = '') =>
      console.log(`${name.padEnd(10)} ${median(times[name]).toFixed(0).padStart(7)} ms (median of ${rounds})${note}`);
    // The tree's pages written to disk first, so the kernel's writeback does not weigh on whoever
    // runs first; then keyhold and ripgrep warm the page cache and take turns, round by round, so
    // drift on a busy machine hits both alike.
    spawnSync('sync');
    tools.keyhold();
    tools.ripgrep();
    for (let round = 0; round < ROUNDS; round++) {
      const order: Array<keyof typeof tools> = round % 2 === 0 ? ['keyhold', 'ripgrep'] : ['ripgrep', 'keyhold'];
      for (const name of order) measure(name);
      measure('node');
    }
    show('keyhold', ROUNDS);
    show('node', ROUNDS, " (node -e 0: its start, part of keyhold's time)");
    if (process.env.NODE_EXTRA_CA_CERTS) {
      // Node 20 then builds its certificate store before running anything (nodejs/node#40524).
      console.log('           NODE_EXTRA_CA_CERTS is set: every node process here loads certificates as it starts');
    }
    show('ripgrep', ROUNDS);
    // BENCH_PEER_ROUNDS=0: a quick run without the peer.
    for (let round = 0; round < PEER_ROUNDS; round++) measure('secretlint');
    if (PEER_ROUNDS > 0) {
      show('secretlint', PEER_ROUNDS, peerStopped ? ` (stopped at the ${PEER_LIMIT_MS / 1000} s limit)` : '');
    }
    const { found, falseKeys } = recallOf(report, planted);
    const lookalikes = (JSON.parse(report) as { findings: Array<{ kind: string }> }).findings.filter(
      (finding) => finding.kind === 'lookalike',
    ).length;
    console.log(
      `keyhold found ${found} of ${planted.size} keys, ${falseKeys} false keys, ${lookalikes} lookalikes reported as such`,
    );
    const ratio = (a: number[], b: number[]) => (b.length === 0 ? 'skipped' : (median(a) / median(b)).toPrecision(2));
    console.log(
      `RESULT scan_vs_ripgrep=${ratio(times.keyhold, times.ripgrep)} scan_vs_peer=${ratio(times.keyhold, times.secretlint)} recall=${(found / planted.size).toFixed(3)} false_keys=${falseKeys}`,
    );
    if (HISTORY_ROUNDS > 0) benchHistory(work, cli, env);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
