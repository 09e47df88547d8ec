// @swc/jest strips types without the TypeScript compiler API (type checking is `tsc --noEmit` in npm test).
const esmOnly = '(openid-client|oauth4webapi|jose|oidc-provider)';
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }],
    // ESM-only packages (the OIDC client and, in tests, the provider) become CommonJS for Jest's module system.
    [`/node_modules/${esmOnly}/.+\\.m?js$`]: ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!${esmOnly}/)`],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  // Two cores: the Java test server, the dev server and the worker bundler compete for them.
  maxWorkers: 2,
};
