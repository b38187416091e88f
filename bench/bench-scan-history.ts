// The history half of `npm run bench:scan`: a repository of 5,000 commits and about 100 MB of patch
// text (built with git fast-import), with merges, a tag, renames, deleted files, a binary and a
// `-diff` file, stashes and an unmerged branch, and keys planted in every place a key can hide in
// a history (a commit message, a tag message, a change only a merge made, the stash's work tree and
// untracked part and an older stash entry, a binary and a -diff file, base64, after a JSON `\n`,
// after a URL's `%3D`, a deleted file, a renamed one, an unmerged branch) besides plain ones, and
// lookalikes. keyhold's --git-history scan takes turns with `git log -p --all | rg` (the plain way).
// Prints: RESULT history_vs_gitlog_rg=<x> history_recall=<r> history_false_keys=<n> history_peak_mb=<m>
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKey } from '../src/shared/key-format';

const COMMITS = Number(process.env.BENCH_HISTORY_COMMITS ?? 5000);
const FILES = 400;
/** Bytes a commit rewrites in one file: its patch shows them removed and added (about 100 MB over 5,000 commits). */
const CHANGE_BYTES = 10_000;
const PLAIN_KEYS = 60;
const LOOKALIKES = 100;
const PATTERN = 'sk-[0-9a-f]{8}\\.[0-9A-Za-z]{49}';

const hexId = () => randomBytes(4).toString('hex');
const newKey = () => generateKey(hexId(), randomBytes);
const lookalike = () => {
  const key = newKey();
  return key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
};

function git(repo: string, args: string[], input?: string | Buffer): string {
  const result = spawnSync('git', args, {
    cwd: repo,
    input,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Bench',
      GIT_AUTHOR_EMAIL: 'bench@example.com',
      GIT_COMMITTER_NAME: 'Bench',
      GIT_COMMITTER_EMAIL: 'bench@example.com',
    },
  });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** Source-like lines with base62 noise, `bytes` long. */
