// `sandtable worker --queue URL` (CONTRACT.md): an ensemble queue worker; runs until SIGINT or SIGTERM.
import { InputError } from '../../models/errors.ts';
import type { ParsedArgs } from '../args.ts';
import { integerOption, parseQueueUrl } from './ensemble.ts';

export async function worker({ positional, options }: ParsedArgs): Promise<void> {
  if (positional.length) throw InputError.single(positional[0], 'is not an argument of `sandtable worker`', positional[0], 'only --queue URL');
  if (!options.has('queue')) throw InputError.single('--queue', 'is required', undefined, 'redis://host:port/db: the queue the ensemble coordinator fills');
  const url = parseQueueUrl(options.get('queue'));
  const idleExitS = integerOption(options, 'idle-exit', 1, 86400 * 365);
  const { startQueueWorker } = await import('../../models/ensemble/queue.ts');
  const log = (line: string) => process.stderr.write(`sandtable worker: ${line}\n`);
  const running = await startQueueWorker(url, log);
  log(`waiting for members on ${url.replace(/\/\/[^@/]*@/, '//')}`);
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
