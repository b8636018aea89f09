import {
  type FunctionConfiguration,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  type LambdaClient,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { awsCall } from '../shared/errors';
import { AwsProviderError, type FunctionState, type LambdaProvider } from '../types';

export function toFunctionState(c: FunctionConfiguration): FunctionState {
  return {
    function_name: c.FunctionName ?? '',
    description: c.Description ?? '',
    environment: { ...(c.Environment?.Variables ?? {}) },
    memory_mb: c.MemorySize ?? 128,
    timeout_s: c.Timeout ?? 3,
    last_modified: c.LastModified ?? '',
    version: c.Version ?? '$LATEST',
  };
}

/** Lambda on the SDK: configuration read/update and asynchronous invoke. */
export class SdkLambda implements LambdaProvider {
  constructor(private readonly client: LambdaClient) {}

  async getFunction(name: string): Promise<FunctionState> {
    const out = await awsCall('lambda', 'GetFunctionConfiguration', (abortSignal) =>
      this.client.send(new GetFunctionConfigurationCommand({ FunctionName: name }), { abortSignal }),
    );
    return toFunctionState(out);
  }

  /** An `environment` patch replaces the whole variable map (Environment.Variables semantics). */
  async updateFunction(
    name: string,
    patch: Partial<Pick<FunctionState, 'description' | 'environment' | 'memory_mb' | 'timeout_s'>>,
  ): Promise<FunctionState> {
    const out = await awsCall('lambda', 'UpdateFunctionConfiguration', (abortSignal) =>
      this.client.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: name,
          ...(patch.description !== undefined ? { Description: patch.description } : {}),
          ...(patch.environment !== undefined ? { Environment: { Variables: patch.environment } } : {}),
          ...(patch.memory_mb !== undefined ? { MemorySize: patch.memory_mb } : {}),
          ...(patch.timeout_s !== undefined ? { Timeout: patch.timeout_s } : {}),
        }),
        { abortSignal },
      ),
    );
    return toFunctionState(out);
  }

  async invokeAsync(name: string, payload: unknown): Promise<void> {
    const out = await awsCall('lambda', 'Invoke', (abortSignal) =>
      this.client.send(
        new InvokeCommand({
          FunctionName: name,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(JSON.stringify(payload ?? null)),
        }),
        { abortSignal },
      ),
    );
    if (out.StatusCode !== undefined && out.StatusCode !== 202) {
      throw new AwsProviderError(
        'lambda',
        'Invoke',
        'unknown',
        `asynchronous invoke of ${name} answered ${out.StatusCode}, not 202`,
      );
    }
  }
}
