#!/usr/bin/env node
// Run by `npm test` before the suite: the browser tests need a Chromium, and the service tests
// start their own real MQTT broker, Redis and PostgreSQL (on free ports, in temporary folders). A
// missing one must stop the run in its first seconds with the command that fixes it, never skip
// tests silently. Nothing is downloaded outside the machine's package manager: as root on Debian
// we install the distribution's packages (and a CJK font, without which zh-CN screens show boxes).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { postgresBin } from './services/postgres-bin.js';

const executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SERVICES = [
  // [Debian package, executable the tests start]
  ['mosquitto', '/usr/sbin/mosquitto'],
  ['redis-server', '/usr/bin/redis-server'],
  ['postgresql', postgresBin('initdb')],
];
const INSTALL = `apt-get update && apt-get install -y --no-install-recommends chromium fonts-wqy-microhei ${SERVICES.map(([name]) => name).join(' ')}`;

function works(path) {
  if (!existsSync(path)) return false;
  const probe = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  return probe.status === 0;
}

function hasCjkFont() {
  const probe = spawnSync('fc-list', [':lang=zh'], { encoding: 'utf8' });
  return probe.status === 0 && probe.stdout.trim().length > 0;
}

function aptInstall(packages) {
  process.stderr.write(`npm test: installing ${packages.join(' ')} with apt-get (the browser and service tests need them)\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...packages]]) {
    const step = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (step.status !== 0) return false;
  }
  return true;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const canInstall = isRoot && !process.env.CHROMIUM_PATH && existsSync('/usr/bin/apt-get');
const missing = [];
if (!works(executable)) missing.push('chromium');
if (!hasCjkFont()) missing.push('fonts-wqy-microhei');
for (const [name, path] of SERVICES) if (!existsSync(path)) missing.push(name);

if (missing.length > 0 && canInstall) aptInstall(missing);
if (!works(executable)) {
  process.stderr.write([
    `npm test: no working Chromium at ${executable}; the browser tests cannot run without one.`,
    process.env.CHROMIUM_PATH
      ? 'Point CHROMIUM_PATH at a Chromium or Chrome executable.'
      : `Install Debian's Chromium, then run npm test again:\n  sudo sh -c '${INSTALL}'\n(or set CHROMIUM_PATH to a Chromium you have)`,
    '',
  ].join('\n'));
  process.exit(1);
}
const absent = SERVICES.filter(([name, path]) => !existsSync(path) && !(name === 'postgresql' && existsSync(postgresBin('initdb'))));
if (absent.length > 0) {
  process.stderr.write([
    `npm test: the service tests need ${absent.map(([name]) => name).join(', ')} (a real broker, queue and database).`,
    `Install them, then run npm test again:\n  sudo sh -c '${INSTALL}'`,
    '',
  ].join('\n'));
  process.exit(1);
}
if (!hasCjkFont()) process.stderr.write(`npm test: no CJK font: the zh-CN screenshots in test-results/screens/ will show empty boxes (sudo apt-get install fonts-wqy-microhei)\n`);
