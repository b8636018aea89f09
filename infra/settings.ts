import * as z from 'zod';
import { type Config, loadConfig } from '../providers/config';

/** The retention periods CloudWatch Logs accepts. */
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/**
 * What a deployment can set through CDK context (`cdk.json` or `-c key=value`). Everything has a
 * default so `cdk synth` runs offline with no context at all; nothing here is ever looked up.
 */
export const InfraContext = z.object({
  /** Prefix of every physical name (functions, state machines, tables come from config). */
  prefix: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,20}$/, 'lower-case letters, digits and dashes, 2–21 characters')
    .default('bdp'),
  /** Explicit environment; defaults keep the stack environment-agnostic (no lookups either way). */
  account: z
    .string()
    .regex(/^\d{12}$/, 'a 12-digit AWS account id')
    .optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as us-east-1')
    .optional(),
  /** How often the scheduler starts the main workflow, in minutes. */
  scheduleRate: z.coerce.number().int().min(1).max(1440).default(5),
  scheduleEnabled: z
    .union([z.boolean(), z.enum(['true', 'false'])])
    .default(true)
    .transform((v) => v === true || v === 'true'),
  /** CloudWatch Logs retention of every function and state machine log group, in days. */
  logRetentionDays: z.coerce
    .number()
    .refine((d) => RETENTION_DAYS.includes(d), `one of ${RETENTION_DAYS.join(', ')}`)
    .default(30),
  /**
   * Step Functions execution logging. ERROR by default: ALL logs every state transition (cost) and,
   * with it, execution data (incident details) — turn it on to debug, not to run.
   */
  stateMachineLogLevel: z.enum(['OFF', 'FATAL', 'ERROR', 'ALL']).default('ERROR'),
  /** Where alarms are mailed (an SNS email subscription), if anyone. */
  alarmEmail: z.email().optional(),
  /**
   * Optional VPC placement of the analysis function (to reach an on-premise vLLM). Ids only: a
   * lookup would need credentials at synth time.
   */
  vpcId: z
    .string()
    .regex(/^vpc-[0-9a-f]+$/, 'a VPC id such as vpc-0abc…')
    .optional(),
  vpcSubnetIds: z
    .array(z.string().regex(/^subnet-[0-9a-f]+$/, 'subnet ids such as subnet-0abc…'))
    .default([]),
  securityGroupIds: z
    .array(z.string().regex(/^sg-[0-9a-f]+$/, 'security group ids such as sg-0abc…'))
    .default([]),
  /** Environment-variable overrides (names as in .env.example), validated by the product's own config. */
  config: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
});
export type InfraContext = z.output<typeof InfraContext>;

export interface InfraSettings extends InfraContext {
  /** The product configuration the functions run with (thresholds, table names, LLM choice, …). */
  appConfig: Config;
}

/** CLI context arrives as strings (`-c vpcSubnetIds='["subnet-1"]'`); cdk.json gives JSON values. */
function decode(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (t.startsWith('[') || t.startsWith('{')) {
    try {
      return JSON.parse(t);
    } catch {
      return v;
    }
  }
  return v;
}

/**
 * Reads and validates the context. A bad value stops the synth with the key and what is allowed.
 * `get` is `node.tryGetContext`.
 */
export function readSettings(get: (key: string) => unknown): InfraSettings {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(InfraContext.shape)) {
    const v = decode(get(key));
    if (v !== undefined) raw[key] = v;
  }
  const parsed = InfraContext.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new Error(`Invalid CDK context ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  const ctx = parsed.data;
  if (ctx.vpcSubnetIds.length > 0 && (!ctx.vpcId || ctx.securityGroupIds.length === 0)) {
    throw new Error(
      'Invalid CDK context vpcSubnetIds: placing the analysis function in a VPC needs vpcId and securityGroupIds too',
    );
  }
  const overrides: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.config)) overrides[k] = String(v);
  // Validated with the product's own rules (ranges, threshold order). AWS_MOCK is forced off in the
  // functions' environment; here it only skips the check for values the stack itself provides.
  const appConfig = loadConfig({ GEMINI_SECRET_ARN: 'provided-by-stack', ...overrides, AWS_MOCK: 'true' });
  return {
    ...ctx,
    appConfig: { ...appConfig, AWS_MOCK: false, GEMINI_SECRET_ARN: overrides.GEMINI_SECRET_ARN || undefined },
  };
}
