// A coordinator process for queue-heartbeat.test.ts (run with `node --import tsx`): it registers
// a run with one job nobody takes, then, by `mode`:
//   stretch          spends 4 s in async work that neither adds nor polls, releases, removes its job, ends
//   signal-handled   keeps working; its own SIGTERM handler shuts down over 4 s
//   signal-default   keeps working with no signal handler of its own
import { openQueue, removeJobs } from '../../models/ensemble/queue.ts';
import { holdRunBeat } from '../../models/ensemble/run-beat.ts';

const [mode, url, runId] = process.argv.slice(2);
const say = (line: string) => process.stdout.write(`${line}\n`);

const beat = holdRunBeat(url, runId);
const queue = await openQueue(url);
await queue.add('member', `${runId}-0`, { runId, index: 0 });
await queue.close();
if (mode === 'stretch') {
  say('stretch');
  await new Promise((r) => setTimeout(r, 4000));
  await beat.release();
  await removeJobs(url, [`${runId}-0`]);
  say('released');
} else {
  // Work that keeps the process alive (the beat's own timer does not).
  setInterval(() => undefined, 1000);
  if (mode === 'signal-handled') process.on('SIGTERM', () => { say('stopping'); setTimeout(() => process.exit(0), 4000); });
  say('beating');
}
