// The run panel's notice of the models' warnings (web/components/model-warnings-notice.ts): shown
// when a run has any, each line in the UI's language by its code, every value escaped; the true
// warnings lead and the information (sub-steps that met their bound) is folded below them; and the
// worker's run carries them to the page (the shipped storm: 35 sub-steps as information; reaches
// that may dip and outflow below zero as warnings).
import { afterEach, describe, expect, it } from 'vitest';
import { trainerScreens } from './trainer-screens.ts';
import '../../web/components/model-warnings-notice.ts';
import '../../web/app.ts';
import type { ModelWarningsNotice } from '../../web/components/model-warnings-notice.ts';
import { modelWarning } from '../../models/scenario/model-warnings.ts';
import type { NoticeWarning } from '../../web/model-warning-text.ts';
import { until } from './until.ts';

afterEach(() => { document.body.innerHTML = ''; });

async function notice(warnings: NoticeWarning[], lang: 'zh-CN' | 'en'): Promise<ShadowRoot> {
  const el = document.createElement('model-warnings-notice') as ModelWarningsNotice;
  el.warnings = warnings;
  el.lang = lang;
  document.body.append(el);
  await el.updateComplete;
  return el.shadowRoot!;
}

const CAPPED = modelWarning('flood', 'reach R003', 'C − D > 1 at its highest flow even unsplit: stable only for steps ≤ 11.2982 s, routed with 36 s (100 sub-steps, the cap), so its outflow may oscillate; lengthen or merge the reach, or route with a shorter dt_s');
const SUBSTEPS = modelWarning('flood', 'network', 'the network was routed in 35 sub-steps of 25.7143 s (inflows interpolated linearly) so that Δt ≤ 2·K·(1−X) in every Muskingum reach and C − D ≤ 1 in every Muskingum–Cunge reach at its highest flow; outflows are reported at dt_s');
const BELOW_ZERO = modelWarning('flood', 'network', 'outflow fell below zero at 1122 reach-steps (minimum -4.17149 m³/s): see the coefficient warnings');
/** A line of the notice: a group's own summary (its places folded below it), or the one warning's line. */
const lineText = (li: Element) => (li.querySelector(':scope > details.group > summary') ?? li).textContent;
/** The lines of the notice's own list (not the folded information's). */
const warningLines = (root: ShadowRoot) => [...root.querySelectorAll('details.warnings > ol > li')].map(lineText);
const infoLines = (root: ShadowRoot) => [...root.querySelectorAll('details.info > ol > li')].map(lineText);
/** How many warnings the notice's own lines stand for (a group counts its places). */
const warningsShown = (root: ShadowRoot) => [...root.querySelectorAll('details.warnings > ol > li')].reduce((n, li) => n + Number((li as HTMLElement).dataset.count), 0);

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
    expect(zh.querySelector('li')!.textContent).toBe('洪水演算 · 河段 R003: 不分段时最大流量下仍有 C − D > 1：仅当步长 ≤ 11.2982 秒时稳定，实际按 36 秒（100 个子时段，已达上限）演算，出流可能振荡；请加长或合并该河段，或缩短 dt_s');
  });

  it('leads with the warnings and folds the information below them, in both languages', async () => {
    const en = await notice([SUBSTEPS, CAPPED, BELOW_ZERO], 'en');
    // The count is of the warnings only: information is no doubt on the results.
    expect(en.querySelector('summary')!.textContent).toBe('2 model warnings: the results may be inexact');
    // What the whole run met first, then the reach-by-reach lines.
    expect(warningLines(en)).toEqual([`flood · network: ${BELOW_ZERO.what}`, `flood · reach R003: ${CAPPED.what}`]);
    const info = en.querySelector('details.warnings details.info') as HTMLDetailsElement;
    expect(info.open).toBe(false);
    expect(info.querySelector('summary')!.textContent).toBe('1 model notes (no loss of accuracy)');
    expect(infoLines(en)).toEqual([`flood · network: ${SUBSTEPS.what}`]);
    document.body.innerHTML = '';
    const zh = await notice([SUBSTEPS, CAPPED, BELOW_ZERO], 'zh-CN');
    expect(zh.querySelector('summary')!.textContent).toBe('模型数值警告 2 条：结果可能不准确');
    expect(warningLines(zh)[0]).toBe('洪水演算 · 河网: 出流在 1122 个河段·时步降至零以下（最小 -4.17149 m³/s）：见各河段的系数警告');
    expect(zh.querySelector('details.info summary')!.textContent).toBe('模型说明 1 条（不影响结果精度）');
    expect(infoLines(zh)).toEqual(['洪水演算 · 河网: 河网按 35 个子时段（每段 25.7143 秒，入流线性插值）演算，使每个马斯京根河段满足 Δt ≤ 2·K·(1−X)、每个马斯京根–康吉河段在最大流量下满足 C − D ≤ 1；出流仍按 dt_s 输出']);
  });

  it('a run with only information does not say its results may be inexact', async () => {
    const root = await notice([SUBSTEPS], 'en');
    expect(root.querySelector('details.warnings')).toBeNull();
    expect(root.textContent).not.toContain('inexact');
    expect(root.querySelector('details.info summary')!.textContent).toBe('1 model notes (no loss of accuracy)');
    // A label says which run (the what-if tab's variant), on the outer summary only.
    const labelled = document.createElement('model-warnings-notice') as ModelWarningsNotice;
    Object.assign(labelled, { warnings: [SUBSTEPS], lang: 'en', label: 'This what-if' });
    document.body.append(labelled);
    await labelled.updateComplete;
    expect(labelled.shadowRoot!.querySelector('summary')!.textContent).toBe('This what-if · 1 model notes (no loss of accuracy)');
    labelled.warnings = [SUBSTEPS, CAPPED];
    await labelled.updateComplete;
    expect([...labelled.shadowRoot!.querySelectorAll('summary')].map((s) => s.textContent)).toEqual(['This what-if · 1 model warnings: the results may be inexact', '1 model notes (no loss of accuracy)']);
  });

  it('shows markup in an id or message as text, never as elements', async () => {
    const root = await notice([{ model: 'fire', where: '<img src=x onerror="window.hit=1">', what: '<b>bold</b> & <script>window.hit=2</script>' }], 'en');
    expect(root.querySelector('img, b, script')).toBeNull();
    expect(root.querySelector('li')!.textContent).toBe('fire · <img src=x onerror="window.hit=1">: <b>bold</b> & <script>window.hit=2</script>');
    expect((window as { hit?: number }).hit).toBeUndefined();
  });

  it('is empty without warnings; one code at many reaches is one line, each reach folded in it', async () => {
    expect((await notice([], 'en')).querySelector('details')).toBeNull();
    document.body.innerHTML = '';
    const many = await notice(Array.from({ length: 4 }, (_, k) => ({ ...CAPPED, where: `reach R00${k}`, params: { ...CAPPED.params, stable_s: 11 + k } })), 'en');
    (many.querySelector('summary') as HTMLElement).click();
    expect(many.querySelector('details')!.open).toBe(true);
    // The count stays of the warnings; the one line says at how many reaches.
    expect(many.querySelector('summary')!.textContent).toBe('4 model warnings: the results may be inexact');
    expect(warningLines(many)).toEqual(['flood · 4 reaches: C − D > 1 at the highest flow even unsplit, routed at the sub-step cap, so the outflow may oscillate; lengthen or merge the reaches, or route with a shorter dt_s']);
    expect(warningsShown(many)).toBe(4);
    const group = many.querySelector('details.group') as HTMLDetailsElement;
    expect(group.open).toBe(false);
    (group.querySelector('summary') as HTMLElement).click();
    await until(() => (group.open ? true : undefined), 'the reaches to open');
    expect([...group.querySelectorAll('ul.places > li')].map((li) => li.textContent)).toEqual(
      [0, 1, 2, 3].map((k) => `reach R00${k}: C − D > 1 at its highest flow even unsplit: stable only for steps ≤ ${11 + k} s, routed with 36 s (100 sub-steps, the cap), so its outflow may oscillate; lengthen or merge the reach, or route with a shorter dt_s`));
    document.body.innerHTML = '';
    const zh = await notice([CAPPED, { ...CAPPED, where: 'reach R009' }], 'zh-CN');
    // Lines alike in every number: the group says them once.
    expect(warningLines(zh)).toEqual([`洪水演算 · 2 个河段: ${lineText(zh.querySelectorAll('ul.places > li')[0])!.replace(/^河段 R003: /, '')}`]);
    document.body.innerHTML = '';
    const hostile = await notice([{ ...CAPPED, where: 'reach <img src=x onerror="window.hit=3">' }, CAPPED], 'en');
    (hostile.querySelector('details.group > summary') as HTMLElement).click();
    expect(hostile.querySelector('img')).toBeNull();
    expect(hostile.querySelector('ul.places > li')!.textContent).toMatch(/^reach <img src=x onerror="window.hit=3">: C − D > 1/);
    expect((window as { hit?: number }).hit).toBeUndefined();
  });

  it('an ensemble\'s lines stay one a place: each carries its own member count', async () => {
    const el = document.createElement('model-warnings-notice') as ModelWarningsNotice;
    Object.assign(el, { lang: 'en', members: 12, warnings: [{ ...CAPPED, members: 3, first_member: 2 }, { ...CAPPED, where: 'reach R009', members: 5, first_member: 0 }] });
    document.body.append(el);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('details.group')).toBeNull();
    expect(warningLines(el.shadowRoot!)).toEqual([`flood · reach R003: ${CAPPED.what} (in 3 of 12 members; first: member 2)`, `flood · reach R009: ${CAPPED.what} (in 5 of 12 members; first: member 0)`]);
  });

  it('the app shows the worker\'s run warnings in the scenario tab', async () => {
    const app = document.createElement('sandtable-app');
    document.body.append(app);
    const root = app.shadowRoot!;
    await until(() => (root.querySelector('.status')?.textContent?.includes('·') ? true : undefined), 'the scenario to be computed', 90_000);
    const shown = await until(() => root.querySelector('model-warnings-notice')?.shadowRoot?.querySelector('summary') ?? undefined, 'the notice');
    const count = Number(/(\d+)/.exec(shown.textContent!)![1]);
    expect(count).toBeGreaterThan(0);
    const shadow = root.querySelector('model-warnings-notice')!.shadowRoot!;
    const lines = warningLines(shadow);
    // Every warning is in one line; the 20 reaches that may dip at low flow are one of them.
    expect(warningsShown(shadow)).toBe(count);
    expect(lines.length).toBeLessThan(count);
    expect(lines).toContain(`洪水演算 · ${shadow.querySelector('li[data-code="flood.channel_low_flow_dip"]')!.getAttribute('data-count')} 个河段: 已拆为稳定条件（最大流量下 C − D ≤ 1）允许的最多子河段；最小流量下 C + D < 1，低流量时出流可能出现不真实的下降`);
    expect(lines.some((l) => /^洪水演算 · 河网: 出流在 \d+ 个河段·时步降至零以下/.test(l!))).toBe(true);
    // The router's sub-steps are folded below, as information.
    expect(lines.some((l) => l!.includes('子时段'))).toBe(false);
    expect(infoLines(shadow)).toEqual([expect.stringMatching(/^洪水演算 · 河网: 河网按 \d+ 个子时段/)]);
    // Screens as a trainer sees the notice opened, zh and en at the two sizes trainers use.
    const noticeEl = root.querySelector('model-warnings-notice')!;
    (shown as HTMLElement).click();
    await trainerScreens(app as HTMLElement & { updateComplete: Promise<unknown> }, 'model-warnings', { beforeShot: () => noticeEl.scrollIntoView({ block: 'start' }) });
  }, 120_000);
});
