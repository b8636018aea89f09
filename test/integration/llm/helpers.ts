import { tool } from '@langchain/core/tools';
import * as z from 'zod';
import { type Config, loadConfig } from '../../../providers/config';
import { createLLMClient, type LLMClient, LLMError, type RetryLogger } from '../../../providers/llm';

/** A tool shaped like the agent's, to check the tool wire formats. */
export const getMetricsTool = tool(async () => '[]', {
  name: 'get_metrics',
  description: 'CloudWatch metric datapoints for a service',
  schema: z.object({ service: z.string().describe('service name'), minutes: z.number().int() }),
});

/** Collects retry notices so tests can read them (and check they carry no key). */
export class RecordingLogger implements RetryLogger {
  readonly lines: Array<{ message: string; extra: Record<string, unknown> }> = [];
  warn(message: string, extra: Record<string, unknown>): void {
    this.lines.push({ message, extra });
  }
}

/**
 * A client from real env parsing; `overrides` then patch the parsed config (LLM_TIMEOUT_MS below the
 * schema's 1 s minimum keeps timeout tests fast). Backoff is shrunk to milliseconds.
 */
export function clientFor(env: Record<string, string>, overrides: Partial<Config> = {}) {
  const config = { ...loadConfig({ LLM_MOCK: 'false', ...env }), ...overrides };
  const logger = new RecordingLogger();
  const client: LLMClient = createLLMClient(config, { backoffBaseMs: 5, backoffMaxMs: 20, logger });
  return { client, logger, config };
}

/** The LLMError a promise rejects with (fails the test if it resolves or throws something else). */
export async function llmErrorOf(p: Promise<unknown>): Promise<LLMError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof LLMError) return e;
    throw new Error(`expected an LLMError, got ${String(e)}`);
  }
  throw new Error('expected an LLMError, but the call succeeded');
}
