// The trainer's console tells the players' window what they may see (web/player-view.ts), over a
// BroadcastChannel between windows of this origin: the clock, the injects delivered to them, the
// warnings issued, and the map without forecast layers (no forecast flood extent, no modelled slope
// failures, no rain grid). Only the picture crosses: the run, the MSEL and the record stay here.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ClockSnapshot, ClockState } from '../models/scenario/clock.ts';
import type { Inject, MselActions } from '../models/scenario/injects.ts';
import type { RegionItem, RegionManifest } from '../models/scenario/region.ts';
import type { Scenario } from '../models/scenario/schema.ts';
import { levelsAt } from '../models/scenario/timeline.ts';
import type { IssuedWarning } from '../models/scenario/warning-rules.ts';
import type { MapOverlay } from './components/region-map.ts';
import { injectText, warningReason } from './content-text.ts';
import type { PageRun } from './engine.worker.ts';
import type { Lang } from './i18n.ts';
import { mselAt } from './msel-state.ts';
import { scenarioOverlay } from './scenario-overlay.ts';
import { clockText, elapsedText, offsetMinutesOf } from './time-format.ts';

export const PLAYER_CHANNEL = 'sandtable-player-view';

/** An inject as the players receive it, in the UI's language. */
export interface PlayerInject { id: string; t_s: number; title: string; description: string; from: string; to: string }

export interface PlayerPicture {
  lang: Lang;
  title: string;
  /** The scenario's briefing, as the players are told it at the start. */
  briefing: string;
  exercise: boolean;
  timeS: number;
  /** The scenario's local time as the trainer's clock shows it, and T+h:mm. */
  clock: string;
  state: ClockState;
  injects: PlayerInject[];
  warnings: IssuedWarning[];
  overlay?: Omit<MapOverlay, 'rasters'>;
}

export type PlayerMessage = { type: 'hello' } | { type: 'picture'; picture: PlayerPicture };

/** Posts at most this often while the clock runs; the last picture always follows. */
const MIN_INTERVAL_MS = 200;

export class PlayerLink implements ReactiveController {
  private channel?: BroadcastChannel;
  private last?: PlayerPicture;
  private lastPostMs = 0;
  private pending?: number;

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this.channel = new BroadcastChannel(PLAYER_CHANNEL);
    // A players' window opened (or reloaded) after the trainer's asks for the picture as it is.
    this.channel.onmessage = (event: MessageEvent<PlayerMessage>) => {
      if (event.data?.type === 'hello' && this.last) this.post(this.last);
    };
  }

  hostDisconnected(): void {
    if (this.pending) clearTimeout(this.pending);
    this.channel?.close();
    this.channel = undefined;
  }

  /** The picture now: sent at once, or shortly when one went out less than MIN_INTERVAL_MS ago. */
  publish(picture: PlayerPicture): void {
    this.last = picture;
    if (this.pending) return;
    const wait = this.lastPostMs + MIN_INTERVAL_MS - performance.now();
    if (wait <= 0) this.post(picture);
    else this.pending = window.setTimeout(() => { this.pending = undefined; if (this.last) this.post(this.last); }, wait);
  }

  private post(picture: PlayerPicture): void {
    this.lastPostMs = performance.now();
    this.channel?.postMessage({ type: 'picture', picture } satisfies PlayerMessage);
  }
}

export interface PictureSource {
  lang: Lang;
  scenario: Scenario;
  run: PageRun;
  manifest: RegionManifest;
  items: readonly RegionItem[];
  outlines: Map<string, [number, number][]>;
  injects: readonly Inject[];
  trainer: MselActions;
  barriers: [number, number][][];
  labels: NonNullable<MapOverlay['labels']>;
  clock: ClockSnapshot;
}

/** What the players may see at the clock's time, in the UI's language. */
export function playerPicture(s: PictureSource): PlayerPicture {
  const now = s.clock.timeS;
  const msel = mselAt(s.injects, now, s.trainer, s.run);
  const delivered = msel.injects.filter((i) => i.state === 'delivered').map((i) => ({
    id: i.id, t_s: msel.due.get(i.id) ?? s.trainer.delivered.get(i.id) ?? 0,
    title: injectText(i, 'title', s.lang), description: injectText(i, 'description', s.lang), from: injectText(i, 'from', s.lang), to: injectText(i, 'to', s.lang),
  })).sort((a, b) => a.t_s - b.t_s);
  const levels = levelsAt(s.run, now, s.items.map((i) => i.id));
  // No forecast layers: the flood extent, the rain grid and the modelled slope failures stay with the trainer.
  const overlay = scenarioOverlay(s.run, s.manifest, s.items, s.outlines, levels, now, { slopes: false });
  for (const path of s.barriers) overlay.lines.push({ path, colour: '#4a235a', width: 4 });
  overlay.labels = s.labels;
  return {
    lang: s.lang, title: s.lang === 'zh-CN' ? s.scenario.titleZh : s.scenario.title,
    briefing: s.lang === 'zh-CN' ? s.scenario.descriptionZh : s.scenario.description, exercise: s.scenario.exercise, timeS: now,
    clock: `${clockText(s.scenario.startEpochMs, offsetMinutesOf(s.scenario.startTime), now)} (${elapsedText(now)})`, state: s.clock.state,
    injects: delivered,
    warnings: s.run.warnings.filter((w) => w.t_s <= now).map((w) => ({ ...w, reason: warningReason(w.reason, s.lang, s.manifest, s.injects) })),
    overlay,
  };
}
