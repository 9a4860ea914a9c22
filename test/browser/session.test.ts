// A drill you can trust (issue 17 items 4, 6, 8): a typo in a decision is refused where it is typed
// and decisions are corrected or withdrawn, never lost; the session survives a reload and is never
// discarded without asking; an MSEL import keeps what already happened; the clock never runs over
// a run that is not there.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import '../../web/app.ts';
import type { SandtableApp } from '../../web/app.ts';
import { SCHEMA, SessionStore } from '../../web/session-store.ts';
import { until } from './until.ts';

interface Decision { id: string; t_s: number; role: string; text: string; action?: { type: string; areas?: string[] }; withdrawn?: { t_s: number; by: string; at: string; replaced_by?: string }; corrects?: string }
interface Internals {
  injects: { id: string; title: string }[];
  delivered: Map<string, number>;
  cancelled: Map<string, number>;
  decisions: Decision[];
  ratings: Map<string, { rating: string | null; notes: string }>;
  result?: { run: { delivered: { id: string }[] } };
  clockSnapshot: { state: string; timeS: number };
  computing: boolean;
  record(): { decisions: Decision[]; whatifs?: { t_s: number; settings: unknown; outcomes: { key: string }[] }[] };
}

afterEach(async () => {
  document.body.innerHTML = '';
  vi.restoreAllMocks();
  await page.viewport(1440, 900);
});

async function screen(name: string): Promise<void> {
  await new Promise((r) => setTimeout(r, 300));
  await page.screenshot({ path: `../../test-results/screens/${name}.png` });
}

/** The same view at 1440×900 and 1024×768. */
async function screens(name: string): Promise<void> {
  await screen(`${name}-1440`);
  await page.viewport(1024, 768);
  await screen(`${name}-1024`);
  await page.viewport(1440, 900);
}

function mount(): SandtableApp {
  const app = document.createElement('sandtable-app');
  document.body.append(app);
  return app;
}

const $ = <T extends Element>(app: SandtableApp, selector: string) => app.shadowRoot!.querySelector(selector) as T | null;
const status = (app: SandtableApp) => $(app, '.status')?.textContent ?? '';
const computed = (app: SandtableApp) => (status(app).includes('·') ? true : undefined);

async function settle(app: SandtableApp): Promise<void> {
  for (let k = 0; k < 3; k++) {
    await app.updateComplete;
    for (const tag of ['aar-panel', 'inject-list', 'timeline-bar']) await (app.shadowRoot!.querySelector(tag) as SandtableApp | null)?.updateComplete;
  }
}

async function tab(app: SandtableApp, k: number): Promise<void> {
  (app.shadowRoot!.querySelectorAll('.tabs button')[k] as HTMLButtonElement).click();
  await settle(app);
}

async function language(app: SandtableApp): Promise<void> {
  ($(app, 'header button.lang-toggle') as HTMLButtonElement).click();
  await settle(app);
}

/** The decision form of the AAR tab. */
function decisions(app: SandtableApp) {
  const root = () => $(app, 'aar-panel')!.shadowRoot!;
  const form = () => root().querySelector('form')!;
  const set = async (name: string, value: string) => {
    const field = form().elements.namedItem(name) as HTMLInputElement;
    field.value = value;
    field.dispatchEvent(new Event(field.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true, composed: true }));
    await settle(app);
  };
  const submit = async () => { form().requestSubmit(); await settle(app); };
  const rowButton = async (id: string, cls: string) => {
    (root().querySelector(`tr[data-decision=${id}] button.${cls}`) as HTMLButtonElement).click();
    await settle(app);
  };
  return { root, form, set, submit, rowButton, problems: () => root().querySelector('.problems')?.textContent ?? '' };
}

async function clockCommand(app: SandtableApp, detail: unknown): Promise<void> {
  $(app, 'timeline-bar')!.dispatchEvent(new CustomEvent('clock-command', { detail, bubbles: true, composed: true }));
  await settle(app);
}

