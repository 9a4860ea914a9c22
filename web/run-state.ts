// Whether the map and the clock stand on a run (issue 17 item 8). Before the first run the clock
// cannot play over a bare map; while a change recomputes, the clock stops and the map says, large
// and over the map itself, that it shows the previous run; a failed computation says so in red.
import { css, html } from 'lit';
import { translate, type Lang } from './i18n.ts';

export type RunState = 'computing' | 'recomputing' | 'failed' | 'stale' | 'ready';

export function runState(computing: boolean, hasRun: boolean, failed: boolean): RunState {
  if (computing) return hasRun ? 'recomputing' : 'computing';
  if (failed) return hasRun ? 'stale' : 'failed';
  return hasRun ? 'ready' : 'computing';
}

/** Why the clock may not play now (an i18n key), or undefined when it may. */
export function clockHold(state: RunState): string | undefined {
  return state === 'ready' ? undefined : `hold_${state}`;
}

export const runStateStyles = css`
  .status { margin-left: auto; font-size: 0.85rem; border-radius: 3px; padding: 0.15rem 0.6rem; font-weight: 600; }
  .status.ready { color: #fff; background: #1e8449; font-weight: 400; }
  .status.computing, .status.recomputing { color: #1d2430; background: #f5b041; }
  .status.failed, .status.stale { color: #fff; background: #a93226; }
  .map.not-ready region-map { filter: grayscale(0.7) opacity(0.55); transition: filter 0.2s; }
  .run-banner { position: absolute; left: 50%; top: 40%; transform: translate(-50%, -50%); max-width: 80%; text-align: center;
    border-radius: 6px; padding: 0.7rem 1.1rem; font-size: 1rem; font-weight: 600; box-shadow: 0 2px 10px rgba(0,0,0,.25); z-index: 2; }
  .run-banner small { display: block; font-weight: 400; font-size: 0.8rem; margin-top: 0.2rem; }
  .run-banner.computing, .run-banner.recomputing { background: #fdebd0; color: #1d2430; border: 2px solid #f5b041; }
  .run-banner.failed, .run-banner.stale { background: #fdedec; color: #78281f; border: 2px solid #a93226; }
  .run-banner .spinner { display: inline-block; width: 0.9rem; height: 0.9rem; border: 2px solid #b9770e; border-top-color: transparent; border-radius: 50%;
    vertical-align: -2px; margin-right: 0.4rem; animation: spin 1s linear infinite; }
  @keyframes spin { to { transform: rotate(360deg); } }
  @media (prefers-reduced-motion: reduce) { .run-banner .spinner { animation: none; } }
`;

/** The banner over the map while it does not show a current run. */
export function runBanner(state: RunState, lang: Lang) {
  if (state === 'ready') return '';
  const t = (key: string) => translate(lang, key);
  const busy = state === 'computing' || state === 'recomputing';
  return html`<div class="run-banner ${state}" role="status">${busy ? html`<span class="spinner" aria-hidden="true"></span>` : ''}${t(`banner_${state}`)}
    <small>${t(`hold_${state}`)}</small></div>`;
}
