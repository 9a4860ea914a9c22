// The "build a region" dialog's logic (web/region-build.ts): its choices become the region case the
// CLI reads (CONTRACT.md "region build"), a dropped file goes to its row by extension, and each
// problem the builder names is placed beside the file or field it is about.
import { describe, expect, it } from 'vitest';
import { MESSAGE_KEYS } from '../../web/i18n.ts';
import { LANDCOVER, LANDCOVER_PRESETS } from '../../models/region/builder/landcover.ts';
import { caseFromChoice, classesOfEntries, districtFields, entriesOfCase, entriesOfPreset, rowOfFile, rowOfProblem, type BuildChoice } from '../../web/region-build.ts';

const file = (name: string, text = '') => new File([text], name);
const choice = (over: Partial<BuildChoice>): BuildChoice => ({ name: '', nameZh: '', crs: '', thresholdKm2: 2, dem: [], layers: {}, others: [], ...over });
const DISTRICTS = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'w', name: 'West', name_zh: '西区' }, geometry: null }] });

describe('the build dialog\'s case', () => {
  it('names each chosen file by its name, with the district fields its first feature has', async () => {
    const { caseJson, files } = await caseFromChoice(choice({
      name: ' Big Valley ', nameZh: '大河谷', crs: 'EPSG:4545', thresholdKm2: 0.5,
      dem: [file('dem.asc', 'ncols 1'), file('dem.prj', 'PROJCS[]')], districts: file('d.geojson', DISTRICTS), items: file('items.csv', 'id'),
      layers: { population: file('pop.tif'), landcover: file('lc.tif') },
    }));
    expect(caseJson).toEqual({
      schema: 'sandtable.region-case/1', name: 'Big Valley', name_zh: '大河谷', crs: 'EPSG:4545', dem: 'dem.asc',
      districts: { file: 'd.geojson', id_field: 'code', name_field: 'name', name_zh_field: 'name_zh' }, items: { file: 'items.csv' },
      population: 'pop.tif', landcover: { file: 'lc.tif', classes: 'esa-worldcover' }, streams: { threshold_km2: 0.5 },
    });
    expect([...files.keys()].sort()).toEqual(['d.geojson', 'dem.asc', 'dem.prj', 'items.csv', 'lc.tif', 'pop.tif']);
    expect(new TextDecoder().decode(files.get('dem.prj'))).toBe('PROJCS[]');
  });

  it('a region case .json among the other files is the base: its choices stay unless the form gives its own', async () => {
    const regionCase = { schema: 'sandtable.region-case/1', name: 'From case', dem: 'old.tif', streams: { threshold_km2: 7 }, river_entries: [{ x_m: 1, y_m: 2, upstream_area_km2: 3, name: 'R' }] };
    const { caseJson, files } = await caseFromChoice(choice({ dem: [file('dem.tif')], others: [file('case.json', JSON.stringify(regionCase)), file('categories.json', '{"categories":[]}')] }));
    expect(caseJson).toMatchObject({ name: 'From case', dem: 'dem.tif', streams: { threshold_km2: 7 }, river_entries: regionCase.river_entries });
    expect([...files.keys()].sort()).toEqual(['categories.json', 'dem.tif']);
  });

  it('district fields: the usual names, else the first property', () => {
    expect(districtFields({ features: [{ properties: { adcode: 1, NAME: 'x' } }] })).toEqual({ id_field: 'adcode', name_field: 'NAME', name_zh_field: 'name_zh' });
    expect(districtFields({ features: [{ properties: { gid: 1 } }] })).toMatchObject({ id_field: 'gid' });
    expect(districtFields(undefined)).toMatchObject({ id_field: 'id' });
  });

  it('a dropped file goes to its row by extension', () => {
    expect(['dem.TIF', 'dem.asc', 'dem.prj', 'd.geojson', 'items.csv', 'case.json', 'x.wkt'].map(rowOfFile)).toEqual(['dem', 'dem', 'dem', 'districts', 'items', 'others', 'others']);
  });

  it('a problem goes beside the file or field it names (the builder\'s paths: file, file:line:col, file $.path, $.path)', () => {
    const c = { dem: 'dem.asc', districts: { file: 'd.geojson' }, items: { file: 'items.csv' }, population: 'pop.tif' };
    expect(rowOfProblem('dem.asc', c)).toBe('dem');
    expect(rowOfProblem('dem.asc:7:3', c)).toBe('dem');
    expect(rowOfProblem('dem.prj', c)).toBe('dem');
    expect(rowOfProblem('$.dem', c)).toBe('dem');
    expect(rowOfProblem('d.geojson $.features[0].properties.code', c)).toBe('districts');
    expect(rowOfProblem('items.csv:3:5', c)).toBe('items');
    expect(rowOfProblem('$.categories', c)).toBe('items');
    expect(rowOfProblem('$.crs', c)).toBe('crs');
    expect(rowOfProblem('pop.tif', c)).toBe('layers');
    expect(rowOfProblem('$.streams.threshold_km2', c)).toBe('names');
  });

  it('a land-cover class problem goes beside the class table, as does its mapping CSV', () => {
    expect(rowOfProblem('$.landcover.classes[2].code', { landcover: { file: 'lc.tif', classes: [] } })).toBe('classes');
    expect(rowOfProblem('classes.csv:4:2', { landcover: { file: 'lc.tif', classes: 'classes.csv' } })).toBe('classes');
    expect(rowOfProblem('lc.tif', { landcover: { file: 'lc.tif', classes: 'corine' } })).toBe('layers');
  });
});

