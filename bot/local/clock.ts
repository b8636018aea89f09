/**
 * Simulated time for the local workspace: it starts at a real instant and runs `speed` times faster
 * than the wall clock, so a 5-minute schedule or a 6-minute verify wait takes seconds to watch.
 * Every mock provider, handler and the simulator read this one clock. It stands still until
 * `start()`, so a slow start-up (PGlite, imports) does not eat simulated minutes.
 */
export class SimClock {
  private startReal: number | undefined;
  private readonly startSim: number;

  constructor(
    readonly speed: number,
    start: Date = new Date(),
  ) {
    if (!(speed > 0) || !Number.isFinite(speed))
      throw new Error(`speed must be a positive number, got ${speed}`);
    this.startSim = start.getTime();
  }

  /** Lets time run (idempotent). */
  start(): void {
    this.startReal ??= performance.now();
  }

  /** The simulated now. */
  now = (): Date => new Date(this.nowMs());

  nowMs(): number {
    if (this.startReal === undefined) return this.startSim;
    return this.startSim + (performance.now() - this.startReal) * this.speed;
  }

  /** Real milliseconds that `simMs` of simulated time take. */
  realMs(simMs: number): number {
    return simMs / this.speed;
  }
}
