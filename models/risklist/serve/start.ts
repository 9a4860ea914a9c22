// Starts the whole service from a validated serve file: database, grading state, HTTP, MQTT.
// Logs are JSON lines on stderr; the first line with "event": "listening" carries the bound URL.
import { InputError } from '../../errors.ts';
import type { Kernels } from '../../wasm.ts';
import type { ServeConfig } from './config.ts';
import { startHttp, type HttpFace } from './http.ts';
import { startMqtt, type MqttFace } from './mqtt.ts';
import { RisklistService } from './service.ts';
import { openPglite, openPostgres, type Sql } from './sql.ts';
import { withoutCredentials } from '../../redact.ts';

export type Log = (fields: Record<string, unknown>) => void;

export function jsonLog(write: (line: string) => void = (l) => process.stderr.write(l)): Log {
  return (fields) => write(JSON.stringify({ time: new Date().toISOString(), level: 'info', ...fields }) + '\n');
}

/** The database's address for logs: the path, or the URL without its password. */
export function databaseLabel(config: ServeConfig): string {
  if (config.database.kind === 'embedded') return `embedded:${config.database.dir}`;
  try {
    const u = new URL(config.database.url);
    if (u.password) u.password = 'hidden';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

export interface Running { service: RisklistService; http: HttpFace; mqtt?: MqttFace; stop(): Promise<void> }

async function openDatabase(config: ServeConfig): Promise<Sql> {
  try {
    return config.database.kind === 'embedded' ? await openPglite(config.database.dir) : await openPostgres(config.database.url);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message.replace(/:\/\/[^@/\s]*@/g, '://');
    throw InputError.single('$.database', 'cannot be opened', databaseLabel(config), `a reachable database (${reason})`);
  }
}

export async function startService(config: ServeConfig, kernels: Kernels, log: Log = jsonLog()): Promise<Running> {
  const sql = await openDatabase(config);
  let service: RisklistService;
  try {
    service = await RisklistService.open(config, sql, kernels, log);
  } catch (error) {
    await sql.close().catch(() => {});
    throw error;
  }
  const http = await startHttp(service, config, log);
  const mqtt = config.mqtt ? await startMqtt(service, config.mqtt, log) : undefined;
  log({
    event: 'listening', url: http.url, clock: config.clock, epoch: new Date(service.epochMs).toISOString(),
    database: databaseLabel(config), ...(config.database.kind === 'embedded' && config.database.defaulted ? { database_defaulted: true } : {}),
    mqtt: config.mqtt ? withoutCredentials(config.mqtt.url) : 'off (HTTP only: no "mqtt" in the serve file)',
    items: service.defs.ids.length, factors: service.defs.list.factors,
  });
  let stopping: Promise<void> | undefined;
  return {
    service, http, mqtt,
    stop() {
      stopping ??= (async () => {
        log({ msg: 'shutting down: no new requests, finishing the write in progress' });
        await mqtt?.close();
        await http.close();
        await service.close();
        log({ msg: 'stopped' });
      })();
      return stopping;
    },
  };
}
