// The run panel's notice of the models' warnings (web/components/model-warnings-notice.ts): shown
// when a run has any, each line in the UI's language by its code, every value escaped; the true
// warnings lead and the information (sub-steps that met their bound) is folded below them; and the
// worker's run carries them to the page (the shipped storm: 35 sub-steps as information; reaches
// that may dip and outflow below zero as warnings).
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
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
const lineText = (li: Element) => (li.querySelector(':scope > .line') ?? li).textContent;
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
    const group = many.querySelector('li.group')!;
    const toggle = group.querySelector('button.places-toggle') as HTMLButtonElement;
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(group.querySelector('ul.places')!.checkVisibility()).toBe(false);
    toggle.click();
    await until(() => (toggle.getAttribute('aria-expanded') === 'true' ? true : undefined), 'the reaches to open');
    expect(group.querySelector('ul.places')!.checkVisibility()).toBe(true);
    expect([...group.querySelectorAll('ul.places > li')].map((li) => li.textContent)).toEqual(
      [0, 1, 2, 3].map((k) => `reach R00${k}: C − D > 1 at its highest flow even unsplit: stable only for steps ≤ ${11 + k} s, routed with 36 s (100 sub-steps, the cap), so its outflow may oscillate; lengthen or merge the reach, or route with a shorter dt_s`));
    document.body.innerHTML = '';
    const zh = await notice([CAPPED, { ...CAPPED, where: 'reach R009' }], 'zh-CN');
    // Lines alike in every number: the group says them once.
    expect(warningLines(zh)).toEqual([`洪水演算 · 2 个河段: ${lineText(zh.querySelectorAll('ul.places > li')[0])!.replace(/^河段 R003: /, '')}`]);
    document.body.innerHTML = '';
    const hostile = await notice([{ ...CAPPED, where: 'reach <img src=x onerror="window.hit=3">' }, CAPPED], 'en');
    (hostile.querySelector('li.group button.places-toggle') as HTMLElement).click();
    await (hostile.host as ModelWarningsNotice).updateComplete;
    expect(hostile.querySelector('img')).toBeNull();
    expect(hostile.querySelector('ul.places > li')!.textContent).toMatch(/^reach <img src=x onerror="window.hit=3">: C − D > 1/);
    expect((window as { hit?: number }).hit).toBeUndefined();
  });

  it('a group\'s places open from a button a trainer can hit and see: labelled, sized, ringed when focused, Enter and Space', async () => {
    const warnings = Array.from({ length: 3 }, (_, k) => ({ ...CAPPED, where: `reach R00${k}` }));
    for (const lang of ['zh-CN', 'en'] as const) {
      document.body.innerHTML = '';
      const root = await notice(warnings, lang);
      (root.querySelector('details.warnings') as HTMLDetailsElement).open = true;
      await (root.host as ModelWarningsNotice).updateComplete;
      const toggle = root.querySelector('li.group button.places-toggle') as HTMLButtonElement;
      const places = root.querySelector('li.group ul.places')!;
      // Named by its words in the UI's language (the ▸ is drawn, not read); it says what it opens.
      expect(toggle.textContent).toBe(lang === 'zh-CN' ? '▸各处详情' : '▸Each place');
      expect(toggle.querySelector('.marker')!.getAttribute('aria-hidden')).toBe('true');
      expect(toggle.getAttribute('aria-controls')).toBe(places.id);
      expect(toggle.getAttribute('aria-expanded')).toBe('false');
      // A target, not a glyph: at least 32 px high (WCAG 2.2 SC 2.5.8 asks 24 × 24) at the notice's small type.
      const box = toggle.getBoundingClientRect();
      expect(box.height).toBeGreaterThanOrEqual(32);
      expect(box.width).toBeGreaterThanOrEqual(44);
      // From the keyboard: Tab reaches it (after the notice's own summary), the ring shows, Enter opens, Space closes.
      (root.querySelector('details.warnings > summary') as HTMLElement).focus();
      await userEvent.tab();
      expect(root.activeElement).toBe(toggle);
      expect(toggle.matches(':focus-visible')).toBe(true);
      const ring = getComputedStyle(toggle);
      expect([ring.outlineStyle, ring.outlineWidth, ring.outlineColor]).toEqual(['solid', '3px', 'rgb(31, 95, 168)']);
      await userEvent.keyboard('{Enter}');
      await until(() => (toggle.getAttribute('aria-expanded') === 'true' ? true : undefined), 'Enter to open the places');
      expect(places.checkVisibility()).toBe(true);
      expect(toggle.textContent).toBe(lang === 'zh-CN' ? '▾各处详情' : '▾Each place');
      expect(places.querySelectorAll('li')).toHaveLength(3);
      await userEvent.keyboard(' ');
      await until(() => (toggle.getAttribute('aria-expanded') === 'false' ? true : undefined), 'Space to close the places');
      expect(places.checkVisibility()).toBe(false);
      expect(root.activeElement).toBe(toggle);
    }
  });

  it('an ensemble\'s lines stay one a place: each carries its own member count', async () => {
    const el = document.createElement('model-warnings-notice') as ModelWarningsNotice;
    Object.assign(el, { lang: 'en', members: 12, warnings: [{ ...CAPPED, members: 3, first_member: 2 }, { ...CAPPED, where: 'reach R009', members: 5, first_member: 0 }] });
    document.body.append(el);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('li.group, button.places-toggle')).toBeNull();
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
    // And the reaches that may dip opened from the keyboard, the button's focus ring on show.
    const dips = shadow.querySelector('li[data-code="flood.channel_low_flow_dip"] button.places-toggle') as HTMLButtonElement;
    dips.focus();
    await userEvent.keyboard('{Enter}');
    await until(() => (dips.getAttribute('aria-expanded') === 'true' ? true : undefined), 'the reaches to open');
    await trainerScreens(app as HTMLElement & { updateComplete: Promise<unknown> }, 'model-warnings-places', { beforeShot: () => dips.scrollIntoView({ block: 'center' }) });
    expect(dips.matches(':focus-visible')).toBe(true);
  }, 120_000);
});
