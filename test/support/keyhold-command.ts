// How the tests start the `keyhold` command. Under `npm test` (KEYHOLD_TEST_CLI=bundle, which
// scripts/test.sh sets once it has built out/cli): bin/keyhold.cjs running the bundle, as the
// package ships it (about 0.8 s a start). Otherwise the TypeScript source through tsx's loader
// (2.6-2.9 s), so a test run by hand always runs what is in the checkout. Either way node itself is
// the process, so a signal sent to it reaches the command.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(__dirname, '../..');

const COMMAND =
  process.env.KEYHOLD_TEST_CLI === 'bundle'
    ? [join(ROOT, 'bin/keyhold.cjs')]
    : [
        '--import',
        pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href,
        join(ROOT, 'src/cli/keyhold.ts'),
      ];

/** The program to start: node. */
export const KEYHOLD_NODE = process.execPath;

/** Node's arguments for `keyhold <args>`. */
export const keyholdArgs = (...args: string[]): string[] => [...COMMAND, ...args];
