// The platform's clean-up for a key found in git history, as commands for that repository: the
// key is matched by its public id, so the commands never hold the secret.
import { SECRET_PART_SOURCE } from '../../../../shared/key-format';

const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/** Rewrites every commit of every ref without the key, then pushes the new history. */
export function historyCleanup(repository: string, partialKey: string): { filterRepo: string; bfg: string } {
  const rule = `regex:${partialKey}\\.${SECRET_PART_SOURCE}==>${partialKey}.REMOVED`;
  const push = 'git push --force --all && git push --force --tags';
  return {
    filterRepo: [
      `cd ${quote(repository)}`,
      `printf '%s\\n' ${quote(rule)} > ../keyhold-replacements.txt`,
      'git filter-repo --replace-text ../keyhold-replacements.txt',
      push,
    ].join('\n'),
    bfg: [
      `cd ${quote(repository)}`,
      `printf '%s\\n' ${quote(rule)} > ../keyhold-replacements.txt`,
      'bfg --replace-text ../keyhold-replacements.txt',
      'git reflog expire --expire=now --all && git gc --prune=now --aggressive',
      push,
    ].join('\n'),
  };
}

/** Stops tracking a secret-bearing file and ignores it from now on. */
export function untrackFile(repository: string, path: string): string {
  const inRepo = path.startsWith(`${repository}/`) ? path.slice(repository.length + 1) : path;
  return [
    `cd ${quote(repository)}`,
    `git rm --cached ${quote(inRepo)}`,
    `printf '%s\\n' ${quote(`/${inRepo}`)} >> .gitignore`,
    `git commit -m ${quote(`Stop tracking ${inRepo}`)} -- .gitignore ${quote(inRepo)}`,
  ].join('\n');
}

/** The repository (of those scanned) that holds a path: the longest that is its prefix. */
export function scannedRepositoryOf(repositories: string[], path: string): string | null {
  return (
    repositories
      .filter((repository) => path === repository || path.startsWith(`${repository}/`))
      .sort((a, b) => b.length - a.length)[0] ?? null
  );
}
