// The exercise clock as the console drives it: play, pause, step, rewind, seek and speed from the
// timeline or the keyboard, animation frames while it runs, and a snapshot the views render from.
// The clock never plays or steps over a run that is not there (`hold`), and each move forward is
// reported (`moved`) so due injects can be told to the trainer, who may have the clock stop there.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ExerciseClock, type ClockSnapshot } from '../models/scenario/clock.ts';
import type { ClockCommand } from './components/timeline-bar.ts';

export interface PlaybackHooks {
  /** Why the clock may not play or step now; undefined when it may. */
  hold: () => string | undefined;
  /** The clock moved forward from `beforeS` (a step or a frame): returns a time to stop at, if any. */
  moved: (beforeS: number, running: boolean) => number | undefined;
  /** The snapshot changed (the host stores it as state, which re-renders). */
  changed: (snapshot: ClockSnapshot) => void;
}

export class Playback implements ReactiveController {
  // A placeholder until the first scenario opens (reset).
  private clock = new ExerciseClock(1, 1);
  private carried = { seconds: 0 };
  private frame?: number;
  private lastFrameMs?: number;
  private stepS = 1;

  constructor(host: ReactiveControllerHost, private readonly hooks: PlaybackHooks) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = undefined;
  }

  /** A fresh clock for a scenario, at its start, at the console's usual speed (×600). */
  reset(durationS: number, stepS: number): void {
    this.clock = new ExerciseClock(durationS, stepS);
    this.clock.setSpeed(600);
    this.stepS = stepS;
    this.carried.seconds = 0;
    this.sync();
  }

  get timeS(): number {
    return this.clock.timeS;
  }

  get running(): boolean {
    return this.clock.state === 'running';
  }

  command(c: ClockCommand): void {
    if ((c.command === 'play' || c.command === 'step') && this.hooks.hold()) return;
    if (c.command === 'play') this.clock.play();
    else if (c.command === 'pause') this.clock.pause();
    else if (c.command === 'step') { const before = this.clock.timeS; this.clock.step(); this.moved(before); }
    else if (c.command === 'rewind') { this.clock.reset(); this.carried.seconds = 0; }
    else if (c.command === 'seek') this.clock.seek(c.timeS);
    else if (c.command === 'speed') this.clock.setSpeed(c.speed);
    this.sync();
    if (this.clock.state === 'running' && !this.frame) this.loop();
  }

  /** Stops the clock (a recomputation); true when it was running. */
  pause(): boolean {
    if (this.clock.state !== 'running') return false;
    this.clock.pause();
    this.sync();
    return true;
  }

  play(): void {
    this.clock.play();
    this.sync();
    if (!this.frame) this.loop();
  }

  seek(timeS: number): void {
    this.clock.seek(timeS);
    this.sync();
  }

  private loop = (): void => {
    this.frame = requestAnimationFrame((now) => {
      const elapsed = this.lastFrameMs === undefined ? 0 : (now - this.lastFrameMs) / 1000;
      this.lastFrameMs = now;
      const before = this.clock.timeS;
      const stateBefore = this.clock.state;
      this.clock.tick(Math.min(elapsed, 0.25), this.carried);
      this.moved(before);
      if (this.clock.timeS !== before || this.clock.state !== stateBefore) this.sync();
      if (this.clock.state === 'running') this.loop();
      else { this.frame = undefined; this.lastFrameMs = undefined; }
    });
  };

  private moved(beforeS: number): void {
    const running = this.clock.state === 'running';
    const stopAt = this.hooks.moved(beforeS, running);
    if (stopAt === undefined || !running) return;
    this.clock.pause();
    this.clock.seek(Math.ceil(stopAt / this.stepS) * this.stepS);
    this.carried.seconds = 0;
  }

  private sync(): void {
    this.hooks.changed(this.clock.snapshot());
  }
}
