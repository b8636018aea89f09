import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { awsCall } from '../shared/errors';
import type { StepFunctionsProvider } from '../types';

/** SendTaskFailure's limits on error (256) and cause (32768) characters. */
const MAX_ERROR = 256;
const MAX_CAUSE = 32_768;

/** Step Functions on the SDK: start executions and complete task-token tasks. */
export class SdkStepFunctions implements StepFunctionsProvider {
  constructor(private readonly client: SFNClient) {}

  async startExecution(arn: string, input: unknown, name?: string): Promise<{ execution_arn: string }> {
    const out = await awsCall('sfn', 'StartExecution', (abortSignal) =>
      this.client.send(
        new StartExecutionCommand({
          stateMachineArn: arn,
          input: JSON.stringify(input ?? {}),
          ...(name ? { name } : {}),
        }),
        { abortSignal },
      ),
    );
    return { execution_arn: out.executionArn ?? '' };
  }

  async sendTaskSuccess(token: string, output: unknown): Promise<void> {
    await awsCall('sfn', 'SendTaskSuccess', (abortSignal) =>
      this.client.send(
        new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output ?? null) }),
        { abortSignal },
      ),
    );
  }

  async sendTaskFailure(token: string, error: string, cause: string): Promise<void> {
    await awsCall('sfn', 'SendTaskFailure', (abortSignal) =>
      this.client.send(
        new SendTaskFailureCommand({
          taskToken: token,
          error: error.slice(0, MAX_ERROR),
          cause: cause.slice(0, MAX_CAUSE),
        }),
        { abortSignal },
      ),
    );
  }

  async sendTaskHeartbeat(token: string): Promise<void> {
    await awsCall('sfn', 'SendTaskHeartbeat', (abortSignal) =>
      this.client.send(new SendTaskHeartbeatCommand({ taskToken: token }), { abortSignal }),
    );
  }
}
