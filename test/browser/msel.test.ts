// The trainer's work in the MSEL must never be lost or corrupted (issue 17): delivering or
// cancelling never opens an inject for editing, the form never carries one inject's values into
// another, CAP downloads work, and an error leaves with its cause.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import '../../web/app.ts';
import type { SandtableApp } from '../../web/app.ts';
import { until } from './until.ts';

interface Internals {
  injects: { id: string; sequence: number; trigger: { type: string; t_s?: number }; from: string; to: string; state: string; action?: { type: string } }[];
  delivered: Map<string, number>;
}

afterEach(() => {
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

async function screen(name: string): Promise<void> {
  await new Promise((r) => setTimeout(r, 300));
  await page.screenshot({ path: `../../test-results/screens/${name}.png` });
}

function mount(): SandtableApp {
  const app = document.createElement('sandtable-app');
  document.body.append(app);
  return app;
}

const status = (app: SandtableApp) => app.shadowRoot!.querySelector('.status')?.textContent ?? '';
const computed = (app: SandtableApp) => (status(app).includes('·') ? true : undefined);

async function settle(app: SandtableApp): Promise<void> {
  for (let k = 0; k < 3; k++) {
    await app.updateComplete;
    const list = app.shadowRoot!.querySelector('inject-list');
    await list?.updateComplete;
    await list?.shadowRoot!.querySelector('inject-form')?.updateComplete;
  }
}

async function seek(app: SandtableApp, hours: number): Promise<void> {
  const slider = app.shadowRoot!.querySelector('timeline-bar')!.shadowRoot!.querySelector('input[type=range]') as HTMLInputElement;
  slider.value = String(hours * 3600);
  slider.dispatchEvent(new Event('change'));
  await settle(app);
}

async function openMsel(app: SandtableApp) {
  (app.shadowRoot!.querySelectorAll('.tabs button')[2] as HTMLButtonElement).click();
  await settle(app);
  const list = app.shadowRoot!.querySelector('inject-list')!;
  const root = () => list.shadowRoot!;
  // The editor is its own component inside the list (or, before issue 17, the list's own form).
  const form = () => (root().querySelector('inject-form')?.shadowRoot ?? root()).querySelector('form')!;
  const field = (name: string) => form().elements.namedItem(name) as HTMLInputElement;
  const type = async (name: string, value: string) => {
    const input = field(name);
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    input.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
    await settle(app);
  };
  const row = (id: string) => root().querySelector(`tr[data-inject=${id}]`) as HTMLTableRowElement | null;
  const rowByTitle = (title: string) => [...root().querySelectorAll('tbody tr')].find((r) => r.textContent!.includes(title)) as HTMLTableRowElement | undefined;
  const button = async (id: string, label: string) => {
    const b = [...row(id)!.querySelectorAll('button')].find((x) => x.textContent!.trim() === label) as HTMLButtonElement | undefined;
    if (!b) throw new Error(`no ${label} button on ${id}`);
    b.click();
    await settle(app);
  };
  const save = async () => { form().requestSubmit(); await settle(app); };
  return { list, root, form, field, type, row, rowByTitle, button, save, heading: () => form().querySelector('h3')!.textContent!.trim() };
}

describe('MSEL: delivering, adding and editing are separate (issue 17 items 1, 2)', () => {
  it('delivering I6 at T+10 leaves the form empty; a new rain inject is added beside I6, due at T+20 and not delivered', async () => {
    const app = mount();
    const internals = app as unknown as Internals;
    await until(() => computed(app), 'the scenario to be computed', 90_000);
    await seek(app, 10);
    const m = await openMsel(app);
    expect(m.heading()).toBe('新增注入');

    await m.button('I6', '下达');
    expect(m.heading()).toBe('新增注入'); // not "编辑注入 I6"
    expect(m.field('title').value).toBe('');
    expect(m.field('from').value).toBe('');
    expect(m.row('I6')!.classList.contains('editing')).toBe(false);
    // Clicking a row does not open it for editing either.
    m.row('I3')!.click();
    await settle(app);
    expect(m.heading()).toBe('新增注入');

    await m.type('title', 'Cloudburst over Yuzhong');
    await m.type('hours', '20');
    await m.type('kind', 'model-change');
    await m.type('action', '{"type": "rain", "factor": 2, "areas": ["yuzhong"], "duration_s": 10800}');
    await m.save();
    expect(m.form().querySelector('.problems')).toBeNull();

    // I6 is still the dam release, delivered by hand at T+10; the new inject is a separate row.
    const i6 = internals.injects.find((i) => i.id === 'I6')!;
    expect(i6.action!.type).toBe('dam-release');
    expect(m.row('I6')!.textContent).toContain('清溪水库泄洪'); // I6's title_zh
    expect(m.row('I6')!.querySelector('.state')!.textContent).toBe('已下达');
    expect([...internals.delivered.keys()]).toEqual(['I6']);
    const added = internals.injects.find((i) => i.action?.type === 'rain' && i.trigger.t_s === 20 * 3600)!;
    expect(added).toBeDefined();
    expect(added.id).not.toBe('I6');
    expect(added.from).toBe('');
    expect(added.to).toBe('');
    expect(added.sequence).toBe(Math.max(...internals.injects.filter((i) => i !== added).map((i) => i.sequence)) + 1);
    const row = m.rowByTitle('Cloudburst over Yuzhong')!;
    expect(row.querySelector('.due')!.textContent).toBe('T+20:00');
    expect(row.querySelector('.state')!.textContent).toBe('已计划');
    expect(internals.injects).toHaveLength(8);

    // The form is empty again after Add.
    expect(m.heading()).toBe('新增注入');
    expect(['title', 'hours', 'from', 'to', 'action', 'description'].map((f) => m.field(f).value)).toEqual(['', '', '', '', '', '']);
    expect(m.field('kind').value).toBe('information');
    await screen('msel-1-after-deliver-and-add-zh');

    // Cancelling does not open the inject for editing either.
    await m.button('I3', '取消');
    expect(m.heading()).toBe('新增注入');
  }, 240_000);

  it('editing is explicit and starts from the inject itself, never from what was typed before; Save resets the form', async () => {
    const app = mount();
    const internals = app as unknown as Internals;
    await app.updateComplete;
    const m = await openMsel(app);

    // A draft with a time, then the trainer opens manual I7 instead.
    await m.type('title', 'half-typed draft');
    await m.type('hours', '5');
    await m.button('I7', '编辑');
    expect(m.heading()).toBe('编辑注入 I7');
    expect(m.field('hours').value).toBe('');
    expect(m.field('title').value).toBe('Geohazard evacuation decision');
    expect(m.field('from').value).toBe('Geological survey');
    expect(m.row('I7')!.classList.contains('editing')).toBe(true);
    await screen('msel-2-editing-I7-zh');

    // Saved unchanged, I7 stays a manual inject on hold.
    await m.save();
    const i7 = () => internals.injects.find((i) => i.id === 'I7')!;
    expect(i7().trigger).toEqual({ type: 'manual' });
    expect(i7().sequence).toBe(7);
    expect(m.row('I7')!.querySelector('.due')!.textContent).toBe('手动');
    expect(m.row('I7')!.querySelector('.state')!.textContent).toBe('待定');
    expect(m.heading()).toBe('新增注入');
    expect(m.field('title').value).toBe('');
    expect(m.field('hours').value).toBe('');

    // Given a time on purpose, it becomes a scheduled timed inject (not a timed one still on hold).
    await m.button('I7', '编辑');
    await m.type('hours', '5');
    await m.save();
    expect(i7().trigger).toEqual({ type: 'time', t_s: 18000 });
    expect(m.row('I7')!.querySelector('.due')!.textContent).toBe('T+5:00');
    expect(m.row('I7')!.querySelector('.state')!.textContent).toBe('已计划');
    expect(internals.injects.map((i) => i.id)).toEqual(['I1', 'I2', 'I3', 'I4', 'I5', 'I6', 'I7']);

    // Switching from one inject to another shows the other's values; "New instead" leaves editing.
    await m.button('I6', '编辑');
    expect(m.field('hours').value).toBe('44');
    await m.type('hours', '45');
    await m.button('I2', '编辑');
    expect(m.field('hours').value).toBe('37');
    expect(m.field('title').value).toBe('Rainstorm orange signal');
    const leave = [...m.form().querySelectorAll('button')].find((b) => b.textContent!.trim() === '改为新增') as HTMLButtonElement;
    leave.click();
    await settle(app);
    expect(m.heading()).toBe('新增注入');
    expect(m.field('title').value).toBe('');
    expect(internals.injects.find((i) => i.id === 'I6')!.trigger.t_s).toBe(44 * 3600); // 45 was never saved

    // A refused draft stays in the form with the reason beside it; leaving the edit clears both.
    await m.button('I6', '编辑');
    await m.type('action', '{"type": "avalanche"}');
    await m.save();
    expect(m.heading()).toBe('编辑注入 I6');
    expect(m.field('action').value).toBe('{"type": "avalanche"}');
    expect(m.form().querySelector('.problems')!.textContent).toContain('注入未保存');
    expect(m.form().querySelector('.problems')!.textContent).toContain('$.injects[5].action.type');
    await screen('msel-2b-refused-draft-zh');
    ([...m.form().querySelectorAll('button')].find((b) => b.textContent!.trim() === '改为新增') as HTMLButtonElement).click();
    await settle(app);
    expect(m.form().querySelector('.problems')).toBeNull();

    // In English too.
    (app.shadowRoot!.querySelector('header button.lang-toggle') as HTMLButtonElement).click();
    await settle(app);
    await m.button('I6', 'Edit');
    expect(m.heading()).toBe('Edit inject I6');
    await screen('msel-3-editing-I6-en');
  }, 240_000);
});

describe('CAP export (issue 17 item 5)', () => {
  it('downloads the warning as CAP 1.2 XML built in the engine worker', async () => {
    const errors = vi.spyOn(console, 'error');
    const app = mount();
    await until(() => computed(app), 'the scenario to be computed', 90_000);
    await seek(app, 60);
    const feed = app.shadowRoot!.querySelector('warning-feed')!;
    await feed.updateComplete;
    const downloads: { name: string; blob: Blob }[] = [];
    const blobs = new Map<string, Blob>();
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => { const url = `blob:test/${blobs.size}`; blobs.set(url, blob as Blob); return url; });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) { downloads.push({ name: this.download, blob: blobs.get(this.href)! }); });
    const item = feed.shadowRoot!.querySelector('li[data-warning]')!;
    const id = item.getAttribute('data-warning')!;
    (item.querySelector('button.cap') as HTMLButtonElement).click();
    await until(() => (downloads.length ? true : undefined), 'the CAP download', 20_000);
    expect(downloads[0].name).toBe(`${id}.alert.xml`);
    const xml = await downloads[0].blob.text();
    expect(downloads[0].blob.type).toBe('application/xml');
    expect(xml).toContain('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">');
    expect(xml).toContain(`<identifier>sandtable.mountain-city-storm-72h.${id}.alert</identifier>`);
    expect(xml).toContain('<status>Exercise</status>');
    expect(xml).toMatch(/<polygon>[0-9.]+,[0-9.]+ /);
    expect(errors).not.toHaveBeenCalled();
  }, 240_000);
});

