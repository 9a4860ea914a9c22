// `sandtable risklist serve <serve.json>`: validates the serve file (exit 2 with `error:` lines),
// starts the service, and runs until SIGINT or SIGTERM, then shuts down gracefully.
import { loadServeConfig } from '../../models/risklist/serve/config.ts';
import { startService } from '../../models/risklist/serve/start.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import type { ParsedArgs } from '../args.ts';
import { readCase } from '../io.ts';

export async function risklistServe({ positional }: ParsedArgs): Promise<void> {
  const file = await readCase(positional[0]);
  const config = loadServeConfig(file.value, file.name === '<stdin>' ? 'serve.json' : file.name);
  const running = await startService(config, await loadKernels());
  await new Promise<void>((resolve) => {
    const stop = () => { running.stop().then(resolve, resolve); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
