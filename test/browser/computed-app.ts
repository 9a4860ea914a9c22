import '../../web/app.ts';
import type { SandtableApp } from '../../web/app.ts';
import { until } from './until.ts';

/**
 * A fresh app in the page, once its first scenario (the shipped storm) is computed. `I` is the
 * test's own view of the app's internals: each test reads different ones.
 */
export async function computedApp<I extends { computing: boolean; result?: unknown }>(): Promise<{ app: SandtableApp; internals: I }> {
  const app = document.createElement('sandtable-app') as SandtableApp;
  document.body.append(app);
  const internals = app as unknown as I;
  await until(() => (!internals.computing && internals.result ? true : undefined), 'the storm to be computed', 90_000);
  return { app, internals };
}
