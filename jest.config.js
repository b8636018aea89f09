// ESM-only packages that CommonJS dependencies require(): jose (the Agents SDK's jwks-rsa),
// eventsource-parser (@langchain/google), strip-bom (@microsoft/app-manifest). Node 22 loads them
// natively; Jest's runtime needs them as CJS (test/transforms/esm-to-cjs.js).
const ESM_ONLY = ['jose', 'eventsource-parser', 'strip-bom'];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
    [`/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: '<rootDir>/test/transforms/esm-to-cjs.js',
  },
  // Ignored unless the innermost node_modules folder is one of ESM_ONLY (nested copies included).
  transformIgnorePatterns: [`/node_modules/(?!.*/node_modules/)(?!(${ESM_ONLY.join('|')})/)`],
  testTimeout: 30000,
  maxWorkers: 2,
  setupFiles: ['<rootDir>/test/setup.ts'],
  reporters: ['default', '<rootDir>/test/reporters/summary-line.js'],
};
