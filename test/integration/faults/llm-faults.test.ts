// Each LLM fault of the shared catalogue (test/faults/catalogue.ts) must be survived: the analysis
// says it could not decide (or drops the bad plan), proposes nothing unsafe, and never auto-executes.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

import { FAULTS } from '../../faults/catalogue';
import { expectSurvived } from './expect-survived';

jest.setTimeout(90_000);

test.each(FAULTS.filter((f) => f.area === 'llm').map((f) => [f.id, f] as const))(
  '%s is survived',
  (_id, fault) => expectSurvived(fault),
);
