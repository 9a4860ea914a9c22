// The risk list's part of the Engine API (models/engine.ts): `risklist grade` in one call, and
// streaming sessions addressed by number so they work the same through Comlink and worker_threads.
import { InputError } from '../errors.ts';
import type { Kernels } from '../wasm.ts';
import type { ChangeOut, GradeOutput } from './grade.ts';
import { RisklistSession, type RisklistAdvanced, type RisklistFeed, type RisklistOpened, type RisklistReadingArrays, type RisklistSnapshot } from './session.ts';

export interface RisklistEngine {
  /** `sandtable risklist grade`: a whole case in the CONTRACT.md form. */
  risklistGrade(input: unknown): Promise<GradeOutput>;
  /** Opens a streaming session on a list (`items` and the settings of a grade case); the clock starts before 0. */
  risklistOpen(config: unknown): Promise<RisklistOpened & { session: number }>;
  /** Feeds inputs later than the session's clock and advances it to `untilS`; returns the changes of that span. */
  risklistAdvance(session: number, feed: RisklistFeed, untilS: number): Promise<RisklistAdvanced>;
  /** `risklistAdvance` for readings as arrays of kernel factor indices (see `risklistOpen`'s factor_start). */
  risklistAdvanceArrays(session: number, readings: RisklistReadingArrays, untilS: number): Promise<RisklistAdvanced>;
  /** Every change of the session with t_s > sinceS, sorted by time then item id. */
  risklistChanges(session: number, sinceS: number): Promise<ChangeOut[]>;
  /** Current levels and stale factors. */
  risklistSnapshot(session: number): Promise<RisklistSnapshot>;
  risklistClose(session: number): Promise<void>;
}

/** The session methods; `risklistGrade` is the registry's contract (./model.ts), run by models/engine.ts. */
export function risklistMethods(loading: Promise<Kernels>): Omit<RisklistEngine, 'risklistGrade'> {
  const sessions = new Map<number, RisklistSession>();
  let nextSession = 1;
  const find = (session: number): RisklistSession => {
    const s = sessions.get(session);
    if (!s) throw InputError.single('session', 'names no open risk-list session', session, `one of ${[...sessions.keys()].join(', ') || 'none (open one first)'}`);
    return s;
  };
  return {
    async risklistOpen(config) {
      const s = new RisklistSession(config, await loading);
      const session = nextSession++;
      sessions.set(session, s);
      return { session, ...s.opened() };
    },
    async risklistAdvance(session, feed, untilS) {
      return find(session).advance(feed, untilS);
    },
    async risklistAdvanceArrays(session, readings, untilS) {
      return find(session).advanceArrays(readings, untilS);
    },
    async risklistChanges(session, sinceS) {
      return find(session).changesSince(sinceS);
    },
    async risklistSnapshot(session) {
      return find(session).snapshot();
    },
    async risklistClose(session) {
      find(session).close();
      sessions.delete(session);
    },
  };
}
