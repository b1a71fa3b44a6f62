// Unit specs live beside the code; e2e suites in test/ run once on SQLite and, when
// CRM_TEST_MYSQL_URL is set, once more on MySQL/MariaDB, and when CRM_TEST_POSTGRES_URL is set,
// once more on PostgreSQL (each suite in a database of its own).
const path = require('node:path');

const rootDir = path.resolve(__dirname, '..');
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};
const base = {
  rootDir,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', swc] },
  // NestJS 12 ships ESM only; Jest on Node 20 can't require(esm), so those packages are transformed too.
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|file-type|strtok3|token-types|uint8array-extras|@tokenizer|load-esm)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
};
const e2e = (db) => ({
  ...base,
  displayName: `e2e:${db}`,
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
  setupFiles: [`<rootDir>/test/harness/use-${db}.ts`],
});

module.exports = {
  testTimeout: 180000,
  // The swagger CLI plugin's metadata, so the suites see the document `nest build` serves (see the file).
  globalSetup: path.join(__dirname, 'harness', 'swagger-plugin-metadata.mjs'),
  watchman: false,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/modules/**/*.spec.ts', '<rootDir>/src/**/*.spec.ts'] },
    e2e('sqlite'),
    ...(process.env.CRM_TEST_MYSQL_URL ? [e2e('mysql')] : []),
    ...(process.env.CRM_TEST_POSTGRES_URL ? [e2e('postgres')] : []),
  ],
};
