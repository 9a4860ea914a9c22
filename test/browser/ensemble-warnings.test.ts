// The model warnings notice on an ensemble (web/components/ensemble-panel.ts passes it the members'
// warnings, manifest.json's model_warnings): each place says in how many of the members it arose and
// the first of them, in the UI's language around the models' own text, every value escaped; the
// places past the manifest's cap are counted. The app's own runs and folders are checked in
// ensemble.test.ts and ensemble-grid.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import '../../web/components/ensemble-panel.ts';
import type { EnsemblePanel } from '../../web/components/ensemble-panel.ts';
import type { EnsembleWarning } from '../../models/ensemble/member-warnings.ts';
import type { EnsembleView } from '../../models/ensemble/open-products.ts';

afterEach(() => { document.body.innerHTML = ''; });

const DIPS: EnsembleWarning = { model: 'flood', where: 'reach R089', what: 'split into 38 sub-reaches, as many as stability allows', members: 3, first_member: 2 };

async function panelWith(warnings: EnsembleWarning[], leftOut: number, lang: 'zh-CN' | 'en'): Promise<ShadowRoot> {
  const panel = document.createElement('ensemble-panel') as EnsemblePanel;
  const view: EnsembleView = { scenario: 'storm', seed: 7, members: 12, goodMembers: 12, items: [], districts: [], gauges: [], modelWarnings: { warnings, left_out: leftOut } };
  Object.assign(panel, { view, lang, layers: ['depth'], layer: 'depth' });
  document.body.append(panel);
  await panel.updateComplete;
  const notice = panel.shadowRoot!.querySelector('model-warnings-notice')!;
  await notice.updateComplete;
  return notice.shadowRoot!;
}

describe('an ensemble\'s model warnings', () => {
  it('say in how many members each arose and the first, in English and in Chinese', async () => {
    const en = await panelWith([DIPS], 0, 'en');
    expect(en.querySelector('summary')!.textContent).toBe('1 model warnings: the results may be inexact');
    expect(en.querySelector('li')!.textContent).toBe(`flood · reach R089: ${DIPS.what} (in 3 of 12 members; first: member 2)`);
    expect(en.querySelector('p')!.textContent).toContain('as sandtable ensemble records them in manifest.json');
    document.body.innerHTML = '';
    const zh = await panelWith([DIPS], 0, 'zh-CN');
    expect(zh.querySelector('li')!.textContent).toBe(`洪水演算 · 河段 R089: ${DIPS.what} （12 个成员中 3 个出现；首见于成员 2）`);
  });

  it('show markup in a place or message as text, and count the places the manifest left out', async () => {
    const hostile: EnsembleWarning = { model: 'fire', where: '<img src=x onerror="window.ensHit=1">', what: '<b>b</b> & <script>window.ensHit=2</script>', members: 1, first_member: 0 };
    const root = await panelWith([hostile], 7, 'en');
    expect(root.querySelector('img, b, script')).toBeNull();
    expect(root.querySelector('li')!.textContent).toBe('fire · <img src=x onerror="window.ensHit=1">: <b>b</b> & <script>window.ensHit=2</script> (in 1 of 12 members; first: member 0)');
    expect((window as { ensHit?: number }).ensHit).toBeUndefined();
    expect([...root.querySelectorAll('p')].at(-1)!.textContent).toBe('… and 7 more places, past the number manifest.json lists.');
  });

  it('are not shown for an ensemble without any', async () => {
    expect((await panelWith([], 0, 'en')).querySelector('details')).toBeNull();
  });
});
