import {
  ConfigError,
  describeConfig,
  envSchema,
  getConfig,
  loadConfig,
  resetConfig,
  route,
  SECRET_VARIABLES,
} from '../../../providers/config';

/** The ConfigError loadConfig throws for `env` (fails the test when it loads). */
function configErrorOf(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error(`expected ConfigError for ${JSON.stringify(env)}`);
}

describe('loadConfig defaults', () => {
  test('an empty environment loads the embedded defaults (mocks on, design thresholds)', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      LLM_MOCK: true,
      AWS_MOCK: true,
      LLM_PROVIDER: 'vllm',
      VLLM_BASE_URL: 'http://127.0.0.1:8000/v1',
      GEMINI_MODEL_ID: 'gemini-2.5-flash',
      AUTO_EXECUTE_THRESHOLD: 0.85,
      APPROVAL_THRESHOLD: 0.5,
      MAX_ITERATIONS: 5,
      LLM_TIMEOUT_MS: 60_000,
      LLM_MAX_RETRIES: 2,
      ANOMALY_TRACKING_TABLE: 'bdp-anomaly-tracking',
      WORKFLOW_STATE_TABLE: 'bdp-workflow-state',
      REMEDIATION_HISTORY_TABLE: 'bdp-remediation-history',
      SLACK_APPROVERS: [],
      REMEDIATION_DRY_RUN: false,
    });
    expect(c.GEMINI_API_KEY).toBeUndefined();
  });

  test('empty and blank values mean unset (a blank number does not become 0)', () => {
    const c = loadConfig({ LLM_MAX_RETRIES: ' ', AUTO_EXECUTE_THRESHOLD: '', LLM_PROVIDER: '' });
    expect(c.LLM_MAX_RETRIES).toBe(2);
    expect(c.AUTO_EXECUTE_THRESHOLD).toBe(0.85);
    expect(c.LLM_PROVIDER).toBe('vllm');
  });

  test('values are parsed: flags, numbers, lists', () => {
    const c = loadConfig({
      LLM_MOCK: 'no',
      AWS_MOCK: '1',
      LLM_TIMEOUT_MS: '1500',
      AUTO_EXECUTE_THRESHOLD: '0.9',
      SLACK_APPROVERS: ' U1, U2 ,,U3 ',
    });
    expect(c.LLM_MOCK).toBe(false);
    expect(c.AWS_MOCK).toBe(true);
    expect(c.LLM_TIMEOUT_MS).toBe(1500);
    expect(c.AUTO_EXECUTE_THRESHOLD).toBe(0.9);
    expect(c.SLACK_APPROVERS).toEqual(['U1', 'U2', 'U3']);
  });

  test('getConfig reads process.env once; resetConfig forgets it', () => {
    const saved = process.env.MAX_ITERATIONS;
    try {
      resetConfig();
      process.env.MAX_ITERATIONS = '7';
      expect(getConfig().MAX_ITERATIONS).toBe(7);
      process.env.MAX_ITERATIONS = '9';
      expect(getConfig().MAX_ITERATIONS).toBe(7);
      resetConfig();
      expect(getConfig().MAX_ITERATIONS).toBe(9);
    } finally {
      if (saved === undefined) delete process.env.MAX_ITERATIONS;
      else process.env.MAX_ITERATIONS = saved;
      resetConfig();
    }
  });
});

