// Shared look of the live page's parts: the app's palette (web/app-styles.ts) and its level
// colours (web/levels.ts) as classes, since the page's CSP allows no style attributes.
import { css, unsafeCSS } from 'lit';
import { LEVEL_COLOURS } from '../levels.ts';

const levelClasses = LEVEL_COLOURS.map((colour, level) =>
  `.l${level} { background: ${colour}; color: ${level === 2 ? '#1d2430' : '#fff'}; }`).join('\n');

export const liveStyles = css`
  :host { display: block; font-family: system-ui, "Noto Sans CJK SC", sans-serif; color: #1d2430; }
  :focus-visible { outline: 3px solid #2e86c1; outline-offset: 1px; }
  h2 { font-size: 0.95rem; margin: 0 0 0.4rem; font-weight: 600; }
  table { border-collapse: collapse; width: 100%; font-size: 0.85rem; }
  th { text-align: left; font-weight: 600; color: #4a5668; border-bottom: 1px solid #c9ced6; padding: 0.25rem 0.4rem; position: sticky; top: 0; background: #fff; }
  td { padding: 0.2rem 0.4rem; border-bottom: 1px solid #eceef1; vertical-align: top; }
  .badge { display: inline-block; min-width: 4.2em; text-align: center; border-radius: 3px; padding: 0.05rem 0.4rem; font-weight: 600; font-size: 0.8rem; white-space: nowrap; }
  .empty { color: #6b7686; font-style: italic; padding: 0.4rem; }
  .mono { font-variant-numeric: tabular-nums; white-space: nowrap; }
  .item-name { font-size: 0.78rem; color: #4a5668; }
  h2 small { font-weight: 400; color: #4a5668; margin-left: 0.3rem; }
  button.more { font: inherit; font-size: 0.85rem; margin: 0.5rem 0 0.2rem; padding: 0.25rem 0.9rem; border: 1px solid #1d2430; border-radius: 4px; background: #fff; color: #1d2430; cursor: pointer; }
  ${unsafeCSS(levelClasses)}
`;

/** The list parts: a fixed title, the table scrolling under its sticky header. */
export const listStyles = css`
  :host { display: flex; flex-direction: column; height: 100%; min-height: 0; }
  .scroll { flex: 1; min-height: 0; overflow: auto; }
  td .item-name { min-width: 8rem; overflow-wrap: break-word; }
`;

/** An item's display name in the page's language, the other language's when it has only that one. */
export function displayName(item: { name?: string | null; name_zh?: string | null }, lang: string): string {
  return (lang === 'zh-CN' ? item.name_zh ?? item.name : item.name ?? item.name_zh) ?? '';
}

/** A time on the service clock (t_s seconds after its epoch) as local date and time. */
export function liveTime(epochMs: number, tS: number): string {
  const d = new Date(epochMs + tS * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