describe('decisions are checked when entered, and corrected or withdrawn, never lost (item 4)', () => {
  it('evacuating "nowhere" is refused beside the field with the CLI\'s message; a logged decision is corrected, withdrawn, and the record replays', async () => {
    const app = mount();
    const internals = app as unknown as Internals;
    await until(() => computed(app), 'the scenario to be computed', 90_000);
    const base = internals.result;
    await tab(app, 3);
    const d = decisions(app);
    await d.set('text', '疏散北碚');
    await d.set('actionType', 'evacuation');
    await d.set('action', '{"type":"evacuation","areas":["nowhere"]}');
    await d.submit();
    expect(d.problems()).toContain('决策未记录');
    expect(d.problems()).toContain('error: decision D1.action.areas[0]: names no district of the region (got "nowhere", expected one of yuzhong, jiangbei, nanan, shapingba, jiulongpo, dadukou, yubei, banan, beibei)');
    expect(internals.decisions).toEqual([]);
    expect(internals.computing).toBe(false);
    expect(internals.result).toBe(base); // nothing ran: later runs cannot be poisoned
    expect((d.form().elements.namedItem('text') as HTMLInputElement).value).toBe('疏散北碚'); // the draft stays
    await screens('session-1-decision-refused-zh');

    // Fixed, it is logged and acts.
    await d.set('action', '{"type":"evacuation","areas":["beibei"]}');
    await d.submit();
    expect(d.problems()).toBe('');
    expect(internals.decisions.map((x) => x.id)).toEqual(['D1']);
    await until(() => (computed(app) && internals.result !== base ? true : undefined), 'the run with D1', 90_000);
    expect(internals.result!.run.delivered.map((x) => x.id)).toContain('DEC-D1');

    // Corrected: D1 stays, withdrawn and replaced by D2 at D1's time; the run acts on D2 only.
    await d.rowButton('D1', 'correct');
    expect(d.root().querySelector('.correcting')!.textContent).toContain('更正决策 D1');
    expect((d.form().elements.namedItem('action') as HTMLTextAreaElement).value).toBe('{"type":"evacuation","areas":["beibei"]}');
    await d.set('action', '{"type":"evacuation","areas":["yubei"]}');
    await d.submit();
    const [d1, d2] = internals.decisions;
    expect(d1.withdrawn).toMatchObject({ t_s: 0, replaced_by: 'D2' });
    expect(typeof d1.withdrawn!.by).toBe('string');
    expect(d2).toMatchObject({ id: 'D2', t_s: d1.t_s, corrects: 'D1', action: { type: 'evacuation', areas: ['yubei'] } });
    await until(() => (computed(app) && internals.result!.run.delivered.some((x) => x.id === 'DEC-D2') ? true : undefined), 'the run with D2', 90_000);
    expect(internals.result!.run.delivered.map((x) => x.id)).not.toContain('DEC-D1');
    expect(d.root().querySelector('tr[data-decision=D1]')!.classList.contains('withdrawn')).toBe(true);
    expect(d.root().querySelector('tr[data-decision=D1] .withdrawal')!.textContent).toContain('已被更正为 D2');

    // Withdrawn: D2 stops acting and stays in the record with who and when.
    await clockCommand(app, { command: 'seek', timeS: 7200 });
    await d.rowButton('D2', 'withdraw');
    expect(internals.decisions[1].withdrawn).toMatchObject({ t_s: 7200 });
    await until(() => (computed(app) && !internals.result!.run.delivered.some((x) => x.id.startsWith('DEC-')) ? true : undefined), 'the run without decisions', 90_000);
    expect(d.root().querySelector('tr[data-decision=D2] .withdrawal')!.textContent).toContain('已撤回 · T+2:00');
    expect(d.root().querySelectorAll('button.withdraw')).toHaveLength(0);
    await screens('session-2-decisions-corrected-withdrawn-zh');
    await language(app);
    await screens('session-2-decisions-corrected-withdrawn-en');

    // The record keeps both, withdrawn, and replays exactly (without asking: it is this session's work).
    const record = internals.record();
    expect(record.decisions.map((x) => [x.id, x.withdrawn?.t_s])).toEqual([['D1', 0], ['D2', 7200]]);
    $(app, 'aar-panel')!.dispatchEvent(new CustomEvent('aar-import', { detail: { text: JSON.stringify(record), fileName: 'aar.json' }, bubbles: true, composed: true }));
    const panel = $(app, 'aar-panel')!;
    await until(() => panel.shadowRoot!.querySelector('.replay'), 'the replay verdict', 90_000);
    expect(panel.shadowRoot!.querySelector('.replay')!.classList.contains('ok')).toBe(true);
    expect($(app, '.confirm')).toBeNull();
  }, 300_000);
});

