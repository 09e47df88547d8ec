// ESLint 9 flat config: type-aware promise checks, no import cycles, layers that only import downwards, and
// workflow code kept deterministic (no Node built-ins, no infrastructure).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const nodeBuiltins = [
  'assert',
  'async_hooks',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

// What workflow code must not import: it runs in the deterministic sandbox and is replayed.
const workflowForbidden = {
  paths: [
    ...nodeBuiltins.map((name) => ({ name, message: 'Node built-ins are not deterministic: do it in an activity.' })),
    ...['pg', 'better-sqlite3', 'pino', 'nodemailer', 'express', '@temporalio/client', '@temporalio/worker'].map(
      (name) => ({
        name,
        message: 'Infrastructure belongs in activities, services or entry points, never in workflow code.',
      }),
    ),
  ],
  patterns: [
    { group: ['node:*'], message: 'Node built-ins are not deterministic: do it in an activity.' },
    {
      group: [
        '**/deadlines',
        '**/deadlines/index',
        '**/deadlines/engine',
        '**/deadlines/calendar*',
        '**/deadlines/fallback',
        '**/deadlines/data/*',
      ],
      allowTypeImports: true,
      message: 'The deadline engine and its calendar data can change between replays: compute dates in an activity.',
    },
    {
      group: ['**/config', '**/registry', '**/registry/*'],
      message: 'Configuration and the registry are read in activities.',
    },
    {
      group: ['**/activities', '**/activities/*'],
      allowTypeImports: true,
      message: 'Workflows import activities as types only.',
    },
    {
      group: ['**/services/*', '**/http/*', '**/server', '**/api', '**/worker'],
      message: 'Workflows sit below services and HTTP.',
    },
  ],
};

// Layers, bottom up: each zone may not import from the folders listed as `from`.
const layerZones = [
  {
    target: './src/registry',
    from: [
      './src/workflows',
      './src/activities',
      './src/services',
      './src/http',
      './src/reports',
      './src/deadlines',
      './src/notifications',
      './src/cases',
    ],
    message: 'The registry is the bottom layer.',
  },
  { target: './src/vocabulary', from: './src', except: ['./vocabulary'], message: 'Vocabularies import nothing.' },
  {
    target: ['./src/errors', './src/access', './src/time'],
    from: ['./src/registry', './src/workflows', './src/activities', './src/services', './src/http', './src/reports'],
    message: 'Foundations import nothing above them.',
  },
  {
    target: ['./src/reports', './src/deadlines', './src/notifications', './src/directory'],
    from: ['./src/workflows', './src/activities', './src/services', './src/http', './src/cases'],
    message: 'Domain modules sit below workflows.',
  },
  {
    target: './src/activities',
    from: ['./src/services', './src/http'],
    message: 'Activities sit below services and HTTP.',
  },
  { target: './src/services', from: './src/http', message: 'Services know nothing of HTTP.' },
];

export default tseslint.config(
  {
    // Directives written for rules this configuration may not enable stay harmless.
    linterOptions: { reportUnusedDisableDirectives: 'off' },
  },
  {
    ignores: [
      'dist/**',
      'web/dist/**',
      'node_modules/**',
      'coverage/**',
      'bench/results/**',
      'test/replay/histories/**',
      '**/*.json',
      'bin/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['web/scripts/*.ts', 'web/vite.config.mts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    settings: {
      // Without a parser for .ts dependencies import-x cannot read them, and no-cycle silently sees no cycle.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Kysely's dynamic migrations and a few boundary casts use any on purpose; tsc's strict mode guards the rest.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'error',
      // `catch {}` where a failure is expected and harmless (probing a port, a best-effort kill).
      'no-empty': ['error', { allowEmptyCatch: true }],
      // Chinese documents lay out with the ideographic space (U+3000) inside template text.
      'no-irregular-whitespace': ['error', { skipTemplates: true, skipStrings: true }],
    },
  },
  {
    // Processes log through pino (src/log.ts); a test that prints says so with a disable comment. Benchmarks and the
    // history recorder are command-line reports.
    files: ['src/**/*.ts', 'test/**/*.ts'],
    ignores: ['test/replay/record-histories.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', workflowForbidden],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './src/workflows',
              from: [
                './src/services',
                './src/http',
                './src/registry',
                './src/config.ts',
                './src/log.ts',
                './src/server.ts',
                './src/api.ts',
                './src/worker.ts',
              ],
              message: 'Workflows never import services, HTTP or infrastructure.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(
        [
          'process',
          'console',
          'require',
          'module',
          '__dirname',
          'setTimeout',
          'clearTimeout',
          'fetch',
          'AbortSignal',
          'URL',
          'Buffer',
        ].map((g) => [g, 'readonly']),
      ),
    },
    rules: { 'no-empty': ['error', { allowEmptyCatch: true }] },
  },
);
