// A real MQTT broker for a test: Debian's mosquitto on a free port in a temporary folder, with
// a password file (hashed by mosquitto_passwd) and an ACL, no anonymous access. Missing mosquitto
// fails the test with the command that installs it: never a skip.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from './free-port.ts';

const MOSQUITTO = process.env.MOSQUITTO ?? '/usr/sbin/mosquitto';
const PASSWD = '/usr/bin/mosquitto_passwd';

export interface BrokerUser { username: string; password: string }
export interface Broker {
  url: string; port: number; dir: string;
  /** What mosquitto wrote on stderr since it first started (every packet with `verbose`). */
  log(): string;
  stop(): Promise<void>; restart(): Promise<void>;
}

/** `acl`: mosquitto ACL lines (`user NAME` then `topic read|write|readwrite PATTERN`). */
export async function startMosquitto(users: BrokerUser[], acl: string[], options: { persistent?: boolean; verbose?: boolean } = {}): Promise<Broker> {
  for (const program of [MOSQUITTO, PASSWD]) {
    if (!existsSync(program)) throw new Error(`${program} is missing: the MQTT tests start a real broker (apt-get install -y mosquitto; npm test does it as root)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'sandtable-mosquitto-'));
  const port = await freePort();
  const passwd = join(dir, 'passwd');
  writeFileSync(passwd, users.map((u) => `${u.username}:${u.password}`).join('\n') + '\n');
  const hashed = spawnSync(PASSWD, ['-U', passwd], { encoding: 'utf8' });
  if (hashed.status !== 0) throw new Error(`mosquitto_passwd -U failed: ${hashed.stderr}`);
  writeFileSync(join(dir, 'acl'), acl.join('\n') + '\n');
  chmodSync(passwd, 0o600);
  chmodSync(join(dir, 'acl'), 0o600);
  writeFileSync(join(dir, 'mosquitto.conf'), [
    // Running as root, mosquitto would drop to the mosquitto user, who cannot read this folder.
    ...(process.getuid?.() === 0 ? ['user root'] : []),
    `listener ${port} 127.0.0.1`,
    'allow_anonymous false',
    `password_file ${passwd}`,
    `acl_file ${join(dir, 'acl')}`,
    `persistence ${options.persistent ? 'true' : 'false'}`,
    `persistence_location ${dir}/`,
    'max_queued_messages 100000',
    'max_inflight_messages 0',
    'log_dest stderr',
    ...(options.verbose ? ['log_type all'] : ['log_type error', 'log_type warning']),
  ].join('\n') + '\n');
  let child: ChildProcess | undefined;
  let log = '';
  const start = async () => {
    child = spawn(MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d) => { log += String(d); });
    const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
    await Promise.race([
      waitFor(`mosquitto on port ${port}`, () => new Promise<boolean>((resolve) => {
        const socket = createConnection(port, '127.0.0.1');
        socket.once('connect', () => { socket.destroy(); resolve(true); });
        socket.once('error', () => resolve(false));
      }), 15_000),
      exited.then(() => { throw new Error(`mosquitto exited at start:\n${log}`); }),
    ]);
  };
  const stopBroker = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url: `mqtt://127.0.0.1:${port}`, port, dir,
    log: () => log,
    async stop() { await stopBroker(); rmSync(dir, { recursive: true, force: true }); },
    async restart() { await stopBroker(); await start(); },
  };
}
