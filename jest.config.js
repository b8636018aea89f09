/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
    // ESM-only packages required by CommonJS dependencies (see test/esm-to-cjs.js).
    '/node_modules/eventsource-parser/.+\\.js$': '<rootDir>/test/esm-to-cjs.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!eventsource-parser/)'],
  testTimeout: 30000,
  maxWorkers: 2,
  setupFiles: ['<rootDir>/test/setup.ts'],
  reporters: ['default', '<rootDir>/test/reporters/summary-line.js'],
};