/** The trainer's manual work both session tests start from: at T+10 h, I6 delivered and I3 cancelled. */
async function deliverI6CancelI3(app: SandtableApp): Promise<HTMLElement> {
  await until(() => computed(app), 'the scenario to be computed', 90_000);
  await clockCommand(app, { command: 'seek', timeS: 10 * 3600 });
  await tab(app, 2);
  const list = $<HTMLElement>(app, 'inject-list')!;
  list.dispatchEvent(new CustomEvent('inject-command', { detail: { command: 'deliver', id: 'I6' }, bubbles: true, composed: true }));
  list.dispatchEvent(new CustomEvent('inject-command', { detail: { command: 'cancel', id: 'I3' }, bubbles: true, composed: true }));
  return list;
}

describe('the session is saved in the browser and never discarded without asking (item 6)', () => {
  it('a reload restores deliveries, cancellations, MSEL edits, decisions, ratings and the clock', async () => {
    let app = mount();
    let internals = app as unknown as Internals;
    const list = await deliverI6CancelI3(app);
    list.dispatchEvent(new CustomEvent('inject-save', { detail: { inject: { id: 'X9', title: 'Shelter check', kind: 'information', trigger: { type: 'manual' } } }, bubbles: true, composed: true, cancelable: true }));
    await tab(app, 3);
    const panel = $(app, 'aar-panel')!;
    panel.dispatchEvent(new CustomEvent('decision-add', { detail: { role: 'Duty officer', text: 'Close the Yuzhong underpasses' }, bubbles: true, composed: true, cancelable: true }));
    panel.dispatchEvent(new CustomEvent('rating-change', { detail: { id: 'O2 waterlogging response', rating: 'S', notes: 'late' }, bubbles: true, composed: true }));
    await settle(app);
    await until(() => (computed(app) ? true : undefined), 'the recomputation with I6', 90_000).catch((e) => { throw new Error(`${e.message}: status "${status(app)}", ${$(app, '.run-problem')?.textContent}`); });
    await clockCommand(app, { command: 'seek', timeS: 12 * 3600 });
    // A what-if at T+12: the record must list it after the reload too.
    await tab(app, 4);
    const whatIfShadow = () => $(app, 'whatif-panel')!.shadowRoot!;
    (whatIfShadow().querySelector('button.run') as HTMLButtonElement).click();
    await until(() => internals.record().whatifs?.length === 1 || undefined, 'the what-if', 90_000);
    const whatIfBefore = internals.record().whatifs!;
    const store = new SessionStore();
    const session = await (async () => {
      for (let k = 0; k < 100; k++) {
        const s = await store.load();
        if (s?.clockS === 12 * 3600 && s.decisions.length === 1 && s.whatifs?.length === 1) return s;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the session was not saved');
    })();
    expect(session.schema).toBe(SCHEMA);

    // "Reload": a new page finds it and opens it as it was left.
    document.body.innerHTML = '';
    app = mount();
    internals = app as unknown as Internals;
    await until(() => (internals.decisions?.length === 1 ? true : undefined), 'the session to be restored');
    expect([...internals.delivered]).toEqual([['I6', 36000]]);
    expect([...internals.cancelled]).toEqual([['I3', 36000]]);
    expect(internals.decisions[0]).toMatchObject({ id: 'D1', t_s: 36000, text: 'Close the Yuzhong underpasses' });
    expect(internals.ratings.get('O2 waterlogging response')).toMatchObject({ rating: 'S', notes: 'late' });
    expect(internals.injects.map((i) => i.id)).toEqual(['I1', 'I2', 'I3', 'I4', 'I5', 'I6', 'I7', 'X9']);
    expect(internals.clockSnapshot.timeS).toBe(12 * 3600);
    expect(internals.clockSnapshot.state).not.toBe('running');
    await until(() => computed(app), 'the restored session to be computed', 90_000);
    expect(internals.result!.run.delivered.map((x) => x.id)).toContain('I6');
    expect($(app, '.session-notice')!.textContent).toContain('已恢复本浏览器中保存的演练');
    // The what-if is back: in the record as it was, and listed on the what-if tab.
    expect(internals.record().whatifs).toEqual(whatIfBefore);
    expect(whatIfBefore[0]).toMatchObject({ t_s: 12 * 3600, settings: { rain_factor: 1.5 } });
    await tab(app, 4);
    await ($(app, 'whatif-panel') as SandtableApp).updateComplete;
    const listed = [...$(app, 'whatif-panel')!.shadowRoot!.querySelectorAll('table.history tbody tr')].map((r) => r.textContent!);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toContain('T+12:00');
    expect(listed[0]).toContain('雨量倍数 ×1.5');
    expect(listed[0]).toContain('淹没网格内人口');
    await screens('session-3-restored-zh');

    // A session of another schema is not misread: the app starts afresh (and leaves it alone).
    document.body.innerHTML = '';
    await store.putRaw({ ...session, schema: 'sandtable.session/0' });
    app = mount();
    internals = app as unknown as Internals;
    await until(() => computed(app), 'the fresh scenario', 90_000);
    expect(internals.decisions).toEqual([]);
    expect($(app, '.session-notice')).toBeNull();
  }, 300_000);

  it('switching scenario asks first, in the UI language; keeping leaves everything as it was', async () => {
    const app = mount();
    const internals = app as unknown as Internals;
    await until(() => computed(app), 'the scenario to be computed', 90_000);
    const confirmSpy = vi.spyOn(window, 'confirm');
    await tab(app, 3);
    $(app, 'aar-panel')!.dispatchEvent(new CustomEvent('decision-add', { detail: { role: 'Trainer', text: 'Open shelters' }, bubbles: true, composed: true, cancelable: true }));
    await settle(app);
    const select = $<HTMLSelectElement>(app, 'select.scenario-title')!;
    select.value = '3';
    select.dispatchEvent(new Event('change'));
    await settle(app);
    const dialog = await until(() => $(app, '.confirm[role=alertdialog]'), 'the question');
    expect(dialog.querySelector('h2')!.textContent).toBe('切换情景将丢弃当前演练记录');
    expect(dialog.textContent).toContain('决策 1 条');
    await screens('session-4-discard-question-zh');
    (dialog.querySelector('button.keep') as HTMLButtonElement).click();
    await settle(app);
    expect($(app, '.confirm')).toBeNull();
    expect(internals.decisions).toHaveLength(1);
    expect(select.value).toBe('0');
    expect(status(app)).toContain('·'); // nothing recomputed

    await language(app);
    select.value = '3';
    select.dispatchEvent(new Event('change'));
    await settle(app);
    expect($(app, '.confirm h2')!.textContent).toBe('Switching scenario discards this exercise\'s work');
    await screens('session-4-discard-question-en');
    ($(app, '.confirm button.discard') as HTMLButtonElement).click();
    await settle(app);
    expect(internals.decisions).toEqual([]);
    await until(() => computed(app), 'the fire scenario', 90_000);
    expect(confirmSpy).not.toHaveBeenCalled();
  }, 300_000);

  it('an MSEL CSV import merges by inject id: deliveries and cancellations stay, the change is reported; losing one is asked', async () => {
    const app = mount();
    const internals = app as unknown as Internals;
    const list = await deliverI6CancelI3(app);
    await settle(app);
    const { injectsToCsv } = await import('../../models/scenario/injects.ts');
    const msel = injectsToCsv(internals.injects as never);
    const edited = msel.replace('Rainstorm orange signal', 'Rainstorm orange signal (revised)')
      + 'X1,9,manual,,,,,Shelter check,,Trainer,Duty officer,information,,,on-hold,\r\n';
    list.dispatchEvent(new CustomEvent('msel-import', { detail: { text: edited, fileName: 'msel.csv' }, bubbles: true, composed: true }));
    await settle(app);
    expect([...internals.delivered]).toEqual([['I6', 36000]]);
    expect([...internals.cancelled]).toEqual([['I3', 36000]]);
    expect(internals.injects.map((i) => i.id)).toEqual(['I1', 'I2', 'I3', 'I4', 'I5', 'I6', 'I7', 'X1']);
    expect($(app, '.msel-notice')!.textContent).toContain('已导入 msel.csv：新增 1 (X1)，修改 1 (I2)，删除 0；保留下达/取消记录 2 条');
    await screens('session-5-msel-merged-zh');

    // A CSV without I6 (delivered) would lose its delivery: the app asks; keeping changes nothing.
    const withoutI6 = msel.split('\r\n').filter((l) => !l.startsWith('I6,')).join('\r\n');
    list.dispatchEvent(new CustomEvent('msel-import', { detail: { text: withoutI6, fileName: 'msel-no-i6.csv' }, bubbles: true, composed: true }));
    const dialog = await until(() => $(app, '.confirm[role=alertdialog]'), 'the question');
    expect(dialog.textContent).toContain('I6 已下达或已取消，但不在导入的 CSV 中');
    await screens('session-6-import-loses-question-zh');
    (dialog.querySelector('button.keep') as HTMLButtonElement).click();
    await settle(app);
    expect(internals.injects.map((i) => i.id)).toContain('I6');
    expect([...internals.delivered]).toEqual([['I6', 36000]]);
  }, 300_000);
});

describe('the clock never runs over a run that is not there (item 8)', () => {
  it('play waits for the first run; a recomputation stops the clock, says so over the map, and the clock runs on after', async () => {
    const app = mount();
    const internals = app as unknown as Internals;
    await settle(app);
    const play = () => $(app, 'timeline-bar')!.shadowRoot!.querySelector('button.primary') as HTMLButtonElement;
    expect($(app, '.run-banner.computing')!.textContent).toContain('正在计算情景');
    expect(play().disabled).toBe(true);
    expect($(app, 'timeline-bar')!.shadowRoot!.querySelector('.hold')!.textContent).toBe('等待计算完成');
    expect($(app, '.run-banner small')!.textContent).toBe('计算完成前时钟不能运行');
    await clockCommand(app, { command: 'play' });
    await new Promise((r) => setTimeout(r, 300));
    expect(internals.clockSnapshot).toMatchObject({ state: 'ready', timeS: 0 });
    await screens('session-7-computing-zh');

    await until(() => computed(app), 'the scenario to be computed', 90_000);
    await settle(app);
    expect($(app, '.run-banner')).toBeNull();
    expect($(app, '.status.ready')).not.toBeNull();
    expect(play().disabled).toBe(false);
    await clockCommand(app, { command: 'speed', speed: 60 });
    await clockCommand(app, { command: 'play' });
    expect(internals.clockSnapshot.state).toBe('running');

    // Delivering the dam release recomputes: the clock stops while the map shows the old run.
    await tab(app, 2);
    $(app, 'inject-list')!.dispatchEvent(new CustomEvent('inject-command', { detail: { command: 'deliver', id: 'I6' }, bubbles: true, composed: true }));
    await settle(app);
    expect(internals.computing).toBe(true);
    expect(internals.clockSnapshot.state).toBe('paused');
    const held = internals.clockSnapshot.timeS;
    expect($(app, '.run-banner.recomputing')!.textContent).toContain('正在重新计算：地图仍为上一次结果');
    expect($(app, '.status.recomputing')).not.toBeNull();
    expect($(app, '.map.not-ready')).not.toBeNull();
    await new Promise((r) => setTimeout(r, 400));
    expect(internals.clockSnapshot.timeS).toBe(held);
    await screens('session-8-recomputing-zh');
    await language(app);
    expect($(app, '.run-banner')!.textContent).toContain('Recomputing: the map shows the previous run');
    await screens('session-8-recomputing-en');
    await until(() => (internals.computing ? undefined : true), 'the recomputation', 90_000);
    await settle(app);
    expect(internals.clockSnapshot.state).toBe('running');
    await clockCommand(app, { command: 'pause' });
  }, 300_000);
});
