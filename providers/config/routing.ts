/** The three routes an analysed incident can take. The state machine's Choice states use the same numbers. */
export type Route = 'auto' | 'approval' | 'escalate';

export interface Thresholds {
  AUTO_EXECUTE_THRESHOLD: number;
  APPROVAL_THRESHOLD: number;
}

/** Confidence decides the route; the boundaries are inclusive (0.85 → auto, 0.5 → approval). */
export function route(confidence: number, t: Thresholds): Route {
  if (!Number.isFinite(confidence)) return 'escalate';
  if (confidence >= t.AUTO_EXECUTE_THRESHOLD) return 'auto';
  if (confidence >= t.APPROVAL_THRESHOLD) return 'approval';
  return 'escalate';
}
