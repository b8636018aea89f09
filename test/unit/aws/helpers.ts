/** Builds an error shaped like an AWS SDK v3 service exception (name + $metadata), as the SDK throws them. */
export function sdkError(name: string, httpStatusCode = 400, message = `${name} from the test`): Error {
  const e = new Error(message) as Error & { $metadata: { httpStatusCode: number }; $fault: string };
  e.name = name;
  e.$metadata = { httpStatusCode };
  e.$fault = httpStatusCode >= 500 ? 'server' : 'client';
  return e;
}
