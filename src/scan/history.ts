// The history scan, by object rather than by patch: every blob reachable from any ref (branches,
// tags, notes, the stash and each entry of its list, every reflog) and the index, each distinct
// blob once, binary or not, `-diff` or not, and every commit and tag message. Merges, stashes'
// work-tree commits and renames are covered by construction: a blob is read wherever it came
// from. Each key found is then placed: the commits and paths that brought its blob in (the
// earliest), the refs that reach that commit, whether the default branch ever held it and whether
// its tip still does. Through the `git` command, with every program of the repository's config off.
import { gitSync } from './git-command';
import { scanObjects, stream, type Wanted } from './git-objects';
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

function git(repo: string, args: string[], input?: string): string {
  const result = gitSync(repo, args, input);
  if (result.status !== 0) throw new Error(`git ${args[0]} failed in ${repo}: ${result.stderr.trim()}`);
  return result.stdout;
}

/** The tips every object is read from: each ref's object and HEAD, the missing ones counted. */
function soundTips(repo: string, skipped: HistorySkips): string[] {
  const refs = lines(git(repo, ['for-each-ref', '--format=%(objectname)']));
  const head = gitSync(repo, ['rev-parse', '--verify', '-q', 'HEAD']).stdout.trim();
  const tips = [...new Set(head ? [...refs, head] : refs)];
  if (tips.length === 0) return [];
  const types = lines(git(repo, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], `${tips.join('\n')}\n`));
  const sound = tips.filter((_, i) => !(types[i] ?? '').endsWith(' missing'));
  skipped.refs += tips.length - sound.length;
  return sound;
}

/** Every object reachable from the tips, the reflogs and the index; missing ones counted. */
async function reachableObjects(repo: string, tips: string[], skipped: HistorySkips, signal?: AbortSignal) {
  const ids: string[] = [];
  let rest = '';
  await stream(
    repo,
    ['rev-list', '--objects', '--no-object-names', '--missing=print', '--reflog', '--indexed-objects', '--stdin'],
    tips.length > 0 ? `${tips.join('\n')}\n` : '',
    (chunk) => {
      const text = rest + chunk.toString('latin1');
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      for (const id of parts) {
        if (id.startsWith('?')) skipped.objects++;
        else if (id) ids.push(id);
      }
    },
    signal,
  );
  if (rest) ids.push(rest);
  return ids;
}

/** The blobs (within the size limit), commits and tags among the objects. */
function objectsToRead(repo: string, ids: string[], maxBytes: number, skipped: HistorySkips): Wanted[] {
  if (ids.length === 0) return [];
  const wanted: Wanted[] = [];
  for (const line of lines(
    git(repo, ['cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)'], `${ids.join('\n')}\n`),
  )) {
    const [id, type, size] = line.split(' ');
    if (type === 'blob' && Number(size) > maxBytes) skipped.oversized++;
    else if (type === 'blob' || type === 'commit' || type === 'tag') wanted.push({ id: id as string, type });
    else if (type === 'missing') skipped.objects++;
  }
  return wanted;
}

interface Introduced {
  commit: string;
  date: string;
  path: string;
}

/**
 * Where each blob came in: the earliest commit (and its path) whose change against a parent adds
 * the blob, for every path it came in at. One `git log --raw` over every tip and reflog, oldest
 * first, merges compared with each parent (so a blob only a merge brought is placed there).
 */
async function introductions(
  repo: string,
  tips: string[],
  blobs: Set<string>,
  signal?: AbortSignal,
): Promise<Map<string, Introduced[]>> {
  const placed = new Map<string, Introduced[]>();
  let commit = '';
  let date = '';
  let blob: string | null = null;
  let rest = '';
  const onToken = (token: string) => {
    const text = token.startsWith('\n') ? token.slice(1) : token;
    if (text.startsWith('\u0001')) {
      [commit = '', date = ''] = text.slice(1).split(' ');
      blob = null;
    } else if (text.startsWith(':')) {
      // ":<old mode> <new mode> <old id> <new id> <status>": the next token is the path.
      const fields = text.split(' ');
      const id = fields[3] ?? '';
      blob = blobs.has(id) && fields[4] !== 'D' ? id : null;
    } else if (blob !== null) {
      const known = placed.get(blob) ?? [];
      if (!known.some((where) => where.path === text)) known.push({ commit, date, path: text });
      placed.set(blob, known);
      blob = null;
    }
  };
  await stream(
    repo,
    [
      'log',
      '--reverse',
      '--format=%x01%H %aI',
      '--raw',
      '--no-abbrev',
      '-z',
      '-m',
      '--no-renames',
      '--reflog',
      '--stdin',
    ],
    tips.length > 0 ? `${tips.join('\n')}\n` : '',
    (chunk) => {
      const tokens = (rest + chunk.toString('utf8')).split('\0');
      rest = tokens.pop() ?? '';
      for (const token of tokens) onToken(token);
    },
    signal,
  );
  return placed;
}

