// Writes a variable into a .env file for the rotation's "update applications" step: the
// variable's line replaced (or added at the end), every other line kept as it was, the file
// replaced atomically with its mode kept. Also tells whether git would commit the file.
// The file and its folder are not trusted: a planted symlink, a FIFO, a read-only or foreign
// file, or text that is not UTF-8 is refused with a message naming the path; nothing is written
// through a link, and the temporary file is made exclusively, unguessable and private.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  lstatSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { gitAsync } from '../../scan/git-command';
import { AppError } from '../../shared/errors';
import { ENV_VARIABLE, type EnvWrite, type GitState, isEnvFileName } from '../../shared/workflows';

const refuse = (message: string) => new AppError('invalid_request', `path: ${message}`);

/** An opening quote whose closing one is on a later line: the value spans lines up to it. */
function quotedSpanEnd(lines: string[], start: number, value: string): number {
  const quote = value[0];
  if (quote !== '"' && quote !== "'" && quote !== '`') return start;
  const closes = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      if (quote === '"' && text[i] === '\\') i++;
      else if (text[i] === quote) return true;
    }
    return false;
  };
  if (closes(value.slice(1))) return start;
  for (let at = start + 1; at < lines.length; at++) if (closes(lines[at] as string)) return at;
  return start; // never closed: only its own line is the variable's
}

/** The file's text with `NAME=value` in place of the variable's line (also `export NAME=`), multi-line quoted values whole. */
export function setEnvVariable(text: string, name: string, value: string): { text: string; line: EnvWrite['line'] } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const endsWithNewline = /\r?\n$/.test(text);
  const body = text.replace(/\r?\n$/, '');
  const pattern = new RegExp(`^(\\s*(?:export\\s+)?)${name}\\s*=\\s*(.*)$`);
  const lines = body === '' ? [] : body.split(/\r?\n/);
  const out: string[] = [];
  let replaced = false;
  for (let at = 0; at < lines.length; at++) {
    const line = lines[at] as string;
    const match = pattern.exec(line);
    if (!match) {
      out.push(line);
      continue;
    }
    replaced = true;
    out.push(`${match[1]}${name}=${value}`);
    at = quotedSpanEnd(lines, at, match[2] as string);
  }
  if (!replaced) out.push(`${name}=${value}`);
  return { text: out.join(eol) + (endsWithNewline || !replaced ? eol : ''), line: replaced ? 'replaced' : 'added' };
}

const ownedByUser = (stat: Stats) => process.getuid === undefined || stat.uid === process.getuid();

/** The regular file to write for `path`: itself, or the file its symlink leads to; null when it does not exist yet. */
function targetOf(path: string): { target: string; stat: Stats | null } {
  let stat: Stats;
  try {
    stat = lstatSync(path);
  } catch {
    let folder: Stats | null = null;
    try {
      folder = statSync(dirname(path));
    } catch {}
    if (!folder?.isDirectory()) throw refuse(`the folder ${dirname(path)} does not exist`);
    return { target: path, stat: null };
  }
  let target = path;
  if (stat.isSymbolicLink()) {
    try {
      target = realpathSync(path);
      stat = lstatSync(target);
    } catch {
      throw refuse(`${path} is a symbolic link to nothing: it was left as it is`);
    }
  }
  const via = target === path ? '' : ` (the link ${path} leads there)`;
  if (!stat.isFile()) throw refuse(`${target} is not a regular file${via}: nothing was written`);
  if (!ownedByUser(stat)) throw refuse(`${target} belongs to another user${via}: nothing was written`);
  if ((stat.mode & 0o200) === 0) throw refuse(`${target} is read-only${via}: nothing was written`);
  return { target, stat };
}

function readUtf8(file: string): string {
  try {
    // Fatal: a byte that is not UTF-8 refuses the file instead of becoming U+FFFD on the way back.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(readFileSync(file));
  } catch {
    throw refuse(`${file} is not UTF-8 text: it was left as it is`);
  }
}

/** Writes `text` beside `target` in a new private file (exclusive, never through a link), then renames it over. */
function replaceAtomically(target: string, text: string, mode: number): void {
  const temporary = join(dirname(target), `.${basename(target)}.keyhold-${randomBytes(12).toString('hex')}.tmp`);
  const fd = openSync(
    temporary,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
    0o600,
  );
  try {
    const bytes = Buffer.from(text, 'utf8');
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
    fchmodSync(fd, mode);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temporary, target);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {}
    unlinkSync(temporary);
    throw error;
  }
}

export async function writeEnvFile(
  path: string,
  name: string,
  value: string,
  options: { confirmName?: boolean } = {},
): Promise<EnvWrite> {
  if (!isAbsolute(path)) throw refuse('must be an absolute path');
  if (!ENV_VARIABLE.test(name)) throw new AppError('invalid_request', `variable: "${name}" is not a variable name`);
  if (!isEnvFileName(basename(path)) && !options.confirmName) {
    throw refuse(`${basename(path)} is not an env file's name (.env, .env.*, *.env): confirm to write into it anyway`);
  }
  const { target, stat } = targetOf(path);
  const { text, line } = setEnvVariable(stat ? readUtf8(target) : '', name, value);
  replaceAtomically(target, text, stat ? stat.mode & 0o777 : 0o600);
  return { path, line, git: await gitState(target) };
}

/** Whether git tracks the file, ignores it, or would take it in; no_repository outside one (or without git). */
export async function gitState(path: string): Promise<GitState> {
  const folder = dirname(path);
  const status = async (args: string[]) => {
    try {
      return (await gitAsync(folder, args)).status;
    } catch {
      return 128; // git is not installed
    }
  };
  if ((await status(['rev-parse', '--is-inside-work-tree'])) !== 0) return 'no_repository';
  if ((await status(['ls-files', '--error-unmatch', '--', basename(path)])) === 0) return 'tracked';
  return (await status(['check-ignore', '-q', '--', basename(path)])) === 0 ? 'ignored' : 'not_ignored';
}
