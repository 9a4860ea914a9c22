// After the first run, everything the page, the engine worker and the ensemble workers loaded
// (scripts, the kernels, the region's grids) is handed to the service worker to keep, so the app
// works offline from the first visit on: that visit loaded it all before the service worker
// controlled the page.
import type { RemoteEngine } from './engine-client.ts';
import { openWorkerResources } from './ensemble-opener.ts';
import { ensembleWorkerResources } from './ensemble-pool.ts';

let kept = false;

export async function keepForOffline(engine: RemoteEngine): Promise<void> {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const registration = await navigator.serviceWorker.ready;
  const fromWorker = await engine.loadedResources();
  // The ensemble pool's worker is started only by a run; its script is asked for once a page.
  const fromEnsembleWorker = kept ? [] : [
    ...await ensembleWorkerResources().catch(() => []),
    // The ensemble folder reader's worker, likewise started only when a folder is opened.
    ...await openWorkerResources().catch(() => []),
  ];
  kept = true;
  const fromPage = performance.getEntriesByType('resource').map((entry) => entry.name);
  registration.active?.postMessage({ type: 'precache', urls: [...new Set([location.href, ...fromPage, ...fromWorker, ...fromEnsembleWorker])] });
}
