// The history scan, by object rather than by patch: every blob reachable from any ref (branches,
// tags, notes, the stash and each entry of its list, every reflog) and the index, each distinct
// blob once, binary or not, `-diff` or not, and every commit and tag message. Merges, stashes'
// work-tree commits and renames are covered by construction: a blob is read wherever it came
// from. Each key found is then placed: the commits and paths that brought its blob in (the
// earliest), the refs that reach that commit, whether the default branch ever held it and whether
// its tip still does. Through the `git` command, with every program of the repository's config off.
import { gitAsync, gitOutput, gitSpawn, gitSync } from './git-command';
import { scanObjects } from './git-objects';
import type { KeyHit } from './key-hits';

export interface HistoryHit extends KeyHit {
  /** Relative to the repository; '' for a commit or tag message. */
  path: string;
  /** null: only in the index (staged, never committed). */
  commit: string | null;
  authorDate: string | null;
  /** The refs that reach the commit (short names); null for the index. */
  refs: string[] | null;
  /** Whether the default branch (HEAD's) ever held it. */
  onDefaultBranch: boolean | null;
  /** Whether the default branch's tip still holds it. */
  inDefaultTip: boolean | null;
  /** The last commit that took it out of its path (null: none did, or not a file). */
  removedIn: string | null;
  /** Found in a commit's or an annotated tag's message, not a file. */
  message: 'commit' | 'tag' | null;
}

/** What a history read could not read: refs to missing objects, objects that are missing, blobs over the limit. */
export interface HistorySkips {
  refs: number;
  objects: number;
  oversized: number;
}

export interface HistoryScan {
  hits: HistoryHit[];
  skipped: HistorySkips;
}

const lines = (text: string) => text.split('\n').filter(Boolean);

/** The tips every object is read from: each ref's object and HEAD (also answered), the missing ones counted. */
function soundTips(repo: string, skipped: HistorySkips): { tips: string[]; head: string } {
  const refs = lines(gitOutput(repo, ['for-each-ref', '--format=%(objectname)']));
  const head = gitSync(repo, ['rev-parse', '--verify', '-q', 'HEAD']).stdout.trim();
  const tips = [...new Set(head ? [...refs, head] : refs)];
  if (tips.length === 0) return { tips, head };
  const types = lines(
    gitOutput(repo, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], `${tips.join('\n')}\n`),
  );
  const sound = tips.filter((_, i) => !(types[i] ?? '').endsWith(' missing'));
  skipped.refs += tips.length - sound.length;
  return { tips: sound, head };
}

/**
 * Every object reachable from the tips, the reflogs and the index, read and scanned: `git rev-list
 * --objects` piped straight into `git cat-file --batch` (missing objects come out marked, and are
 * counted; trees are passed over).
 */
function scanReachable(repo: string, tips: string[], maxBytes: number, skipped: HistorySkips, signal?: AbortSignal) {
  const lister = gitSpawn(
    repo,
    ['rev-list', '--objects', '--no-object-names', '--missing=print', '--reflog', '--indexed-objects', '--stdin'],
    tips.length > 0 ? `${tips.join('\n')}\n` : '',
  );
  // Its output goes to cat-file through a pipe of the system's own: nothing read here but the contents.
  lister.stderr.resume();
  const stop = () => lister.kill();
  signal?.addEventListener('abort', stop, { once: true });
  const skips = { missing: 0, oversized: 0 };
  return scanObjects(repo, lister.stdout, maxBytes, skips, signal).finally(() => {
    signal?.removeEventListener('abort', stop);
    skipped.objects += skips.missing;
    skipped.oversized += skips.oversized;
  });
}

/** The most of the walk's output held while the objects are still being read (then git waits). */
const WALK_HELD_BYTES = 64 << 20;

interface Introduced {
  commit: string;
  date: string;
  path: string;
  /** The last commit whose change takes the blob out of that path (null: no change does). */
  removedIn: string | null;
}

/** What one walk of the history tells: where each blob came in, and each commit's date and parents. */
interface Walk {
  placed: Map<string, Introduced[]>;
  dates: Map<string, string>;
  parents: Map<string, string[]>;
}

/**
 * One `git log --raw` over every tip and reflog, ancestors first, merges compared with each parent
 * (so a blob only a merge brought is placed there): for each blob, the earliest commit (and its
 * path) whose change adds it, for every path it came in at; and the commit graph, for the refs.
 */
