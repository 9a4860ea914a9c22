// The exercise clock of DRILLS.md: ready → running ⇄ paused → finished; reset returns to ready.
// Pure state, no timers: the caller feeds wall-clock time in, so the same sequence of calls always
// gives the same scenario times (in Node, in the worker, in a replay).

export type ClockState = 'ready' | 'running' | 'paused' | 'finished';

export const SPEEDS = [1, 10, 60, 600, 3600] as const;

export interface ClockSnapshot {
  state: ClockState;
  timeS: number;
  speed: number;
}

export class ExerciseClock {
  private stateValue: ClockState = 'ready';
  private time = 0;
  private speedValue = 60;

  /** `stepS` is the coupling step: step() moves by it, and running time is cut to its multiples. */
  constructor(readonly durationS: number, readonly stepS: number) {
    if (!(durationS > 0) || !(stepS > 0)) throw new RangeError('the clock needs a positive duration and step');
  }

  get state(): ClockState { return this.stateValue; }
  get timeS(): number { return this.time; }
  get speed(): number { return this.speedValue; }

  snapshot(): ClockSnapshot {
    return { state: this.stateValue, timeS: this.time, speed: this.speedValue };
  }

  play(speed = this.speedValue): void {
    this.setSpeed(speed);
    if (this.stateValue !== 'finished') this.stateValue = 'running';
  }

  /** Changes the speed without starting or stopping the clock. */
  setSpeed(speed: number): void {
    if (!(speed > 0)) throw new RangeError(`speed must be positive (got ${speed}); pause instead`);
    this.speedValue = speed;
  }

  pause(): void {
    if (this.stateValue === 'running') this.stateValue = 'paused';
  }

  /**
   * Advances a running clock by `wallSeconds` × speed, to whole coupling steps (a partial step
   * waits for the next tick). Returns the scenario time reached.
   */
  tick(wallSeconds: number, carried = { seconds: 0 }): number {
    if (this.stateValue !== 'running') return this.time;
    carried.seconds += wallSeconds * this.speedValue;
    const steps = Math.floor(carried.seconds / this.stepS);
    carried.seconds -= steps * this.stepS;
    this.moveTo(this.time + steps * this.stepS);
    return this.time;
  }

  /** One coupling step forward; a running clock pauses first, as a trainer expects. */
  step(): number {
    if (this.stateValue === 'finished') return this.time;
    if (this.stateValue === 'running' || this.stateValue === 'ready') this.stateValue = 'paused';
    this.moveTo(this.time + this.stepS);
    return this.time;
  }

  /** Seek to any time in [0, duration], snapped down to a step; seeking back un-finishes. */
  seek(timeS: number): number {
    const snapped = Math.floor(Math.max(0, Math.min(this.durationS, timeS)) / this.stepS) * this.stepS;
    if (this.stateValue === 'finished' && snapped < this.durationS) this.stateValue = 'paused';
    if (this.stateValue === 'ready' && snapped > 0) this.stateValue = 'paused';
    this.moveTo(snapped);
    return this.time;
  }

  reset(): void {
    this.stateValue = 'ready';
    this.time = 0;
  }

  private moveTo(timeS: number): void {
    this.time = Math.min(this.durationS, timeS);
    if (this.time >= this.durationS) this.stateValue = 'finished';
  }
}
