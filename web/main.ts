import './app.ts';

// Production builds work offline once loaded (web/public/sw.js; the app asks it to keep what the
// first run loaded, see web/offline.ts). Not in development: a service worker would serve stale
// modules under Vite's dev server.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  void navigator.serviceWorker.register(new URL('sw.js', document.baseURI));
}
