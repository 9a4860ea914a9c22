// Land cover other than ESA WorldCover in the "build a region" dialog: the class table editor
// (code → land cover, optional fuel; ESA WorldCover and CORINE presets), checked as the builder
// checks it while the trainer types, its problems beside it in the CLI's words, written into the
// case (and the saved case .json), and applied by the build. Text from a dropped case is shown as
// text, never as markup.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import '../../web/app.ts';
import type { SandtableApp } from '../../web/app.ts';
import type { LandcoverClasses } from '../../web/components/landcover-classes.ts';
import type { RegionBuildDialog } from '../../web/components/region-build-dialog.ts';
import { regionSource } from '../../web/region-source.ts';
import { cityFiles } from './build-fixture.ts';
import { until } from './until.ts';

afterEach(() => { document.body.innerHTML = ''; vi.restoreAllMocks(); });
afterAll(async () => { await page.viewport(1440, 900); await regionSource.useShipped(); });

const N = 64;
/** Land cover on the city DEM's grid (no .prj: taken as the DEM's CRS), `west` in columns 0–31, `east` in 32–63. */
const landcoverFile = (west: number, east: number) => new File([[`ncols ${N}`, `nrows ${N}`, 'xllcorner 480000', 'yllcorner 3300000', 'cellsize 30', 'NODATA_value -9999',
  ...Array.from({ length: N }, () => Array.from({ length: N }, (_, c) => (c < 32 ? west : east)).join(' ')), ''].join('\n')], 'lc.asc');

const inside = <T extends Element>(root: Element | null, selector: string) => (root?.shadowRoot ?? root)?.querySelector<T & Element>(selector) ?? null;
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

async function openDialog(): Promise<{ app: SandtableApp; dialog: RegionBuildDialog }> {
  const app = document.createElement('sandtable-app');
  document.body.append(app);
  const picker = await until(() => inside(app, 'region-picker'), 'the picker');
  await until(() => inside(picker, 'button.build'), 'the build button');
  inside<HTMLButtonElement>(picker, 'button.build')!.click();
  const dialog = await until(() => inside<RegionBuildDialog>(picker, 'region-build-dialog'), 'the build dialog');
  await dialog.updateComplete;
  return { app, dialog };
}
function pick(dialog: RegionBuildDialog, input: string, files: File[]): void {
  const element = inside<HTMLInputElement>(dialog, `input.${input}`)!;
  const transfer = new DataTransfer();
  for (const f of files) transfer.items.add(f);
  element.files = transfer.files;
  element.dispatchEvent(new Event('change'));
}
async function settled(dialog: RegionBuildDialog): Promise<LandcoverClasses> {
  await dialog.updateComplete;
  const editor = await until(() => inside<LandcoverClasses>(dialog, 'landcover-classes'), 'the class table');
  await editor.updateComplete;
  return editor;
}
const rows = (editor: LandcoverClasses) => [...editor.shadowRoot!.querySelectorAll('tbody tr')];
function set(row: Element, selector: string, value: string): void {
  const field = row.querySelector<HTMLInputElement | HTMLSelectElement>(selector)!;
  field.value = value;
  field.dispatchEvent(new Event('change'));
}
async function screen(name: string, width: number, height: number): Promise<void> {
  await page.viewport(width, height);
  await new Promise((r) => setTimeout(r, 300));
  await page.screenshot({ path: `../../test-results/screens/${name}.png` });
}

