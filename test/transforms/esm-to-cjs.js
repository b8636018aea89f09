// Jest runs tests as CommonJS; a few dependencies ship only ES modules (ESM_ONLY in jest.config.js).
// Node itself loads them (require(esm)); Jest needs them converted, which esbuild does.
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      format: 'cjs',
      loader: 'js',
      target: 'node22',
      sourcemap: 'external',
      sourcefile: filename,
    });
    return { code, map };
  },
};