function filler(bytes: number, seed: number): string {
  const words = ['const', 'return', 'token', 'value', 'config', 'skip', 'sk', 'task', '=', '{', '}'];
  const lines: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const line = `${words[(seed + i) % words.length]} ${words[(seed * 7 + i * 3) % words.length]} ${randomBytes(24).toString('base64url')}`;
    lines.push(line);
    length += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

/** A fast-import stream: `blob`s inline, one commit after another on refs/heads/main. */
class Stream {
  private parts: Buffer[] = [];
  private mark = 0;
  private time = Date.parse('2024-01-01T00:00:00Z') / 1000;

  private add(text: string | Buffer) {
    this.parts.push(typeof text === 'string' ? Buffer.from(text) : text);
  }

  commit(
    ref: string,
    message: string,
    files: Record<string, string | Buffer | null>,
    from?: number,
    merge?: number,
  ): number {
    const mark = ++this.mark;
    this.time += 600;
    const msg = Buffer.from(message);
    this.add(`commit ${ref}\nmark :${mark}\ncommitter Bench <bench@example.com> ${this.time} +0000\n`);
    this.add(`data ${msg.length}\n`);
    this.add(msg);
    this.add('\n');
    if (from !== undefined) this.add(`from :${from}\n`);
    if (merge !== undefined) this.add(`merge :${merge}\n`);
    for (const [path, content] of Object.entries(files)) {
      if (content === null) {
        this.add(`D ${path}\n`);
        continue;
      }
      const bytes = typeof content === 'string' ? Buffer.from(content) : content;
      this.add(`M 100644 inline ${path}\ndata ${bytes.length}\n`);
      this.add(bytes);
      this.add('\n');
    }
    this.add('\n');
    return mark;
  }

  tag(name: string, target: number, message: string) {
    const msg = Buffer.from(message);
    this.add(`tag ${name}\nfrom :${target}\ntagger Bench <bench@example.com> ${this.time} +0000\ndata ${msg.length}\n`);
    this.add(msg);
    this.add('\n');
  }

  get last(): number {
    return this.mark;
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Builds the repository in `repo`; answers the planted keys' public ids. */
export function buildHistory(repo: string): Set<string> {
  const planted = new Set<string>();
  const plant = () => {
    const key = newKey();
    planted.add(key.slice(3, 11));
    return key;
  };
  git(repo, ['init', '-q', '-b', 'main']);
  const stream = new Stream();
  const plainAt = new Map(
    Array.from({ length: PLAIN_KEYS }, (_, i) => [Math.floor((i * COMMITS) / PLAIN_KEYS) + 7, i]),
  );
  const lookalikeAt = new Set(
    Array.from({ length: LOOKALIKES }, (_, i) => Math.floor((i * COMMITS) / LOOKALIKES) + 11),
  );
  const initial: Record<string, string> = { '.gitattributes': 'secrets.dat -diff\n' };
  for (let f = 0; f < FILES; f++) initial[`src/mod${f % 20}/file${f}.ts`] = filler(CHANGE_BYTES, f);
  stream.commit('refs/heads/main', 'initial import\n', initial);
  const special = (n: number) => Math.floor((n * COMMITS) / 20);
  let renamed = '';
  for (let c = 1; c < COMMITS; c++) {
    const file = `src/mod${c % 20}/file${(c * 37) % FILES}.ts`;
    let content = filler(CHANGE_BYTES, c);
    if (plainAt.has(c)) content += `export const API_KEY = "${plant()}";\n`;
    if (lookalikeAt.has(c)) content += `// example: ${lookalike()}\n`;
    const files: Record<string, string | Buffer | null> = { [file]: content };
    let message = `change ${c}\n`;
    if (c === special(1)) message += `\nTemporary: ITELLICO_API_KEY=${plant()}\n`;
    if (c === special(3))
      files['assets/logo.png'] = Buffer.concat([
        Buffer.from([137, 80, 78, 71, 0, 0]),
        Buffer.from(plant()),
        Buffer.from([0]),
      ]);
    if (c === special(4)) files['secrets.dat'] = `KEY=${plant()}\n`;
    if (c === special(5)) files['deploy/secret.yaml'] = `data:\n  KEY: ${Buffer.from(plant()).toString('base64')}\n`;
    if (c === special(6)) files['logs/app.json'] = `{"msg":"boot\\nITELLICO_API_KEY=${plant()}"}\n`;
    if (c === special(7)) files['logs/access.log'] = `GET /cb?next=%2Fhome%3Fkey%3D${plant()} 200\n`;
    if (c === special(8)) files['old/removed.env'] = `KEY=${plant()}\n`;
    if (c === special(8) + 1) files['old/removed.env'] = null;
    if (c === special(9)) {
      renamed = `KEY=${plant()}\n`;
      files['config/before.env'] = renamed;
    }
    if (c === special(9) + 1) {
      // A rename (the same blob at a new path), removed again a commit later.
      files['config/before.env'] = null;
      files['config/after.env'] = renamed;
    }
    if (c === special(9) + 2) files['config/after.env'] = null;
    const mark = stream.commit('refs/heads/main', message, files);
    if (c === special(2)) stream.tag('v1.0', mark, `release 1.0 (built with ${plant()})\n`);
    if (c === special(10)) {
      // A change only a merge made: a side branch, then a merge commit that adds a file.
      const side = stream.commit('refs/heads/topic', 'topic work\n', { 'topic.txt': 'topic\n' }, mark);
      stream.commit('refs/heads/main', 'merge topic\n', { 'merged.env': `KEY=${plant()}\n` }, mark, side);
      stream.commit('refs/heads/main', 'drop merged.env\n', { 'merged.env': null });
    }
    if (c === special(11))
      stream.commit('refs/heads/feature/unmerged', 'feature\n', { 'feature.env': `KEY=${plant()}\n` }, mark);
  }
  git(repo, ['fast-import', '--quiet'], stream.bytes());
  git(repo, ['checkout', '-q', '-f', 'main']);
  // Stashes: an older entry, then one with a change to a tracked file and an untracked file.
  const tracked = join(repo, 'src/mod0/file0.ts');
  writeFileSync(tracked, `old ${plant()}\n`);
  git(repo, ['stash', '-q']);
  writeFileSync(tracked, `work ${plant()}\n`);
  writeFileSync(join(repo, 'notes.txt'), `KEY=${plant()}\n`);
  git(repo, ['stash', '-q', '-u']);
  return planted;
}

export const GIT_LOG_RG = ['-c', `git log -p --all --no-color | rg -o --no-messages '${PATTERN}' | wc -l`];

/** "X MB" of patch text `git log -p --all` prints for the repository. */
export function patchMegabytes(repo: string): number {
  const result = spawnSync('sh', ['-c', 'git log -p --all --no-color | wc -c'], { cwd: repo, encoding: 'utf8' });
  return Number(result.stdout.trim()) / 1_048_576;
}
