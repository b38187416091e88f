// Small questions about places on disk that the scan and the hook installer both ask.
import { lstatSync, type Stats } from 'node:fs';
import { isAbsolute, relative } from 'node:path';

/** Whether `path` is `folder` or inside it (give both as real paths). */
export function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The entry itself (a link is not followed), or null when there is nothing there. */
export function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}
