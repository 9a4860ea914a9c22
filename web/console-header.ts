// The console's frame: the header (title, the EXERCISE marking, the scenario menu, whether the map
// stands on a current run and how long it took, the language switch, the players' window), the tab
// list and the restored-session notice. State comes in as a context; choices go out as callbacks.
import { html } from 'lit';
import { translate, type Lang } from './i18n.ts';
import { tabAfterKey } from './keyboard.ts';
import './components/region-picker.ts';
import { regionSource } from './region-source.ts';
import type { RunState } from './run-state.ts';

export interface HeaderContext {
  lang: Lang;
  exercise: boolean;
  scenarios: readonly { id: string; title: string; titleZh: string }[];
  scenarioId: string;
  runState: RunState;
  computeMs?: number;
  chooseScenario: (event: Event) => void;
  switchLanguage: () => void;
}

/** The map's accessible name: the open region's, in the UI's language. */
export function regionMapLabel(lang: Lang): string {
  return translate(lang, 'mapLabel').replace('{region}', lang === 'zh-CN' ? regionSource.current.nameZh : regionSource.current.name);
}

export function consoleHeader(c: HeaderContext) {
  const t = (key: string) => translate(c.lang, key);
  const s = c.runState;
  const status = s === 'computing' ? t('computing') : s === 'recomputing' ? t('recomputing') : s === 'stale' ? t('runFailedStale')
    : s === 'failed' ? t('runFailed') : `${t('computed')} · ${((c.computeMs ?? 0) / 1000).toFixed(1)} s`;
  return html`<header>
    <h1>${t('appTitle')}<span class="region-name"> · ${c.lang === 'zh-CN' ? regionSource.current.nameZh : regionSource.current.name}</span></h1>
    ${c.exercise ? html`<span class="exercise" role="note">${t('exercise')}</span>` : ''}
    <select class="scenario-title" aria-label=${t('scenario')} @change=${c.chooseScenario}>
      ${c.scenarios.map((x, k) => html`<option value=${k} ?selected=${x.id === c.scenarioId}>${c.lang === 'zh-CN' ? x.titleZh : x.title}</option>`)}
    </select>
    <region-picker .source=${regionSource} lang=${c.lang}></region-picker>
    <span class="status ${s}" role="status">${status}</span>
    <button class="lang-toggle" lang=${c.lang === 'zh-CN' ? 'en' : 'zh-CN'} @click=${c.switchLanguage} aria-label=${t('languageLabel')}>${t('language')}</button>
    <button class="player-open" title=${t('playerOpenTitle')} @click=${() => window.open(`${location.pathname}?view=player`, 'sandtable-player')}>${t('playerOpen')}</button>
  </header>`;
}

export interface TabsContext<T extends string> {
  lang: Lang;
  /** Each tab's id and label. */
  tabs: readonly [T, string][];
  current: T;
  /** Opens a tab; `focus` when the keyboard moved there (the tab then takes the focus). */
  choose: (tab: T, focus: boolean) => void;
}

/** WAI-ARIA tabs: only the open tab in the Tab order; arrows, Home and End open the next one. */
export function tabList<T extends string>(c: TabsContext<T>) {
  const ids = c.tabs.map(([id]) => id);
  const onKey = (event: KeyboardEvent) => {
    const next = tabAfterKey(ids, c.current, event.key);
    if (!next) return;
    event.preventDefault();
    c.choose(next, true);
  };
  return html`<div class="tabs" role="tablist" aria-label=${translate(c.lang, 'panels')} @keydown=${onKey}>
    ${c.tabs.map(([id, label]) => html`<button role="tab" id=${`tab-${id}`} aria-controls="panel" aria-selected=${c.current === id}
      tabindex=${c.current === id ? 0 : -1} @click=${() => c.choose(id, false)}>${label}</button>`)}
  </div>`;
}

/** The session came back from the browser: say so, and offer a fresh start (asked first). */
export function restoredNotice(lang: Lang, savedAt: string | undefined, dropped: string | undefined, afresh: () => void, dismiss: () => void) {
  if (!savedAt) return '';
  const t = (key: string) => translate(lang, key);
  return html`<div class="session-notice" role="status"><span>${t('sessionRestored').replace('{at}', new Date(savedAt).toLocaleString(lang, { hour12: false }))}</span>
    ${dropped ? html`<p class="session-dropped"><strong>${t('sessionDropped')}</strong>
${dropped}</p>` : ''}
    <button class="fresh" @click=${afresh}>${t('freshSession')}</button>
    <button aria-label=${t('close')} @click=${dismiss}>×</button></div>`;
}
