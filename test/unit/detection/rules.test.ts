import {
  anomalySignature,
  bandDistance,
  bandSeverity,
  detectionWindow,
  errorRatio,
  errorRatioSeverity,
  evaluateBand,
  groupIncidents,
  incidentId,
  kindForPattern,
  logTemplate,
  parseDetectInput,
  resolveService,
  templateCounts,
  UnknownServiceError,
} from '../../../pipeline/detection';
import { DEFAULT_SERVICES } from '../../../providers/config';
import type { ServiceDefinition } from '../../../providers/domain';
import { Anomaly, Incident } from '../../../providers/domain';

const NOW = new Date('2026-11-26T07:30:00.000Z');
const w = detectionWindow(NOW, 10, 60);

describe('signatures', () => {
  it('are the same for the same problem whatever the key order, and differ when the problem differs', () => {
    const a = anomalySignature({
      service: 's',
      source: 'cloudwatch_metric',
      kind: 'k',
      dimensions: { A: '1', B: '2' },
    });
    const b = anomalySignature({
      kind: 'k',
      dimensions: { B: '2', A: '1' },
      source: 'cloudwatch_metric',
      service: 's',
    });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(
      anomalySignature({
        service: 's',
        source: 'cloudwatch_metric',
        kind: 'k',
        dimensions: { A: '1', B: '3' },
      }),
    ).not.toBe(a);
    expect(
      anomalySignature({
        service: 't',
        source: 'cloudwatch_metric',
        kind: 'k',
        dimensions: { A: '1', B: '2' },
      }),
    ).not.toBe(a);
  });

  it('log templates ignore timestamps, ids, numbers, IPs and key=value values', () => {
    const one = logTemplate(
      '2026-11-26T07:01:02.123Z ERROR request 3f2b9c1e-8a7d-4f3e-9b2a-1c2d3e4f5a6b to 10.0.3.17:5432 failed after 3012 ms user=alice',
    );
    const two = logTemplate(
      '2026-11-26T09:41:12.999Z ERROR request 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d to 10.0.9.201:5432 failed after 27 ms user=bob',
    );
    expect(one).toBe(two);
    expect(one).toContain('ERROR request');
    expect(logTemplate('Task timed out after 30.03 seconds')).toBe(
      logTemplate('Task timed out after 3.00 seconds'),
    );
    expect(logTemplate('connection refused')).not.toBe(logTemplate('disk full'));
  });

  it('the dominant template does not depend on input order', () => {
    const msgs = [
      'disk full on /dev/xvda1',
      'timeout after 3 s',
      'timeout after 5 s',
      'disk full on /dev/xvdb2',
    ];
    const forward = templateCounts(msgs)[0]?.template;
    const backward = templateCounts([...msgs].reverse())[0]?.template;
    expect(forward).toBe(backward);
  });
});

describe('severity', () => {
  it('grows with the distance from the band, in band widths', () => {
    expect(bandDistance(105, 90, 110)).toBe(0);
    expect(bandDistance(115, 90, 110)).toBeCloseTo(0.25);
    expect(bandDistance(80, 90, 110)).toBeCloseTo(0.5);
    expect([0.2, 0.5, 1.5, 3].map(bandSeverity)).toEqual(['low', 'medium', 'high', 'critical']);
    // A flat band still grades instead of dividing by zero.
    expect(bandSeverity(bandDistance(101, 100, 100))).toBe('low');
    expect(bandSeverity(bandDistance(1000, 100, 100))).toBe('critical');
  });

  it('grows with the error ratio against the baseline', () => {
    expect(errorRatio(30, 60, 10, 60)).toEqual({ expected: 10, ratio: 3 });
    // A quiet baseline counts as one expected error, so 5 new errors are a ratio of 5, not infinity.
    expect(errorRatio(5, 0, 10, 60).ratio).toBe(5);
    expect([2, 3, 5, 10].map(errorRatioSeverity)).toEqual(['low', 'medium', 'high', 'critical']);
  });
});

const metric: ServiceDefinition['metrics'][number] = {
  namespace: 'AWS/Lambda',
  metric_name: 'Duration',
  dimensions: { FunctionName: 'payments-api' },
  stat: 'p95',
  period_seconds: 60,
  periods: 3,
  band_width: 2,
};
function banded(values: number[], lower = 90, upper = 110, endMs = NOW.getTime() - 60_000) {
  const timestamps = values.map((_, i) => new Date(endMs - (values.length - 1 - i) * 60_000).toISOString());
  return { timestamps, values, lower: values.map(() => lower), upper: values.map(() => upper) };
}

