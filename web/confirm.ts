// Asks the trainer before work is discarded: an in-app dialog in the UI's language (never
// window.confirm, which is in the browser's language, blocks the clock's frames and can be
// suppressed). `ask` resolves true (go on) or false (keep the work); one question at a time.
import { css, html, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { translate, type Lang } from './i18n.ts';

export interface Question { title: string; body: string; confirm: string; keep: string }

export const confirmStyles = css`
  .confirm-backdrop { position: fixed; inset: 0; background: rgba(29, 36, 48, 0.45); display: grid; place-items: center; z-index: 10; }
  .confirm { background: #fff; border-radius: 8px; padding: 1rem 1.2rem; max-width: 30rem; box-shadow: 0 8px 30px rgba(0,0,0,.3); display: grid; gap: 0.6rem; }
  .confirm h2 { margin: 0; font-size: 1rem; }
  .confirm p { margin: 0; font-size: 0.85rem; white-space: pre-wrap; }
  .confirm .buttons { display: flex; gap: 0.5rem; justify-content: flex-end; }
  .confirm button { font: inherit; font-size: 0.85rem; padding: 0.3rem 0.8rem; border-radius: 4px; border: 1px solid #b8c0cc; background: #f7f9fb; cursor: pointer; }
  .confirm button.discard { background: #a93226; border-color: #a93226; color: #fff; }
`;

export class Confirm implements ReactiveController {
  private pending?: { question: Question; resolve: (ok: boolean) => void };

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  get open(): boolean {
    return this.pending !== undefined;
  }

  /** Shows the question (keys of i18n.ts, `{n}`-style fill-ins already applied by the caller). */
  ask(question: Question): Promise<boolean> {
    this.pending?.resolve(false);
    return new Promise((resolve) => {
      this.pending = { question, resolve };
      this.host.requestUpdate();
    });
  }

  private answer(ok: boolean): void {
    const pending = this.pending;
    this.pending = undefined;
    this.host.requestUpdate();
    pending?.resolve(ok);
  }

  view(lang: Lang) {
    if (!this.pending) return '';
    const q = this.pending.question;
    const t = (key: string) => translate(lang, key);
    return html`<div class="confirm-backdrop" @keydown=${(e: KeyboardEvent) => { if (e.key === 'Escape') this.answer(false); }}>
      <div class="confirm" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title">
        <h2 id="confirm-title">${t(q.title)}</h2>
        <p>${q.body}</p>
        <div class="buttons">
          <button class="keep" autofocus @click=${() => this.answer(false)}>${t(q.keep)}</button>
          <button class="discard" @click=${() => this.answer(true)}>${t(q.confirm)}</button>
        </div>
      </div>
    </div>`;
  }
}
