// Keeps the trainer's session saved while it changes (web/session-store.ts) and says whether there
// is work a scenario switch or an import would discard. Saves follow the work, not the clock's
// frames: a save is due when the MSEL, deliveries, cancellations, decisions, ratings, what-ifs or
// scenario change, or the clock stops somewhere. Nothing is saved before the saved session was looked for,
// so a reload never overwrites the session it is about to restore.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Question } from './confirm.ts';
import { translate, type Lang } from './i18n.ts';
import { InputError } from '../models/errors.ts';
import { SessionStore, type Session } from './session-store.ts';

export type SessionState = Omit<Session, 'schema' | 'saved'>;

export interface SessionParts {
  scenarioJson: unknown;
  scenarioInjects: readonly unknown[];
  injects: readonly unknown[];
  delivered: ReadonlyMap<string, number>;
  cancelled: ReadonlyMap<string, number>;
  decisions: readonly unknown[];
  ratings: ReadonlyMap<string, unknown>;
  /** The what-ifs run this session (a new array when one is added). */
  whatIfs: readonly unknown[];
  /** The what-if comparison on show, as the session keeps it (a new object when it changes). */
  whatIfChart?: unknown;
  clockS: number;
  clockRunning: boolean;
}

export class SessionKeeper implements ReactiveController {
  /** Set once the saved session was looked for (and restored or not): saving may begin. */
  private started = false;
  private stopped = false;
  private lastKey: unknown[] = [];
  private saving?: Promise<void>;
  private again = false;
  /** Where the last save failed (private browsing, quota): the work is then only in the page. */
  failed = false;

  constructor(private readonly host: ReactiveControllerHost, private readonly parts: () => SessionParts | undefined, readonly store = new SessionStore()) {
    host.addController(this);
  }

  hostConnected(): void {
    this.stopped = false;
  }

  hostDisconnected(): void {
    this.stopped = true;
  }

  /** What the restored session dropped, failing its checks (the CLI's lines, by JSON path): the notice names it. */
  dropped?: string;

  /** The saved session, if any, less what failed its checks (`dropped`); from now on changes are saved. */
  async restore(): Promise<Session | undefined> {
    try {
      const read = await this.store.read();
      this.dropped = read?.dropped.length ? new InputError(read.dropped).message : undefined;
      return read?.session;
    } catch {
      return undefined;
    } finally {
      this.started = true;
      this.host.requestUpdate();
    }
  }

  hostUpdated(): void {
    const p = this.parts();
    if (!this.started || this.stopped || !p) return;
    const key = [p.scenarioJson, p.injects, p.delivered, p.cancelled, p.decisions, p.ratings, p.whatIfs, p.whatIfChart, p.clockRunning, p.clockRunning ? undefined : p.clockS];
    if (key.every((k, i) => k === this.lastKey[i])) return;
    this.lastKey = key;
    void this.save();
  }

  private async save(): Promise<void> {
    if (this.saving) { this.again = true; return; }
    const p = this.parts();
    if (!p) return;
    const state: SessionState = {
      scenarioJson: p.scenarioJson, injects: p.injects as Session['injects'], delivered: [...p.delivered], cancelled: [...p.cancelled],
      decisions: p.decisions as Session['decisions'], ratings: [...p.ratings] as Session['ratings'], clockS: p.clockS,
      whatifs: p.whatIfs as NonNullable<Session['whatifs']>,
      ...(p.whatIfChart ? { whatif_chart: p.whatIfChart as NonNullable<Session['whatif_chart']> } : {}),
    };
    this.saving = this.store.save(state).then(() => { this.failed = false; }, () => { this.failed = true; });
    await this.saving;
    this.saving = undefined;
    if (this.again && !this.stopped) { this.again = false; await this.save(); }
  }

  /** Whether `other` carries this session's work (an exported record of it): replacing loses nothing. */
  sameWork(other: Pick<SessionParts, 'injects' | 'delivered' | 'cancelled' | 'decisions' | 'ratings' | 'whatIfs'>): boolean {
    const p = this.parts();
    return p !== undefined && workKey(p) === workKey(other);
  }

  /** The question before leaving this session's work, titled `title` (an i18n key): what would go. */
  discardQuestion(title: string, lang: Lang): Question {
    const p = this.parts()!;
    const t = (key: string) => translate(lang, key);
    const rated = [...p.ratings.values()].filter((r) => isRated(r)).length;
    const body = t('discardBody').replace('{d}', String(p.decisions.length)).replace('{r}', String(rated)).replace('{m}', String(p.delivered.size + p.cancelled.size))
      + (JSON.stringify(p.injects) !== JSON.stringify(p.scenarioInjects) ? `\n${t('discardMselEdited')}` : '');
    return { title, body, confirm: 'discardConfirm', keep: 'discardKeep' };
  }

  /** Work that leaving this session would lose: anything the trainer or players did. */
  hasWork(): boolean {
    const p = this.parts();
    if (!p) return false;
    return p.decisions.length > 0 || [...p.ratings.values()].some(isRated) || p.delivered.size > 0 || p.cancelled.size > 0
      || JSON.stringify(p.injects) !== JSON.stringify(p.scenarioInjects);
  }
}

/** The work of a session, comparable: unrated objectives without notes are no work. */
function workKey(p: Pick<SessionParts, 'injects' | 'delivered' | 'cancelled' | 'decisions' | 'ratings' | 'whatIfs'>): string {
  const sorted = (m: ReadonlyMap<string, unknown>) => [...m].sort(([a], [b]) => a.localeCompare(b));
  const ratings = sorted(p.ratings).filter(([, r]) => isRated(r))
    .map(([id, r]) => [id, (r as { rating?: unknown }).rating ?? null, (r as { notes?: unknown }).notes ?? '']);
  return JSON.stringify([p.injects, sorted(p.delivered), sorted(p.cancelled), p.decisions, ratings, p.whatIfs]);
}

/** An objective rated or annotated: unrated ones without notes are no work. */
function isRated(r: unknown): boolean {
  const x = r as { rating?: unknown; notes?: unknown };
  return (x.rating ?? null) !== null || (x.notes ?? '') !== '';
}
