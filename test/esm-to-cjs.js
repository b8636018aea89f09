// Jest transform for the few ESM-only packages our dependencies require() (ESM_ONLY in jest.config.js).
// Node 22 loads them natively; Jest's module runtime does not (before Node 24.9),
// so they are turned into CommonJS with the esbuild we already build the Lambdas with.
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const out = transformSync(source, {
      loader: 'js',
      format: 'cjs',
      target: 'node22',
      sourcemap: 'inline',
      sourcefile: filename,
    });
    return { code: out.code };
  },
};
