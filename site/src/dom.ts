// A small element builder: the page is built from the registry at run time, without a framework.

/** Attributes of `h`: strings (or true for an empty attribute); false and undefined are left out. */
export type Attrs = Readonly<Record<string, string | number | boolean | undefined>>;
/** What `h` accepts as children: nodes and text; null, undefined and false are skipped. */
export type Child = Node | string | null | undefined | false;

/** Creates an HTML element with attributes and children: `h("p", { class: "note" }, "text")`. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: readonly Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** Creates an SVG element with attributes and children. */
export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: readonly Child[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el: Element, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? "" : String(value));
  }
}

function append(el: Element, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c);
  }
}

/** Replaces all children of `el`. */
export function replace(el: Element, ...children: readonly Child[]): void {
  el.replaceChildren();
  append(el, children);
}
