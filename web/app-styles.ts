// The console's layout and look: header, map with its legend and details box, side panel with
// tabs, timeline. Shared styles of the alerts, the confirmation and the run state come with them.
import { css } from 'lit';
import { confirmStyles } from './confirm.ts';
import { dueAlertStyles } from './due-alerts.ts';
import { runStateStyles } from './run-state.ts';

export const appStyles = [dueAlertStyles, confirmStyles, runStateStyles, css`
    /* Focus shows wherever the keyboard is: tabs, header, legend, tables, the panel. */
    :focus-visible { outline: 3px solid #2e86c1; outline-offset: 1px; }
    header :focus-visible { outline-color: #f1c40f; }
    .legend .fold { font: inherit; font-weight: 600; font-size: 0.75rem; border: none; background: transparent; padding: 0; cursor: pointer; text-align: left; color: #1d2430; }
    .legend.collapsed { padding: 0.2rem 0.5rem; }
    /* One column that may shrink: a chart drawn wider before a resize must not hold the panel wide. */
    .side, .panel { grid-template-columns: minmax(0, 1fr); }
    .panel > *, .side > * { min-width: 0; }
    .tabs { flex-wrap: wrap; row-gap: 0.2rem; }
    header .player-open { white-space: nowrap; }
    :host { display: grid; grid-template-rows: auto 1fr auto; grid-template-columns: minmax(0, 1fr); height: 100vh; font-family: system-ui, "Noto Sans CJK SC", sans-serif; color: #1d2430; background: #f4f5f7; }
    header { display: flex; align-items: center; gap: 1rem; padding: 0.5rem 1.2rem; background: #1d2430; color: #fff; }
    h1 { font-size: 1.1rem; margin: 0; font-weight: 600; white-space: nowrap; }
    header > * { flex-shrink: 0; }
    header > .scenario-title, header > .status { flex-shrink: 1; min-width: 0; }
    /* The run's state is never cut: the scenario menu gives way instead. */
    header > .status { white-space: nowrap; flex-shrink: 0; }
    header > .scenario-title { min-width: 6rem; }
    /* On a projector's 1024 px the region's name is said once, by the region picker beside it. */
    @media (max-width: 1200px) { h1 .region-name { display: none; } }
    .exercise { white-space: nowrap; }
    .exercise { background: #f1c40f; color: #1d2430; font-weight: 700; letter-spacing: 0.08em; padding: 0.15rem 0.7rem; border-radius: 3px; }
    .scenario-title { color: #fff; background: #2c3646; border: 1px solid #4a5668; border-radius: 4px; font: inherit; font-size: 0.9rem; padding: 0.15rem 0.4rem; }
    header button { font: inherit; font-size: 0.85rem; background: transparent; color: #fff; border: 1px solid #7f8b99; border-radius: 4px; padding: 0.15rem 0.6rem; cursor: pointer; }
    main { display: grid; grid-template-columns: minmax(0, 1.2fr) minmax(0, 1fr); gap: 1rem; padding: 0.8rem 1rem; min-height: 0; }
    .variant-banner { position: absolute; right: 10px; bottom: 10px; z-index: 2; background: #c0392b; color: #fff; font-size: 0.8rem; font-weight: 600; padding: 0.2rem 0.7rem; border-radius: 4px; max-width: 60%; }
    .map { position: relative; min-height: 20rem; display: grid; }
    region-map { min-height: 20rem; }
    .legend { position: absolute; right: 10px; top: 10px; background: rgba(255,255,255,.92); border-radius: 4px; padding: 0.4rem 0.6rem; font-size: 0.75rem; display: grid; gap: 0.2rem; }
    .legend .swatch { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 50%; vertical-align: -2px; margin-right: 0.25rem; }
    .legend .bar { display: inline-block; width: 1.2rem; height: 0.3rem; vertical-align: middle; margin-right: 0.25rem; }
    .legend label { cursor: pointer; } .legend input { margin: 0 0.3rem 0 0; vertical-align: -2px; }
    .legend .bar.thin { height: 0.12rem; }
    .legend .ramp { display: flex; gap: 1px; margin-left: 1.3rem; }
    .legend .ramp span { flex: 1; font-size: 0.6rem; text-align: center; color: #fff; padding: 0 2px; }
    .legend .ramp span.light { color: #1d2430; }
    /* The details box takes under half the map's width and height, on the side away from what it describes. */
    .detail { position: absolute; left: 10px; top: 10px; width: min(21rem, var(--detail-share, 45%)); max-height: 55%; overflow: auto; box-sizing: border-box; background: rgba(255,255,255,.95); border-radius: 4px; padding: 0.4rem 0.6rem; font-size: 0.78rem; box-shadow: 0 1px 3px rgba(0,0,0,.2); }
    .detail.right { left: auto; right: 10px; top: auto; bottom: 2.4rem; }
    .detail.folded { max-height: none; }
    .detail h3 { margin: 0 2.6rem 0.2rem 0; font-size: 0.85rem; }
    .detail .fold { position: absolute; right: 1.7rem; top: 0.25rem; border: none; background: transparent; font-size: 0.9rem; cursor: pointer; color: #5d6875; }
    .detail .close { position: absolute; right: 0.3rem; top: 0.2rem; border: none; background: transparent; font-size: 1.1rem; cursor: pointer; color: #5d6875; }
    .detail .sub { margin-top: 0.4rem; font-weight: 600; font-size: 0.78rem; color: #445; }
    .detail table.changes { border-collapse: collapse; width: 100%; font-size: 0.75rem; }
    .detail table.changes td { padding: 0.1rem 0.3rem 0.1rem 0; border-top: 1px solid #eef1f4; vertical-align: top; }
    .side { display: grid; grid-template-rows: auto auto 1fr; min-height: 0; }
    .side > .tabs { margin-bottom: 0.5rem; }
    .alerts:not(:empty) { margin-bottom: 0.5rem; }
    .tabs { display: flex; gap: 0.2rem; overflow-x: auto; }
    .tabs button { font: inherit; font-size: 0.85rem; white-space: nowrap; padding: 0.3rem 0.65rem; border: 1px solid #c5ccd6; border-bottom: none; border-radius: 4px 4px 0 0; background: #e8ecf1; cursor: pointer; }
    .tabs button[aria-selected=true] { background: #fff; font-weight: 600; }
    .panel { overflow: auto; min-height: 0; display: grid; gap: 0.6rem; align-content: start; }
    section { background: #fff; border-radius: 6px; padding: 0.6rem 0.9rem; box-shadow: 0 1px 2px rgba(0, 0, 0, 0.08); }
    h2 { font-size: 0.95rem; margin: 0 0 0.4rem; }
    table.scores { border-collapse: collapse; width: 100%; font-size: 0.8rem; margin-top: 0.3rem; }
    table.scores th, table.scores td { text-align: left; padding: 0.2rem 0.4rem; border-bottom: 1px solid #eef1f4; }
    table.scores tbody tr { cursor: pointer; }
    table.scores tr[aria-selected=true] { background: #eaf2f8; font-weight: 600; }
    table.scores .ok { color: #1e8449; } table.scores .bad { color: #a93226; }
    .note { font-size: 0.75rem; color: #5d6875; margin: 0.3rem 0 0; }
    .problems { color: #a93226; font-family: ui-monospace, monospace; font-size: 0.8rem; white-space: pre-wrap; margin: 0.3rem 0 0; }
    .problems strong { font-family: system-ui, "Noto Sans CJK SC", sans-serif; }
    .panel > .run-problem { background: #fdedec; border: 1px solid #e6b0aa; border-radius: 6px; padding: 0.5rem 0.8rem; margin: 0; }
    .map > .map-problem { position: absolute; left: 10px; bottom: 10px; right: 10px; background: rgba(253,237,236,.95); border-radius: 4px; padding: 0.4rem 0.6rem; }
    .msel-notice { font-size: 0.8rem; background: #eaf2f8; border-radius: 4px; padding: 0.3rem 0.5rem; margin: 0 0 0.3rem; display: flex; gap: 0.5rem; align-items: start; }
    .msel-notice button, .session-notice button { font: inherit; font-size: 0.75rem; border: 1px solid #b8c0cc; border-radius: 4px; background: #fff; cursor: pointer; }
    .session-notice { font-size: 0.8rem; background: #e9f7ef; border: 1px solid #a9dfbf; border-radius: 6px; padding: 0.35rem 0.6rem; display: flex; gap: 0.5rem; align-items: center; margin-bottom: 0.5rem; }
    .session-notice span { flex: 1; }
    .session-notice { flex-wrap: wrap; }
    .session-dropped { order: 1; flex-basis: 100%; margin: 0; color: #a93226; font-family: ui-monospace, monospace; font-size: 0.75rem; white-space: pre-wrap; overflow-wrap: anywhere; }
    .session-dropped strong { font-family: system-ui, "Noto Sans CJK SC", sans-serif; }
    .msel-options { font-size: 0.8rem; color: #445; display: flex; gap: 0.3rem; align-items: center; margin-bottom: 0.3rem; }
  `];