describe('the metric band rule', () => {
  it('fires only when the last N periods are all outside the band on one side', () => {
    const a = evaluateBand('payments-api', metric, banded([100, 100, 150, 160, 170]), w);
    expect(a).toMatchObject({
      kind: 'metric_above_band',
      source: 'cloudwatch_metric',
      service: 'payments-api',
    });
    expect(a?.metric).toMatchObject({ value: 170, direction: 'above', band: { lower: 90, upper: 110 } });
    expect(a?.metric?.series).toEqual([100, 100, 150, 160, 170]);
    expect(() => Anomaly.parse(a)).not.toThrow();

    expect(evaluateBand('payments-api', metric, banded([100, 100, 100, 160, 170]), w)).toBeUndefined();
    expect(evaluateBand('payments-api', metric, banded([100, 150, 50, 160]), w)).toBeUndefined();
    expect(evaluateBand('payments-api', metric, banded([100, 60, 50, 40]), w)?.kind).toBe(
      'metric_below_band',
    );
  });

  it('ignores a metric whose newest datapoint is stale, and points without a band', () => {
    const stale = banded([150, 160, 170], 90, 110, NOW.getTime() - 60 * 60_000);
    expect(evaluateBand('payments-api', metric, stale, w)).toBeUndefined();
    const noBand = banded([150, 160, 170]);
    noBand.lower[2] = Number.NaN;
    expect(evaluateBand('payments-api', metric, noBand, w)).toBeUndefined();
  });

  it('gives the same signature for the same metric whatever its values and time', () => {
    const a = evaluateBand('payments-api', metric, banded([150, 160, 170]), w);
    const later = detectionWindow(new Date(NOW.getTime() + 3 * 3600_000), 10, 60);
    const b = evaluateBand(
      'payments-api',
      metric,
      banded([900, 950, 990], 10, 20, later.now.getTime() - 60_000),
      later,
    );
    expect(a?.signature).toBe(b?.signature);
    expect(a?.severity).not.toBe(b?.severity);
  });
});

describe('incidents', () => {
  const mk = (service: string, severity: Anomaly['severity'], sig: string): Anomaly => ({
    signature: sig.repeat(32),
    service,
    source: 'rds_logs',
    kind: 'error_rate_spike',
    severity,
    detected_at: NOW.toISOString(),
    summary: `${severity} thing`,
  });

  it('one per service, led by its most severe anomaly, with a deterministic id', () => {
    const incidents = groupIncidents(
      [mk('a-svc', 'low', 'a'), mk('b-svc', 'medium', 'c'), mk('a-svc', 'critical', 'b')],
      NOW,
    );
    expect(incidents.map((i) => i.service)).toEqual(['a-svc', 'b-svc']);
    const a = incidents[0]!;
    expect(a.severity).toBe('critical');
    expect(a.signature).toBe('b'.repeat(32));
    expect(a.incident_id).toBe(`inc-202611260730-bbbbbbbb`);
    expect(a.anomalies).toHaveLength(2);
    expect(a.title).toBe('a-svc: critical thing (+1 more)');
    expect(a.trigger).toBe('schedule');
    for (const i of incidents) expect(() => Incident.parse(i)).not.toThrow();
    expect(incidentId(NOW, 'b'.repeat(32))).toBe(a.incident_id);
  });
});

describe('input and services', () => {
  it('unknown services get an error naming the closest known ones', () => {
    expect(resolveService(DEFAULT_SERVICES, ' Payments-API ').name).toBe('payments-api');
    let err: unknown;
    try {
      resolveService(DEFAULT_SERVICES, 'paymnts-api');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnknownServiceError);
    expect((err as Error).message).toMatch(/Unknown service "paymnts-api"\. Did you mean: payments-api/);
  });

  it('the handler input is parsed with a message naming the bad field', () => {
    expect(parseDetectInput(undefined)).toEqual({});
    expect(parseDetectInput({ service: ' Orders-DB ', requested_by: 'U123', extra: 1 })).toEqual({
      service: 'orders-db',
      requested_by: 'U123',
    });
    expect(() => parseDetectInput({ service: 42 })).toThrow(/Invalid detect input: service/);
  });

  it('filter patterns map to the kind of problem they name', () => {
    expect(kindForPattern('Task timed out')).toBe('timeout');
    expect(kindForPattern('OutOfMemory')).toBe('out_of_memory');
    expect(kindForPattern('ERROR')).toBe('log_errors');
  });
});
