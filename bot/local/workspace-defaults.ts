/** Simulated seconds between scheduled runs: the rate of the AWS schedule (5 min), 30 s at the default speed. */
export const SCHEDULE_SECONDS = 300;
/** Simulated time per real time unless `--speed` says otherwise. */
export const DEFAULT_SPEED = 10;
