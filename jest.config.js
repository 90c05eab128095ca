/** @type {import('jest').Config} */
const project = (name, extra = {}) => ({
  displayName: name,
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // The OTLP exporters' transport imports node:http dynamically, which Jest's VM cannot run.
    '/@opentelemetry/otlp-exporter-base/.+\\.cjs$': '<rootDir>/test/helpers/require-node-builtins.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!@opentelemetry/otlp-exporter-base/)'],
  testEnvironment: 'node',
  ...extra,
});

module.exports = {
  // Integration tests start emulators, gateways and Redis servers of their own.
  testTimeout: 30_000,
  projects: [
    project('unit'),
    project('integration', { slowTestThreshold: 15 }),
    project('contract', { slowTestThreshold: 15 }),
  ],
};
