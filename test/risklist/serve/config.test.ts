// The serve file is validated at start with the CLI's `error: <path>: …` lines and exit 2
// (CONTRACT.md "risklist serve"); a secret never appears in what the service prints.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatProblem, InputError } from '../../../models/errors.ts';
import { loadServeConfig } from '../../../models/risklist/serve/config.ts';
import { cliWorkspace } from '../../cli-harness.ts';

const { sandtable, caseFile, dir } = cliWorkspace('serve-config');

const item = { id: 'UP-01', category: 'waterlogging', factors: [{ id: 'depth_cm', direction: 'above', thresholds: { 2: 10, 3: 20, 4: 30 } }] };
const good = { clock: 'replay', items: [item], tokens: [{ token: 'operator-secret-0123456789', role: 'operator' }] };

function problems(serve: unknown, file = join(dir, 'serve.json')): string[] {
  try {
    loadServeConfig(serve, file);
  } catch (error) {
    if (error instanceof InputError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('risklist serve: the serve file', () => {
  it('defaults: 127.0.0.1, an ephemeral port, the wall clock, an embedded database beside the serve file', () => {
    const c = loadServeConfig({ items: [item], tokens: good.tokens }, join(dir, 'city.json'));
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(0);
    expect(c.clock).toBe('wall');
    expect(c.database).toEqual({ kind: 'embedded', dir: join(dir, 'city.db'), defaulted: true });
    expect(c.limits).toEqual({ bodyBytes: 4 * 2 ** 20, readingsPerRequest: 20_000, requestsPerS: 200, burst: 400, maxFutureS: 300, tickS: 0.25, latenessS: 1 });
    expect(loadServeConfig({ ...good, database: 'embedded:data/list' }, join(dir, 'x.json')).database).toEqual({ kind: 'embedded', dir: join(dir, 'data/list'), defaulted: false });
    expect(loadServeConfig({ ...good, mqtt: { url: 'mqtt://127.0.0.1:1883' } }, join(dir, 'x.json')).mqtt?.connections).toBe(64);
    expect(problems({ ...good, mqtt: { url: 'mqtt://127.0.0.1:1883', connections: 0.5 } })).toEqual(['error: $.mqtt.connections: out of range (got 0.5, expected an integer in [1, 256])']);
  });

  it('every problem at once, by path; tokens are never echoed', () => {
    expect(problems({
      clock: 'sundial', http: { port: 70000, host: '' }, database: 'mysql://root:pw@db/x', extra: 1,
      items: [item], mqtt: { url: 'http://broker', topics: { readings: 'a/#' } },
      tokens: [
        { token: 'operator-secret-0123456789', role: 'operator' },
        { token: 'operator-secret-0123456789', role: 'operator' },
        { token: 'device-secret-0123456789', role: 'device', items: ['UP-01', 'NOPE'] },
        { token: 'other-secret-0123456789', role: 'admin' },
        { token: 'with space', role: 'device', items: '*' },
      ],
    })).toEqual([
      'error: $.extra: unknown field (expected one of items, http, database, clock, epoch, mqtt, tokens, limits, snapshots, name, description, hold_s, lec_bands, matrix_bands, default_interval_s)',
      'error: $.http.host: must be a host name or address (got "", expected e.g. "127.0.0.1" (the default) or "0.0.0.0")',
      'error: $.http.port: out of range (got 70000, expected an integer in [0, 65535])',
      'error: $.database: is not a database (expected "embedded:<dir>" (PGlite) or "postgres://user@host:port/db")',
      'error: $.clock: is not a clock (got "sundial", expected "wall" (the default) or "replay")',
      'error: $.mqtt.url: is not an MQTT URL (got "http://broker", expected mqtt://host:port)',
      'error: $.mqtt.topics.readings: is not a topic prefix (got "a/#", expected levels without wildcards, e.g. "sandtable/readings")',
      'error: $.tokens[1].token: repeats the token of $.tokens[0] (expected one token per entry)',
      'error: $.tokens[2].items[1]: names no item of the list (got "NOPE", expected an item id of $.items)',
      'error: $.tokens[3].role: is not a role (got "admin", expected "operator" or "device")',
      'error: $.tokens[4].token: must be a secret string without spaces (expected a long random string (32 characters or more))',
    ]);
    expect(problems({ items: [item] })).toEqual([
      'error: $.tokens: is required (expected the tokens: [{ "token", "role": "operator" }, { "token", "role": "device", "items": [...] }] or a file)',
    ]);
    expect(problems({ tokens: good.tokens })).toEqual([
      'error: $.items: is required (expected the items (the batch case\'s items) or a file such as "region/risk-items.json")'.replace("the batch case's items", "the batch case's form"),
    ]);
    expect(problems({ ...good, items: [{ ...item, factors: [{ ...item.factors[0], direction: 'up' }] }] })).toEqual([
      'error: $.items[0].factors[0].direction: is not a direction (got "up", expected "above" or "below")',
    ]);
  });

  it('snapshots: on by default (every 1 000 000 readings or 600 s, 2 kept, 1 MiB chunks, 30 s for the last one at shutdown), false turns them off, each field checked', () => {
    expect(loadServeConfig(good, join(dir, 'x.json')).snapshots).toEqual({ everyReadings: 1_000_000, everyS: 600, keep: 2, chunkBytes: 2 ** 20, atShutdownS: 30 });
    expect(loadServeConfig({ ...good, snapshots: { every_readings: 5000, keep: 3 } }, join(dir, 'x.json')).snapshots).toEqual({ everyReadings: 5000, everyS: 600, keep: 3, chunkBytes: 2 ** 20, atShutdownS: 30 });
    expect(loadServeConfig({ ...good, snapshots: false }, join(dir, 'x.json')).snapshots).toBeUndefined();
    expect(problems({ ...good, snapshots: { every_readings: 0, every_s: 'often', keep: 1.5, chunk_bytes: 10, at_shutdown_s: -1, when: 'always' } })).toEqual([
      'error: $.snapshots.when: unknown field (expected one of every_readings, every_s, keep, at_shutdown_s, chunk_bytes)',
      'error: $.snapshots.every_readings: out of range (got 0, expected an integer in [1, 1000000000])',
      'error: $.snapshots.every_s: must be a number (got "often", expected a number in [1, 604800] s)',
      'error: $.snapshots.keep: out of range (got 1.5, expected an integer in [1, 100])',
      'error: $.snapshots.at_shutdown_s: out of range (got -1, expected a number in [0, 3600] s)',
      'error: $.snapshots.chunk_bytes: out of range (got 10, expected an integer in [256, 67108864])',
    ]);
    expect(problems({ ...good, snapshots: true })).toEqual(['error: $.snapshots: must be an object or false (got true, expected { every_readings, every_s, keep, at_shutdown_s, chunk_bytes }, or false for none)']);
  });

  it('items and tokens from files: a region\'s risk-items.json gets its categories\' factors', () => {
    const region = fileURLToPath(new URL('../../../scenarios/mountain-city/region/risk-items.json', import.meta.url));
    writeFileSync(join(dir, 'tokens.json'), JSON.stringify([{ token: 'operator-secret-0123456789', role: 'operator', id: 'ops' }]));
    const c = loadServeConfig({ items: region, tokens: 'tokens.json' }, join(dir, 'serve.json'));
    const items = c.list.items as { id: string; factors: unknown; x_m?: number }[];
    expect(items.length).toBeGreaterThan(200);
    expect(items[0]).toMatchObject({ id: 'WL-001', category: 'waterlogging', factors: 'category' });
    expect(items[0].x_m).toBeUndefined();
    expect(c.tokens.map((t) => [t.id, t.role])).toEqual([['ops', 'operator']]);
    expect(problems({ ...good, items: 'missing.json' })).toEqual(['error: $.items: names no file (got "missing.json", expected a risk-items JSON file ({ "items": [...] }) or a batch case)']);
  });

  it('the CLI: exit 2, the error lines on stderr, no secret anywhere', () => {
    const secret = 'hunter2-very-secret-token-value';
    const file = caseFile('bad-serve.json', { ...good, clock: 'sometimes', tokens: [{ token: secret, role: 'operator' }, { token: secret, role: 'operator' }], mqtt: { url: 'mqtt://127.0.0.1:1', password: secret } });
    const r = sandtable(['risklist', 'serve', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe([
      'error: $.clock: is not a clock (got "sometimes", expected "wall" (the default) or "replay")',
      'error: $.tokens[1].token: repeats the token of $.tokens[0] (expected one token per entry)',
      '',
    ].join('\n'));
    expect(r.stderr).not.toContain(secret);
    expect(sandtable(['risklist', 'serve', '--help']).stdout).toContain('$.limits');
  });
});