describe('the land-cover class table of the build dialog', () => {
  it('presets, live checks in the CLI\'s words, the table in the saved case, and the build maps the city\'s own codes', async () => {
    const { app, dialog } = await openDialog();
    const city = cityFiles();
    pick(dialog, 'file-dem', [city.dem, city.prj]);
    expect(inside(dialog, '.classes-row')).toBeNull();
    pick(dialog, 'file-landcover', [landcoverFile(312, 7)]);
    let editor = await settled(dialog);
    // A land-cover raster starts with ESA WorldCover's table (11 classes, 10 tree cover first).
    expect(rows(editor)).toHaveLength(11);
    expect(rows(editor)[0].querySelector<HTMLInputElement>('input.code')!.value).toBe('10');
    inside<HTMLButtonElement>(editor, 'button[data-preset=corine]')!.click();
    editor = await settled(dialog);
    expect(rows(editor)).toHaveLength(44);
    expect(rows(editor)[23].querySelector<HTMLInputElement>('input.code')!.value).toBe('312');
    expect(text(rows(editor)[23].querySelector('select.landcover option:checked'))).toBe('林地');
    expect(text(inside(dialog, '.classes-row .label'))).toBe('土地覆盖分类');
    await screen('region-landcover-corine-zh-1440x900', 1440, 900);
    await screen('region-landcover-corine-zh-1024x768', 1024, 768);

    inside<HTMLButtonElement>(app, 'header button.lang-toggle')!.click();
    await app.updateComplete;
    editor = await settled(dialog);
    expect([...editor.shadowRoot!.querySelectorAll('th')].map(text)).toEqual(['Code', 'Land cover', 'Fuel model (optional)', '']);
    expect(text(rows(editor)[23].querySelector('select.landcover option:checked'))).toBe('Forest');
    await screen('region-landcover-corine-en-1440x900', 1440, 900);
    await screen('region-landcover-corine-en-1024x768', 1024, 768);

    // The city's own table: 312 forest and a typo, checked as the builder checks it, as it is typed.
    inside<HTMLButtonElement>(editor, 'button.clear')!.click();
    editor = await settled(dialog);
    for (let k = 0; k < 2; k++) { inside<HTMLButtonElement>(editor, 'button.add')!.click(); editor = await settled(dialog); }
    set(rows(editor)[0], 'input.code', '312'); editor = await settled(dialog);
    set(rows(editor)[0], 'select.landcover', 'forest'); editor = await settled(dialog);
    set(rows(editor)[1], 'input.code', '7x'); editor = await settled(dialog);
    const typo = 'error: $.landcover.classes[1].code: is not a class number (got "7x", expected an integer, as the land-cover raster stores it)';
    expect([...editor.shadowRoot!.querySelectorAll('.checks li')].map(text)).toEqual([typo]);
    expect(rows(editor)[1].querySelector('input.code')!.getAttribute('aria-invalid')).toBe('true');
    expect(rows(editor)[0].querySelector('input.code')!.getAttribute('aria-invalid')).toBe('false');
    await screen('region-landcover-typo-en-1440x900', 1440, 900);
    await screen('region-landcover-typo-en-1024x768', 1024, 768);
    // Built anyway, the builder refuses it with the same line, beside the table; nothing opens.
    inside<HTMLButtonElement>(dialog, 'button.start')!.click();
    const refused = await until(() => inside(dialog, '.classes-row .problem'), 'the table\'s problem', 60_000);
    expect(text(refused)).toBe(typo);
    expect(regionSource.current.key).toBe('shipped');

    set(rows(editor)[1], 'input.code', '7'); editor = await settled(dialog);
    set(rows(editor)[1], 'select.landcover', 'urban'); editor = await settled(dialog);
    set(rows(editor)[1], 'input.fuel', '91'); editor = await settled(dialog);
    expect(editor.shadowRoot!.querySelector('.checks')).toBeNull();
    expect(rows(editor)[0].querySelector<HTMLInputElement>('input.fuel')!.placeholder).toBe('165');

    // The case .json saved from the dialog carries the table, as `region build` reads it.
    const blobs: Blob[] = [];
    const create = URL.createObjectURL.bind(URL);
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => { blobs.push(b as Blob); return create(b as Blob); });
    const names: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) { names.push(this.download); });
    inside<HTMLButtonElement>(dialog, 'button.save-case')!.click();
    const saved = JSON.parse(await (await until(() => blobs[0], 'the case download')).text());
    expect(names).toEqual(['region-case.json']);
    expect(saved.landcover).toEqual({ file: 'lc.asc', classes: [{ code: 312, landcover: 'forest' }, { code: 7, landcover: 'urban', fuel: 91 }] });
    vi.restoreAllMocks();

    inside<HTMLButtonElement>(dialog, 'button.start')!.click();
    await until(() => inside(dialog, '.done'), 'the build to finish', 60_000);
    const files = (dialog as unknown as { built: { region: { files: Record<string, Blob> } } }).built.region.files;
    const cell = async (name: string, r: number, c: number) => Number((await files[name].text()).split('\n')[6 + r].trim().split(/\s+/)[c]);
    expect([await cell('landcover.asc', 5, 3), await cell('fuel.asc', 5, 3)]).toEqual([6, 165]);
    expect([await cell('landcover.asc', 5, 60), await cell('fuel.asc', 5, 60)]).toEqual([3, 91]);
    await regionSource.useShipped();
  }, 180_000);

  it('a dropped case\'s table comes into the editor as text: markup in it is shown, never run', async () => {
    await regionSource.useShipped();
    const { dialog } = await openDialog();
    const hostile = '<img src=x onerror="window.__landcoverPwned=1">';
    const regionCase = { schema: 'sandtable.region-case/1', dem: 'dem.asc', landcover: { file: 'lc.asc', classes: [{ code: hostile, landcover: '<b>forest</b>' }] } };
    pick(dialog, 'file-landcover', [landcoverFile(10, 10)]);
    pick(dialog, 'file-others', [new File([JSON.stringify(regionCase)], 'case.json')]);
    // The case is read asynchronously (File.text()): wait for its table to replace the preset.
    await until(() => (inside<LandcoverClasses>(dialog, 'landcover-classes')?.entries[0]?.code === hostile ? true : undefined), 'the case\'s table', 10_000);
    const editor = await settled(dialog);
    expect(text(rows(editor)[0].querySelector('select.landcover option:checked'))).toBe('<b>forest</b>');
    expect([...editor.shadowRoot!.querySelectorAll('.checks li')].map(text)).toEqual([
      `error: $.landcover.classes[0].code: is not a class number (got ${JSON.stringify(hostile)}, expected an integer, as the land-cover raster stores it)`,
      'error: $.landcover.classes[0].landcover: is not a land cover of the region (got "<b>forest</b>", expected river, reservoir, urban, farmland, grassShrub, forest, bare)',
    ]);
    expect(editor.shadowRoot!.querySelector('img, b')).toBeNull();
    await new Promise((r) => setTimeout(r, 200));
    expect((window as unknown as { __landcoverPwned?: number }).__landcoverPwned).toBeUndefined();
  }, 60_000);
});
