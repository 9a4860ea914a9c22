// The MSEL tab: the injects as they stand at the clock, delivered or cancelled by the trainer, added
// or edited in the form (the whole MSEL validated as a file would be, and checked against the
// region), imported from CSV (merged by id, asking before a delivery or cancellation would be
// lost) and exported. Its own notices and refusals live here; the MSEL itself on the console.
import { html } from 'lit';
import { InputError } from '../models/errors.ts';
import { checkInjectReferences } from '../models/scenario/entry-check.ts';
import { injectsToCsv, parseInjects } from '../models/scenario/injects.ts';
import './components/inject-list.ts';
import type { InjectCommand, InjectDraft } from './components/inject-list.ts';
import { download, type DrillHost } from './drill-host.ts';
import { mselTemplates } from './drill-helpers.ts';
import { translate } from './i18n.ts';
import { importMsel, reportText } from './msel-merge.ts';
import { mselAt } from './msel-state.ts';

const linesOf = (error: unknown) => (error instanceof InputError ? error.message.split('\n') : [String(error)]);

export class MselDesk {
  /** Why the last CSV import, and the last inject the editor saved, were refused; what the last import changed. */
  private csvProblems: string[] = [];
  private formProblems: string[] = [];
  private notice?: string;

  constructor(private readonly app: DrillHost) {}

  /** Another scenario or record: the notices and refusals were about the previous one. */
  reset(): void {
    this.csvProblems = [];
    this.formProblems = [];
    this.notice = undefined;
  }

  private command(event: CustomEvent<InjectCommand>): void {
    const { command, id } = event.detail;
    const app = this.app;
    if (command === 'deliver') app.delivered = new Map(app.delivered).set(id, app.nowS);
    else app.cancelled = new Map(app.cancelled).set(id, app.nowS);
    // A model change delivered or cancelled by the trainer changes the running scenario: recompute.
    if (app.injects.find((i) => i.id === id)?.kind === 'model-change') void app.compute();
  }

  /**
   * Adds an inject, or replaces the edited one in its place; a refused draft stays in the form
   * (preventDefault) beside the problems.
   */
  private save(event: CustomEvent<InjectDraft>): void {
    const app = this.app;
    const { editing, inject } = event.detail;
    const before = app.injects.find((i) => i.id === editing);
    const drafts: unknown[] = editing === undefined ? [...app.injects, inject] : app.injects.map((i) => (i.id === editing ? inject : i));
    try {
      const injects = parseInjects(drafts, '$.injects', app.scenario.durationS);
      const region = app.regionRefs();
      const index = editing === undefined ? injects.length - 1 : app.injects.findIndex((i) => i.id === editing);
      if (region) checkInjectReferences(injects, app.decisions, index, region);
      app.injects = injects;
      this.formProblems = [];
      if (inject.kind === 'model-change' || before?.kind === 'model-change') void app.compute();
    } catch (error) {
      event.preventDefault();
      this.formProblems = linesOf(error);
      app.requestUpdate();
    }
  }

  private async import(event: CustomEvent<{ text: string; fileName: string }>): Promise<void> {
    const app = this.app;
    const { text, fileName } = event.detail;
    const t = (key: string) => translate(app.uiLang, key);
    this.notice = undefined;
    let merged;
    try {
      merged = importMsel(text, fileName, { injects: app.injects, delivered: app.delivered, cancelled: app.cancelled, decisions: app.decisions, durationS: app.scenario.durationS, region: app.regionRefs() });
      this.csvProblems = [];
    } catch (error) {
      this.csvProblems = linesOf(error);
      app.requestUpdate();
      return;
    }
    const lost = merged.report.lost;
    if (lost.length && !(await app.confirm.ask({ title: 'importLosesTitle', body: t('importLosesBody').replace('{ids}', lost.join(', ')), confirm: 'importAnyway', keep: 'discardKeep' }))) return;
    app.injects = merged.injects;
    app.delivered = merged.delivered;
    app.cancelled = merged.cancelled;
    this.notice = reportText(merged.report, fileName, t('mselMerged'));
    void app.compute();
  }

  view() {
    const app = this.app;
    const t = (key: string) => translate(app.uiLang, key);
    const msel = mselAt(app.injects, app.nowS, { delivered: app.delivered, cancelled: app.cancelled }, app.result?.run);
    return html`<section>
      ${this.notice ? html`<p class="msel-notice" role="status"><span>${this.notice}</span><button aria-label=${t('close')} @click=${() => { this.notice = undefined; app.requestUpdate(); }}>×</button></p>` : ''}
      <label class="msel-options"><input type="checkbox" name="pause-on-due" .checked=${app.dueAlerts.autoPause}
        @change=${(e: Event) => { app.dueAlerts.autoPause = (e.target as HTMLInputElement).checked; app.requestUpdate(); }}>${t('pauseOnDue')}</label>
      <inject-list .injects=${msel.injects} .msel=${app.injects} .dueTimes=${msel.due} .expected=${msel.expected}
        .problems=${this.csvProblems} .formProblems=${this.formProblems} lang=${app.uiLang} .actionTemplates=${mselTemplates(app.templateSource())}
        @inject-command=${(e: CustomEvent<InjectCommand>) => this.command(e)} @inject-save=${(e: CustomEvent<InjectDraft>) => this.save(e)}
        @msel-import=${(e: CustomEvent<{ text: string; fileName: string }>) => void this.import(e)}
        @msel-export=${() => download(`${app.scenario.id}-msel.csv`, injectsToCsv(app.injects), 'text/csv;charset=utf-8')}></inject-list>
    </section>`;
  }
}
