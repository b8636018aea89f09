import { PowertoolsMetrics, RecordingMetrics } from '../../../agent/metrics';
import { PIPELINE_METRICS } from '../../../infra/metrics';
import { makeAnalyzeHandler } from '../../../pipeline/handlers/analyze';
import { handler as detectHandler } from '../../../pipeline/handlers/detect';
import { remediate } from '../../../pipeline/handlers/remediate';
import { verify } from '../../../pipeline/handlers/verify';
import { PIPELINE_METRIC, recordCount, setPipelineMetrics } from '../../../pipeline/metrics';
import { loadConfig } from '../../../providers/config';
import type { IncidentState } from '../../../providers/domain';
import { setRuntime } from '../../../providers/runtime';
import {
  makeAnalysis,
  makeIncident,
  makeRuntime,
  recordNotices,
  seedConnections,
  stateWith,
  type TestRuntime,
} from './support';

type Rt = TestRuntime & { advance(ms: number): void };

let rec: RecordingMetrics;
let notices: ReturnType<typeof recordNotices>;
beforeEach(() => {
  rec = new RecordingMetrics();
  setPipelineMetrics(rec);
  notices = recordNotices();
});
afterEach(() => {
  setPipelineMetrics(undefined);
  notices.reset();
});

/** The state the workflow has on the auto route (analyze put `auto` there from the confidence). */
function autoState(): IncidentState {
  const s = stateWith(makeIncident(), 0.92);
  return { ...s, analysis: { ...s.analysis!, route: 'auto' } };
}

/**
 * What Powertools prints while `fn` runs. POWERTOOLS_DEV (test/setup.ts) routes it through the global
 * console; dev mode would also disable metrics unless POWERTOOLS_METRICS_DISABLED says otherwise.
 */
