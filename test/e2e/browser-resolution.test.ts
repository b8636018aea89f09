import { existsSync } from 'node:fs';
import { resolveChromium } from './browser';

/** Which Chromium the browser tests use; the packaged fallback is exercised for real by the e2e under without-chromium.sh. */
describe('resolveChromium', () => {
  test('CHROMIUM_PATH wins over everything else', () => {
    expect(resolveChromium({ CHROMIUM_PATH: process.execPath })).toEqual({
      source: 'CHROMIUM_PATH',
      executablePath: process.execPath,
    });
  });

  test('a CHROMIUM_PATH that does not exist fails closed instead of falling back', () => {
    expect(() => resolveChromium({ CHROMIUM_PATH: '/nonexistent/chromium' })).toThrow(
      /CHROMIUM_PATH=\/nonexistent\/chromium does not exist/,
    );
  });

  test('without CHROMIUM_PATH: Debian chromium when installed, else the packaged build with its libs and fonts', () => {
    const got = resolveChromium({});
    if (existsSync('/usr/bin/chromium')) {
      expect(got).toEqual({ source: 'debian', executablePath: '/usr/bin/chromium' });
    } else {
      expect(got.source).toBe('@sparticuz/chromium');
      expect(existsSync(got.executablePath)).toBe(true);
      expect(got.env?.LD_LIBRARY_PATH?.split(':')[0]).toMatch(/al2023\/lib$/);
      expect(existsSync(`${got.env?.LD_LIBRARY_PATH?.split(':')[0]}/libnss3.so`)).toBe(true);
      expect(existsSync(got.env!.FONTCONFIG_FILE!)).toBe(true);
    }
  });
});
