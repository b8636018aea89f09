import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { ObjectStoreProvider } from '../../providers/aws/types';
import { KnowledgeBase } from './knowledge-base';
import { parseRunbook } from './parse';
import type { Runbook } from './schema';

export type KnowledgeBaseSource =
  | { dir: string }
  | { bucket: string; objects: ObjectStoreProvider; prefix?: string };

/** Runbooks are the Markdown files; a README describes the folder and is not a runbook. */
const isRunbookFile = (path: string) => /\.md$/i.test(path) && !/(^|\/)readme\.md$/i.test(path);

async function readFolder(dir: string): Promise<Runbook[]> {
  const root = resolve(dir);
  let entries: string[];
  try {
    entries = await readdir(root, { recursive: true });
  } catch (e) {
    throw new Error(`Knowledge base: cannot read folder ${root} (${(e as Error).message})`);
  }
  const files = entries
    .map((e) => e.split('\\').join('/'))
    .filter(isRunbookFile)
    .sort();
  const runbooks: Runbook[] = [];
  for (const f of files) {
    const text = await readFile(join(root, f), 'utf8');
    runbooks.push(parseRunbook(text, `${relative(process.cwd(), join(root, f)) || f}`));
  }
  return runbooks;
}

async function readBucket(bucket: string, objects: ObjectStoreProvider, prefix: string): Promise<Runbook[]> {
  let keys: string[];
  try {
    keys = await objects.list(bucket, prefix);
  } catch (e) {
    throw new Error(`Knowledge base: cannot list s3://${bucket}/${prefix} (${(e as Error).message})`, {
      cause: e,
    });
  }
  const files = keys.filter(isRunbookFile).sort();
  // A few at a time: the knowledge base is small, and this keeps a cold start from opening dozens of sockets.
  const texts: string[] = new Array(files.length);
  const width = 4;
  for (let i = 0; i < files.length; i += width) {
    await Promise.all(
      files.slice(i, i + width).map(async (key, j) => {
        try {
          texts[i + j] = await objects.getText(bucket, key);
        } catch (e) {
          throw new Error(`Knowledge base: cannot read s3://${bucket}/${key} (${(e as Error).message})`, {
            cause: e,
          });
        }
      }),
    );
  }
  return files.map((key, n) => parseRunbook(texts[n]!, `s3://${bucket}/${key}`));
}

/** Reads and validates every runbook of a source; no runbooks at all is an error too. */
export async function readRunbooks(source: KnowledgeBaseSource): Promise<Runbook[]> {
  const runbooks =
    'dir' in source
      ? await readFolder(source.dir)
      : await readBucket(source.bucket, source.objects, source.prefix ?? '');
  if (runbooks.length === 0) {
    const where = 'dir' in source ? resolve(source.dir) : `s3://${source.bucket}/${source.prefix ?? ''}`;
    throw new Error(`Knowledge base: no runbooks (*.md) found in ${where}`);
  }
  return runbooks;
}

const cache = new Map<string, Promise<KnowledgeBase>>();

const cacheKey = (source: KnowledgeBaseSource) =>
  'dir' in source ? `dir:${resolve(source.dir)}` : `s3://${source.bucket}/${source.prefix ?? ''}`;

/**
 * Loads the knowledge base from a folder (locally) or a bucket (in AWS), once per process per source:
 * later calls reuse it (Lambda warm starts). A failed load is not cached, so the next call retries.
 * A bad runbook stops loading with a RunbookError naming the file and the field.
 */
export function loadKnowledgeBase(source: KnowledgeBaseSource): Promise<KnowledgeBase> {
  const key = cacheKey(source);
  let kb = cache.get(key);
  if (!kb) {
    kb = readRunbooks(source).then((runbooks) => new KnowledgeBase(runbooks));
    cache.set(key, kb);
    kb.catch(() => cache.delete(key));
  }
  return kb;
}

/** Forgets loaded knowledge bases (tests; or after the runbooks were re-uploaded). */
export function clearKnowledgeBaseCache(): void {
  cache.clear();
}

/** The source the configuration names: KNOWLEDGE_BASE_BUCKET when set, else KNOWLEDGE_BASE_DIR. */
export function knowledgeBaseSource(
  config: { KNOWLEDGE_BASE_BUCKET?: string; KNOWLEDGE_BASE_DIR: string },
  objects: ObjectStoreProvider,
): KnowledgeBaseSource {
  return config.KNOWLEDGE_BASE_BUCKET
    ? { bucket: config.KNOWLEDGE_BASE_BUCKET, objects }
    : { dir: config.KNOWLEDGE_BASE_DIR };
}
