// What a person reads on screen, gathered through shadow roots: visible text, options of visible
// menus, and the tooltips and labels a screen reader speaks (title, aria-label, placeholder). A
// subtree marked in another language (`lang` differing from the UI's, the language switch) is
// that language's on purpose and left out; so are text areas (the engine action's JSON).

export interface Seen { text: string; where: string }

const SPOKEN = ['title', 'aria-label', 'placeholder'];

/** An element as a selector names it, `div.note.wide`: by its class attribute, so an SVG element's too. */
export function describe(el: Element): string {
  const cls = el.getAttribute('class');
  return `${el.localName}${cls ? `.${cls.trim().split(/\s+/).join('.')}` : ''}`;
}

export function visibleText(root: Element, lang: string): Seen[] {
  const seen: Seen[] = [];
  const walk = (node: Node, path: string): void => {
    if (node.nodeType === Node.TEXT_NODE) {
      const text = node.textContent!.trim();
      const parent = node.parentElement;
      if (text && (!parent || parent.localName === 'option' || parent.checkVisibility({ visibilityProperty: true }))) seen.push({ text, where: path });
      return;
    }
    if (!(node instanceof Element) && !(node instanceof ShadowRoot)) return;
    if (node instanceof Element) {
      if (['style', 'script', 'textarea', 'template'].includes(node.localName)) return;
      const own = node.getAttribute('lang');
      if (own && own !== lang && node !== root) return;
      const inMenu = node.localName === 'option' || node.localName === 'optgroup';
      if (!inMenu && !node.checkVisibility({ visibilityProperty: true })) return;
      path = `${path} > ${describe(node)}`;
      for (const name of SPOKEN) {
        const value = node.getAttribute(name)?.trim();
        if (value) seen.push({ text: value, where: `${path}[${name}]` });
      }
      if (node.shadowRoot) walk(node.shadowRoot, path);
    }
    for (const child of node.childNodes) walk(child, path);
  };
  walk(root, '');
  return seen;
}

/**
 * Words in Latin letters a Chinese screen may show: units, ids' letters, standards' and methods'
 * names, and the EXERCISE marking. Everything else in Latin letters is an untranslated string.
 */
const LATIN_ALLOWED = new Set([
  'm', 's', 'h', 'mm', 'cm', 'km', 'kW', 'MPa', 'min', 'd', 'ppm', 'LEL', 'mg', 'E', 'N',
  'FS', 'NSE', 'KGE', 'GB', 'T', 'CAP', 'XML', 'MSEL', 'CSV', 'JSON', 'ID', 'EXERCISE', 'wasm',
  'P', 'S', 'M', 'U', 'A', 'B', 'C', 'K', 'X', 'Home', 'Chow', 'Nash', 'Sutcliffe', 'Kling', 'Gupta',
  // The routing's own symbols in the model warnings (Courant C, cell Reynolds D, Δt, cΔx/D) and names.
  'D', 't', 'c', 'x', 'Crank', 'Nicolson', 'NODATA', 'DEM',
]);

/** Ids and codes: anything with a digit or underscore (WL-001, I6, T+10:00, dt_s), or CODE-name (G-outlet). */
const ID_LIKE = /[A-Za-z0-9_+\-.:]*[0-9_][A-Za-z0-9_+\-.:]*|\b[A-Z]+-[A-Za-z-]+/g;

export function untranslatedInChinese(seen: readonly Seen[]): Seen[] {
  return seen.filter(({ text }) => (text.replace(ID_LIKE, ' ').match(/[A-Za-z]+/g) ?? []).some((w) => !LATIN_ALLOWED.has(w)));
}

const CJK = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/;

export function untranslatedInEnglish(seen: readonly Seen[]): Seen[] {
  return seen.filter(({ text }) => CJK.test(text));
}
