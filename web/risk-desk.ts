// The risk-list tab: the items at their levels at the clock, and the log of changes up to it.
import { html } from 'lit';
import type { RegionItem, RegionManifest } from '../models/scenario/region.ts';
import { lastChanges } from '../models/scenario/timeline.ts';
import './components/risk-log.ts';
import './components/risk-table.ts';
import type { PageRun } from './engine.worker.ts';
import type { Lang } from './i18n.ts';

export interface RiskPanelSource {
  manifest: RegionManifest | undefined; items: RegionItem[]; levels: Map<string, number>; run: PageRun | undefined;
  nowS: number; selected: string | undefined; lang: Lang; select: (event: CustomEvent<{ id: string; kind?: 'item' | 'reach' | 'district' }>) => void;
}

export function riskPanel(s: RiskPanelSource) {
  return html`<section><risk-table .manifest=${s.manifest} .items=${s.items} .levels=${s.levels}
    .changes=${s.run ? lastChanges(s.run, s.nowS) : new Map()} selected=${s.selected ?? ''} lang=${s.lang}
    @feature-select=${s.select}></risk-table>
    <risk-log .changes=${s.run?.risk.changes ?? []} .items=${s.items} .timeS=${s.nowS} lang=${s.lang}
    @feature-select=${s.select}></risk-log></section>`;
}
