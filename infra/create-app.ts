import type { App } from 'aws-cdk-lib';
import type { RemediationPolicy } from '../providers/policy';
import type { FunctionKey } from './functions-spec';
import { readSettings } from './settings';
import { BdpAgentStack } from './stack';

/**
 * Adds the BDP Agent stack to an app, configured from the app's context. Environment-agnostic unless
 * context `account` and `region` are given: synth never needs credentials or lookups.
 */
export function createBdpApp(
  app: App,
  opts: { policy?: RemediationPolicy; entries?: Partial<Record<FunctionKey, string>> } = {},
): BdpAgentStack {
  const settings = readSettings((k) => app.node.tryGetContext(k));
  return new BdpAgentStack(app, `${pascal(settings.prefix)}AgentStack`, {
    settings,
    policy: opts.policy,
    entries: opts.entries,
    description: 'BDP Agent: incident detection, LLM root-cause analysis and guarded remediation (ChatOps)',
    ...(settings.account && settings.region
      ? { env: { account: settings.account, region: settings.region } }
      : {}),
  });
}

const pascal = (s: string) =>
  s
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
