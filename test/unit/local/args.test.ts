import { parseArgs, UsageError, usage } from '../../../bot/local/args';
import { localConfig, localTeamsConfig, PLAYGROUND_USER_AAD } from '../../../bot/local/workspace';
import { ConfigError } from '../../../providers/config';

describe('npm start options', () => {
  it('reads --scenario, --speed and --port in both spellings', () => {
    expect(parseArgs(['--scenario', 'quiet', '--speed=30', '--port', '0'], { port: 3000 })).toEqual({
      scenario: 'quiet',
      speed: 30,
      port: 0,
      surface: 'slack',
      playground: true,
      help: false,
    });
    expect(parseArgs([], { port: 4000 })).toMatchObject({ scenario: 'default', speed: 10, port: 4000 });
  });

  it('--surface teams (npm run start:teams) uses the Teams port unless --port says otherwise', () => {
    expect(parseArgs(['--surface', 'teams'], { port: 3000, teamsPort: 3978 })).toMatchObject({
      surface: 'teams',
      playground: true,
      port: 3978,
    });
    expect(
      parseArgs(['--surface=teams', '--no-playground', '--port', '0'], { port: 3000, teamsPort: 3978 }),
    ).toMatchObject({ surface: 'teams', playground: false, port: 0 });
    // Order does not matter; without a Teams default the Slack one is used.
    expect(parseArgs(['--no-playground', '--surface', 'teams'], { port: 5000 })).toMatchObject({
      playground: false,
      port: 5000,
    });
    expect(parseArgs(['--surface', 'teams', '--help'], { port: 3000 }).help).toBe(true);
  });

  it.each([
    [['--surface', 'discord'], /unknown surface "discord" \(one of slack, teams\)/],
    [['--no-playground'], /--no-playground goes with --surface teams/],
    [['--scenario', 'nope'], /unknown scenario "nope"/],
    [['--speed', 'fast'], /--speed must be a number/],
    [['--port', '70000'], /--port must be an integer/],
    [['--port'], /--port <value>' argument missing/],
    [['--verbose'], /Unknown option '--verbose'/],
    [['extra'], /unexpected argument 'extra'/],
  ])('%j is refused with a message naming it', (argv, message) => {
    expect(() => parseArgs(argv as string[], { port: 3000 })).toThrow(UsageError);
    expect(() => parseArgs(argv as string[], { port: 3000 })).toThrow(message);
  });

  it('--help lists every scenario and the Teams options', () => {
    const text = usage('/tmp/x.log');
    expect(text).toContain('--surface <name>');
    expect(text).toContain('--no-playground');
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

  it('teams: no Slack, empty app credentials (local only), the Playground user approves by default', () => {
    const c = localTeamsConfig(
      { SLACK_BOT_TOKEN: 'xoxb-real', MicrosoftAppId: 'real-app', MicrosoftAppPassword: 'pw' },
      { port: 3978 },
    );
    expect(c).toMatchObject({
      AWS_MOCK: true,
      MicrosoftAppId: '',
      MicrosoftAppPassword: '',
      TEAMS_APPROVERS: [PLAYGROUND_USER_AAD],
      PORT: 3978,
    });
    // No Slack token: the worker registers no Slack surface.
    expect(c.SLACK_BOT_TOKEN).toBeFalsy();
    expect(localTeamsConfig({ TEAMS_APPROVERS: 'aad-1' }, { port: 0 }).TEAMS_APPROVERS).toEqual(['aad-1']);
    expect(() => localTeamsConfig({ VERIFY_WAIT_SECONDS: 'soon' }, { port: 3978 })).toThrow(
      /VERIFY_WAIT_SECONDS/,
    );
  });
});