describe('the land-cover class table in the case', () => {
  it('an untouched preset is written by its name; an edited one as rows, codes and fuels as numbers, typos as typed', () => {
    expect(classesOfEntries(entriesOfPreset('corine'))).toBe('corine');
    expect(classesOfEntries(entriesOfPreset('esa-worldcover'))).toBe('esa-worldcover');
    const edited = entriesOfPreset('corine').slice(0, 2);
    edited[1] = { code: ' 7 ', landcover: 'forest', fuel: '' };
    expect(classesOfEntries([...edited, { code: '12a', landcover: 'bare', fuel: '99.5' }])).toEqual([
      { code: 111, landcover: 'urban', fuel: 91 }, { code: 7, landcover: 'forest' }, { code: '12a', landcover: 'bare', fuel: 99.5 },
    ]);
  });

  it('the dialog\'s table goes into the case with the land-cover file; without one, the base case\'s classes stay', async () => {
    const table = [{ code: '5', landcover: 'urban', fuel: '91' }];
    const { caseJson } = await caseFromChoice(choice({ dem: [file('dem.tif')], layers: { landcover: file('lc.tif') }, landcoverClasses: table }));
    expect(caseJson.landcover).toEqual({ file: 'lc.tif', classes: [{ code: 5, landcover: 'urban', fuel: 91 }] });
    const base = { schema: 'sandtable.region-case/1', dem: 'x.tif', landcover: { file: 'old.tif', classes: 'corine-raster' } };
    const fromBase = await caseFromChoice(choice({ dem: [file('dem.tif')], layers: { landcover: file('lc.tif') }, others: [file('case.json', JSON.stringify(base))] }));
    expect(fromBase.caseJson.landcover).toEqual({ file: 'lc.tif', classes: 'corine-raster' });
  });

  it('a region case\'s table comes back to the editor as text; a mapping CSV stays a file', () => {
    expect(entriesOfCase({ landcover: { file: 'lc.tif', classes: [{ code: 5, landcover: 'urban' }, { code: '<b>', landcover: 3, fuel: 145 }] } }))
      .toEqual([{ code: '5', landcover: 'urban', fuel: '' }, { code: '<b>', landcover: '3', fuel: '145' }]);
    expect(entriesOfCase({ landcover: { file: 'lc.tif', classes: 'corine' } })).toHaveLength(44);
    expect(entriesOfCase({ landcover: { file: 'lc.tif', classes: 'classes.csv' } })).toBeUndefined();
    expect(entriesOfCase({})).toBeUndefined();
  });

  it('the editor names every preset and land cover in both languages (web/i18n-build.ts)', () => {
    const keys = [...Object.keys(LANDCOVER_PRESETS).map((p) => `classesPreset_${p}`), ...Object.keys(LANDCOVER).map((c) => `classesCover_${c}`)];
    expect(keys.filter((k) => !MESSAGE_KEYS.includes(k as never))).toEqual([]);
  });
});
