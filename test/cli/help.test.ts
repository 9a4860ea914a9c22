// What a command accepts and what its --help says are one declaration (bin/commands-table.ts):
// before it, `landslide fs` accepted --workers and --full-precision that `sandtable --help` did
// not list, and `bench` accepted an undocumented --size.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main, RUNNERS } from '../../bin/cli.ts';
import { COMMAND_TABLE, commandName } from '../../bin/commands-table.ts';

async function sandtable(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => { stdout += String(chunk); return true; });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => { stderr += String(chunk); return true; });
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

afterEach(() => vi.restoreAllMocks());

/** Options named in the "Options:" section of a command's --help. */
function helpOptions(help: string): string[] {
  const section = help.split('\n\nOptions:\n')[1]?.split('\n\n')[0] ?? '';
  return section.split('\n').map((line) => /^\s+--([a-z-]+)/.exec(line)?.[1]).filter((o): o is string => o !== undefined).sort();
}

/** Options named in the usage line. */
function usageOptions(line: string): string[] {
  return [...line.matchAll(/\[--([a-z-]+)/g)].map((m) => m[1]).sort();
}

describe('every command\'s --help lists exactly the options it accepts', () => {
  it('every declared command has a runner, and every runner a declaration', () => {
    expect(Object.keys(RUNNERS).sort()).toEqual(COMMAND_TABLE.map(commandName).sort());
  });

  it.each(COMMAND_TABLE.map((c) => [commandName(c), c.words] as const))('%s', async (name, words) => {
    const help = await sandtable([...words, '--help']);
    expect(help.code).toBe(0);
    const listed = helpOptions(help.stdout);
    expect(usageOptions(help.stdout.split('\n')[0])).toEqual(listed);
    // What parseArgs accepts, read back from its own refusal of an unknown option.
    const refused = await sandtable([...words, '--no-such-option']);
    expect(refused.code).toBe(2);
    const expected = /is not an option of this command \(got nothing, expected (.*)\)$/m.exec(refused.stderr)?.[1];
    expect(expected).toBeDefined();
    const accepted = expected === 'no options' ? [] : expected!.split(', ').map((o) => o.replace(/^--/, '')).sort();
    expect(listed).toEqual(accepted);
    // The general help's usage line for the command lists the same options.
    const general = (await sandtable(['--help'])).stdout.split('\n').find((l) => l.startsWith(`  sandtable ${name} `) || l === `  sandtable ${name}`);
    expect(usageOptions(general ?? '')).toEqual(listed);
  });

  it('landslide fs lists --out, --force, --full-precision, --workers and the tile and ensemble options; run lists --seed', async () => {
    expect(helpOptions((await sandtable(['landslide', 'fs', '--help'])).stdout)).toEqual(['exclude-members', 'force', 'from-results', 'full-precision', 'index', 'members', 'out', 'queue', 'queue-grace', 'results', 'seed', 'tile', 'workers']);
    expect(helpOptions((await sandtable(['run', '--help'])).stdout)).toEqual(['force', 'out', 'seed']);
    expect(helpOptions((await sandtable(['bench', '--help'])).stdout)).toContain('size');
  });
});

describe('per-command --help lists the case fields with unit and range from the spec', () => {
  it.each([
    ['flood route', '    manning_n', 'number in [0.005, 0.5] s/m^(1/3)', "Manning's n (曼宁糙率)"],
    ['landslide fs', '    friction_deg', 'number in (0, 90) °', 'Effective friction angle (有效内摩擦角)'],
    ['fire behavior', '    midflame_wind_m_per_s', 'number in [0, 60] m/s', 'Midflame wind speed (中焰风速)'],
    ['fire spread', '    d1h', 'number in [1, 100] %', '1-h dead fuel moisture (1小时时滞死可燃物含水率)'],
    ['run', '    speed_10m_m_per_s', 'number in [0, 60] m/s', '10 m wind speed (10米高度风速)'],
  ])('%s: %s', async (command, field, range, label) => {
    const { stdout } = await sandtable([...command.split(' '), '--help']);
    const line = stdout.split('\n').find((l) => l.startsWith(field + ' '));
    expect(line).toBeDefined();
    expect(line).toContain(range);
    expect(line).toContain(label);
  });

  it('fire behavior --help lists its outputs with units and labels', async () => {
    const { stdout } = await sandtable(['fire', 'behavior', '--help']);
    expect(stdout).toMatch(/^ {2}fireline_intensity_kw_per_m +kW\/m +Fireline intensity \(火线强度\)/m);
    expect(stdout).toMatch(/^ {2}ros_head_m_per_min +m\/min +Head rate of spread \(火头蔓延速率\)/m);
  });
});
