import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ISecurityGroup, IVpc, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LAMBDA_BUNDLE_OPTIONS } from './bundling';
import { FUNCTION_SPECS, type FunctionKey, type FunctionSpec } from './functions-spec';

/** The repository root: entries in FUNCTION_SPECS are relative to it. */
export const REPO_ROOT = resolve(__dirname, '..');

export interface BdpFunctionsProps {
  prefix: string;
  /** Environment shared by every function (each may add its own). */
  environment: Record<string, string>;
  logRetention: RetentionDays;
  /** Optional VPC placement, per function. */
  vpc?: Partial<
    Record<FunctionKey, { vpc: IVpc; subnets: SubnetSelection; securityGroups: ISecurityGroup[] }>
  >;
  /** Overrides of entry files (tests point an optional surface at a fixture). */
  entries?: Partial<Record<FunctionKey, string>>;
}

/** The entry file of a spec, absolute; undefined for an optional surface whose file is not there yet. */
export function resolveEntry(spec: FunctionSpec, override?: string): string | undefined {
  const file = resolve(REPO_ROOT, override ?? spec.entry);
  if (existsSync(file)) return file;
  if (spec.optional) return undefined;
  throw new Error(`Lambda entry ${spec.entry} (${spec.key}) does not exist`);
}

/**
 * One NodejsFunction per handler entry, each bundled alone (esbuild, the shared options): ARM64,
 * nodejs22.x, minified, source maps, its own log group with a retention, X-Ray active tracing.
 */
export class BdpFunctions extends Construct {
  readonly byKey: Partial<Record<FunctionKey, NodejsFunction>> = {};
  /** The deployed functions with their physical names, in FUNCTION_SPECS order. */
  readonly named: { key: FunctionKey; name: string; fn: NodejsFunction }[] = [];

  constructor(scope: Construct, id: string, props: BdpFunctionsProps) {
    super(scope, id);
    const b = LAMBDA_BUNDLE_OPTIONS;
    for (const spec of FUNCTION_SPECS) {
      const entry = resolveEntry(spec, props.entries?.[spec.key]);
      if (!entry) continue;
      const functionName = `${props.prefix}-${spec.suffix}`;
      const logGroup = new LogGroup(this, `${spec.key}Logs`, {
        logGroupName: `/aws/lambda/${functionName}`,
        retention: props.logRetention,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const placement = props.vpc?.[spec.key];
      const fn = new NodejsFunction(this, spec.key, {
        functionName,
        description: spec.description,
        entry,
        handler: 'handler',
        projectRoot: REPO_ROOT,
        depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
        runtime: Runtime.NODEJS_22_X,
        architecture: Architecture.ARM_64,
        memorySize: spec.memoryMb,
        timeout: Duration.seconds(spec.timeoutSeconds),
        logGroup,
        tracing: Tracing.ACTIVE,
        environment: {
          ...props.environment,
          // Stack traces point at the TypeScript sources through the bundled source map.
          NODE_OPTIONS: '--enable-source-maps',
        },
        ...(placement
          ? { vpc: placement.vpc, vpcSubnets: placement.subnets, securityGroups: placement.securityGroups }
          : {}),
        bundling: {
          minify: b.minify,
          sourceMap: b.sourcemap,
          sourcesContent: b.sourcesContent,
          target: b.target,
          format: OutputFormat.CJS,
          mainFields: b.mainFields,
          externalModules: b.external,
          bundleAwsSDK: true,
          esbuildArgs: Object.fromEntries(
            Object.entries(b.alias).map(([from, to]) => [`--alias:${from}`, to]),
          ),
        },
      });
      this.byKey[spec.key] = fn;
      this.named.push({ key: spec.key, name: functionName, fn });
    }
  }

  /** A function the stack cannot run without. */
  get(key: FunctionKey): NodejsFunction {
    const f = this.byKey[key];
    if (!f) throw new Error(`function ${key} is not part of this stack`);
    return f;
  }

  get all(): NodejsFunction[] {
    return this.named.map((n) => n.fn);
  }
}
