// Writes a variable into a .env file for the rotation's "update applications" step: the
// variable's line replaced (or added at the end), every other line kept as it was, the file
// replaced atomically (a temporary file in the same folder, then rename) with its mode kept.
// Also tells whether git would commit the file.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { AppError } from '../../shared/errors';
import { ENV_VARIABLE, type EnvWrite, type GitState } from '../../shared/workflows';

/** The file's text with `NAME=value` in place of the variable's line (also `export NAME=`). */
export function setEnvVariable(text: string, name: string, value: string): { text: string; line: EnvWrite['line'] } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const endsWithNewline = /\r?\n$/.test(text);
  const body = text.replace(/\r?\n$/, '');
  const pattern = new RegExp(`^(\\s*(?:export\\s+)?)${name}\\s*=`);
  let replaced = false;
  const lines = (body === '' ? [] : body.split(/\r?\n/)).map((line) => {
    const match = pattern.exec(line);
    if (!match) return line;
    replaced = true;
    return `${match[1]}${name}=${value}`;
  });
  if (!replaced) lines.push(`${name}=${value}`);
  return { text: lines.join(eol) + (endsWithNewline || !replaced ? eol : ''), line: replaced ? 'replaced' : 'added' };
}

export async function writeEnvFile(path: string, name: string, value: string): Promise<EnvWrite> {
  if (!isAbsolute(path)) throw new AppError('invalid_request', 'path: must be an absolute path');
  if (!ENV_VARIABLE.test(name)) throw new AppError('invalid_request', `variable: "${name}" is not a variable name`);
  if (!existsSync(dirname(path)))
    throw new AppError('invalid_request', `path: the folder ${dirname(path)} does not exist`);
  const exists = existsSync(path);
  if (exists && !statSync(path).isFile()) throw new AppError('invalid_request', `path: ${path} is not a file`);
  const { text, line } = setEnvVariable(exists ? readFileSync(path, 'utf8') : '', name, value);
  const mode = exists ? statSync(path).mode & 0o777 : 0o600;
  const temporary = join(dirname(path), `.${basename(path)}.keyhold-${process.pid}.tmp`);
  writeFileSync(temporary, text, { mode });
  renameSync(temporary, path);
  return { path, line, git: await gitState(path) };
}

function git(args: string[], cwd: string): Promise<number> {
  return new Promise((done) => {
    execFile('git', args, { cwd }, (error) => done(error ? Number((error as { code?: number }).code ?? 128) : 0));
  });
}

/** Whether git tracks the file, ignores it, or would take it in; no_repository outside one (or without git). */
export async function gitState(path: string): Promise<GitState> {
  const cwd = dirname(path);
  if ((await git(['rev-parse', '--is-inside-work-tree'], cwd)) !== 0) return 'no_repository';
  if ((await git(['ls-files', '--error-unmatch', '--', basename(path)], cwd)) === 0) return 'tracked';
  return (await git(['check-ignore', '-q', '--', basename(path)], cwd)) === 0 ? 'ignored' : 'not_ignored';
}
