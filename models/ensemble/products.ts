// The product files and their hashes, as `sandtable ensemble` writes them and the app shows them:
// one function, so the browser's products are the CLI's by construction (and by test).
import { sha256Hex } from '../scenario/outputs.ts';
import type { MemberResult } from './member-run.ts';
import { membersCsv, reduceMembers, type Layout } from './reduce.ts';

export interface EnsembleProducts {
  /** Every product by its path in the output folder, members.csv included. */
  files: Record<string, string>;
  /** SHA-256 of each file (manifest.json's `product_sha256`). */
  productSha256: Record<string, string>;
  /** SHA-256 over every name and file hash in name order (manifest.json's `products_sha256`). */
  productsSha256: string;
}

export async function ensembleProducts(layout: Layout, results: readonly MemberResult[]): Promise<EnsembleProducts> {
  const files: Record<string, string> = { ...reduceMembers(layout, results), 'members.csv': membersCsv(results) };
  const names = Object.keys(files).sort();
  const productSha256 = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await sha256Hex(files[n])] as const)));
  const productsSha256 = await sha256Hex(names.map((n) => `${n}\0${productSha256[n]}\0`).join(''));
  return { files, productSha256, productsSha256 };
}
