import { type Fault, runFault } from '../../faults/catalogue';

/** A fault survives when every check passed (the failing ones are named in the diff) and nothing was lost. */
export async function expectSurvived(fault: Fault): Promise<void> {
  const r = await runFault(fault);
  const failed = Object.entries(r.checks)
    .filter(([, ok]) => !ok)
    .map(([k]) => k);
  expect({ id: r.id, detail: r.detail, failed }).toEqual({ id: r.id, detail: r.detail, failed: [] });
  expect(r).toMatchObject({ injected: true, survived: true, data_lost: false });
}
