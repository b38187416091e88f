#!/usr/bin/env node
// The package's `keyhold` command. Runs the bundle `npm run build` writes to out/cli; in a
// checkout that has not been built yet, runs the TypeScript source through tsx instead.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const built = join(__dirname, '..', 'out', 'cli', 'keyhold.cjs');
let cli;
if (existsSync(built)) {
  cli = require(built);
} else {
  require('tsx/cjs');
  cli = require('../src/cli/keyhold.ts');
}
cli.run(process.argv.slice(2));
