// What the console's desks (MSEL, decisions and record) read and change on the console: its
// session state and the few actions they need. The console (web/app.ts) is the one host.
import type { GaugeScore } from '../models/scenario/observations.ts';
import type { Decision } from '../models/scenario/aar.ts';
import type { Inject } from '../models/scenario/injects.ts';
import type { RegionRefs } from '../models/scenario/entry-check.ts';
import type { RegionItem, RegionManifest } from '../models/scenario/region.ts';
import type { Scenario } from '../models/scenario/schema.ts';
import type { WhatIfRecord } from '../models/scenario/whatif.ts';
import type { RatingChange } from './components/aar-panel.ts';
import type { Confirm } from './confirm.ts';
import type { TemplateSource } from './drill-helpers.ts';
import type { DueAlerts } from './due-alerts.ts';
import type { EngineHandle } from './engine-client.ts';
import type { WorkerScenarioRun } from './engine.worker.ts';
import type { Lang } from './i18n.ts';
import type { Problems } from './problems.ts';
import type { SessionKeeper } from './session-keeper.ts';

export interface DrillHost {
  uiLang: Lang;
  scenario: Scenario;
  injects: Inject[];
  delivered: Map<string, number>;
  cancelled: Map<string, number>;
  decisions: Decision[];
  ratings: Map<string, RatingChange>;
  result?: WorkerScenarioRun;
  manifest?: RegionManifest;
  items: RegionItem[];
  engine?: EngineHandle;
  problems: Problems;
  confirm: Confirm;
  dueAlerts: DueAlerts;
  session: SessionKeeper;
  /** The exercise clock's time now, s. */
  readonly nowS: number;
  /** The what-ifs run this session (the record keeps them). */
  readonly whatIfRuns: readonly WhatIfRecord[];
  /** The forecast's scores against the scenario's gauge observations, once scored. */
  readonly observedScores: readonly GaugeScore[] | undefined;
  requestUpdate(): void;
  compute(): Promise<WorkerScenarioRun | undefined>;
  regionRefs(): RegionRefs | undefined;
  templateSource(): TemplateSource;
  currentScenarioJson(): unknown;
  leaveSessionFor(next: () => void | Promise<unknown>, question?: string): Promise<boolean>;
  open(json: unknown, record?: { delivered?: Map<string, number>; cancelled?: Map<string, number>; decisions?: Decision[]; ratings?: Map<string, RatingChange>; whatIfs?: WhatIfRecord[] }): Promise<WorkerScenarioRun | undefined>;
}

/** Hands the browser a file to save. */
export function download(name: string, text: string, type: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  link.click();
  URL.revokeObjectURL(link.href);
}
