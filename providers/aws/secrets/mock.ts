import { FaultInjector } from '../shared/faults';
import { AwsProviderError, type SecretsProvider } from '../types';

/** Secrets from a map; an unknown id fails like GetSecretValue does (ResourceNotFoundException). */
export class MockSecrets implements SecretsProvider {
  readonly faults = new FaultInjector('secrets');
  private readonly values = new Map<string, string>();

  constructor(initial: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(initial)) this.values.set(k, v);
  }

  failNext(operation: 'GetSecretValue', kind: AwsProviderError['kind'], n = 1): void {
    this.faults.failNext(operation, kind, n);
  }

  setSecret(id: string, value: string): void {
    this.values.set(id, value);
  }

  async getSecret(id: string): Promise<string> {
    this.faults.check('GetSecretValue');
    const v = this.values.get(id);
    if (v === undefined)
      throw new AwsProviderError(
        'secrets',
        'GetSecretValue',
        'not_found',
        `ResourceNotFoundException: secret ${id} not found`,
      );
    return v;
  }
}
