// The rotation's .env writer on real files in a temp folder: a file or folder it is pointed at is
// hostile (a planted link at its temporary name, a link, a FIFO, a read-only file, another
// encoding) and each is refused with a message naming the path, nothing written anywhere.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setEnvVariable, writeEnvFile } from '../../../src/main/app/env-file';

const SECRET = 'sk-0a1b2c3d.NewSecretValue';
let dir: string;
let outside: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-env-'));
  outside = join(dir, 'outside.txt');
  writeFileSync(outside, 'nothing\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Nothing but what the test made: no temporary file left behind, the outside file untouched. */
function expectNothingElse(files: string[]): void {
  expect(readdirSync(dir).sort()).toEqual(['outside.txt', ...files].sort());
  expect(readFileSync(outside, 'utf8')).toBe('nothing\n');
}

describe('setEnvVariable', () => {
  it('replaces the variable’s line or adds it, keeping every other line and the line endings', () => {
    const text = '# app\nDEBUG=1\nexport ITELLICO_API_KEY=sk-old.x\nPORT=8080\n';
    expect(setEnvVariable(text, 'ITELLICO_API_KEY', 'sk-new.y')).toEqual({
      text: '# app\nDEBUG=1\nexport ITELLICO_API_KEY=sk-new.y\nPORT=8080\n',
      line: 'replaced',
    });
    expect(setEnvVariable('A=1\r\nB=2', 'KEY', 'v')).toEqual({ text: 'A=1\r\nB=2\r\nKEY=v\r\n', line: 'added' });
    expect(setEnvVariable('A=1\r\nKEY=old\r\nB=2\r\n', 'KEY', 'v').text).toBe('A=1\r\nKEY=v\r\nB=2\r\n');
    expect(setEnvVariable('', 'KEY', 'v')).toEqual({ text: 'KEY=v\n', line: 'added' });
  });

  it('replaces a multi-line quoted value whole, and leaves a one-line quoted value’s neighbours alone', () => {
    const text = 'A=1\nKEY="first line\nsecond \\" still inside\nlast"\nB=2\n';
    expect(setEnvVariable(text, 'KEY', 'v').text).toBe('A=1\nKEY=v\nB=2\n');
    expect(setEnvVariable("KEY='one\ntwo'\nB=2\n", 'KEY', 'v').text).toBe('KEY=v\nB=2\n');
    expect(setEnvVariable('KEY="done"\nB="x\ny"\n', 'KEY', 'v').text).toBe('KEY=v\nB="x\ny"\n');
    // Never closed: only its own line is the variable's.
    expect(setEnvVariable('KEY="open\nB=2\n', 'KEY', 'v').text).toBe('KEY=v\nB=2\n');
  });
});

describe('writeEnvFile', () => {
  it('never writes through a link planted at the temporary file’s name, and leaves no temporary file', async () => {
    const env = join(dir, '.env');
    writeFileSync(env, 'A=1\n', { mode: 0o640 });
    // The old writer's predictable name: a link there had the whole .env written to its target.
    symlinkSync(outside, join(dir, `.${basename(env)}.keyhold-${process.pid}.tmp`));
    await writeEnvFile(env, 'KEY', SECRET);
    expect(readFileSync(env, 'utf8')).toBe(`A=1\nKEY=${SECRET}\n`);
    expect(statSync(env).mode & 0o777).toBe(0o640);
    expectNothingElse(['.env', `..env.keyhold-${process.pid}.tmp`]);
  });

  it('makes a new .env private (0600)', async () => {
    const env = join(dir, 'app.env');
    await writeEnvFile(env, 'KEY', SECRET);
    expect(statSync(env).mode & 0o777).toBe(0o600);
    expectNothingElse(['app.env']);
  });

  it('writes through a .env that is a link to the user’s regular file, and keeps the link', async () => {
    const real = join(dir, 'shared.env');
    writeFileSync(real, 'A=1\n');
    const env = join(dir, '.env');
    symlinkSync(real, env);
    expect((await writeEnvFile(env, 'KEY', SECRET)).line).toBe('added');
    expect(lstatSync(env).isSymbolicLink()).toBe(true);
    expect(readlinkSync(env)).toBe(real);
    expect(readFileSync(real, 'utf8')).toBe(`A=1\nKEY=${SECRET}\n`);
    expectNothingElse(['.env', 'shared.env']);
  });

  it('refuses a dangling link, a link to a folder, a FIFO, a read-only file and text that is not UTF-8, naming the path and writing nothing', async () => {
    const dangling = join(dir, '.env');
    symlinkSync(join(dir, 'nowhere'), dangling);
    await expect(writeEnvFile(dangling, 'KEY', SECRET)).rejects.toThrow(/^path: .*\.env is a symbolic link to nothing/);

    const toFolder = join(dir, '.env.folder');
    mkdirSync(join(dir, 'folder'));
    symlinkSync(join(dir, 'folder'), toFolder);
    await expect(writeEnvFile(toFolder, 'KEY', SECRET)).rejects.toThrow(
      /is not a regular file \(the link .* leads there\)/,
    );

    const fifo = join(dir, '.env.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    await expect(writeEnvFile(fifo, 'KEY', SECRET)).rejects.toThrow(/\.env\.fifo is not a regular file/);

    const readOnly = join(dir, '.env.production');
    writeFileSync(readOnly, 'A=1\n');
    chmodSync(readOnly, 0o444);
    await expect(writeEnvFile(readOnly, 'KEY', SECRET)).rejects.toThrow(/\.env\.production is read-only/);
    expect(readFileSync(readOnly, 'utf8')).toBe('A=1\n');

    const latin1 = join(dir, '.env.latin1');
    const bytes = Buffer.from('NAME=Jos\xe9\nKEY=old\n', 'latin1');
    writeFileSync(latin1, bytes);
    await expect(writeEnvFile(latin1, 'KEY', SECRET)).rejects.toThrow(/\.env\.latin1 is not UTF-8 text/);
    expect(readFileSync(latin1)).toEqual(bytes);
    expectNothingElse(['.env', '.env.folder', 'folder', '.env.fifo', '.env.production', '.env.latin1']);
  });

  it('asks before writing into a file whose name is not an env file’s', async () => {
    const yaml = join(dir, 'config.yaml');
    writeFileSync(yaml, 'a: 1\n');
    await expect(writeEnvFile(yaml, 'KEY', SECRET)).rejects.toThrow(
      /^path: config\.yaml is not an env file's name \(\.env, \.env\.\*, \*\.env\): confirm/,
    );
    expect(readFileSync(yaml, 'utf8')).toBe('a: 1\n');
    await writeEnvFile(yaml, 'KEY', SECRET, { confirmName: true });
    expect(readFileSync(yaml, 'utf8')).toBe(`a: 1\nKEY=${SECRET}\n`);
    for (const name of ['.env', '.env.local', 'staging.env']) {
      await expect(writeEnvFile(join(dir, name), 'KEY', SECRET)).resolves.toMatchObject({ line: 'added' });
    }
  });

  it('keeps a BOM and CRLF line endings as found', async () => {
    const env = join(dir, '.env');
    writeFileSync(env, '\ufeffA=1\r\nKEY=old\r\n');
    await writeEnvFile(env, 'KEY', SECRET);
    expect(readFileSync(env, 'utf8')).toBe(`\ufeffA=1\r\nKEY=${SECRET}\r\n`);
  });
});