describe('a bad value stops start-up with a message naming the variable, the value and what is allowed', () => {
  test.each([
    ['bad enum', { LLM_PROVIDER: 'openai' }, 'LLM_PROVIDER', '"openai"', 'vllm or gemini'],
    [
      'bad model id',
      { GEMINI_MODEL_ID: 'gemini-1.5-pro' },
      'GEMINI_MODEL_ID',
      '"gemini-1.5-pro"',
      'gemini-2.5-pro or gemini-2.5-flash',
    ],
    [
      'ratio above 1',
      { AUTO_EXECUTE_THRESHOLD: '1.5' },
      'AUTO_EXECUTE_THRESHOLD',
      '"1.5"',
      'a number between 0 and 1',
    ],
    [
      'negative ratio',
      { APPROVAL_THRESHOLD: '-0.1' },
      'APPROVAL_THRESHOLD',
      '"-0.1"',
      'a number between 0 and 1',
    ],
    ['integer out of range', { LLM_MAX_RETRIES: '11' }, 'LLM_MAX_RETRIES', '"11"', 'an integer from 0 to 10'],
    [
      'timeout below minimum',
      { LLM_TIMEOUT_MS: '10' },
      'LLM_TIMEOUT_MS',
      '"10"',
      'an integer from 1000 to 600000',
    ],
    ['not a number', { MAX_ITERATIONS: 'five' }, 'MAX_ITERATIONS', '"five"', 'an integer from 1 to 20'],
    ['not an integer', { MAX_ITERATIONS: '2.5' }, 'MAX_ITERATIONS', '"2.5"', 'an integer from 1 to 20'],
    [
      'NaN ratio',
      { AUTO_EXECUTE_THRESHOLD: 'NaN' },
      'AUTO_EXECUTE_THRESHOLD',
      '"NaN"',
      'a number between 0 and 1',
    ],
    ['bad flag', { LLM_MOCK: 'maybe' }, 'LLM_MOCK', '"maybe"', 'one of true, false, 1, 0, yes, no'],
    [
      'bad URL',
      { VLLM_BASE_URL: 'localhost 8000' },
      'VLLM_BASE_URL',
      '"localhost 8000"',
      'an absolute http(s) URL',
    ],
    [
      'non-http URL',
      { SLACK_API_URL: 'ftp://slack.example/api' },
      'SLACK_API_URL',
      '"ftp://slack.example/api"',
      'http(s)',
    ],
    [
      'bad optional URL',
      { GEMINI_BASE_URL: 'generativelanguage' },
      'GEMINI_BASE_URL',
      '"generativelanguage"',
      'http(s)',
    ],
    ['bad region', { AWS_REGION: 'Europe' }, 'AWS_REGION', '"Europe"', 'an AWS region such as us-east-1'],
    [
      'short table name',
      { WORKFLOW_STATE_TABLE: 'wf' },
      'WORKFLOW_STATE_TABLE',
      '"wf"',
      'at least 3 characters',
    ],
    [
      'bad SQL identifier',
      { UNIFIED_LOG_TABLE: 'logs; DROP TABLE x' },
      'UNIFIED_LOG_TABLE',
      'DROP',
      'a lower-case SQL identifier',
    ],
    ['bad log level', { LOG_LEVEL: 'verbose' }, 'LOG_LEVEL', '"verbose"', 'DEBUG, INFO, WARN or ERROR'],
    ['port out of range', { PORT: '70000' }, 'PORT', '"70000"', 'an integer from 1 to 65535'],
  ])('%s', (_kind, env, variable, shownValue, allowed) => {
    const err = configErrorOf(env);
    expect(err.name).toBe('ConfigError');
    expect(err.variable).toBe(variable);
    expect(err.message).toContain(`${variable}=`);
    expect(err.message).toContain(shownValue);
    expect(err.message).toContain(allowed);
  });

  test('APPROVAL_THRESHOLD must be below AUTO_EXECUTE_THRESHOLD (equal is refused too)', () => {
    for (const env of [
      { APPROVAL_THRESHOLD: '0.9' },
      { APPROVAL_THRESHOLD: '0.7', AUTO_EXECUTE_THRESHOLD: '0.7' },
    ]) {
      const err = configErrorOf(env);
      expect(err.variable).toBe('APPROVAL_THRESHOLD');
      expect(err.message).toContain(`APPROVAL_THRESHOLD="${env.APPROVAL_THRESHOLD}"`);
      expect(err.message).toMatch(/below AUTO_EXECUTE_THRESHOLD \(0\.\d+\)/);
    }
    expect(loadConfig({ APPROVAL_THRESHOLD: '0.6', AUTO_EXECUTE_THRESHOLD: '0.7' }).APPROVAL_THRESHOLD).toBe(
      0.6,
    );
  });

  test('Gemini without a key is refused unless the mock is on or a secret ARN is given', () => {
    const err = configErrorOf({ LLM_MOCK: 'false', LLM_PROVIDER: 'gemini' });
    expect(err.variable).toBe('GEMINI_API_KEY');
    expect(err.message).toContain('GEMINI_API_KEY=(unset)');
    expect(err.message).toContain('LLM_PROVIDER=gemini');
    expect(loadConfig({ LLM_MOCK: 'true', LLM_PROVIDER: 'gemini' }).LLM_PROVIDER).toBe('gemini');
    expect(
      loadConfig({ LLM_MOCK: 'false', LLM_PROVIDER: 'gemini', GEMINI_SECRET_ARN: 'arn:aws:secretsmanager:x' })
        .GEMINI_SECRET_ARN,
    ).toBe('arn:aws:secretsmanager:x');
  });

  test('AWS_MOCK=false needs both RDS ARNs (the unified logs are read through the Data API)', () => {
    const noCluster = configErrorOf({ AWS_MOCK: 'false' });
    expect(noCluster.variable).toBe('RDS_CLUSTER_ARN');
    expect(noCluster.message).toContain('RDS_CLUSTER_ARN=(unset)');
    expect(noCluster.message).toContain('AWS_MOCK=false');
    const noSecret = configErrorOf({
      AWS_MOCK: 'false',
      RDS_CLUSTER_ARN: 'arn:aws:rds:us-east-1:1:cluster:c',
    });
    expect(noSecret.variable).toBe('RDS_SECRET_ARN');
    expect(
      loadConfig({ AWS_MOCK: 'false', RDS_CLUSTER_ARN: 'arn:c', RDS_SECRET_ARN: 'arn:s' }).AWS_MOCK,
    ).toBe(false);
  });
});

