#!/usr/bin/env node
// Runs the TypeScript source directly: tsx's CommonJS loader compiles src/ on require.
require('tsx/cjs');
process.exitCode = require('../src/cli.ts').main(process.argv.slice(2));
