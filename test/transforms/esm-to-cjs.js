// Jest runs tests as CommonJS; a few dependencies ship only ES modules (jose, under the Agents SDK's
// jwks-rsa). Node itself loads them (require(esm)); Jest needs them converted, which esbuild does.
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      format: 'cjs',
      loader: 'js',
      target: 'node20',
      sourcemap: 'external',
      sourcefile: filename,
    });
    return { code, map };
  },
};