describe('secrets never appear in messages', () => {
  const secrets = {
    GEMINI_API_KEY: 'AIza-very-secret-gemini-key',
    VLLM_API_KEY: 'sk-very-secret-vllm-key',
    SLACK_SIGNING_SECRET: 'slack-signing-secret-value',
    SLACK_BOT_TOKEN: 'xoxb-secret-bot-token',
    MicrosoftAppPassword: 'teams-app-password-value',
  };

  test('every secret variable is in SECRET_VARIABLES', () => {
    for (const name of Object.keys(secrets)) expect(SECRET_VARIABLES.has(name)).toBe(true);
  });

  test('an error for another variable does not echo any secret', () => {
    for (const bad of [{ LLM_PROVIDER: 'bogus' }, { APPROVAL_THRESHOLD: '0.99' }, { AWS_MOCK: 'false' }]) {
      const err = configErrorOf({ ...secrets, ...bad });
      for (const value of Object.values(secrets)) expect(err.message).not.toContain(value);
    }
  });

  test('describeConfig masks secrets and keeps the rest', () => {
    const shown = describeConfig(loadConfig(secrets));
    for (const [name, value] of Object.entries(secrets)) {
      expect(shown[name]).toBe('(set)');
      expect(JSON.stringify(shown)).not.toContain(value);
    }
    expect(shown.LLM_PROVIDER).toBe('vllm');
  });

  test('every variable in SECRET_VARIABLES exists in the schema', () => {
    for (const name of SECRET_VARIABLES) expect(Object.keys(envSchema.shape)).toContain(name);
  });
});

describe('route() boundaries', () => {
  const t = { AUTO_EXECUTE_THRESHOLD: 0.85, APPROVAL_THRESHOLD: 0.5 };
  test.each([
    [1, 'auto'],
    [0.85, 'auto'],
    [0.8499, 'approval'],
    [0.5, 'approval'],
    [0.4999, 'escalate'],
    [0, 'escalate'],
    [Number.NaN, 'escalate'],
    [Number.POSITIVE_INFINITY, 'escalate'],
    [Number.NEGATIVE_INFINITY, 'escalate'],
  ])('confidence %p → %s', (confidence, expected) => {
    expect(route(confidence, t)).toBe(expected);
  });

  test('the configured thresholds move the boundaries', () => {
    const c = loadConfig({ AUTO_EXECUTE_THRESHOLD: '0.95', APPROVAL_THRESHOLD: '0.6' });
    expect(route(0.9, c)).toBe('approval');
    expect(route(0.95, c)).toBe('auto');
    expect(route(0.55, c)).toBe('escalate');
  });
});
