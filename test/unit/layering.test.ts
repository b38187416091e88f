// The map in docs/architecture.md, enforced: which folder of src/ may import which. Reads every
// import of every source file (static, dynamic and `import type`) and checks it against the table.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');

/** Room → the rooms it may import (itself always). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  shared: [],
  platform: ['shared'],
  sdk: ['shared'],
  keychain: ['shared'],
  scan: ['shared'],
  server: ['platform', 'sdk', 'shared'],
  cli: ['server', 'platform', 'sdk', 'keychain', 'scan', 'shared'],
  main: ['platform', 'sdk', 'keychain', 'scan', 'shared'],
  preload: ['shared'],
  renderer: ['shared'],
};

/** Packages a room may use; relative imports are checked against MAY_IMPORT instead. */
const PACKAGES: Record<string, RegExp> = {
  shared: /^zod$/,
  platform: /^(node:|better-sqlite3$|pg$)/,
  sdk: /^node:/,
  keychain: /^keytar$/,
  scan: /^node:/,
  server: /^(node:|fastify$|zod$)/,
  cli: /^node:/,
  main: /^(node:|electron$|zod$|keytar$)/,
  preload: /^electron$/,
  renderer: /^(react|react-dom|@mantine\/|zustand|zod$)/,
};

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield path;
  }
}

const roomOf = (file: string) => relative(SRC, file).split(/[\\/]/)[0] as string;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  // `… from '…'` ending a statement, `import('…')`, and bare `import '…';`.
  const pattern = /(?:^(?:import|export)\b[^;'"]*?\bfrom\s*|\bimport\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gms;
  for (const match of text.matchAll(pattern)) {
    specifiers.push(match[1] as string);
  }
  return specifiers;
}

const files = [...sourceFiles(SRC)];

describe('layering: who may import whom', () => {
  it('finds the rooms it knows and nothing else', () => {
    expect(new Set(files.map(roomOf))).toEqual(new Set(Object.keys(MAY_IMPORT)));
  });

  it('every import stays inside what its room may reach', () => {
    const broken: string[] = [];
    for (const file of files) {
      const room = roomOf(file);
      for (const specifier of importsOf(file)) {
        const where = relative(SRC, file);
        if (specifier.startsWith('.')) {
          const target = roomOf(resolve(dirname(file), specifier));
          if (target !== room && !MAY_IMPORT[room]?.includes(target))
            broken.push(`${where} → ${target} (${specifier})`);
        } else if (!PACKAGES[room]?.test(specifier)) {
          broken.push(`${where} → package ${specifier}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('only the Electron shell imports electron in main', () => {
    const electronUsers = files
      .filter((file) => roomOf(file) === 'main' && importsOf(file).includes('electron'))
      .map((file) => relative(join(SRC, 'main'), file));
    for (const user of electronUsers) expect(user === 'index.ts' || user.startsWith('electron/')).toBe(true);
  });
});

describe('one owner for the key format', () => {
  it('nothing but shared/key-format.ts spells the key pattern or cuts the prefix by hand', () => {
    // The public id's hex run, the secret part's length, `sk-[...]`, `sk-${...}` and slicing a partial key.
    const spelled = /\[0-9a-f\]\{(?:8|0,8|1,8)\}|\{49\}|sk-\[|`sk-\$\{|partial_key\.slice\(|\.slice\(3(?:, ?11)?\)/;
    const offenders = files
      .filter((file) => !file.endsWith(join('shared', 'key-format.ts')))
      .filter((file) => spelled.test(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file));
    expect(offenders).toEqual([]);
  });
});

describe('the SQLite driver stays with its store', () => {
  it('nothing in platform/ outside store/sqlite imports store/sqlite (a server on PostgreSQL never loads better-sqlite3)', () => {
    const sqliteFolder = join(SRC, 'platform', 'store', 'sqlite');
    const offenders = files
      .filter((file) => roomOf(file) === 'platform' && !file.startsWith(sqliteFolder))
      .filter((file) => importsOf(file).some((specifier) => resolve(dirname(file), specifier).startsWith(sqliteFolder)))
      .map((file) => relative(SRC, file));
    expect(offenders).toEqual([]);
  });
});
