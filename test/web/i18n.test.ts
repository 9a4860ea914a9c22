// The UI's message catalogue is complete: every key has both languages (English without Chinese,
// the same placeholders in both); every key the web code names literally exists; and the keys built
// from the engine's vocabularies (inject kinds and states, actions, hazards, risk categories, sensor
// factors, ratings, problems) exist for every value those vocabularies hold.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import categories from '../../models/risklist/categories.json';
import { ACTION_TYPES } from '../../models/scenario/actions.ts';
import { RATINGS } from '../../models/scenario/aar.ts';
import { INJECT_KINDS, INJECT_STATES } from '../../models/scenario/injects.ts';
import { warningReason, causeLine, actionLine } from '../../web/content-text.ts';
import { MESSAGE_KEYS, translate } from '../../web/i18n.ts';

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function webSources(dir = 'web'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? webSources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the message catalogue', () => {
  it('gives every key in both languages: English without Chinese, the same placeholders', () => {
    expect(MESSAGE_KEYS.length).toBeGreaterThan(250);
    for (const key of MESSAGE_KEYS) {
      const zh = translate('zh-CN', key);
      const en = translate('en', key);
      expect(zh.trim(), key).not.toBe('');
      expect(en.trim(), key).not.toBe('');
      // The one English text that names Chinese on purpose: the switch to it.
      if (key !== 'language') expect(CJK.test(en), `${key}: ${en}`).toBe(false);
      expect(placeholders(zh), key).toEqual(placeholders(en));
    }
  });

  it('has every key the web code names literally (t(\'…\'), translate(lang, \'…\'), confirm titles)', () => {
    const missing: string[] = [];
    for (const file of webSources()) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\b(?:t|translate\([^,()]+,)\s*\(?\s*'([A-Za-z_][\w-]*)'/g)) {
        if (!MESSAGE_KEYS.includes(m[1] as never)) missing.push(`${file}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has a key for every value of the vocabularies the UI shows by name', () => {
    const categoryIds = categories.categories.map((c) => c.id);
    const factorIds = [...new Set(categories.categories.flatMap((c) => c.factors.map((f) => f.id)))];
    const hazards = [...new Set(categories.categories.flatMap((c) => c.hazards)), 'forest-fire'];
    const expected = [
      ...INJECT_KINDS.map((k) => `kind_${k}`), ...INJECT_STATES.map((s) => `inject_${s}`), ...ACTION_TYPES.map((a) => `action_${a}`),
      ...hazards.map((h) => `hazard_${h}`), ...categoryIds.map((c) => `category_${c}`), ...factorIds.map((f) => `factor_${f}`),
      ...RATINGS.map((r) => `rating_${r}`), ...['ready', 'running', 'paused', 'finished'].map((s) => `state_${s}`),
      ...['map', 'run', 'import', 'whatIf', 'cap'].map((p) => `problem_${p}`),
    ];
    expect(expected.filter((key) => !MESSAGE_KEYS.includes(key as never))).toEqual([]);
  });
});

describe('engine texts read in the UI\'s language', () => {
  const manifest = {
    districts: [{ id: 'beibei', name: 'Beibei', name_zh: '北碚' }, { id: 'yuzhong', name: 'Yuzhong', name_zh: '渝中' }],
    rivers: [{ id: 'main', name: 'Great River', name_zh: '大江' }],
    reservoir: { id: 'clear-creek-dam', name: 'Clear Creek Reservoir', name_zh: '清溪水库' },
  } as never;

  it('warning reasons of every rule (models/scenario/run.ts, fire-coupling.ts), and an inject\'s title', () => {
    const injects = [{ title: 'Rainstorm orange signal', title_zh: '暴雨橙色预警信号' }] as never[];
    expect(warningReason('rain 109 mm in 3 h, 120 mm in 6 h, 156 mm in 12 h', 'zh-CN', manifest, injects)).toBe('3小时雨量 109 mm，6小时 120 mm，12小时 156 mm');
    expect(warningReason('main at R012: 5400 m³/s against a warning flow of 4200 m³/s', 'zh-CN', manifest, injects)).toBe('大江（河段 R012）流量 5400 m³/s，警戒流量 4200 m³/s');
    expect(warningReason('main at R012: 5400 m³/s against a warning flow of 4200 m³/s', 'en', manifest, injects)).toBe('Great River at reach R012: 5400 m³/s against a warning flow of 4200 m³/s');
    expect(warningReason('3 of 12 monitored slopes below FS 1, 5 below 1.1', 'zh-CN', manifest, injects)).toBe('12 处监测边坡中 3 处安全系数 < 1，5 处 < 1.1');
    expect(warningReason('fire within 500 m of a monitored point in beibei; 1.60 km² burned', 'zh-CN', manifest, injects)).toBe('火线距北碚监测点 500 m 以内；过火面积 1.60 km²');
    expect(warningReason('Rainstorm orange signal', 'zh-CN', manifest, injects)).toBe('暴雨橙色预警信号');
  });

  it('risk-list causes name the factor and the hazard; actions name districts and the reservoir', () => {
    expect(causeLine({ rule: 'sensor', factor: 'rain_24h_mm', value: 156, threshold: 100 }, 'zh-CN')).toBe('24小时雨量 (mm) = 156 (阈值 100)');
    expect(causeLine({ rule: 'warning', id: 'W-flood-beibei-1', hazard: 'flood' }, 'zh-CN')).toBe('预警 · 洪水 W-flood-beibei-1');
    expect(actionLine({ type: 'evacuation', areas: ['beibei', 'yuzhong'] }, 'zh-CN', manifest)).toBe('疏散：北碚、渝中');
    expect(actionLine({ type: 'dam-release', reservoir: 'clear-creek-dam', m3_per_s: 800, duration_s: 21600 }, 'zh-CN', manifest)).toBe('清溪水库 泄洪 800 m³/s，持续 6 小时');
  });
});

describe('scenarios carry Chinese texts beside the English ones', () => {
  it('an inject\'s `_zh` fields are read, checked by path, and kept through the MSEL CSV', async () => {
    const { parseInjects, injectsFromCsv, injectsToCsv } = await import('../../models/scenario/injects.ts');
    const [inject] = parseInjects([{ id: 'I1', title: 'Dam spills', title_zh: '水库泄洪', to: 'HQ', to_zh: '指挥部', trigger: { type: 'manual' } }], '$.injects', 3600);
    expect(inject).toMatchObject({ title: 'Dam spills', title_zh: '水库泄洪', to_zh: '指挥部' });
    expect(() => parseInjects([{ id: 'I1', title: 'x', title_zh: 7, trigger: { type: 'manual' } }], '$.injects', 3600))
      .toThrow('$.injects[0].title_zh: must be a string (got 7, expected text)');
    expect(injectsFromCsv(injectsToCsv([inject]), 'msel.csv', 3600)).toEqual([inject]);
  });

  it('every shipped scenario gives a Chinese title, briefing and inject texts', async () => {
    const { parseScenario } = await import('../../models/scenario/schema.ts');
    for (const name of ['storm-72h', 'storm-peak-24h', 'storm-radar-24h', 'fire-summer']) {
      const scenario = parseScenario(JSON.parse(readFileSync(`scenarios/mountain-city/${name}.json`, 'utf8')));
      expect(CJK.test(scenario.titleZh) && CJK.test(scenario.descriptionZh), name).toBe(true);
      for (const inject of scenario.injects) {
        for (const field of ['title', 'description', 'from', 'to', 'expected_action', 'objective'] as const) {
          if (inject[field]) expect(CJK.test(inject[`${field}_zh`] ?? ''), `${name} ${inject.id} ${field}_zh`).toBe(true);
        }
      }
    }
  });
});
