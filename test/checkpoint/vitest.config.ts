// Runs the official LangGraph checkpointer validation suite against the DynamoDB checkpointer:
// `npx vitest run --config test/checkpoint/vitest.config.ts` (the suite needs vitest globals).
// A plain object (no `defineConfig` import): this repo compiles as CommonJS and vitest/config is ESM-only.
export default {
  test: {
    globals: true,
    include: ['test/checkpoint/**/*.spec.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
};
