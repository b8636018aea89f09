import { Tracer } from '@aws-lambda-powertools/tracer';
import { setTraceHooks } from './trace-hooks';

/**
 * Powertools Tracer for the workflow and worker Lambdas (X-Ray active tracing is on in infra): every
 * AWS SDK v3 client is captured (one subsegment per AWS call) and every LLM call gets its own
 * subsegment with provider, model and outcome. Importing this module installs the hooks. Off Lambda
 * (npm start, tests) Powertools disables the tracer and the hooks pass straight through.
 */
export const tracer = new Tracer({ serviceName: 'bdp-agent' });

setTraceHooks({
  captureClient: (client) => tracer.captureAWSv3Client(client as never) as typeof client,
  async span(name, annotations, fn) {
    const parent = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
    if (!parent) return fn();
    const sub = parent.addNewSubsegment(name);
    tracer.setSegment(sub);
    for (const [k, v] of Object.entries(annotations)) sub.addAnnotation(k, v);
    try {
      return await fn();
    } catch (e) {
      sub.addError(e as Error);
      throw e;
    } finally {
      sub.close();
      tracer.setSegment(parent);
    }
  },
});
