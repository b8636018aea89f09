import type { Executor, StateRecord } from './types';
import '../../../providers/aws/clients/lambda';

/** Touching an environment variable makes Lambda start fresh execution environments. */
export const RESTART_MARKER = 'BDP_RESTARTED_AT';

const snapshot = (f: {
  description: string;
  environment: Record<string, string>;
  last_modified: string;
}) => ({
  description: f.description,
  environment: { ...f.environment },
  last_modified: f.last_modified,
});

export const lambdaRestart: Executor<'lambda_restart'> = {
  action: 'lambda_restart',
  reversible: true,
  resourceId: (_rt, plan) => `lambda:${plan.parameters.function_name}`,
  async inspect(rt, plan) {
    const f = await rt.aws.lambda.getFunction(plan.parameters.function_name);
    return { previous_state: snapshot(f), policy_ctx: {} };
  },
  preview(rt, _plan, before) {
    const env = (before.previous_state.environment ?? {}) as Record<string, string>;
    return { environment: { ...env, [RESTART_MARKER]: rt.now().toISOString() } };
  },
  async apply(rt, plan, before) {
    const env = (before.previous_state.environment ?? {}) as Record<string, string>;
    const f = await rt.aws.lambda.updateFunction(plan.parameters.function_name, {
      environment: { ...env, [RESTART_MARKER]: rt.now().toISOString() },
    });
    return snapshot(f);
  },
  async rollback(rt, plan, previous: StateRecord) {
    const f = await rt.aws.lambda.updateFunction(plan.parameters.function_name, {
      environment: (previous.environment ?? {}) as Record<string, string>,
      description: String(previous.description ?? ''),
    });
    return snapshot(f);
  },
  rollbackPlan: (_rt, plan) => plan,
};
