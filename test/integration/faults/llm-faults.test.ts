// Each LLM fault of the shared catalogue (test/faults/catalogue.ts) must be survived: the analysis
// says it could not decide (or drops the bad plan), proposes nothing unsafe, and never auto-executes.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

import { FAULTS, runFault } from '../../faults/catalogue';

jest.setTimeout(90_000);

test.each(FAULTS.filter((f) => f.area === 'llm').map((f) => [f.id, f] as const))(
  '%s is survived',
  async (_id, fault) => {
    const r = await runFault(fault);
    expect({
      id: r.id,
      detail: r.detail,
      failed: Object.entries(r.checks)
        .filter(([, ok]) => !ok)
        .map(([k]) => k),
    }).toEqual({
      id: r.id,
      detail: r.detail,
      failed: [],
    });
    expect(r).toMatchObject({ injected: true, survived: true, data_lost: false });
  },
);
