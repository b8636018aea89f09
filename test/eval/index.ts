/**
 * The agent evaluation harness (`npm run eval`, cases in test/scenarios):
 * - `loadCases(dir?, filter?)` reads and validates every `<case>/case.json` (`EvalCase`);
 * - `seedCase` puts a case's telemetry into fresh mock providers (`SharedUnifiedLogs` keeps one PGlite);
 * - `runEval({provider, filter, repeat, env})` → `{cases, summary}`; `evalConfig` is its configuration;
 * - `scoreCase`, `unsafeReasons`, `calibration` score one analysis / the run (README in test/scenarios);
 * - `caseTable`, `summaryText`, `markdownReport` render it; `replayResponder` lets a fake OpenAI server
 *   answer like the mock analyst (the vLLM wire path without a GPU).
 */
export { CASE_TAGS, CaseTag, EvalCase, type EvalCaseInput, loadCases, SCENARIOS_DIR } from './case';
export { replayResponder, toLangChain } from './replay-model';
export { caseTable, markdownReport, summaryText } from './report';
export {
  type CaseResult,
  type EvalOptions,
  type EvalProvider,
  type EvalReport,
  type EvalSummary,
  evalConfig,
  runEval,
  summarize,
} from './run';
export {
  actionMatches,
  BUCKETS,
  type Calibration,
  type CaseScore,
  calibration,
  factMatched,
  paramMatches,
  planTargets,
  scoreCase,
  statedText,
  unsafeReasons,
} from './score';
export { EVAL_NOW, logEvents, metricData, SharedUnifiedLogs, seedCase, unifiedLogRows } from './seed';
