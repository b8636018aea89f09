import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { FaultInjector } from '../shared/faults';
import { AwsProviderError, type ObjectStoreProvider } from '../types';

/**
 * Object store over in-memory objects and local folders: `mountFolder(bucket, dir)` makes every file
 * under dir an object whose key is its relative path (with `/`), read when asked for.
 */
export class MockObjectStore implements ObjectStoreProvider {
  readonly faults = new FaultInjector('s3');
  private readonly objects = new Map<string, Map<string, string>>();
  private readonly folders = new Map<string, string>();

  failNext(operation: 'ListObjectsV2' | 'GetObject', kind: AwsProviderError['kind'], n = 1): void {
    this.faults.failNext(operation, kind, n);
  }

  putObject(bucket: string, key: string, text: string): void {
    const b = this.objects.get(bucket) ?? new Map<string, string>();
    b.set(key, text);
    this.objects.set(bucket, b);
  }

  mountFolder(bucket: string, dir: string): void {
    this.folders.set(bucket, dir);
  }

  async list(bucket: string, prefix: string): Promise<string[]> {
    this.faults.check('ListObjectsV2');
    this.requireBucket(bucket, 'ListObjectsV2');
    return [...this.keys(bucket)].filter((k) => k.startsWith(prefix)).sort();
  }

  async getText(bucket: string, key: string): Promise<string> {
    this.faults.check('GetObject');
    this.requireBucket(bucket, 'GetObject');
    const inMemory = this.objects.get(bucket)?.get(key);
    if (inMemory !== undefined) return inMemory;
    const dir = this.folders.get(bucket);
    if (dir && this.keys(bucket).has(key)) return readFileSync(join(dir, ...key.split('/')), 'utf8');
    throw new AwsProviderError('s3', 'GetObject', 'not_found', `NoSuchKey: s3://${bucket}/${key}`);
  }

  private requireBucket(bucket: string, operation: string): void {
    if (!this.objects.has(bucket) && !this.folders.has(bucket)) {
      throw new AwsProviderError('s3', operation, 'not_found', `NoSuchBucket: ${bucket}`);
    }
  }

  private keys(bucket: string): Set<string> {
    const keys = new Set(this.objects.get(bucket)?.keys() ?? []);
    const dir = this.folders.get(bucket);
    if (dir) for (const f of walk(dir)) keys.add(relative(dir, f).split(sep).join('/'));
    return keys;
  }
}

function walk(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