/** Short names of the refs that reach `commit` (branches as themselves, tags as `tag X`). */
function refsReaching(repo: string, commit: string): string[] {
  const result = gitSync(repo, ['for-each-ref', `--contains=${commit}`, '--format=%(refname)']);
  return lines(result.stdout).map((ref) =>
    ref.startsWith('refs/heads/')
      ? ref.slice('refs/heads/'.length)
      : ref.startsWith('refs/tags/')
        ? `tag ${ref.slice('refs/tags/'.length)}`
        : ref.startsWith('refs/remotes/')
          ? ref.slice('refs/remotes/'.length)
          : ref === 'refs/stash'
            ? 'stash'
            : ref,
  );
}

/** Paths of the blobs in the index (staged), by blob. */
function indexPaths(repo: string): Map<string, string> {
  const paths = new Map<string, string>();
  for (const entry of gitSync(repo, ['ls-files', '-s', '-z']).stdout.split('\0')) {
    const tab = entry.indexOf('\t');
    const id = entry.split(' ')[1];
    if (tab !== -1 && id) paths.set(id, entry.slice(tab + 1));
  }
  return paths;
}

/** `answer` asked once per commit: several keys of one commit ask git once. */
function remembered<T>(answer: (commit: string) => T): (commit: string) => T {
  const known = new Map<string, T>();
  return (commit) => {
    if (!known.has(commit)) known.set(commit, answer(commit));
    return known.get(commit) as T;
  };
}

/** Every key in the history of `repo`, placed (see the module's comment). */
export async function historyKeyHits(repo: string, maxBytes: number, signal?: AbortSignal): Promise<HistoryScan> {
  const skipped: HistorySkips = { refs: 0, objects: 0, oversized: 0 };
  const tips = soundTips(repo, skipped);
  const ids = await reachableObjects(repo, tips, skipped, signal);
  const found = await scanObjects(repo, objectsToRead(repo, ids, maxBytes, skipped), signal);
  if (found.size === 0 || signal?.aborted) return { hits: [], skipped };

  const blobs = new Set([...found].filter(([, what]) => what.type === 'blob').map(([id]) => id));
  const placed = await introductions(repo, tips, blobs, signal);
  const defaultBranch = gitSync(repo, ['symbolic-ref', '-q', '--short', 'HEAD']).stdout.trim();
  const head = gitSync(repo, ['rev-parse', '--verify', '-q', 'HEAD']).stdout.trim();
  const inTip = new Set(
    head
      ? gitSync(repo, ['ls-tree', '-r', '-z', '--full-tree', head])
          .stdout.split('\0')
          .map((entry) => entry.split(/[ \t]/)[2])
      : [],
  );
  const reach = remembered((commit: string) => refsReaching(repo, commit));
  const onDefault = (commit: string, refs: string[]) =>
    defaultBranch
      ? refs.includes(defaultBranch)
      : head !== '' && gitSync(repo, ['merge-base', '--is-ancestor', commit, head]).status === 0;
  const staged = indexPaths(repo);
  const tagNames = new Map<string, string[]>();
  for (const line of lines(
    gitSync(repo, ['for-each-ref', '--format=%(objectname) %(refname:short)', 'refs/tags']).stdout,
  )) {
    const [object = '', name = ''] = line.split(' ');
    tagNames.set(object, [...(tagNames.get(object) ?? []), `tag ${name}`]);
  }
  const dateOf = remembered((commit: string) => gitSync(repo, ['show', '-s', '--format=%aI', commit]).stdout.trim());

  const hits: HistoryHit[] = [];
  for (const [id, { hits: keys, type }] of found) {
    if (type !== 'blob') {
      // A message: of the commit itself (with the refs that reach it), or of a tag (its names).
      const refs = type === 'commit' ? reach(id) : (tagNames.get(id) ?? []);
      for (const key of keys) {
        hits.push({
          ...key,
          path: '',
          commit: id,
          authorDate: type === 'commit' ? dateOf(id) : null,
          refs,
          onDefaultBranch: type === 'commit' ? onDefault(id, refs) : false,
          inDefaultTip: null,
          message: type,
        });
      }
      continue;
    }
    const places = placed.get(id) ?? [];
    if (places.length === 0) {
      // In no commit's change: staged only (in the index), or held some other way (a ref to the
      // blob itself); reported all the same.
      const path = staged.get(id) ?? '';
      const none = { commit: null, authorDate: null, inDefaultTip: null, message: null };
      for (const key of keys) hits.push({ ...key, ...none, path, refs: path ? null : [], onDefaultBranch: null });
    }
    for (const place of places) {
      const refs = reach(place.commit);
      for (const key of keys) {
        hits.push({
          ...key,
          path: place.path,
          commit: place.commit,
          authorDate: place.date,
          refs,
          onDefaultBranch: onDefault(place.commit, refs),
          inDefaultTip: inTip.has(id),
          message: null,
        });
      }
    }
  }
  return { hits, skipped };
}