describe('errors belong to what they are about (issue 17 item 7)', () => {
  it('a failed run shows as failed, in the UI language, and clears when the cause is fixed or the scenario changes', async () => {
    const app = mount();
    const internals = app as unknown as Internals & { record(): { scenario: { injects: unknown[] } } };
    await until(() => computed(app), 'the scenario to be computed', 90_000);
    // The editor refuses a district that does not exist (item 4): a run that fails comes from a
    // record whose scenario names one, imported as a file.
    const record = internals.record();
    record.scenario.injects.push({ id: 'IX', title: 'Evacuate a district that does not exist', kind: 'model-change', trigger: { type: 'time', t_s: 3600 }, action: { type: 'evacuation', areas: ['nowhere'] } });
    const importRecord = async () => {
      (app.shadowRoot!.querySelectorAll('.tabs button')[3] as HTMLButtonElement).click();
      await settle(app);
      app.shadowRoot!.querySelector('aar-panel')!.dispatchEvent(new CustomEvent('aar-import', { detail: { text: JSON.stringify(record), fileName: 'bad.json' }, bubbles: true, composed: true }));
      await settle(app);
    };
    await importRecord();
    const alert = () => app.shadowRoot!.querySelector('.run-problem') as HTMLElement | null;
    await until(() => alert() ?? undefined, 'the run to fail', 90_000);
    expect(alert()!.textContent).toContain('情景计算失败');
    expect(alert()!.textContent).toContain('error: $.injects[7].action.areas[0]: names no district of the region (got "nowhere"');
    expect(status(app)).not.toContain('情景已计算');
    expect(status(app)).toContain('计算失败');
    await screen('errors-1-run-failed-zh');

    // Fix the cause: the error leaves and the run is computed again.
    const m = await openMsel(app);
    await m.button('IX', '编辑');
    await m.type('action', '{"type": "evacuation", "areas": ["yuzhong"]}');
    await m.save();
    await until(() => (computed(app) && !alert() ? true : undefined), 'the run to succeed', 90_000);
    expect(app.shadowRoot!.querySelector('.problems')).toBeNull();

    // Break it again (the edit is work: the app asks before the import replaces it), then switch
    // scenario: the old scenario's error does not follow.
    await importRecord();
    const discard = await until(() => app.shadowRoot!.querySelector('.confirm button.discard') as HTMLButtonElement | null ?? undefined, 'the discard question');
    discard.click();
    await until(() => alert() ?? undefined, 'the run to fail again', 90_000);
    const select = app.shadowRoot!.querySelector('select.scenario-title') as HTMLSelectElement;
    select.value = '1';
    select.dispatchEvent(new Event('change'));
    await settle(app);
    expect(alert()).toBeNull();
    await until(() => computed(app), 'the other scenario to be computed', 90_000);
    expect(alert()).toBeNull();
  }, 240_000);

  it('a failed import clears the earlier replay verdict and says what failed in the panel, in the UI language', async () => {
    const app = mount();
    await until(() => computed(app), 'the scenario to be computed', 90_000);
    (app.shadowRoot!.querySelectorAll('.tabs button')[3] as HTMLButtonElement).click();
    await app.updateComplete;
    const panel = app.shadowRoot!.querySelector('aar-panel')!;
    const record = JSON.stringify((app as unknown as { record(): unknown }).record());
    panel.dispatchEvent(new CustomEvent('aar-import', { detail: { text: record, fileName: 'aar.json' }, bubbles: true, composed: true }));
    await until(() => (panel.shadowRoot!.querySelector('.replay') ? true : undefined), 'the replay verdict', 90_000);

    panel.dispatchEvent(new CustomEvent('aar-import', { detail: { text: '{"not": "a record"}', fileName: 'broken.json' }, bubbles: true, composed: true }));
    await settle(app);
    await panel.updateComplete;
    expect(panel.shadowRoot!.querySelector('.replay')).toBeNull();
    const problem = await until(() => panel.shadowRoot!.querySelector('.import-problem') ?? undefined, 'the import problem');
    expect(problem.textContent).toContain('导入失败');
    expect(problem.textContent).toContain('broken.json');
    // Nothing piles up at the bottom of the side panel.
    expect(app.shadowRoot!.querySelector('.panel > .problems')).toBeNull();
    await screen('errors-2-import-failed-zh');
    // The next good import clears it.
    panel.dispatchEvent(new CustomEvent('aar-import', { detail: { text: record, fileName: 'aar.json' }, bubbles: true, composed: true }));
    await until(() => (panel.shadowRoot!.querySelector('.replay') ? true : undefined), 'the replay verdict', 90_000);
    expect(panel.shadowRoot!.querySelector('.import-problem')).toBeNull();
  }, 240_000);
});