function watchEmf(fn: () => void): string[] {
  const was = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => {
    lines.push(String(line));
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
    if (was === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = was;
  }
  return lines;
}

const counts = (name: string) => rec.counts.filter((c) => c.name === name);

describe('pipeline metrics', () => {
  it('uses the names the CloudWatch dashboard reads', () => {
    expect(PIPELINE_METRIC).toMatchObject(PIPELINE_METRICS);
  });

  describe('detect', () => {
    // One runtime for both: the first run pays the local SQL engine's start-up.
    let rt: Rt;
    beforeAll(async () => {
      rt = await makeRuntime({ LOG_LEVEL: 'ERROR' });
      // Only orders-db, so a run reads just the seeded metric.
      Object.assign(rt, { services: rt.services.filter((s) => s.name === 'orders-db') });
    });
    afterAll(async () => {
      await rt.aws.close();
    });

    it('counts the anomalies of the run after de-duplication, and the incidents opened', async () => {
      setRuntime(rt);
      seedConnections(rt, 1000);
      const first = await detectHandler({});
      const found = first.incidents.flatMap((i) => i.anomalies).length;
      expect(found).toBeGreaterThan(0);
      // The same anomalies a minute later are repeats: nothing new to count.
      rt.advance(60_000);
      const second = await detectHandler({});
      expect(second.incidents).toEqual([]);
      expect(counts('AnomaliesDetected')).toEqual([
        { name: 'AnomaliesDetected', value: found, dimensions: {} },
        { name: 'AnomaliesDetected', value: 0, dimensions: {} },
      ]);
      expect(counts('IncidentsOpened').map((c) => c.value)).toEqual([first.incidents.length, 0]);
    });

    it('an on-demand "nothing wrong" answer opens an incident but detects no anomaly', async () => {
      setRuntime(rt);
      // Hours later, with the connections back to normal.
      rt.advance(6 * 3_600_000);
      seedConnections(rt, 100);
      const out = await detectHandler({ service: 'orders-db', requested_by: 'U1' });
      expect(out.incidents[0]?.anomalies.map((a) => a.kind)).toEqual(['on_demand']);
      expect(counts('AnomaliesDetected').map((c) => c.value)).toEqual([0]);
      expect(counts('IncidentsOpened').map((c) => c.value)).toEqual([1]);
    });
  });

  describe('on the workflow steps', () => {
    let rt: Rt;
    beforeAll(async () => {
      rt = await makeRuntime();
    });
    afterAll(async () => {
      await rt.aws.close();
    });

    it('analyze: one IncidentsRouted per incident, dimension route from the computed confidence', async () => {
      const analyze = makeAnalyzeHandler(async (_rt, { incident }) =>
        // The agent's own route is ignored: the handler routes on the confidence.
        ({ ...makeAnalysis(incident.incident_id, confidenceOf.get(incident.incident_id)!), route: 'auto' }),
      );
      const confidenceOf = new Map<string, number>();
      const routes: string[] = [];
      for (const confidence of [0.92, 0.6, 0.2, 0.6]) {
        const incident = makeIncident();
        confidenceOf.set(incident.incident_id, confidence);
        const out = await analyze(rt, { incident, failed_attempts: [], replan_count: 0 });
        routes.push(out.analysis!.route);
      }
      expect(routes).toEqual(['auto', 'approval', 'escalate', 'approval']);
      expect(counts('IncidentsRouted')).toEqual(
        ['auto', 'approval', 'escalate', 'approval'].map((route) => ({
          name: 'IncidentsRouted',
          value: 1,
          dimensions: { route },
        })),
      );
    });

    it('verify: an auto remediation whose signal recovered is a success, one still out of band a failure', async () => {
      const good = await makeRuntime();
      const bad = await makeRuntime();
      try {
        seedConnections(good, 100);
        seedConnections(bad, 1000);
        expect((await verify(good, autoState())).verification?.resolved).toBe(true);
        expect(counts('AutoRemediationSucceeded')).toEqual([
          { name: 'AutoRemediationSucceeded', value: 1, dimensions: {} },
        ]);
        expect((await verify(bad, autoState())).verification?.resolved).toBe(false);
        expect(counts('AutoRemediationFailed')).toEqual([
          { name: 'AutoRemediationFailed', value: 1, dimensions: {} },
        ]);
      } finally {
        await Promise.all([good.aws.close(), bad.aws.close()]);
      }
    });

    it('verify: a remediation a person approved is not counted as automatic', async () => {
      const s = stateWith(makeIncident(), 0.7);
      const approved: IncidentState = {
        ...s,
        analysis: { ...s.analysis!, route: 'approval' },
        approval: { status: 'approved', decided_by: 'U0APPROVER' },
      };
      seedConnections(rt, 100);
      expect((await verify(rt, approved)).verification?.resolved).toBe(true);
      expect(rec.counts.filter((c) => c.name.startsWith('AutoRemediation'))).toEqual([]);
    });

    it('remediate: an auto remediation that fails to run is an AutoRemediationFailed; a success waits for verify', async () => {
      const ok = await remediate(rt, autoState());
      expect(ok.remediation?.status).toBe('executed');
      expect(rec.counts).toEqual([]);

      const spy = jest
        .spyOn(rt.aws.rdsParams, 'setParameter')
        .mockRejectedValue(new Error('AccessDenied: not authorized to modify the parameter group'));
      try {
        const failed = await remediate(rt, autoState());
        expect(failed.remediation?.status).toBe('failed');
      } finally {
        spy.mockRestore();
      }
      expect(rec.counts).toEqual([{ name: 'AutoRemediationFailed', value: 1, dimensions: {} }]);
    });

    it('a metrics failure never breaks the step: it is logged and the step carries on', async () => {
      setPipelineMetrics({
        count() {
          throw new Error('EMF sink unavailable');
        },
      });
      // In dev mode (test/setup.ts) the Powertools Logger writes through the global console.
      const lines: string[] = [];
      const spy = jest.spyOn(console, 'warn').mockImplementation((line: string) => {
        lines.push(String(line));
      });
      let out: IncidentState;
      try {
        const analyze = makeAnalyzeHandler(async (_rt, { incident }) =>
          makeAnalysis(incident.incident_id, 0.6),
        );
        out = await analyze(rt, { incident: makeIncident(), failed_attempts: [], replan_count: 0 });
      } finally {
        spy.mockRestore();
      }
      expect(out.analysis?.route).toBe('approval');
      expect(lines.join('')).toMatch(/metric not emitted.*IncidentsRouted.*EMF sink unavailable/s);
    });
  });

  it('in Lambda a count is one EMF line with its own dimensions, in the configured namespace', () => {
    const lines = watchEmf(() =>
      new PowertoolsMetrics('BDPAgent').count('IncidentsRouted', 1, { route: 'approval' }),
    );
    expect(lines).toHaveLength(1);
    const emf = JSON.parse(lines[0]!);
    const def = emf._aws.CloudWatchMetrics[0];
    expect(def.Namespace).toBe('BDPAgent');
    expect(def.Metrics).toEqual([{ Name: 'IncidentsRouted', Unit: 'Count' }]);
    expect(def.Dimensions[0]).toContain('route');
    expect(emf.route).toBe('approval');
    expect(emf.IncidentsRouted).toBe(1);
    expect(emf.provider).toBeUndefined();
  });

  it('the default sink is EMF only in Lambda: off Lambda counts are recorded in memory, nothing printed', () => {
    const config = loadConfig({ METRICS_NAMESPACE: 'BDPAgent' });
    const was = process.env.AWS_LAMBDA_FUNCTION_NAME;
    try {
      delete process.env.AWS_LAMBDA_FUNCTION_NAME;
      setPipelineMetrics(undefined);
      expect(watchEmf(() => recordCount({ config }, 'IncidentsRouted', 1, { route: 'auto' }))).toEqual([]);
      process.env.AWS_LAMBDA_FUNCTION_NAME = 'bdp-analyze';
      setPipelineMetrics(undefined);
      const lines = watchEmf(() => recordCount({ config }, 'IncidentsRouted', 1, { route: 'auto' }));
      expect(lines.map((l) => JSON.parse(l).IncidentsRouted)).toEqual([1]);
    } finally {
      if (was === undefined) delete process.env.AWS_LAMBDA_FUNCTION_NAME;
      else process.env.AWS_LAMBDA_FUNCTION_NAME = was;
    }
  });
});
