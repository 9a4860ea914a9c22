// Tells the trainer when an inject falls due as the clock plays or steps: a visible notice with the
// inject, its time and who receives it, so the trainer hands it to the players; optionally the clock
// pauses at the first one. Seeking does not notify: the trainer moved the clock on purpose.
import { css, html, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { Inject } from '../models/scenario/injects.ts';
import { injectText } from './content-text.ts';
import { translate, type Lang } from './i18n.ts';
import { elapsedText } from './time-format.ts';

export interface DueAlert { id: string; inject: Inject; t_s: number }

/** The notices shown at once; older ones give way. */
const SHOWN = 4;

export class DueAlerts implements ReactiveController {
  alerts: DueAlert[] = [];
  /** Pause the clock when an inject falls due. */
  autoPause = false;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  /**
   * The clock moved forward from `fromS` to `toS`: notifies the injects due in (fromS, toS] and
   * returns the earliest such time, if any. A clock that will stop there (`stopAtFirst`) notifies
   * only the injects due then: the later ones have not happened yet.
   */
  advance(fromS: number, toS: number, due: ReadonlyMap<string, number>, injects: readonly Inject[], stopAtFirst = false): number | undefined {
    if (!(toS > fromS)) return undefined;
    let falling = injects.filter((i) => {
      const at = due.get(i.id);
      return at !== undefined && at > fromS && at <= toS;
    }).map((i) => ({ id: i.id, inject: i, t_s: due.get(i.id)! }));
    if (!falling.length) return undefined;
    const first = Math.min(...falling.map((a) => a.t_s));
    if (stopAtFirst) falling = falling.filter((a) => a.t_s === first);
    // Newest first, the notices already shown below them.
    falling.sort((a, b) => b.t_s - a.t_s || a.id.localeCompare(b.id));
    this.alerts = [...falling, ...this.alerts.filter((a) => !falling.some((f) => f.id === a.id))].slice(0, SHOWN);
    this.host.requestUpdate();
    return first;
  }

  dismiss(): void {
    this.alerts = [];
    this.host.requestUpdate();
  }

  view(lang: Lang, openMsel: () => void) {
    if (!this.alerts.length) return '';
    const t = (key: string) => translate(lang, key);
    // A real alert, but polite: it waits for the screen reader to finish, it does not interrupt.
    return html`<div class="due-alerts" role="status" aria-live="polite">
      <strong>${t('injectDue')}</strong>
      <ul>${this.alerts.map((a) => html`<li data-inject=${a.id}><span class="when">${elapsedText(a.t_s)}</span> ${a.id} · ${injectText(a.inject, 'title', lang)}${a.inject.to ? html` <span class="to">→ ${injectText(a.inject, 'to', lang)}</span>` : ''}</li>`)}</ul>
      <span class="acts"><button @click=${openMsel}>${t('openMsel')}</button><button aria-label=${t('close')} @click=${() => this.dismiss()}>×</button></span>
    </div>`;
  }
}

export const dueAlertStyles = css`
  .due-alerts { display: grid; grid-template-columns: 1fr auto; gap: 0.2rem 0.6rem; background: #fef5e7; border: 1px solid #f0b27a; border-left: 5px solid #e67e22; border-radius: 6px; padding: 0.4rem 0.7rem; font-size: 0.82rem; }
  .due-alerts ul { grid-column: 1; margin: 0; padding: 0; list-style: none; }
  .due-alerts .when { font-weight: 700; font-variant-numeric: tabular-nums; }
  .due-alerts .to { color: #6e5a48; }
  .due-alerts .acts { grid-column: 2; grid-row: 1 / 3; display: flex; gap: 0.3rem; align-items: start; }
  .due-alerts button { font: inherit; font-size: 0.8rem; padding: 0.1rem 0.5rem; border: 1px solid #d5a06a; border-radius: 4px; background: #fff; cursor: pointer; }
`;
