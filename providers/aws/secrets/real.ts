import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { awsCall } from '../shared/errors';
import { AwsProviderError, type SecretsProvider } from '../types';

/** How long a secret is reused before it is read again (rotation shows up within this time). */
export const SECRET_CACHE_MS = 5 * 60_000;

/** Secrets Manager on the SDK, cached per id for SECRET_CACHE_MS (one read per cold start in practice). */
export class SdkSecrets implements SecretsProvider {
  private readonly cache = new Map<string, { value: string; at: number }>();

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async getSecret(id: string): Promise<string> {
    const hit = this.cache.get(id);
    if (hit && this.now() - hit.at < SECRET_CACHE_MS) return hit.value;
    const out = await awsCall('secrets', 'GetSecretValue', (abortSignal) =>
      this.client.send(new GetSecretValueCommand({ SecretId: id }), { abortSignal }),
    );
    const value =
      out.SecretString ?? (out.SecretBinary ? new TextDecoder().decode(out.SecretBinary) : undefined);
    if (value === undefined)
      throw new AwsProviderError('secrets', 'GetSecretValue', 'not_found', `secret ${id} has no value`);
    this.cache.set(id, { value, at: this.now() });
    return value;
  }
}
