// Gauge observations on a built region: a scenario names its own CSV (`time,discharge_m3_per_s`,
// units in the column name) for one of the region's gauges, exactly as the shipped storm-72h names
// its three; `run` scores the forecast against it, a bad row is named file:line, and the
// after-action record carries the scores and the region's name.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../models/engine-node.ts';
import { buildAar } from '../../models/scenario/aar.ts';
import { aarReportHtml } from '../../web/aar-report.ts';
import { loadObservations, scoreGauges } from '../../models/scenario/observations.ts';
import { loadRegion } from '../../models/scenario/region-node.ts';
import { runScenario } from '../../models/scenario/run.ts';
import { parseScenario } from '../../models/scenario/schema.ts';
import { CLI } from '../cli-harness.ts';
import { writeFixture, type Fixture } from './fixture.ts';

const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

let fixture: Fixture;
let scenarioFile: string;
// An hourly hydrograph at the outlet: a made-up observation, rising to 3 m³/s at hour 12.
const OBSERVED = Array.from({ length: 25 }, (_, h) => [h * 3600, Number((0.2 + 2.8 * Math.max(0, 1 - Math.abs(h - 12) / 8)).toFixed(3))]);
const csv = (rows: (string | number)[][]) => `time,discharge_m3_per_s\n${rows.map((r) => r.join(',')).join('\n')}\n`;

beforeAll(() => {
  fixture = writeFixture({ items: undefined });
  const region = join(fixture.dir, 'region');
  expect(run(['region', 'build', fixture.caseFile, '--out', region]).code).toBe(0);
  scenarioFile = join(fixture.dir, 'storm.json');
  expect(run(['region', 'scenario', region, '--template', 'storm', '--out', scenarioFile]).code).toBe(0);
  const scenario = JSON.parse(readFileSync(scenarioFile, 'utf8'));
  scenario.observations = { 'G-outlet': { file: 'observed-outlet.csv' } };
  writeFileSync(scenarioFile, JSON.stringify(scenario));
  writeFileSync(join(fixture.dir, 'observed-outlet.csv'), csv(OBSERVED));
});
afterAll(() => rmSync(fixture.dir, { recursive: true, force: true }));

describe('observations of a scenario on a built region', () => {
  it('run scores the forecast at the region\'s gauge against the scenario\'s own file', () => {
    const ran = run(['run', scenarioFile]);
    expect(ran.code, ran.stderr).toBe(0);
    const [scored] = JSON.parse(ran.stdout).observations;
    expect(scored).toMatchObject({ gauge: 'G-outlet', source: 'observed-outlet.csv', peak_observed_m3_per_s: 3 });
    expect(Number.isFinite(scored.nse)).toBe(true);
  });

  it('a bad row is named by file:line, exit 2', () => {
    writeFileSync(join(fixture.dir, 'observed-outlet.csv'), csv([...OBSERVED.slice(0, 3), [3 * 3600, 'lots'], ...OBSERVED.slice(4)]));
    const ran = run(['run', scenarioFile]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/^error: observed-outlet\.csv:5: /m);
    writeFileSync(join(fixture.dir, 'observed-outlet.csv'), csv(OBSERVED));
  });

  it('the after-action record carries the scores, where the observations came from, and the region', async () => {
    const raw = JSON.parse(readFileSync(scenarioFile, 'utf8'));
    const scenario = parseScenario(raw);
    const region = await loadRegion(fixture.dir, scenario.region);
    const result = await runScenario(createNodeEngine(), scenario, region);
    const observed = await loadObservations(scenario.observations, scenario, (name) => Promise.resolve(readFileSync(join(fixture.dir, name), 'utf8')));
    const scores = scoreGauges(observed, (id) => result.route?.reaches[result.gauges.find((g) => g.id === id)!.reach].outflow_m3_per_s, result.grid.stepS, result.gauges.map((g) => g.id));
    const record = buildAar({
      scenarioJson: raw, scenario, run: result, resultsSha256: 'x', manualDeliveries: new Map(), cancellations: new Map(), decisions: [], ratings: new Map(), exported: '2026-07-16T12:00:00Z',
      observed: scores, region: { name: region.manifest.name!, name_zh: region.manifest.name_zh! },
    });
    expect(record.region).toEqual({ name: 'Test Valley', name_zh: '测试河谷' });
    expect(record.outcomes.observed).toEqual([{ gauge: 'G-outlet', source: 'observed-outlet.csv', nse: scores[0].scores.nse, kge_2012: scores[0].scores.kge_2012, peak_error_relative: scores[0].scores.peak_error_relative, peak_time_error_s: scores[0].scores.peak_time_error_s }]);
    // The printed report (the app's, in the UI's language) names the region and prints the scores.
    const s = scores[0].scores;
    const report = (lang: 'en' | 'zh-CN') => aarReportHtml(record, { lang, title: scenario.title, injects: [], timeAt: (t) => `T+${t}` });
    expect(report('en')).toContain('Region: Test Valley<br>');
    expect(report('zh-CN')).toContain('区域：测试河谷<br>');
    const percent = new Intl.NumberFormat('en', { style: 'percent', maximumSignificantDigits: 2, maximumFractionDigits: 0, roundingPriority: 'morePrecision' }).format(s.peak_error_relative);
    expect(report('en')).toContain(`<tr><td>G-outlet</td><td>observed-outlet.csv</td><td>${s.nse.toFixed(2)}</td><td>${s.kge_2012.toFixed(2)}</td><td>${percent}</td><td>${(s.peak_time_error_s / 3600).toFixed(1)} h</td></tr>`);
    expect(report('zh-CN')).toContain('<h3>预报与实测流量对比</h3>');
  });
});