async function walkHistory(
  repo: string,
  tips: string[],
  blobs: Promise<Set<string> | null>,
  signal?: AbortSignal,
): Promise<Walk> {
  const walk: Walk = { placed: new Map(), dates: new Map(), parents: new Map() };
  let commit = '';
  let date = '';
  let blob: string | null = null;
  let gone: string | null = null;
  let wanted = new Set<string>();
  const onToken = (token: Buffer) => {
    const text = token.toString('utf8', token[0] === 10 ? 1 : 0); // each raw line after a header starts with \n
    if (text.startsWith('\u0001')) {
      const [id = '', when = '', ...parents] = text.slice(1).split(' ');
      [commit, date, blob, gone] = [id, when, null, null];
      walk.dates.set(id, when);
      walk.parents.set(id, parents.filter(Boolean));
    } else if (text.startsWith(':')) {
      // ":<old mode> <new mode> <old id> <new id> <status>": the next token is the path.
      const [, , before = '', after = '', status] = text.split(' ');
      blob = wanted.has(after) && status !== 'D' ? after : null;
      gone = wanted.has(before) && before !== after ? before : null;
    } else {
      if (blob !== null) {
        const known = walk.placed.get(blob) ?? [];
        if (!known.some((where) => where.path === text)) known.push({ commit, date, path: text, removedIn: null });
        walk.placed.set(blob, known);
      }
      // Oldest first: the last change that takes it out stays.
      const removed = gone === null ? undefined : walk.placed.get(gone)?.find((where) => where.path === text);
      if (removed) removed.removedIn = commit;
      [blob, gone] = [null, null];
    }
  };
  let rest = Buffer.alloc(0);
  const parse = (chunk: Buffer) => {
    // Split on NUL bytes, not characters: a path's UTF-8 may straddle two chunks.
    const bytes = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let from = 0;
    for (let nul = bytes.indexOf(0); nul !== -1; nul = bytes.indexOf(0, from)) {
      onToken(bytes.subarray(from, nul));
      from = nul + 1;
    }
    rest = Buffer.from(bytes.subarray(from));
  };

  // The walk runs while the objects are read: its output is held (up to WALK_HELD_BYTES, then git
  // waits) until the blobs with keys are known, and parsed from then on.
  const child = gitSpawn(
    repo,
    [
      'log',
      // Parents before children whatever the dates say (commits made in one second tie on them).
      '--reverse',
      '--topo-order',
      '--format=%x01%H %aI %P',
      '--raw',
      '--no-abbrev',
      '-z',
      '-m',
      '--no-renames',
      '--reflog',
      '--stdin',
    ],
    tips.length > 0 ? `${tips.join('\n')}\n` : '',
  );
  child.stderr.resume();
  const stop = () => child.kill();
  signal?.addEventListener('abort', stop, { once: true });
  const held: Buffer[] = [];
  let heldBytes = 0;
  let ready = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (ready) return parse(chunk);
    held.push(chunk);
    heldBytes += chunk.length;
    if (heldBytes > WALK_HELD_BYTES) child.stdout.pause();
  });
  const closed = new Promise<void>((resolve, reject) => {
    child.on('error', (error) => reject(new Error(`git is not available: ${error.message}`)));
    child.on('close', () => resolve());
  });
  try {
    const known = await blobs;
    if (known === null) {
      child.kill(); // nothing to place
    } else {
      wanted = known;
      ready = true;
      for (const chunk of held.splice(0)) parse(chunk);
      child.stdout.resume();
    }
    await closed;
  } finally {
    if (!ready) child.kill();
    signal?.removeEventListener('abort', stop);
  }
  return walk;
}

/** The pseudo-ref a detached HEAD is known by among the refs (never shown). */
const DETACHED_HEAD = '(HEAD)';

/**
 * For each of `commits`, the refs that reach it, by walking the commit graph from it towards its
 * descendants (the commits with keys are few; refs, tags above all, can be many).
 */
function refsReaching(refLines: string[], commits: Iterable<string>, parents: Map<string, string[]>, head: string) {
  const tipsAt = new Map<string, string[]>();
  const at = (commit: string, name: string) => tipsAt.set(commit, [...(tipsAt.get(commit) ?? []), name]);
  for (const line of refLines) {
    const [object = '', peeled = '', ...name] = line.split(' ');
    at(peeled || object, shortRef(name.join(' ')));
  }
  if (head) at(head, DETACHED_HEAD);
  // Walked from whichever side is smaller: from each ref down its ancestors, or from each commit
  // with a key up its descendants (a history of many tags and few keys, or the reverse).
  const starts = [...commits];
  const reaching = new Map<string, string[]>(starts.map((commit) => [commit, []]));
  const walkFrom = (from: string, next: Map<string, string[]>, visit: (commit: string) => void) => {
    const seen = new Set([from]);
    for (const stack = [from]; stack.length > 0; ) {
      const commit = stack.pop() as string;
      visit(commit);
      for (const other of next.get(commit) ?? []) {
        if (!seen.has(other)) {
          seen.add(other);
          stack.push(other);
        }
      }
    }
  };
  if (tipsAt.size < starts.length) {
    for (const [tip, names] of tipsAt) {
      walkFrom(tip, parents, (commit) => reaching.get(commit)?.push(...names));
    }
  } else {
    const children = new Map<string, string[]>();
    for (const [child, of] of parents) {
      for (const parent of of) {
        const known = children.get(parent);
        if (known) known.push(child);
        else children.set(parent, [child]);
      }
    }
    for (const start of starts) {
      walkFrom(start, children, (commit) => reaching.get(start)?.push(...(tipsAt.get(commit) ?? [])));
    }
  }
  return new Map([...reaching].map(([commit, refs]) => [commit, [...new Set(refs)]]));
}

