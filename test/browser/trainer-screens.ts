// Screens of the app as trainers see it, for a person to judge (test-results/screens/): Chinese and
// English at the two sizes the brief names. One loop for every browser test that writes them.
import { page } from 'vitest/browser';

type Lang = 'zh-CN' | 'en';
/** The app element: its language is an internal, set directly as the language button does. */
type App = HTMLElement & { updateComplete: Promise<unknown> };

export const TRAINER_SIZES = [[1440, 900], [1024, 768]] as const;

/**
 * Writes `${name}-${width}x${height}-${lang}.png` for each size and language. `beforeShot` runs
 * after the page settles (e.g. to scroll a part into view). Afterwards the page is back at
 * 1440 × 900 in `after` (default: the language it had).
 */
export async function trainerScreens(app: App, name: string, options: { beforeShot?: () => void; settleMs?: number; after?: Lang } = {}): Promise<void> {
  const internals = app as unknown as { uiLang: Lang };
  const after = options.after ?? internals.uiLang;
  for (const [width, height] of TRAINER_SIZES) {
    await page.viewport(width, height);
    for (const lang of ['zh-CN', 'en'] as const) {
      internals.uiLang = lang;
      await app.updateComplete;
      await new Promise((r) => setTimeout(r, options.settleMs ?? 300));
      options.beforeShot?.();
      await page.screenshot({ path: `../../test-results/screens/${name}-${width}x${height}-${lang}.png` });
    }
  }
  internals.uiLang = after;
  await page.viewport(1440, 900);
  await app.updateComplete;
}