describe('condition injects and due notices (issue 17 item 3)', () => {
  it('I4 shows as delivered once the model fires it; the trainer is told as injects fall due, and the clock can stop there', async () => {
    const app = mount();
    const internals = app as unknown as { result: { run: { delivered: { id: string; t_s: number }[] } }; clockSnapshot: { state: string; timeS: number } };
    await until(() => computed(app), 'the scenario to be computed', 90_000);
    const m = await openMsel(app);
    const firedS = internals.result.run.delivered.find((d) => d.id === 'I4')!.t_s;
    expect(firedS).toBe(36 * 3600); // "gauge R001 above 30000 m3/s"
    const cell = (id: string, name: string) => m.row(id)!.querySelector(`.${name}`)!.textContent!.trim();

    await seek(app, 30);
    expect(cell('I4', 'state')).toBe('已计划');
    expect(cell('I4', 'due')).toBe('条件触发 · 预计 T+36:00');
    await seek(app, 50);
    expect(cell('I4', 'state')).toBe('已下达');
    expect(cell('I4', 'due')).toBe('T+36:00');
    expect(m.row('I4')!.querySelectorAll('.actions button')).toHaveLength(0); // no Deliver/Cancel after it fired
    // Seeking does not notify: the trainer moved the clock on purpose.
    const alerts = () => [...app.shadowRoot!.querySelectorAll('.due-alerts li')].map((li) => li.getAttribute('data-inject'));
    expect(alerts()).toEqual([]);

    // Stepping over T+36:00 tells the trainer I4 is due, whichever tab is open.
    await seek(app, 35.75);
    (app.shadowRoot!.querySelectorAll('.tabs button')[0] as HTMLButtonElement).click();
    const timeline = app.shadowRoot!.querySelector('timeline-bar')!;
    const command = async (detail: unknown) => {
      timeline.dispatchEvent(new CustomEvent('clock-command', { detail, bubbles: true, composed: true }));
      await settle(app);
    };
    await command({ command: 'step' });
    expect(alerts()).toEqual(['I4']);
    expect(app.shadowRoot!.querySelector('.due-alerts')!.textContent).toContain('大江流量超过警戒流量') // I4's title_zh: the UI speaks Chinese;
    await screen('msel-4-inject-due-zh');
    (app.shadowRoot!.querySelector('.due-alerts button[aria-label]') as HTMLButtonElement).click();
    await settle(app);
    expect(alerts()).toEqual([]);

    // With "pause when due", playing from T+35 stops at T+36:00 with I4 delivered (not at I2, T+37).
    const again = await openMsel(app); // the MSEL tab anew: a new list
    const pause = app.shadowRoot!.querySelector('input[name=pause-on-due]') as HTMLInputElement;
    pause.click();
    await settle(app);
    await seek(app, 35);
    await command({ command: 'speed', speed: 3600 });
    await command({ command: 'play' });
    await until(() => (internals.clockSnapshot.state === 'paused' ? true : undefined), 'the clock to stop at the due inject');
    expect(internals.clockSnapshot.timeS).toBe(36 * 3600);
    expect(alerts()).toEqual(['I4']);
    await settle(app);
    expect(again.row('I4')!.querySelector('.state')!.textContent).toBe('已下达');
    // In English.
    (app.shadowRoot!.querySelector('header button.lang-toggle') as HTMLButtonElement).click();
    await settle(app);
    expect(app.shadowRoot!.querySelector('.due-alerts strong')!.textContent).toBe('Injects due: hand them to the players');
    await screen('msel-5-paused-at-due-inject-en');
  }, 240_000);
});

