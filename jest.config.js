// @swc/jest strips types without the TypeScript compiler API (type checking is `tsc --noEmit` in npm test).
// Three projects: `unit` needs no server (npm run test:unit), `time-skipping` starts its own Java test server per
// file, `e2e` shares one real dev server (started by globalSetup only when an e2e test runs), PostgreSQL or a browser.
const esmOnly = '(openid-client|oauth4webapi|jose|oidc-provider)';
const base = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }],
    // ESM-only packages (the OIDC client and, in tests, the provider) become CommonJS for Jest's module system.
    [`/node_modules/${esmOnly}/.+\\.m?js$`]: ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!${esmOnly}/)`],
};

const timeSkipping = [
  '<rootDir>/test/**/*.time-skipping.test.ts',
  '<rootDir>/test/cases/workflow.test.ts',
  '<rootDir>/test/platform/time-skipping.test.ts',
  '<rootDir>/test/replay/replay.test.ts',
];

const e2e = [
  '<rootDir>/test/e2e/**/*.test.ts',
  '<rootDir>/test/**/*.e2e.test.ts',
  // Browser tests (Temporal UI, the console against npm start's stack) and the console's API tests.
  '<rootDir>/test/**/*.browser.test.ts',
  '<rootDir>/test/console-api/**/*.test.ts',
  '<rootDir>/test/notifications/notices-api.test.ts',
  '<rootDir>/test/notifications/resend.e2e.test.ts',
  '<rootDir>/test/notifications/worker-kill.test.ts',
  '<rootDir>/test/platform/compose.test.ts',
  '<rootDir>/test/platform/http.test.ts',
  '<rootDir>/test/platform/persistence.test.ts',
  '<rootDir>/test/platform/start.test.ts',
  '<rootDir>/test/platform/visibility.test.ts',
  '<rootDir>/test/registry/store.test.ts',
  '<rootDir>/test/reports/schedule.test.ts',
  '<rootDir>/test/reports/store.test.ts',
  '<rootDir>/test/resilience/!(*.time-skipping).test.ts',
];

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60_000,
  // Two cores: the Java test server, the dev server and the worker bundler compete for them.
  maxWorkers: 2,
  projects: [
    {
      ...base,
      displayName: 'unit',
      // Everything not listed as time-skipping or e2e: a new test that needs a server fails loudly until it is listed.
      testMatch: [
        '<rootDir>/test/**/*.test.ts',
        ...[...timeSkipping, ...e2e].map((glob) => `!${glob.replace('<rootDir>/', '**/')}`),
      ],
    },
    {
      ...base,
      displayName: 'time-skipping',
      testMatch: timeSkipping,
      setupFilesAfterEnv: ['<rootDir>/test/support/quiet-runtime.ts'],
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: e2e,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/quiet-runtime.ts'],
    },
  ],
};
