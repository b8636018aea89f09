import { randomUUID } from 'node:crypto';

/** The part of aws-local-stepfunctions 3.0 this runner uses (its typings are ESM-only). */
interface LocalStateMachine {
  run(
    input: unknown,
    options: {
      overrides: {
        taskResourceLocalHandlers: Record<string, (input: unknown) => Promise<unknown>>;
        waitTimeOverrides: Record<string, number>;
        retryIntervalOverrides: Record<string, number>;
      };
      context: Record<string, unknown>;
    },
  ): { result: Promise<unknown>; abort: () => void };
}
// The package ships a CommonJS build; this project compiles to CommonJS.
const { StateMachine } = require('aws-local-stepfunctions') as {
  StateMachine: new (
    definition: unknown,
    options: { validationOptions: { checkArn: boolean } },
  ) => LocalStateMachine;
};

/** A local stand-in for one Lambda: gets the task's input, returns its result. */
export type TaskFn = (input: unknown) => Promise<unknown>;

export type TokenOutcome =
  | { status: 'success'; output: unknown }
  | { status: 'failure'; error: string; cause: string };

/** Issues task tokens and resolves them when SendTaskSuccess/Failure arrives (the mock Step Functions). */
export interface TokenBroker {
  createTaskToken(): string;
  waitForToken(token: string): Promise<TokenOutcome>;
}

export interface LocalRunOptions {
  /** Lambda resource (ARN or name as written in the definition) → local function. */
  tasks: Record<string, TaskFn>;
  /** Needed when the definition has `.waitForTaskToken` tasks. */
  tokens?: TokenBroker;
  /** `$$.Execution.Id`; a local ARN by default. */
  execution_arn?: string;
  /** Replaces every Wait state's duration (ms), e.g. 0 in tests. */
  wait_ms?: number;
  /** Replaces every Retry interval (ms). */
  retry_ms?: number;
}

export type LocalExecutionResult =
  | { status: 'SUCCEEDED'; execution_arn: string; output: unknown }
  | { status: 'FAILED'; execution_arn: string; error: string; cause: string };

type Definition = { States: Record<string, Record<string, unknown>>; StartAt: string };

const WAIT_FOR_TOKEN = /^arn:aws[\w-]*:states:::lambda:invoke\.waitForTaskToken$/;
const LAMBDA_INVOKE = /^arn:aws[\w-]*:states:::lambda:invoke$/;
/** `$$.Task.Token` must resolve; each waitForTaskToken task swaps it for a fresh token. */
const TOKEN_PLACEHOLDER = 'local-runner-issues-a-token-per-task';

interface TaskSite {
  name: string;
  kind: 'plain' | 'invoke' | 'token';
  fn: string;
}
interface WaitSite {
  name: string;
}

/** Every Task and Wait state, nested Map/Parallel included (state names are unique per definition). */
function collect(def: Definition, tasks: TaskSite[], waits: WaitSite[], retried: string[]): void {
  for (const [name, s] of Object.entries(def.States)) {
    if (s.Type === 'Task') {
      const resource = String(s.Resource);
      const params = (s.Parameters ?? {}) as Record<string, unknown>;
      if (WAIT_FOR_TOKEN.test(resource)) tasks.push({ name, kind: 'token', fn: String(params.FunctionName) });
      else if (LAMBDA_INVOKE.test(resource))
        tasks.push({ name, kind: 'invoke', fn: String(params.FunctionName) });
      else tasks.push({ name, kind: 'plain', fn: resource });
    }
    if (s.Type === 'Wait') waits.push({ name });
    if (s.Retry) retried.push(name);
    const inner = (s.ItemProcessor ?? s.Iterator) as Definition | undefined;
    if (inner) collect(inner, tasks, waits, retried);
    for (const b of (s.Branches ?? []) as Definition[]) collect(b, tasks, waits, retried);
  }
}

class TaskFailure extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

/**
 * Runs a state machine definition (the same JSON CDK deploys) with aws-local-stepfunctions, each
 * Lambda task bound to a local function. A `.waitForTaskToken` task issues a real token through
 * the broker, calls its function with it, then waits for SendTaskSuccess/Failure (its
 * TimeoutSeconds still applies and ends in States.Timeout, as in AWS).
 */
export async function runLocalExecution(
  definition: object,
  input: unknown,
  opts: LocalRunOptions,
): Promise<LocalExecutionResult> {
  // JSON round-trip, not structuredClone: under jest the latter yields objects of another realm,
  // which the library's plain-object check skips (nested Parameters would stay unresolved).
  const def = JSON.parse(JSON.stringify(definition)) as Definition;
  const sites: TaskSite[] = [];
  const waits: WaitSite[] = [];
  const retried: string[] = [];
  collect(def, sites, waits, retried);

  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const site of sites) {
    const fn = opts.tasks[site.fn];
    if (!fn)
      throw new Error(`local runner: task state "${site.name}" calls ${site.fn}, which has no local binding`);
    if (site.kind === 'plain') handlers[site.name] = (i) => fn(i);
    else if (site.kind === 'invoke')
      // lambda:invoke wraps the function's result in {Payload}, as the service does.
      handlers[site.name] = async (i) => ({ Payload: await fn((i as { Payload?: unknown }).Payload) });
    else {
      handlers[site.name] = async (i) => {
        const broker = opts.tokens;
        if (!broker)
          throw new Error(
            `local runner: "${site.name}" waits for a task token but no token broker was given`,
          );
        const token = broker.createTaskToken();
        const payload = swapToken((i as { Payload?: unknown }).Payload, token);
        await fn(payload);
        const outcome = await broker.waitForToken(token);
        if (outcome.status === 'success') return outcome.output;
        throw new TaskFailure(outcome.error, outcome.cause);
      };
    }
  }

  const execution_arn =
    opts.execution_arn ?? `arn:aws:states:us-east-1:000000000000:execution:local:${randomUUID()}`;
  const machine = new StateMachine(def, { validationOptions: { checkArn: false } });
  const waitTimeOverrides: Record<string, number> = {};
  if (opts.wait_ms !== undefined) for (const w of waits) waitTimeOverrides[w.name] = opts.wait_ms;
  const retryIntervalOverrides: Record<string, number> = {};
  if (opts.retry_ms !== undefined) for (const r of retried) retryIntervalOverrides[r] = opts.retry_ms;

  const run = machine.run(input, {
    overrides: { taskResourceLocalHandlers: handlers, waitTimeOverrides, retryIntervalOverrides },
    context: {
      Execution: { Id: execution_arn, Name: execution_arn.split(':').pop() ?? 'local' },
      Task: { Token: TOKEN_PLACEHOLDER },
    },
  });
  try {
    const output = await run.result;
    return { status: 'SUCCEEDED', execution_arn, output };
  } catch (e) {
    // The library wraps the state's error; the cause carries Error/Cause as Step Functions would.
    const inner = (e as { cause?: unknown }).cause;
    const err = inner instanceof Error ? inner : (e as Error);
    return { status: 'FAILED', execution_arn, error: err.name, cause: err.message };
  }
}

function swapToken(payload: unknown, token: string): unknown {
  if (!payload || typeof payload !== 'object') return payload;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(payload as Record<string, unknown>))
    out[k] = v === TOKEN_PLACEHOLDER ? token : v;
  return out;
}
