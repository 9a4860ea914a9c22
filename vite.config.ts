import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));

/** What the app build and the browser tests share. */
export const sharedViteOptions: UserConfig = {
  // Workers are ES modules: the engine worker imports the model layer.
  worker: { format: 'es' },
  server: { fs: { allow: [repoRoot] } },
  // The engine worker's dependencies are reached only after the page loads: found then, the dev
  // server re-bundles and reloads the page mid-test. Bundled up front instead.
  optimizeDeps: { include: ['proj4', 'geotiff', '@assemblyscript/loader'] },
};

export default defineConfig({
  ...sharedViteOptions,
  root: 'web',
  server: { ...sharedViteOptions.server, host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  build: {
    outDir: '../dist/web', emptyOutDir: true, target: 'es2022',
    // Second entry: the live risk list page that `sandtable risklist serve` serves from dist/web/live/.
    rollupOptions: { input: { main: fileURLToPath(new URL('web/index.html', import.meta.url)), live: fileURLToPath(new URL('web/live/index.html', import.meta.url)) } },
  },
});
