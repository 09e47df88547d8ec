#!/usr/bin/env node
// The `yingsu` command. From a checkout it runs the TypeScript source through tsx; in the production image (no src/,
// no dev dependencies) it runs the compiled dist/cli.js.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const compiled = join(__dirname, '..', 'dist', 'cli.js');
let cli;
if (existsSync(join(__dirname, '..', 'src', 'cli.ts'))) {
  require('tsx/cjs');
  cli = require('../src/cli.ts');
} else {
  cli = require(compiled);
}
process.exitCode = cli.main(process.argv.slice(2));
