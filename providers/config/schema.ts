import { z } from 'zod';

/** Environment flags accept the usual spellings; anything else is an error, not "false". */
const flag = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'one of true, false, 1, 0, yes, no' })
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const ratio = (def: number) =>
  z.coerce
    .number({ message: 'a number between 0 and 1' })
    .min(0, 'a number between 0 and 1')
    .max(1, 'a number between 0 and 1')
    .default(def);

const int = (def: number, min: number, max: number) =>
  z.coerce
    .number({ message: `an integer from ${min} to ${max}` })
    .int(`an integer from ${min} to ${max}`)
    .min(min, `an integer from ${min} to ${max}`)
    .max(max, `an integer from ${min} to ${max}`)
    .default(def);

const list = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

// `protocol`: z.url() alone also accepts ftp:, mailto:, javascript: …
const url = (def: string) => z.url({ protocol: /^https?$/, message: 'an absolute http(s) URL' }).default(def);
const TABLE = 'a DynamoDB table name of at least 3 characters';
const optional = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

/**
 * Every environment variable the product reads. `.env.example` and the README list the same names;
 * test/unit/config keeps the three in step.
 */
export const envSchema = z.object({
  // LLM
  LLM_MOCK: flag(true),
  LLM_PROVIDER: z.enum(['vllm', 'gemini'], { message: 'vllm or gemini' }).default('vllm'),
  VLLM_BASE_URL: url('http://127.0.0.1:8000/v1'),
  VLLM_MODEL_NAME: z.string().min(1, 'a model name').default('Qwen/Qwen2.5-7B-Instruct'),
  VLLM_API_KEY: z.string().default('EMPTY'),
  GEMINI_API_KEY: optional,
  GEMINI_MODEL_ID: z
    .enum(['gemini-2.5-pro', 'gemini-2.5-flash'], { message: 'gemini-2.5-pro or gemini-2.5-flash' })
    .default('gemini-2.5-flash'),
  GEMINI_BASE_URL: z.url({ protocol: /^https?$/, message: 'an absolute http(s) URL' }).optional(),
  GEMINI_SECRET_ARN: optional,
  LLM_TIMEOUT_MS: int(60_000, 1_000, 600_000),
  LLM_MAX_RETRIES: int(2, 0, 10),

  // AWS
  AWS_MOCK: flag(true),
  AWS_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as us-east-1')
    .default('us-east-1'),
  ANOMALY_TRACKING_TABLE: z.string().min(3, TABLE).default('bdp-anomaly-tracking'),
  WORKFLOW_STATE_TABLE: z.string().min(3, TABLE).default('bdp-workflow-state'),
  REMEDIATION_HISTORY_TABLE: z.string().min(3, TABLE).default('bdp-remediation-history'),
  AGENT_MEMORY_TABLE: z.string().min(3, TABLE).default('bdp-agent-memory'),
  EVENT_BUS_NAME: z.string().min(1, 'a non-empty name').default('bdp-events'),
  MAIN_STATE_MACHINE_ARN: optional,
  RDS_CLUSTER_ARN: optional,
  RDS_SECRET_ARN: optional,
  RDS_DATABASE: z.string().min(1, 'a non-empty name').default('bdp'),
  UNIFIED_LOG_TABLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'a lower-case SQL identifier')
    .default('unified_logs'),
  KNOWLEDGE_BASE_BUCKET: optional,
  KNOWLEDGE_BASE_DIR: z.string().default('knowledge-base'),
  METRICS_NAMESPACE: z.string().default('BDPAgent'),

  // Analysis and routing
  AUTO_EXECUTE_THRESHOLD: ratio(0.85),
  APPROVAL_THRESHOLD: ratio(0.5),
  MAX_ITERATIONS: int(5, 1, 20),
  MAX_REPLANS: int(2, 0, 5),

  // Detection
  DETECTION_WINDOW_MINUTES: int(10, 1, 1440),
  BASELINE_WINDOW_MINUTES: int(60, 5, 10_080),
  DEDUP_WINDOW_MINUTES: int(60, 1, 1440),
  SERVICES_FILE: optional,

  // Workflow and remediation
  APPROVAL_TIMEOUT_SECONDS: int(3600, 60, 604_800),
  VERIFY_WAIT_SECONDS: int(120, 0, 3600),
  REMEDIATION_DRY_RUN: flag(false),

  // Chat: Slack
  SLACK_SIGNING_SECRET: optional,
  SLACK_BOT_TOKEN: optional,
  SLACK_SECRET_ARN: optional,
  SLACK_CHANNEL_ID: z.string().default('C0INCIDENTS'),
  SLACK_API_URL: url('https://slack.com/api/'),
  SLACK_APPROVERS: list,
  SLACK_ONCALL_GROUP: optional,
  BOT_WORKER_FUNCTION_NAME: optional,

  // Chat: Teams (the Bot Framework's setting names)
  MicrosoftAppId: z.string().default(''),
  MicrosoftAppPassword: z.string().default(''),
  MicrosoftAppTenantId: z.string().default(''),
  MicrosoftAppType: z
    .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI', ''], {
      message: 'MultiTenant, SingleTenant, UserAssignedMSI or empty',
    })
    .default(''),
  TEAMS_APPROVERS: list,
  /** The tenant whose Teams users may decide (default MicrosoftAppTenantId); empty: nobody may. */
  TEAMS_TENANT_ID: z.string().default(''),
  TEAMS_SECRET_ARN: optional,

  // Process
  LOG_LEVEL: z
    .enum(['DEBUG', 'INFO', 'WARN', 'ERROR'], { message: 'DEBUG, INFO, WARN or ERROR' })
    .default('INFO'),
  PORT: int(3000, 1, 65_535),
  CONSOLE_BASE_URL: url('https://console.aws.amazon.com/'),
});

export type Config = z.output<typeof envSchema>;

/** Variables whose values never appear in errors or logs. */
export const SECRET_VARIABLES = new Set([
  'GEMINI_API_KEY',
  'VLLM_API_KEY',
  'SLACK_SIGNING_SECRET',
  'SLACK_BOT_TOKEN',
  'MicrosoftAppPassword',
]);
