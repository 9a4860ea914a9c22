// The published check cases live in ../shared/reference (beside the repository, as in CI).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const REFERENCE_DIR = process.env.SANDTABLE_REFERENCE_DIR
  ?? fileURLToPath(new URL('../../shared/reference/', import.meta.url));

export function readReference<T = unknown>(relativePath: string): T {
  const path = `${REFERENCE_DIR.replace(/\/?$/, '/')}${relativePath}`;
  if (!existsSync(path)) {
    throw new Error(`reference data ${path} is missing: the tests expect shared/ beside the repository (or SANDTABLE_REFERENCE_DIR)`);
  }
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