/** A ref's short name: branches as themselves, tags as `tag X`, the stash as `stash`. */
function shortRef(ref: string): string {
  if (ref.startsWith('refs/heads/')) return ref.slice('refs/heads/'.length);
  if (ref.startsWith('refs/tags/')) return `tag ${ref.slice('refs/tags/'.length)}`;
  if (ref.startsWith('refs/remotes/')) return ref.slice('refs/remotes/'.length);
  return ref === 'refs/stash' ? 'stash' : ref;
}

/** Paths of the blobs in the index (staged), by blob. */
function indexPaths(listed: string): Map<string, string> {
  const paths = new Map<string, string>();
  for (const entry of listed.split('\0')) {
    const tab = entry.indexOf('\t');
    const id = entry.split(' ')[1];
    if (tab !== -1 && id) paths.set(id, entry.slice(tab + 1));
  }
  return paths;
}

/** Every key in the history of `repo`, placed (see the module's comment). */
export async function historyKeyHits(repo: string, maxBytes: number, signal?: AbortSignal): Promise<HistoryScan> {
  const skipped: HistorySkips = { refs: 0, objects: 0, oversized: 0 };
  const { tips, head } = soundTips(repo, skipped);
  const scanning = scanReachable(repo, tips, maxBytes, skipped, signal);
  // The blobs with keys, once known (null: nothing to place, and the walk stops).
  const withKeys = scanning.then((found) =>
    found.size === 0 ? null : new Set([...found].filter(([, what]) => what.type === 'blob').map(([id]) => id)),
  );
  // The walk and git's small answers meanwhile: the walk is git's work, the rest is quick.
  const [found, walk, branch, refLines, indexList] = await Promise.all([
    scanning,
    walkHistory(
      repo,
      tips,
      withKeys.catch(() => null),
      signal,
    ),
    gitAsync(repo, ['symbolic-ref', '-q', '--short', 'HEAD']),
    gitAsync(repo, ['for-each-ref', '--format=%(objectname) %(*objectname) %(refname)']),
    gitAsync(repo, ['ls-files', '-s', '-z']),
  ]);
  if (found.size === 0 || signal?.aborted) return { hits: [], skipped };
  const defaultBranch = branch.stdout.trim();
  const inTip = new Set(
    head
      ? (await gitAsync(repo, ['ls-tree', '-r', '-z', '--full-tree', head])).stdout
          .split('\0')
          .map((entry) => entry.split(/[ \t]/)[2])
      : [],
  );
  const commits = new Set([
    ...[...found].filter(([, what]) => what.type === 'commit').map(([id]) => id),
    ...[...walk.placed.values()].flat().map((place) => place.commit),
  ]);
  const reaching = refsReaching(lines(refLines.stdout), commits, walk.parents, head);
  const refsOf = (commit: string) => (reaching.get(commit) ?? []).filter((ref) => ref !== DETACHED_HEAD);
  const onDefault = (commit: string) => (reaching.get(commit) ?? []).includes(defaultBranch || DETACHED_HEAD);
  const staged = indexPaths(indexList.stdout);
  // An annotated tag's own object (its message), by id: the tag's names.
  const tagNames = new Map<string, string[]>();
  for (const line of lines(refLines.stdout)) {
    const [object = '', peeled = '', ...name] = line.split(' ');
    if (peeled) tagNames.set(object, [...(tagNames.get(object) ?? []), shortRef(name.join(' '))]);
  }

  const hits: HistoryHit[] = [];
  for (const [id, { hits: keys, type }] of found) {
    if (type !== 'blob') {
      // A message: of the commit itself (with the refs that reach it), or of a tag (its names).
      const refs = type === 'commit' ? refsOf(id) : (tagNames.get(id) ?? []);
      for (const key of keys) {
        hits.push({
          ...key,
          path: '',
          commit: id,
          authorDate: type === 'commit' ? (walk.dates.get(id) ?? null) : null,
          refs,
          onDefaultBranch: type === 'commit' ? onDefault(id) : false,
          inDefaultTip: null,
          removedIn: null,
          message: type,
        });
      }
      continue;
    }
    const places = walk.placed.get(id) ?? [];
    if (places.length === 0) {
      // In no commit's change: staged only (in the index), or held some other way (a ref to the
      // blob itself); reported all the same.
      const path = staged.get(id) ?? '';
      const none = { commit: null, authorDate: null, inDefaultTip: null, removedIn: null, message: null };
      for (const key of keys) hits.push({ ...key, ...none, path, refs: path ? null : [], onDefaultBranch: null });
    }
    for (const place of places) {
      const refs = refsOf(place.commit);
      for (const key of keys) {
        hits.push({
          ...key,
          path: place.path,
          commit: place.commit,
          authorDate: place.date,
          refs,
          onDefaultBranch: onDefault(place.commit),
          inDefaultTip: inTip.has(id),
          removedIn: place.removedIn,
          message: null,
        });
      }
    }
  }
  return { hits, skipped };
}