describe('cancelling (issue 17)', () => {
  it('a model change cancelled before it goes out never acts on the models, nor appears delivered in the record', async () => {
    const app = mount();
    const internals = app as unknown as { result: { run: { delivered: { id: string }[]; gauges: { id: string; peakM3PerS: number }[] } }; record(): { injects_delivered: { id: string }[] } };
    await until(() => computed(app), 'the scenario to be computed', 90_000);
    const before = internals.result;
    expect(before.run.delivered.map((d) => d.id)).toContain('I6');
    await seek(app, 10);
    const m = await openMsel(app);
    await m.button('I6', '取消');
    await until(() => (computed(app) && internals.result !== before ? true : undefined), 'the recomputation', 90_000);
    expect(internals.result.run.delivered.map((d) => d.id)).not.toContain('I6');
    expect(internals.record().injects_delivered.map((d) => d.id)).not.toContain('I6');
    await seek(app, 50);
    expect(m.row('I6')!.querySelector('.state')!.textContent).toBe('已取消');
  }, 240_000);
});

describe('the MSEL checks what it names against the region (issue 17 item 4)', () => {
  it('an inject evacuating "beibie" is refused beside the form with the CLI\'s message; a CSV naming it is not imported', async () => {
    const app = mount();
    const internals = app as unknown as Internals;
    await until(() => computed(app), 'the scenario to be computed', 90_000);
    const before = (app as unknown as { result: unknown }).result;
    const m = await openMsel(app);
    await m.type('title', 'Evacuate Beibei');
    await m.type('hours', '3');
    await m.type('kind', 'model-change');
    await m.type('action', '{"type": "evacuation", "areas": ["beibie"]}');
    await m.save();
    const problems = m.form().querySelector('.problems')!.textContent!;
    expect(problems).toContain('注入未保存');
    expect(problems).toContain('error: $.injects[7].action.areas[0]: names no district of the region (got "beibie", expected one of yuzhong, jiangbei, nanan, shapingba, jiulongpo, dadukou, yubei, banan, beibei)');
    expect(m.field('action').value).toBe('{"type": "evacuation", "areas": ["beibie"]}'); // the draft stays to be fixed
    expect(internals.injects).toHaveLength(7);
    expect((app as unknown as { result: unknown }).result).toBe(before); // nothing recomputed
    m.form().scrollIntoView();
    await screen('msel-6-unknown-district-refused-zh');
    await m.type('action', '{"type": "evacuation", "areas": ["beibei"]}');
    await m.save();
    expect(m.form().querySelector('.problems')).toBeNull();
    expect(internals.injects).toHaveLength(8);

    const { injectsToCsv } = await import('../../models/scenario/injects.ts');
    const csv = injectsToCsv(internals.injects as never).replace('beibei', 'beibie');
    const line = csv.split('\r\n').findIndex((l) => l.includes('beibie')) + 1;
    m.list.dispatchEvent(new CustomEvent('msel-import', { detail: { text: csv, fileName: 'msel.csv' }, bubbles: true, composed: true }));
    await settle(app);
    expect(m.root().querySelector('.problems')!.textContent).toContain(`error: msel.csv:${line} (action.areas[0]): names no district of the region (got "beibie"`);
    expect(internals.injects.at(-1)!.action).toEqual({ type: 'evacuation', areas: ['beibei'] });
  }, 240_000);
});

