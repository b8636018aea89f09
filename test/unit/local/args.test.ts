import { parseArgs, UsageError, usage } from '../../../bot/local/args';
import { localConfig } from '../../../bot/local/workspace';
import { ConfigError } from '../../../providers/config';

describe('npm start options', () => {
  it('reads --scenario, --speed and --port in both spellings', () => {
    expect(parseArgs(['--scenario', 'quiet', '--speed=30', '--port', '0'], { port: 3000 })).toEqual({
      scenario: 'quiet',
      speed: 30,
      port: 0,
      help: false,
    });
    expect(parseArgs([], { port: 4000 })).toMatchObject({ scenario: 'default', speed: 10, port: 4000 });
  });

  it.each([
    [['--scenario', 'nope'], /unknown scenario "nope"/],
    [['--speed', 'fast'], /--speed must be a number/],
    [['--port', '70000'], /--port must be an integer/],
    [['--port'], /--port needs a value/],
    [['--verbose'], /unknown option --verbose/],
  ])('%j is refused with a message naming it', (argv, message) => {
    expect(() => parseArgs(argv as string[], { port: 3000 })).toThrow(UsageError);
    expect(() => parseArgs(argv as string[], { port: 3000 })).toThrow(message);
  });

  it('--help lists every scenario', () => {
    const text = usage('/tmp/x.log');
    for (const s of [
      'default',
      'db-connections',
      'lambda-timeout',
      'queue-backlog',
      'unknown-fault',
      'quiet',
    ])
      expect(text).toContain(`  ${s}`);
  });
});

describe('the local configuration', () => {
  const local = {
    signing_secret: 's',
    bot_token: 'xoxb-t',
    slack_api_url: 'http://127.0.0.1:9/api/',
    port: 3000,
  };

  it('forces the local parts and defaults the approver to the local approver', () => {
    const c = localConfig({ AWS_MOCK: 'false', SLACK_API_URL: 'https://slack.com/api/' }, local);
    expect(c.AWS_MOCK).toBe(true);
    expect(c.SLACK_API_URL).toBe('http://127.0.0.1:9/api/');
    expect(c.SLACK_APPROVERS).toEqual(['U0APPROVER']);
    expect(c.DETECTION_WINDOW_MINUTES).toBe(5);
    expect(localConfig({ DETECTION_WINDOW_MINUTES: '10', SLACK_APPROVERS: 'U0VIEWER' }, local)).toMatchObject(
      {
        DETECTION_WINDOW_MINUTES: 10,
        SLACK_APPROVERS: ['U0VIEWER'],
      },
    );
  });

  it('a bad variable stops start-up with a message naming it', () => {
    expect(() => localConfig({ VERIFY_WAIT_SECONDS: 'soon' }, local)).toThrow(ConfigError);
    expect(() => localConfig({ VERIFY_WAIT_SECONDS: 'soon' }, local)).toThrow(/VERIFY_WAIT_SECONDS/);
  });
});
