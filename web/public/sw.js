// Offline once loaded: a drill room's network can fail mid-exercise. Every same-origin GET the app
// makes (page, scripts, the wasm kernels, the region's grids) is kept; the page itself is fetched
// fresh when the network answers, the hashed assets and grids are served from the cache first.
const CACHE = 'sandtable-v1';
// Match by URL alone: the page, module scripts and the precache fetches send different headers,
// and a Vary header on the server's responses would otherwise make a cached copy unusable.
const MATCH = { ignoreVary: true };

self.addEventListener('install', () => self.skipWaiting());

// The first visit loads everything before this worker controls the page, so the page lists what
// it loaded (hashed names this file cannot know) and the worker keeps it.
self.addEventListener('message', (event) => {
  if (event.data?.type !== 'precache' || !Array.isArray(event.data.urls)) return;
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await Promise.all(event.data.urls.map(async (url) => {
      if (new URL(url).origin !== self.location.origin || (await cache.match(url, MATCH))) return;
      try {
        const response = await fetch(url);
        if (response.ok) await cache.put(url, response);
      } catch { /* offline already: keep what is there */ }
    }));
    event.source?.postMessage({ type: 'precached' });
  })());
});
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  const isPage = request.mode === 'navigate';
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    if (!isPage) {
      const cached = await cache.match(request, MATCH);
      if (cached) return cached;
    }
    try {
      const response = await fetch(request);
      if (response.ok) await cache.put(request, response.clone());
      return response;
    } catch (error) {
      const cached = await cache.match(request, MATCH);
      if (cached) return cached;
      throw error;
    }
  })());
});
