import { FaultInjector } from '../shared/faults';
import { AwsProviderError, type FunctionState, type LambdaProvider } from '../types';

/** How long before the mock's clock a function without a given deploy time was deployed. */
export const DEPLOYED_DAYS_AGO = 14;

export interface Invocation {
  function_name: string;
  payload: unknown;
  at: Date;
}

/**
 * In-memory Lambda: a registry of functions (seeded by the factory with the catalog's lambda services
 * and the policy's allowed functions), configuration updates as UpdateFunctionConfiguration applies
 * them (an `environment` patch replaces the whole variable map, as Environment.Variables does), and a
 * record of asynchronous invocations.
 */
export class MockLambda implements LambdaProvider {
  readonly faults = new FaultInjector('lambda');
  readonly invocations: Invocation[] = [];
  private readonly functions = new Map<string, FunctionState>();
  private readonly listeners = new Set<(inv: Invocation) => void | Promise<void>>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  failNext(
    operation: 'GetFunctionConfiguration' | 'UpdateFunctionConfiguration' | 'Invoke',
    kind: AwsProviderError['kind'],
    n = 1,
  ): void {
    this.faults.failNext(operation, kind, n);
  }

  /**
   * Registers (or replaces) a function; unspecified fields get Lambda's defaults. A function that is
   * registered was deployed in the past, not now: without a `last_modified` it gets the platform's
   * history (DEPLOYED_DAYS_AGO before the clock), so "changed in the last hours" means a real change
   * (a deploy the simulation makes, or our own restart) and never the mock's start-up.
   */
  addFunction(name: string, state: Partial<Omit<FunctionState, 'function_name'>> = {}): FunctionState {
    const fn: FunctionState = {
      function_name: name,
      description: state.description ?? '',
      environment: { ...(state.environment ?? {}) },
      memory_mb: state.memory_mb ?? 128,
      timeout_s: state.timeout_s ?? 3,
      last_modified:
        state.last_modified ?? new Date(this.now().getTime() - DEPLOYED_DAYS_AGO * 86_400_000).toISOString(),
      version: state.version ?? '$LATEST',
    };
    this.functions.set(name, fn);
    return { ...fn, environment: { ...fn.environment } };
  }

  /** Subscribes to asynchronous invocations (the local workspace runs its worker this way). Returns an unsubscribe. */
  onInvoke(listener: (inv: Invocation) => void | Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  functionNames(): string[] {
    return [...this.functions.keys()].sort();
  }

  async getFunction(name: string): Promise<FunctionState> {
    this.faults.check('GetFunctionConfiguration');
    const fn = this.find(name, 'GetFunctionConfiguration');
    return { ...fn, environment: { ...fn.environment } };
  }

  async updateFunction(
    name: string,
    patch: Partial<Pick<FunctionState, 'description' | 'environment' | 'memory_mb' | 'timeout_s'>>,
  ): Promise<FunctionState> {
    this.faults.check('UpdateFunctionConfiguration');
    const fn = this.find(name, 'UpdateFunctionConfiguration');
    const bad = (m: string) =>
      new AwsProviderError(
        'lambda',
        'UpdateFunctionConfiguration',
        'validation',
        `InvalidParameterValueException: ${m}`,
      );
    if (
      patch.memory_mb !== undefined &&
      (!Number.isInteger(patch.memory_mb) || patch.memory_mb < 128 || patch.memory_mb > 10_240)
    ) {
      throw bad(`MemorySize must be an integer from 128 to 10240, got ${patch.memory_mb}`);
    }
    if (
      patch.timeout_s !== undefined &&
      (!Number.isInteger(patch.timeout_s) || patch.timeout_s < 1 || patch.timeout_s > 900)
    ) {
      throw bad(`Timeout must be an integer from 1 to 900, got ${patch.timeout_s}`);
    }
    const next: FunctionState = {
      ...fn,
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.environment !== undefined ? { environment: { ...patch.environment } } : {}),
      ...(patch.memory_mb !== undefined ? { memory_mb: patch.memory_mb } : {}),
      ...(patch.timeout_s !== undefined ? { timeout_s: patch.timeout_s } : {}),
      last_modified: this.now().toISOString(),
    };
    this.functions.set(name, next);
    return { ...next, environment: { ...next.environment } };
  }

  async invokeAsync(name: string, payload: unknown): Promise<void> {
    this.faults.check('Invoke');
    this.find(name, 'Invoke');
    const inv: Invocation = {
      function_name: name,
      payload: JSON.parse(JSON.stringify(payload ?? null)),
      at: this.now(),
    };
    this.invocations.push(inv);
    // Fire and forget, like InvocationType Event: listeners run after this call returns.
    for (const l of this.listeners) {
      queueMicrotask(() => {
        Promise.resolve()
          .then(() => l(inv))
          .catch(() => undefined);
      });
    }
  }

  private find(name: string, operation: string): FunctionState {
    const fn = this.functions.get(name);
    if (!fn)
      throw new AwsProviderError(
        'lambda',
        operation,
        'not_found',
        `ResourceNotFoundException: Function not found: ${name}`,
      );
    return fn;
  }
}
