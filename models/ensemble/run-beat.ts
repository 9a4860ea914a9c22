// A coordinator's heartbeat on its own timer. It used to beat only while the coordinator added or
// polled jobs, so one that spent long stretches elsewhere (cutting tiles, stitching, writing a
// grid ensemble's products while its jobs are kept for a restart) let the heartbeat key lapse:
// the run then showed as stopped, `--remove-run` removed it, and past a short grace the workers
// dropped its jobs as orphaned. Now a run beats from its registration until its coordinator
// releases it, whatever the coordinator does meanwhile (async work: a synchronous stretch holds
// every timer of the process).
//
// - One beat per run and process, shared by every hold on it (reference counted): a grid
//   ensemble holds its run across its passes and the product writing, and the queue calls inside
//   take their own holds on the same beat.
// - The timer is unref'd and each beat opens its own short connection, so a beat never keeps a
//   process alive: a coordinator that failed before its release still exits, and its run then
//   goes silent as a killed one does. No beat starts while the last is in flight.
// - A beat only refreshes a registered run that nobody is removing: one landing after the run's
//   last job was removed (and its record with it) brings nothing back, and one landing while the
//   run is removed as orphaned does not show it running under the remover.
// - SIGINT / SIGTERM stop every beat at once: a process shutting down no longer claims its runs.
//   With no other listener for the signal, it is raised again, so the process ends as it would have.
// - Failed beats are logged once per run's beat (from its first hold to its last release, however
//   many holds share it), with the URL's password left out.
import { withoutCredentials } from '../redact.ts';
import { beatMs, onceOnRedis, queueLog, refreshBeat } from './queue-runs.ts';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

class RunBeat {
  holders = 0;
  private readonly timer: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private stopped = false;
  private failureLogged = false;

  constructor(private readonly url: string, private readonly runId: string, private readonly periodMs: number) {
    this.timer = setInterval(() => this.tick(), periodMs);
    this.timer.unref();
  }

  private tick(): void {
    if (this.stopped || this.inFlight) return;
    this.inFlight = this.beatOnce().finally(() => { this.inFlight = undefined; });
  }

  private async beatOnce(): Promise<void> {
    // Bounded: a beat that hangs would hold back every later one.
    const problem = await onceOnRedis(this.url, Math.max(1000, this.periodMs), (client) => refreshBeat(client, this.runId, this.periodMs));
    if (problem === undefined || this.stopped || this.failureLogged) return;
    this.failureLogged = true;
    queueLog(`heartbeat of run ${this.runId} on ${withoutCredentials(this.url)} failed (${withoutCredentials(problem)}): trying again every ${this.periodMs / 1000} s; a run silent for longer than its grace counts as orphaned`);
  }

  /** No beat after this; answers once a beat in flight has ended. */
  stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    return this.inFlight ?? Promise.resolve();
  }
}

const beats = new Map<string, RunBeat>();
const keyOf = (url: string, runId: string) => `${url}\0${runId}`;

function onSignal(signal: NodeJS.Signals): void {
  for (const beat of beats.values()) void beat.stop();
  beats.clear();
  watchSignals(false);
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function watchSignals(on: boolean): void {
  for (const signal of SIGNALS) {
    process.removeListener(signal, onSignal);
    if (on) process.on(signal, onSignal);
  }
}

export interface RunBeatHold {
  /** Ends this hold; the run's beat stops with its last hold (answers once a beat in flight has ended). */
  release(): Promise<void>;
}

/**
 * Keeps run `runId`'s heartbeat on the queue at `url` beating until released, every
 * min(10 s, grace / 4) as queue-runs.ts's registration set it. The run is registered by
 * RunRegistration.start: a hold taken before that beats nothing until then.
 */
export function holdRunBeat(url: string, runId: string): RunBeatHold {
  const key = keyOf(url, runId);
  let beat = beats.get(key);
  if (!beat) {
    if (!beats.size) watchSignals(true);
    beat = new RunBeat(url, runId, beatMs());
    beats.set(key, beat);
  }
  beat.holders++;
  const held = beat;
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      if (--held.holders > 0) return;
      if (beats.get(key) === held) {
        beats.delete(key);
        if (!beats.size) watchSignals(false);
      }
      await held.stop();
    },
  };
}
