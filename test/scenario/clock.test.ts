import { describe, expect, it } from 'vitest';
import { ExerciseClock } from '../../models/scenario/clock.ts';

describe('exercise clock (DRILLS.md)', () => {
  it('runs ready → running ⇄ paused → finished, and reset returns to ready', () => {
    const clock = new ExerciseClock(3600, 600);
    expect(clock.state).toBe('ready');
    clock.play(600);
    expect(clock.state).toBe('running');
    expect(clock.tick(1)).toBe(600); // 1 s of wall time at ×600 = one 10-minute step
    clock.pause();
    expect(clock.state).toBe('paused');
    expect(clock.tick(10)).toBe(600); // paused: time stands
    clock.play();
    expect(clock.tick(100)).toBe(3600);
    expect(clock.state).toBe('finished');
    clock.play();
    expect(clock.state).toBe('finished');
    clock.reset();
    expect(clock.snapshot()).toEqual({ state: 'ready', timeS: 0, speed: 600 });
  });

  it('keeps partial steps for the next tick, so ticking in pieces equals ticking at once', () => {
    const a = new ExerciseClock(86400, 900);
    const b = new ExerciseClock(86400, 900);
    a.play(60); b.play(60);
    const carried = { seconds: 0 };
    for (let i = 0; i < 45; i++) a.tick(1, carried); // 45 × 60 s = 2700 s = 3 steps
    expect(a.timeS).toBe(2700);
    expect(b.tick(45)).toBe(2700);
    a.tick(7.5, carried); // 450 s: half a step waits
    expect(a.timeS).toBe(2700);
    a.tick(7.5, carried);
    expect(a.timeS).toBe(3600);
  });

  it('steps one coupling step, pausing a running clock; seeks snap to steps and can rewind a finished run', () => {
    const clock = new ExerciseClock(3600, 600);
    clock.play();
    expect(clock.step()).toBe(600);
    expect(clock.state).toBe('paused');
    expect(clock.seek(3600)).toBe(3600);
    expect(clock.state).toBe('finished');
    expect(clock.seek(1799)).toBe(1200);
    expect(clock.state).toBe('paused');
    expect(clock.seek(-50)).toBe(0);
    expect(() => clock.play(0)).toThrow(/pause instead/);
    clock.setSpeed(3600);
    expect(clock.snapshot()).toEqual({ state: 'paused', timeS: 0, speed: 3600 });
  });
});