describe('the form edits an inject\'s texts in both languages, never leaving a stale twin (issue 17)', () => {
  it('shows the Chinese title first in the Chinese console; changing only the English title of I6 is refused, changing both saves both', async () => {
    const app = mount();
    const internals = app as unknown as { injects: { id: string; title: string; title_zh?: string }[] };
    await app.updateComplete;
    const m = await openMsel(app);
    await until(() => m.row('I6') ?? undefined, 'the MSEL');
    await m.button('I6', '编辑');
    const labels = [...m.form().querySelectorAll('label')].map((l) => l.textContent);
    expect(labels.slice(0, 2)).toEqual(['中文标题', '英文标题']);
    expect(m.field('title_zh').value).toBe('清溪水库泄洪');
    await m.type('title', 'Clear Creek Reservoir spills at twice the rate');
    await m.save();
    const i6 = () => internals.injects.find((i) => i.id === 'I6')!;
    // Refused: the Chinese players would still read the old title.
    expect(i6().title).toBe('Clear Creek Reservoir spills');
    expect(m.form().querySelector('.problems')!.textContent).toContain('英文标题已修改，中文标题仍是旧内容');
    expect(m.field('title_zh').getAttribute('aria-invalid')).toBe('true');
    await m.type('title_zh', '清溪水库加倍泄洪');
    await m.save();
    expect({ title: i6().title, title_zh: i6().title_zh }).toEqual({ title: 'Clear Creek Reservoir spills at twice the rate', title_zh: '清溪水库加倍泄洪' });
    expect(m.rowByTitle('清溪水库加倍泄洪')).toBeDefined();
  });
});
