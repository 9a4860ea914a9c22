// The run panel's notice of the models' warnings (web/components/model-warnings-notice.ts): shown
// when a run has any, in the UI's language around the models' own text, every value escaped; and
// the worker's run carries them to the page (the shipped storm's routing warns: 35 sub-steps,
// reaches that may dip, outflow below zero).
import { afterEach, describe, expect, it } from 'vitest';
import { trainerScreens } from './trainer-screens.ts';
import '../../web/components/model-warnings-notice.ts';
import '../../web/app.ts';
import type { ModelWarningsNotice } from '../../web/components/model-warnings-notice.ts';
import type { ModelWarning } from '../../models/scenario/model-warnings.ts';
import { until } from './until.ts';

afterEach(() => { document.body.innerHTML = ''; });

async function notice(warnings: ModelWarning[], lang: 'zh-CN' | 'en'): Promise<ShadowRoot> {
  const el = document.createElement('model-warnings-notice') as ModelWarningsNotice;
  el.warnings = warnings;
  el.lang = lang;
  document.body.append(el);
  await el.updateComplete;
  return el.shadowRoot!;
}

const CAPPED: ModelWarning = { model: 'flood', where: 'reach R003', what: 'C − D > 1 at its highest flow even unsplit: stable only for steps ≤ 11.2982 s, routed with 36 s (100 sub-steps, the cap), so its outflow may oscillate' };

describe('the model warnings notice', () => {
  it('names the model, the place and what, in English and in Chinese', async () => {
    const en = await notice([CAPPED], 'en');
    expect(en.querySelector('summary')!.textContent).toBe('1 model warnings: the results may be inexact');
    expect(en.querySelector('li')!.textContent).toBe(`flood · reach R003: ${CAPPED.what}`);
    // Closed: the count is what shows; the lines are a click away.
    expect(en.querySelector('details')!.open).toBe(false);
    document.body.innerHTML = '';
    const zh = await notice([CAPPED], 'zh-CN');
    expect(zh.querySelector('summary')!.textContent).toBe('模型数值警告 1 条：结果可能不准确');
    expect(zh.querySelector('li')!.textContent).toBe(`洪水演算 · reach R003: ${CAPPED.what}`);
  });

  it('shows markup in an id or message as text, never as elements', async () => {
    const root = await notice([{ model: 'fire', where: '<img src=x onerror="window.hit=1">', what: '<b>bold</b> & <script>window.hit=2</script>' }], 'en');
    expect(root.querySelector('img, b, script')).toBeNull();
    expect(root.querySelector('li')!.textContent).toBe('fire · <img src=x onerror="window.hit=1">: <b>bold</b> & <script>window.hit=2</script>');
    expect((window as { hit?: number }).hit).toBeUndefined();
  });

  it('is empty without warnings; opened, it lists every one', async () => {
    expect((await notice([], 'en')).querySelector('details')).toBeNull();
    document.body.innerHTML = '';
    const many = await notice(Array.from({ length: 4 }, (_, k) => ({ ...CAPPED, where: `reach R00${k}` })), 'en');
    (many.querySelector('summary') as HTMLElement).click();
    expect(many.querySelector('details')!.open).toBe(true);
    expect([...many.querySelectorAll('li')].map((li) => li.textContent!.split(':')[0])).toEqual(['flood · reach R000', 'flood · reach R001', 'flood · reach R002', 'flood · reach R003']);
  });

  it('the app shows the worker\'s run warnings in the scenario tab', async () => {
    const app = document.createElement('sandtable-app');
    document.body.append(app);
    const root = app.shadowRoot!;
    await until(() => (root.querySelector('.status')?.textContent?.includes('·') ? true : undefined), 'the scenario to be computed', 90_000);
    const shown = await until(() => root.querySelector('model-warnings-notice')?.shadowRoot?.querySelector('summary') ?? undefined, 'the notice');
    const count = Number(/(\d+)/.exec(shown.textContent!)![1]);
    expect(count).toBeGreaterThan(0);
    const lines = [...root.querySelector('model-warnings-notice')!.shadowRoot!.querySelectorAll('li')].map((li) => li.textContent);
    expect(lines).toHaveLength(count);
    expect(lines.some((l) => /^洪水演算 · network: outflow fell below zero at \d+ reach-steps/.test(l!))).toBe(true);
    // Screens as a trainer sees the notice opened, zh and en at the two sizes trainers use.
    const noticeEl = root.querySelector('model-warnings-notice')!;
    (shown as HTMLElement).click();
    await trainerScreens(app as HTMLElement & { updateComplete: Promise<unknown> }, 'model-warnings', { beforeShot: () => noticeEl.scrollIntoView({ block: 'start' }) });
  }, 120_000);
});
