// The trainer's console, or with `?view=player` the players' window (web/player-view.ts), which
// follows a console open in another window of this browser.
if (new URLSearchParams(location.search).get('view') === 'player') {
  await import('./player-view.ts');
  document.querySelector('sandtable-app')?.replaceWith(document.createElement('player-view'));
} else {
  await import('./app.ts');
}

// Production builds work offline once loaded (web/public/sw.js; the app asks it to keep what the
// first run loaded, see web/offline.ts). Not in development: a service worker would serve stale
// modules under Vite's dev server.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  void navigator.serviceWorker.register(new URL('sw.js', document.baseURI));
}
