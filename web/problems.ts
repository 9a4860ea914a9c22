// What went wrong, kept with what it is about: at most one problem per subject (the map, the run,
// an import, a what-if, a CAP export), shown beside that subject under a heading in the UI's
// language, and gone when the subject succeeds or is replaced. Errors no longer pile up in one
// list that outlives their cause (issue 17). The detail is the engine's own message, the same
// text the CLI prints, so it stays as the engine wrote it.
import { html, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { InputError } from '../models/errors.ts';
import { translate, type Lang } from './i18n.ts';

export type ProblemSubject = 'map' | 'run' | 'import' | 'whatIf' | 'cap';

export class Problems implements ReactiveController {
  private readonly bySubject = new Map<ProblemSubject, string>();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Records what went wrong with `subject`, replacing its earlier problem; `source` names a file. */
  set(subject: ProblemSubject, error: unknown, source?: string): void {
    const message = error instanceof InputError ? error.message : error instanceof Error ? error.message : String(error);
    this.bySubject.set(subject, source && !message.includes(source) ? `${source}: ${message}` : message);
    this.host.requestUpdate();
  }

  clear(...subjects: ProblemSubject[]): void {
    if (subjects.some((s) => this.bySubject.delete(s))) this.host.requestUpdate();
  }

  /** Everything but the base map: what a new scenario leaves behind. */
  clearScenario(): void {
    this.clear('run', 'import', 'whatIf', 'cap');
  }

  get(subject: ProblemSubject): string | undefined {
    return this.bySubject.get(subject);
  }

  /** The heading in the UI's language and the detail, for a panel that shows its own problems. */
  of(subject: ProblemSubject, lang: Lang): { heading: string; detail: string } | undefined {
    const detail = this.bySubject.get(subject);
    return detail === undefined ? undefined : { heading: translate(lang, `problem_${subject}`), detail };
  }

  view(subject: ProblemSubject, lang: Lang) {
    const detail = this.bySubject.get(subject);
    if (detail === undefined) return '';
    return html`<p class="problems ${subject}-problem" role="alert"><strong>${translate(lang, `problem_${subject}`)}</strong>
${detail}</p>`;
  }
}
