// A register's fields as a bit-position table (one column per bit, each field a cell spanning its
// bits) and as a list with every meaning, from the library's `ExplainNode` trees.
import { type Child, h } from "./dom";
import type { ExplainNode } from "./lib";

/** One cell of a field row: a field, or a run of bits no field covers. */
export interface Cell {
  /** Highest bit of the cell. */
  readonly hi: number;
  /** Lowest bit of the cell. */
  readonly lo: number;
  /** The field, absent for a gap. */
  readonly node?: ExplainNode;
}

/** `[hi:lo]`, or `[bit]` for one bit. */
export function bitRange(node: ExplainNode): string {
  const [hi, lo] = node.bits;
  return hi === lo ? `[${hi}]` : `[${hi}:${lo}]`;
}

/** `0x…` of a field value. */
export function hex(value: bigint): string {
  return `0x${value.toString(16)}`;
}

/**
 * The highest bit the table shows: the register's top bit, cut down to the highest field or set
 * bit rounded up to a whole byte, so a 64-bit register with low fields is not 64 columns wide.
 */
export function shownTop(node: ExplainNode): number {
  const [hi, lo] = node.bits;
  let top = lo + node.value.toString(2).length - 1;
  for (const c of node.children ?? []) top = Math.max(top, c.bits[0]);
  const width = Math.ceil((top - lo + 1) / 8) * 8;
  return Math.min(hi, lo + width - 1);
}

/**
 * Lays the children out in rows over bits `top…lo`: each row lists cells from the top bit down,
 * fields where they are and gaps between them; a field that overlaps one already placed goes to
 * the next row.
 */
export function layoutRows(children: readonly ExplainNode[], top: number, lo: number): Cell[][] {
  const sorted = [...children].sort((a, b) => b.bits[0] - a.bits[0] || b.bits[1] - a.bits[1]);
  const rows: ExplainNode[][] = [];
  for (const child of sorted) {
    const fits = (row: ExplainNode[]) =>
      row.every((o) => child.bits[1] > o.bits[0] || child.bits[0] < o.bits[1]);
    const row = rows.find(fits);
    if (row === undefined) rows.push([child]);
    else row.push(child);
  }
  return rows.map((row) => {
    const cells: Cell[] = [];
    let next = top;
    for (const node of row.sort((a, b) => b.bits[0] - a.bits[0])) {
      const hi = Math.min(node.bits[0], top);
      const nlo = Math.max(node.bits[1], lo);
      if (hi < nlo) continue;
      if (hi < next) cells.push({ hi: next, lo: hi + 1 });
      cells.push({ hi, lo: nlo, node });
      next = nlo - 1;
    }
    if (next >= lo) cells.push({ hi: next, lo });
    return cells;
  });
}

function describe(node: ExplainNode): string {
  const head = `${node.name} ${bitRange(node)} = ${hex(node.value)}`;
  return node.meaning === undefined ? head : `${head}: ${node.meaning}`;
}

function table(node: ExplainNode): HTMLElement {
  const lo = node.bits[1];
  const top = shownTop(node);
  const bits: number[] = [];
  for (let b = top; b >= lo; b--) bits.push(b);
  const bit = (b: number) => Number((node.value >> BigInt(b - lo)) & 1n);
  const head = h(
    "tr",
    { class: "bit-numbers" },
    h("th", { scope: "row" }, "bit"),
    ...bits.map((b) => h("th", { scope: "col" }, String(b))),
  );
  const values = h(
    "tr",
    { class: "bit-values" },
    h("th", { scope: "row" }, "value"),
    ...bits.map((b) => h("td", { class: bit(b) === 1 ? "one" : "zero" }, String(bit(b)))),
  );
  const fieldRows = layoutRows(node.children ?? [], top, lo).map((cells) =>
    h(
      "tr",
      { class: "fields" },
      h("th", { scope: "row" }, "field"),
      ...cells.map((c) =>
        c.node === undefined
          ? h("td", { class: "gap", colspan: c.hi - c.lo + 1 })
          : h(
              "td",
              {
                colspan: c.hi - c.lo + 1,
                title: describe(c.node),
                class: c.node.value === 0n ? "bitfield" : "bitfield set",
              },
              h("span", { class: "name" }, c.node.name),
              h("span", { class: "value" }, hex(c.node.value)),
            ),
      ),
    ),
  );
  const [hi] = node.bits;
  const hidden = top < hi ? ` (bits ${hi}:${top + 1} are 0, not shown)` : "";
  return h(
    "div",
    { class: "scroll", tabindex: 0, role: "region", "aria-label": `${node.name} bits` },
    h(
      "table",
      { class: "bits" },
      h("caption", {}, `${node.name} ${bitRange(node)} = ${hex(node.value)}${hidden}`),
      h("thead", {}, head),
      h("tbody", {}, values, ...fieldRows),
    ),
  );
}

function fieldList(nodes: readonly ExplainNode[]): HTMLElement {
  return h(
    "dl",
    { class: "field-list" },
    ...nodes.flatMap((n) => [
      h(
        "dt",
        {},
        h("span", { class: "name" }, n.name),
        " ",
        h("span", { class: "range" }, bitRange(n)),
        " = ",
        h("code", {}, hex(n.value)),
      ),
      h("dd", {}, n.meaning ?? ""),
    ]),
  );
}

function register(node: ExplainNode, level: number): HTMLElement {
  const children = node.children ?? [];
  const heading = h(
    level === 0 ? "h4" : "h5",
    {},
    `${node.name} `,
    h("span", { class: "range" }, bitRange(node)),
  );
  const nested: Child[] = children
    .filter((c) => c.children !== undefined)
    .map((c) => register(c, level + 1));
  return h(
    "section",
    { class: level === 0 ? "register" : "register nested" },
    heading,
    node.meaning === undefined ? null : h("p", { class: "meaning" }, node.meaning),
    table(node),
    fieldList(children),
    ...nested,
  );
}

/** The explanation of a snapshot: a table and list per register with fields, a list of the rest. */
export function explainView(nodes: readonly ExplainNode[]): HTMLElement {
  const registers = nodes.filter((n) => n.children !== undefined);
  const plain = nodes.filter((n) => n.children === undefined);
  return h(
    "div",
    { class: "explain" },
    ...registers.map((n) => register(n, 0)),
    plain.length === 0
      ? null
      : h("section", { class: "register values" }, h("h4", {}, "Other values"), fieldList(plain)),
  );
}
