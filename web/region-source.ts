// Which region the app shows and which scenarios it offers: the shipped one by default, another by
// link (`?region=<url of region.json>&scenario=<url of scenario.json>`, CONTRACT.md "region build")
// or from local files (a folder, a .zip of it, a scenario .json). Every region from outside is
// read whole, checked (web/region-check.ts), kept in IndexedDB (web/region-store.ts) and handed to
// the worker as blob: URLs, so a region opened once opens again offline. A region that fails its
// checks is never shown: the region open before stays, and the problem says which file and field.
import { InputError } from '../models/errors.ts';
import { checkScenarioOnRegion } from './region-check.ts';
import { fetchBlob, prepareRegion, regionFromFiles, regionFromLink, revoke, type RegionChoice } from './region-prepare.ts';
import { forgetLast, keepRegion, lastRegion, storedRegion, type StoredRegion } from './region-store.ts';
import { isScenarioJson, readScenarioJson, regionFolderOf, scenarioWithFiles } from './region-files.ts';
import { fetchRegionRefs, MOUNTAIN_CITY } from './region-urls.ts';
import { SHIPPED_SCENARIOS } from './shipped.ts';

export type { RegionChoice, ScenarioChoice } from './region-prepare.ts';

export const SHIPPED: RegionChoice = {
  key: 'shipped', origin: 'shipped', name: 'Mountain City', nameZh: '山城', urls: MOUNTAIN_CITY,
  scenarios: SHIPPED_SCENARIOS,
};

const couldNotLoad = (error: unknown) => error instanceof InputError && error.problems.some((p) => p.message.startsWith('could not be loaded'));

/**
 * The region open now, as the app reads it (`current.urls`, `current.scenarios`); a 'change' event
 * when another opens. `problem` is the last thing that could not be opened, `notice` what the
 * trainer should know (an offline copy in use, a region waiting for its scenario).
 */
export class RegionSource extends EventTarget {
  current: RegionChoice = SHIPPED;
  problem?: unknown;
  notice?: { key: string; name: string };
  busy = false;
  /** A region opened without a scenario: the next scenario file opened goes with it. */
  private pending?: StoredRegion;
  private stored?: StoredRegion;
  private started?: { search: string; done: Promise<void> };

  /** Whether `json` is one of the open region's scenarios (by id): a saved session of another is not restored on it. */
  offers(json: unknown): boolean {
    const id = (json as { id?: unknown } | null)?.id;
    return this.current.scenarios.some((s) => (s.json as { id?: unknown }).id === id);
  }

  /** The region the page's link names, else the one open when the page was left, else the shipped one. */
  start(search?: string): Promise<void> {
    // The app asks once per mount; a test (or a later link) names its own search string.
    if (this.started && (search === undefined || search === this.started.search)) return this.started.done;
    const query = search ?? location.search;
    this.started = { search: query, done: this.guard(() => this.fromLinkOrKept(query)) };
    return this.started.done;
  }

  private async fromLinkOrKept(search: string): Promise<void> {
    const params = new URLSearchParams(search);
    const region = params.get('region');
    const scenario = params.get('scenario') ?? undefined;
    if (!region) {
      if (scenario) return this.useScenarioLink(scenario);
      const kept = await lastRegion().catch(() => undefined);
      if (kept) await this.show(kept, false);
      return;
    }
    try {
      await this.show(await regionFromLink(region, scenario), true);
    } catch (error) {
      const kept = couldNotLoad(error) ? await storedRegion(`link:${new URL(region, location.href).href}`).catch(() => undefined) : undefined;
      if (!kept) throw error;
      await this.show(kept, false);
      this.current = { ...this.current, offlineCopy: true };
      this.notice = { key: 'regionOfflineCopy', name: this.current.name };
    }
  }

  /** `?scenario=` alone: a scenario for the shipped region. */
  private async useScenarioLink(scenarioUrl: string): Promise<void> {
    const url = new URL(scenarioUrl, location.href).href;
    const shown = url.split('/').pop() ?? url;
    const json = await readScenarioJson(await fetchBlob(url, shown), shown);
    await this.shippedWith(json, shown);
  }

  private async shippedWith(json: unknown, shownAs: string): Promise<void> {
    const { manifest } = await fetchRegionRefs(MOUNTAIN_CITY);
    const scenario = checkScenarioOnRegion(json, shownAs, manifest, (name) => name in (MOUNTAIN_CITY.files ?? {}));
    this.switchTo({ ...SHIPPED, scenarios: [{ id: scenario.id, json }, ...SHIPPED.scenarios.filter((s) => s.id !== scenario.id)] }, undefined);
  }

  /** Files picked or dropped: a region folder or zip (with or without scenarios), or scenario files. */
  openFiles(all: Map<string, Blob>, source: string): Promise<void> {
    return this.guard(async () => {
      const hasRegion = [...all.keys()].some((p) => p === 'region.json' || p.endsWith('/region.json'));
      if (hasRegion) return this.show(await regionFromFiles(all, source), true);
      const scenarios = [...all].filter(([p]) => p.endsWith('.json'));
      if (!scenarios.length) regionFolderOf(all, source); // throws: neither a region nor a scenario
      for (const [name, blob] of scenarios) await this.openScenario(await readScenarioJson(blob, name), name);
    });
  }

  /** A scenario file: for the region waiting for one, else for the region open now. */
  private async openScenario(json: unknown, name: string): Promise<void> {
    if (!isScenarioJson(json)) throw InputError.single(`${name} $.schema`, 'is not a scenario', (json as { schema?: unknown })?.schema, '"sandtable.scenario/1"');
    const base = this.pending ?? this.stored;
    if (!base) return this.shippedWith(json, name);
    const files = new Map(Object.entries(base.files));
    const scenario = scenarioWithFiles(json, name, undefined, files);
    await this.show({ ...base, saved: new Date().toISOString(), scenarios: [scenario, ...base.scenarios.filter((s) => s.id !== name)] }, true);
  }

  /** Back to the shipped region, now and on reload; kept copies stay for their links. */
  useShipped(): Promise<void> {
    return this.guard(async () => {
      await forgetLast().catch(() => undefined);
      this.switchTo(SHIPPED, undefined);
    });
  }

  private async show(stored: StoredRegion, keep: boolean): Promise<void> {
    const choice = await prepareRegion(stored);
    if (!choice.scenarios.length) {
      // Checked and kept: it opens once a scenario for it comes.
      this.pending = stored;
      if (keep) await keepRegion(stored).catch(() => undefined);
      revoke(choice);
      this.notice = { key: 'regionNeedsScenario', name: choice.name };
      return;
    }
    if (keep) await keepRegion(stored).catch((error) => { this.notice = { key: 'regionNotKept', name: String((error as Error)?.message ?? error) }; });
    this.switchTo(choice, stored);
  }

  private switchTo(choice: RegionChoice, stored: StoredRegion | undefined): void {
    if (choice.urls !== this.current.urls) revoke(this.current);
    this.current = choice;
    this.stored = stored;
    this.pending = undefined;
    this.dispatchEvent(new Event('change'));
  }

  /** Runs an opening; whatever fails becomes `problem`, and the region open before stays. */
  private async guard(work: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.problem = undefined;
    this.notice = undefined;
    this.dispatchEvent(new Event('state'));
    try {
      await work();
    } catch (error) {
      this.problem = error;
    } finally {
      this.busy = false;
      this.dispatchEvent(new Event('state'));
    }
  }
}

/** The one region source of the page. */
export const regionSource = new RegionSource();
