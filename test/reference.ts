// The published check cases the tests compare against, kept in the repository (test/reference/,
// sources in its README) so that a clone runs its tests with nothing beside it.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REFERENCE_DIR = fileURLToPath(new URL('./reference/', import.meta.url));

export function referencePath(relativePath: string): string {
  const path = `${REFERENCE_DIR}${relativePath}`;
  if (!existsSync(path)) throw new Error(`reference data ${path} is missing from test/reference/`);
  return path;
}

export function readReference<T = unknown>(relativePath: string): T {
  return JSON.parse(readFileSync(referencePath(relativePath), 'utf8')) as T;
}
