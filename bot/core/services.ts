import type { ApprovalService } from '../../pipeline/approval/service';
import { createApprovalService } from '../../pipeline/approval/service';
import {
  createRemediationHistoryStore,
  createWorkflowStore,
  type RemediationHistoryStore,
  type WorkflowStore,
} from '../../pipeline/state';
import type { IncidentState } from '../../providers/domain';
import type { Runtime } from '../../providers/runtime';

export interface FollowUpInput {
  state: IncidentState;
  /** Stable per chat thread, so the agent remembers earlier questions there. */
  thread_id: string;
  question: string;
  user: string;
}
export type FollowUp = (rt: Runtime, input: FollowUpInput) => Promise<{ answer: string }>;

/** What buttons, threads and commands call: the same for every chat surface. */
export interface BotServices {
  rt: Runtime;
  approvals: Pick<ApprovalService, 'decide' | 'rollback'>;
  store: Pick<
    WorkflowStore,
    | 'getState'
    | 'getRecord'
    | 'listOpen'
    | 'listUnresolved'
    | 'addChatRef'
    | 'getChatRefs'
    | 'findIncidentByChatRef'
  >;
  history: Pick<RemediationHistoryStore, 'listForService'>;
  followUp: FollowUp;
  /** On-demand analysis: starts the main workflow for one service. */
  startAnalysis(service: string, requested_by: string): Promise<{ execution_arn: string }>;
}

/**
 * Without an agent wired in, follow-ups fail with a clear message. The worker wires the agent's
 * follow-up mode (bot/worker/surfaces.ts); the Slack ingress Lambda never runs it, so its bundle
 * stays free of LangGraph.
 */
const noAgent: FollowUp = async () => {
  throw new Error('follow-up questions are answered by the bot worker (no agent is wired into this process)');
};

/** Where on-demand analyses go without MAIN_STATE_MACHINE_ARN (the local workspace's mock Step Functions wants an ARN). */
export const localMainWorkflowArn = (region: string) =>
  `arn:aws:states:${region}:000000000000:stateMachine:bdp-main-workflow`;

export function createBotServices(
  rt: Runtime,
  overrides: Partial<Omit<BotServices, 'rt'>> = {},
): BotServices {
  return {
    rt,
    approvals: overrides.approvals ?? createApprovalService(rt),
    store: overrides.store ?? createWorkflowStore(rt),
    history: overrides.history ?? createRemediationHistoryStore(rt),
    followUp: overrides.followUp ?? noAgent,
    startAnalysis:
      overrides.startAnalysis ??
      ((service, requested_by) =>
        rt.aws.sfn.startExecution(
          rt.config.MAIN_STATE_MACHINE_ARN ?? localMainWorkflowArn(rt.config.AWS_REGION),
          {
            service,
            requested_by,
          },
        )),
  };
}
