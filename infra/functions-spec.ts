/**
 * Every Lambda the stack deploys, as plain data: the CDK stack and `bench/bundles.ts` read the same
 * list, so the benchmark measures exactly the bundles that ship. No aws-cdk-lib here (the bench loads it).
 */
export type FunctionKey =
  | 'detection'
  | 'analysis'
  | 'notify'
  | 'approval'
  | 'approvalExpiry'
  | 'remediation'
  | 'verification'
  | 'slackBot'
  | 'teamsBot'
  | 'botWorker'
  | 'botFollowup'
  | 'botActions';

export interface FunctionSpec {
  key: FunctionKey;
  /** The physical name after the stack prefix: `<prefix>-<suffix>`, e.g. bdp-detection. */
  suffix: string;
  /** The handler's entry file, relative to the repository root; it exports `handler`. */
  entry: string;
  memoryMb: number;
  timeoutSeconds: number;
  description: string;
  /** Deployed only when the entry file exists (a surface still being written). */
  optional?: boolean;
}

/**
 * The four pipeline functions the issue sizes (detection, analysis, remediation, approval), plus
 * small ones for the steps that only record and notify (notify, approval expiry) and the verify step
 * (a few metric reads after the wait). Chat entries are sized for a fast cold start: Slack wants an
 * ack within 3 s and Lambda CPU grows with memory.
 */
export const FUNCTION_SPECS: readonly FunctionSpec[] = [
  {
    key: 'detection',
    suffix: 'detection',
    entry: 'pipeline/handlers/detect.ts',
    memoryMb: 512,
    timeoutSeconds: 60,
    description: 'Detect anomalies (metric bands, unified logs, CloudWatch Logs) and de-duplicate them',
  },
  {
    key: 'analysis',
    suffix: 'analysis',
    entry: 'pipeline/handlers/analyze.ts',
    memoryMb: 1024,
    timeoutSeconds: 120,
    description: 'Root-cause analysis with the LLM agent',
  },
  {
    key: 'notify',
    suffix: 'notify',
    entry: 'pipeline/handlers/notify.ts',
    memoryMb: 256,
    timeoutSeconds: 30,
    description: 'Record an incident status and hand the notice to the bot worker',
  },
  {
    key: 'approval',
    suffix: 'approval',
    entry: 'pipeline/handlers/request-approval.ts',
    memoryMb: 256,
    timeoutSeconds: 30,
    description: 'Store a pending approval (task token server-side) and post the approval card',
  },
  {
    key: 'approvalExpiry',
    suffix: 'approval-expiry',
    entry: 'pipeline/handlers/expire-approval.ts',
    memoryMb: 256,
    timeoutSeconds: 30,
    description: 'Mark a timed-out approval expired and update its card',
  },
  {
    key: 'remediation',
    suffix: 'remediation',
    entry: 'pipeline/handlers/remediate.ts',
    memoryMb: 512,
    timeoutSeconds: 60,
    description: 'Execute a remediation plan within the remediation policy',
  },
  {
    key: 'verification',
    suffix: 'verification',
    entry: 'pipeline/handlers/verify.ts',
    memoryMb: 512,
    timeoutSeconds: 60,
    description: 'Check whether the signal recovered after a remediation',
  },
  {
    key: 'slackBot',
    suffix: 'slack-bot',
    entry: 'bot/slack/lambda.ts',
    memoryMb: 1024,
    timeoutSeconds: 30,
    description: 'Slack events, commands and buttons (Function URL; requests verified by signature)',
  },
  {
    key: 'teamsBot',
    suffix: 'teams-bot',
    entry: 'bot/teams/lambda.ts',
    memoryMb: 1024,
    timeoutSeconds: 30,
    description: 'Teams bot messages and card actions (Function URL; requests verified by JWT)',
    optional: true,
  },
  {
    key: 'botWorker',
    suffix: 'bot-worker',
    entry: 'bot/worker/lambda.ts',
    memoryMb: 512,
    timeoutSeconds: 120,
    description:
      'Chat work after the ack: incident cards and notices, /bdp status|history, on-demand analyses',
  },
  {
    key: 'botFollowup',
    suffix: 'bot-followup',
    entry: 'bot/worker/followup-lambda.ts',
    memoryMb: 1024,
    timeoutSeconds: 300,
    description: 'Follow-up questions in a card thread, answered by the agent (read-only permissions)',
  },
  {
    key: 'botActions',
    suffix: 'bot-actions',
    entry: 'bot/worker/actions-lambda.ts',
    memoryMb: 512,
    timeoutSeconds: 120,
    description: 'Approve, reject and rollback from chat: resumes the workflow, undoes a remediation',
  },
];

/** The bot's worker functions, by the role their jobs have (bot/worker/jobs.ts). */
export const WORKER_FUNCTION_KEYS = {
  cards: 'botWorker',
  followup: 'botFollowup',
  actions: 'botActions',
} as const;

export function functionSpec(key: FunctionKey): FunctionSpec {
  const s = FUNCTION_SPECS.find((f) => f.key === key);
  if (!s) throw new Error(`no function spec for ${key}`);
  return s;
}
