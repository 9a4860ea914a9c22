// `sandtable worker --queue URL` (CONTRACT.md): an ensemble queue worker; runs until SIGINT or SIGTERM.
import { InputError } from '../../models/errors.ts';
import type { ParsedArgs } from '../args.ts';
import { parseQueueUrl } from './ensemble.ts';

export async function worker({ positional, options }: ParsedArgs): Promise<void> {
  if (positional.length) throw InputError.single(positional[0], 'is not an argument of `sandtable worker`', positional[0], 'only --queue URL');
  if (!options.has('queue')) throw InputError.single('--queue', 'is required', undefined, 'redis://host:port/db: the queue the ensemble coordinator fills');
  const url = parseQueueUrl(options.get('queue'));
  const { startQueueWorker } = await import('../../models/ensemble/queue.ts');
  const log = (line: string) => process.stderr.write(`sandtable worker: ${line}\n`);
  const running = await startQueueWorker(url, log);
  log(`waiting for members on ${url.replace(/\/\/[^@/]*@/, '//')}`);
  await new Promise<void>((resolve) => {
    const stop = () => { log('stopping after the current member'); running.close().then(resolve, resolve); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
