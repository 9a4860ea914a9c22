// Whether a part of the app is on screen for a person to read: not merely in the DOM with the right
// text, but rendered, inside the window, and not covered or cut off by what scrolls or lies over it.
import { describe } from './visible-text.ts';

/** The element drawn at a point of the window, through open shadow roots. */
function elementAt(x: number, y: number): Element | null {
  let hit = document.elementFromPoint(x, y);
  while (hit?.shadowRoot) {
    const inner = hit.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === hit) break;
    hit = inner;
  }
  return hit;
}

/** Whether `node` is `el` or inside it, across shadow roots. */
function within(node: Node | null, el: Element): boolean {
  for (let n = node; n; n = n.parentNode ?? (n instanceof ShadowRoot ? n.host : null)) if (n === el) return true;
  return false;
}

/**
 * Why `el` is not wholly on screen, or undefined when it is: rendered and visible, inside the
 * window, and itself (not something over it, nor a scroller's edge) at its centre and near each corner.
 */
export function notOnScreen(el: Element): string | undefined {
  if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return 'not rendered';
  const r = el.getBoundingClientRect();
  if (r.width < 1 || r.height < 1) return 'has no size';
  if (r.left < 0 || r.top < 0 || r.right > window.innerWidth || r.bottom > window.innerHeight) {
    return `outside the window (${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)} in ${window.innerWidth}×${window.innerHeight})`;
  }
  const inset = 3;
  const points = [[(r.left + r.right) / 2, (r.top + r.bottom) / 2], [r.left + inset, r.top + inset], [r.right - inset, r.top + inset], [r.left + inset, r.bottom - inset], [r.right - inset, r.bottom - inset]];
  for (const [x, y] of points) {
    const hit = elementAt(x, y);
    if (!within(hit, el)) return `covered at ${Math.round(x)},${Math.round(y)} by ${hit ? describe(hit) : 'nothing'}`;
  }
  return undefined;
}
