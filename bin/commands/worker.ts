// `sandtable worker --queue URL` (CONTRACT.md): an ensemble queue worker; runs until SIGINT or SIGTERM.
import { InputError } from '../../models/errors.ts';
import type { ParsedArgs } from '../args.ts';
import { printJson } from '../io.ts';
import { integerOption, parseQueueUrl } from './ensemble.ts';
import { withoutCredentials } from '../../models/redact.ts';

export async function worker({ positional, options }: ParsedArgs): Promise<void> {
  if (positional.length) throw InputError.single(positional[0], 'is not an argument of `sandtable worker`', positional[0], 'only --queue URL');
  if (!options.has('queue')) throw InputError.single('--queue', 'is required', undefined, 'redis://host:port/db: the queue the ensemble coordinator fills');
  const url = parseQueueUrl(options.get('queue'));
  const idleExitS = integerOption(options, 'idle-exit', 1, 86400 * 365);
  const admin = ['list-runs', 'remove-run'].filter((o) => options.has(o));
  if (admin.length) return manageRuns(url, options, admin);
  const { startQueueWorker } = await import('../../models/ensemble/queue.ts');
  const log = (line: string) => process.stderr.write(`sandtable worker: ${line}\n`);
  const running = await startQueueWorker(url, log);
  log(`waiting for members on ${withoutCredentials(url)}`);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (why: string) => { if (stopping) return; stopping = true; clearInterval(idle); log(`stopping: ${why}`); running.close().then(resolve, resolve); };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    // A batch pod (a Kubernetes Job) ends when the queue has had nothing for it for a while.
    let busy = false; let lastActive = Date.now();
    running.worker.on('active', () => { busy = true; });
    running.worker.on('completed', () => { busy = false; lastActive = Date.now(); });
    running.worker.on('failed', () => { busy = false; lastActive = Date.now(); });
    const idle = setInterval(() => {
      if (idleExitS !== undefined && !busy && Date.now() - lastActive > idleExitS * 1000) stop(`idle for ${idleExitS} s`);
    }, 250);
  });
}

/** `--list-runs` and `--remove-run ID`: an operator's look at the queue's runs; no job is taken. */
async function manageRuns(url: string, options: Map<string, string | true>, given: string[]): Promise<void> {
  if (given.length > 1) throw InputError.single('--remove-run', 'cannot go with --list-runs', undefined, 'one of --list-runs, --remove-run ID');
  if (options.has('idle-exit')) throw InputError.single('--idle-exit', `cannot go with --${given[0]}`, undefined, '--idle-exit S only for a worker that runs jobs');
  const { RUN_ID_FORM } = await import('../../models/ensemble/queue-runs.ts');
  const runId = options.get('remove-run');
  if (given[0] === 'remove-run' && (typeof runId !== 'string' || !RUN_ID_FORM.test(runId))) {
    throw InputError.single('--remove-run', 'is not a run id', runId === true ? undefined : runId, '16 hexadecimal digits, as `--list-runs` prints them (and the job ids begin with)');
  }
  const { withRuns } = await import('../../models/ensemble/queue.ts');
  const shown = withoutCredentials(url);
  await withRuns(url, async ({ list, status, remove }) => {
    if (given[0] === 'list-runs') return printJson({ queue: shown, runs: await list() });
    const id = runId as string;
    const before = await status(id);
    if (before.state === 'unregistered' && !(await list()).some((run) => run.run_id === id)) throw InputError.single('--remove-run', 'is not a run on this queue', id, 'a run id that `sandtable worker --queue URL --list-runs` lists');
    if (before.state === 'running') throw InputError.single('--remove-run', `is still running (its coordinator on ${before.host} pid ${before.pid} beat ${before.silent_s} s ago)`, id, 'a run whose coordinator has stopped: stop it first');
    const removal = await remove(id);
    if (!removal) throw InputError.single('--remove-run', 'is being removed by another process, or its coordinator started again', id, 'a stopped run nobody else is removing: list the runs again');
    process.stderr.write(`sandtable worker: removed run ${id}: ${removal.summary}\n`);
    printJson({ queue: shown, run_id: id, state: before.state, removed: removal.removed, active_left: removal.active_left });
  });
}
