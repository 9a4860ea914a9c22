// The ensemble tab's Run and Cancel, driven as a user would, on an app that already shows an opened
// ensemble folder of the open scenario (test/browser/ensemble.test.ts calls this at its end, so the
// app starts once): progress a screen reader can read, Cancel within a long run giving control back
// at once (by the next task, no worker waited for) and leaving what is shown alone, then a run on fresh workers that is `sandtable
// ensemble`'s bytes. Screens while running and after the cancel, zh and en, at both sizes.
import { expect } from 'vitest';
import type { EnsembleDesk } from '../../web/ensemble-desk.ts';
import { MAX_POOL_WORKERS } from '../../web/ensemble-pool.ts';
import type { EnsembleWarning } from '../../models/ensemble/member-warnings.ts';
import { until } from './until.ts';
import { trainerScreens } from './trainer-screens.ts';

type App = HTMLElement & { updateComplete: Promise<unknown> };
interface Internals { uiLang: string; ensembleDesk: EnsembleDesk }

async function screens(app: App, name: string): Promise<void> {
  await trainerScreens(app, `ensemble-${name}`, { settleMs: 150, after: 'en' });
}

/** Runs the most members the app allows, cancels after the first, then runs `members` and checks them against the CLI's product hashes. */
export async function cancelThenRun(app: App, panel: Element, controls: Element, cli: Record<string, string>, members: number, cliWarnings: { warnings: EnsembleWarning[]; left_out: number }): Promise<void> {
  const internals = app as unknown as Internals;
  const root = controls.shadowRoot!;
  const status = () => root.querySelector('[role=status]')!.textContent;
  const runButton = root.querySelector('button.run') as HTMLButtonElement;
  const workers = Math.min(navigator.hardwareConcurrency, MAX_POOL_WORKERS);
  expect(workers, 'this test needs a machine with 2 or more cores').toBeGreaterThanOrEqual(2);
  expect(root.querySelector('.note')!.textContent).toContain(`at most 50 members, on ${workers} workers`);
  // The live region is there before anything is said in it (one added with its text is not read).
  expect(status()).toBe('');
  const shown = { view: internals.ensembleDesk.view, text: panel.shadowRoot!.querySelector('.opened')!.textContent };

  // As many members as the app runs, so the run is still going when Cancel is pressed.
  (root.querySelector('input[name=members]') as HTMLInputElement).value = '50';
  runButton.click();
  const bar = await until(() => root.querySelector('progress'), 'the progress bar');
  expect(bar.getAttribute('aria-label')).toBe('Ensemble progress');
  expect(status()).toBe(`Running 50 members on ${workers} workers`);
  await until(() => (bar.value >= 1 ? true : undefined), 'a first member', 60_000);
  await app.updateComplete;
  expect(bar.getAttribute('aria-valuetext')).toMatch(/^\d+\/50 members done · 0 bad · \d+ s elapsed · about (\d+ min )?\d+ s left$/);
  expect(runButton.disabled).toBe(true);
  await screens(app, 'running');

  const started = performance.now();
  const cancel = root.querySelector('button.cancel') as HTMLButtonElement;
  cancel.focus();
  cancel.click();
  // Control comes back without waiting on a worker: by the next task (a worker's message is one)
  // and the renders it asked for. Counted in tasks, since a loaded CI stretches any milliseconds.
  await new Promise((r) => setTimeout(r, 0));
  await app.updateComplete;
  await (controls as Element & { updateComplete: Promise<unknown> }).updateComplete;
  expect([status(), runButton.disabled]).toEqual([expect.stringMatching(/^Cancelled after/), false]);
  const backMs = performance.now() - started;
  expect(status()).toMatch(/^Cancelled after \d+ of 50 members; what is shown has not changed\.$/);
  expect(root.querySelector('progress')).toBeNull();
  expect(root.activeElement, 'keyboard focus goes from the disabled Cancel to Run').toBe(runButton);
  expect(internals.ensembleDesk.view).toBe(shown.view);
  expect(panel.shadowRoot!.querySelector('.opened')!.textContent).toBe(shown.text);
  expect(internals.ensembleDesk.lastRun).toBeUndefined();
  await screens(app, 'cancelled');

  // Fresh workers after the cancel: the products are `sandtable ensemble`'s, byte for byte.
  (root.querySelector('input[name=members]') as HTMLInputElement).value = String(members);
  runButton.click();
  const run = await until(() => internals.ensembleDesk.lastRun, 'the run after the cancel', 90_000);
  expect(run.productSha256).toEqual(cli);
  expect(run.workers).toBe(workers);
  // The members' model warnings, as the CLI's manifest has them, and shown with the run's products.
  expect(run.modelWarnings).toEqual(cliWarnings);
  const notice = panel.shadowRoot!.querySelector('model-warnings-notice')!;
  await until(() => (notice.shadowRoot!.querySelectorAll('li').length === cliWarnings.warnings.length ? true : undefined), 'the run\'s model warnings');
  expect(notice.shadowRoot!.querySelector('li')!.textContent).toContain(`(in ${cliWarnings.warnings[0].members} of ${members} members; first: member ${cliWarnings.warnings[0].first_member})`);
  await app.updateComplete;
  expect(status()).toMatch(new RegExp(`^Finished: ${members} members, 0 bad, in \\d+ s$`));
  expect(panel.shadowRoot!.querySelector('.opened')!.textContent).toContain(`${members}/${members} good members`);
  expect(panel.shadowRoot!.querySelector('.error')).toBeNull();
  console.log(`ensemble cancel: control back in ${Math.round(backMs)} ms`);
}
