// The live page's catalogue (web/live/live-i18n.ts) is complete in the same sense as the app's
// (test/web/i18n.test.ts): every key in both languages, English without Chinese, the same
// placeholders; every key the live page names literally (say('…')) exists.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIVE_KEYS, liveReason, liveText } from '../../web/live/live-i18n.ts';

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the live page\'s catalogue', () => {
  it('gives every key in both languages: English without Chinese, Chinese with it, the same placeholders', () => {
    // The language switch names the other language in that language.
    for (const key of LIVE_KEYS.filter((k) => k !== 'language')) {
      const zh = liveText('zh-CN', key, {}); const en = liveText('en', key, {});
      expect(CJK.test(en), `${key} en`).toBe(false);
      expect(CJK.test(zh), `${key} zh-CN`).toBe(true);
      expect(placeholders(zh), key).toEqual(placeholders(en));
    }
    expect(liveText('en', 'shown', { shown: 3, total: 9 })).toBe('3 shown of 9');
    expect(liveReason('zh-CN', 'unknown token')).toBe('未知令牌');
    expect(liveReason('zh-CN', 'something new')).toBe('something new');
  });

  it('has every key the live page names literally', () => {
    const missing: string[] = [];
    for (const name of readdirSync('web/live').filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join('web/live', name), 'utf8');
      for (const m of text.matchAll(/\bsay\(\s*'([A-Za-z_][\w-]*)'/g)) if (!LIVE_KEYS.includes(m[1] as never)) missing.push(`${name}: ${m[1]}`);
    }
    expect(missing).toEqual([]);
  });
});
