import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema } from '../../../providers/config';

const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');

describe('README', () => {
  it('quick start is exactly the two commands', () => {
    const block = readme.split('## Quick start')[1]?.split('```')[1] ?? '';
    const commands = block
      .split('\n')
      // A shell comment after a command explains it; it is not another command.
      .map((l) => l.replace(/\s+#.*$/, '').trim())
      .filter((l) => l && l !== 'sh');
    expect(commands).toEqual(['npm ci && npm start', 'npm test']);
  });

  it('documents every environment variable the config reads', () => {
    const missing = Object.keys(envSchema.shape).filter((name) => !readme.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
