import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));

/** What the app build and the browser tests share. */
export const sharedViteOptions: UserConfig = {
  // Workers are ES modules: the engine worker imports the model layer.
  worker: { format: 'es' },
  server: { fs: { allow: [repoRoot] } },
};

export default defineConfig({
  ...sharedViteOptions,
  root: 'web',
  server: { ...sharedViteOptions.server, host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  build: { outDir: '../dist/web', emptyOutDir: true, target: 'es2022' },
});
