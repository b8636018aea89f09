import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { awsCall } from '../shared/errors';
import { AwsProviderError, type ObjectStoreProvider } from '../types';

/** Listing pages (1000 keys each) read at most. */
const MAX_PAGES = 20;

/** S3 on the SDK: list keys under a prefix and read objects as UTF-8 text. */
export class SdkObjectStore implements ObjectStoreProvider {
  constructor(private readonly client: S3Client) {}

  async list(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let ContinuationToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await awsCall('s3', 'ListObjectsV2', (abortSignal) =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            ...(ContinuationToken ? { ContinuationToken } : {}),
          }),
          {
            abortSignal,
          },
        ),
      );
      for (const o of out.Contents ?? []) if (o.Key) keys.push(o.Key);
      ContinuationToken = out.IsTruncated ? out.NextContinuationToken : undefined;
      if (!ContinuationToken) break;
    }
    return keys;
  }

  async getText(bucket: string, key: string): Promise<string> {
    return awsCall('s3', 'GetObject', async (abortSignal) => {
      const out = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal });
      if (!out.Body)
        throw new AwsProviderError('s3', 'GetObject', 'unknown', `s3://${bucket}/${key} has no body`);
      return out.Body.transformToString('utf-8');
    });
  }
}
