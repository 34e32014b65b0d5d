// Calls functions with wrongly typed arguments and records what comes out. A library function may
// return, or throw a `VmExitError`; anything else (a TypeError, a RangeError, a hang on a
// promise that rejects with something else) is a finding. Used by test/package/api.test.ts on
// every export of the root entry; an architecture's or the trace reader's own tests can call
// `probe` on their exports the same way.
import { VmExitError } from "../../src/core/error";

/** Values of every wrong type (and a few right types with wrong contents). */
export const HOSTILE: readonly (readonly [label: string, value: unknown])[] = [
  ["undefined", undefined],
  ["null", null],
  ["true", true],
  ["0", 0],
  ["-1", -1],
  ["-0", -0],
  ["1.5", 1.5],
  ["NaN", Number.NaN],
  ["Infinity", Number.POSITIVE_INFINITY],
  ["2^53", 2 ** 53],
  ["-1n", -1n],
  ["2^64n", 2n ** 64n],
  ['""', ""],
  ['"x"', "x"],
  ['"0x10"', "0x10"],
  ["a symbol", Symbol("hostile")],
  ["{}", {}],
  ["[]", []],
  ["new Array(6)", new Array(6)],
  ["a function", () => 1],
  ["Object.create(null)", Object.create(null)],
  ["new Uint8Array(4)", new Uint8Array(4)],
  ['{ kind: "Halt", x: 1 }', { kind: "Halt", x: 1 }],
  ["{ kind: 5 }", { kind: 5 }],
  ["new Map()", new Map()],
  ["new Date(0)", new Date(0)],
];

/** One call that let something other than a `VmExitError` out. */
export interface Finding {
  /** The export's path (`decodeVmx`, `codecs.riscv.explain`). */
  readonly path: string;
  /** The arguments, as labels. */
  readonly args: string;
  /** What came out: `TypeError: Cannot read properties of null…`. */
  readonly error: string;
}

function label(v: unknown): string {
  const known = HOSTILE.find(([, h]) => Object.is(h, v));
  if (known !== undefined) return known[0];
  if (typeof v === "string") return JSON.stringify(v).slice(0, 30);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "function") return "a function";
  return typeof v === "object" && v !== null ? "(valid sample)" : String(v);
}

function isClass(f: unknown): f is new (...args: unknown[]) => unknown {
  return typeof f === "function" && /^class[\s{]/.test(Function.prototype.toString.call(f));
}

async function drain(result: unknown): Promise<void> {
  let r = result;
  if (r instanceof Promise) r = await r;
  if (typeof r !== "object" || r === null || Array.isArray(r)) return;
  const asyncIt = (r as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator];
  if (typeof asyncIt === "function") {
    let n = 0;
    for await (const _ of r as AsyncIterable<unknown>) if (++n >= 4) break;
  }
}

/** Calls `f` (with `new` for a class) and returns the finding, or `undefined` when all is well. */
async function call(
  path: string,
  f: (...args: unknown[]) => unknown,
  self: unknown,
  args: readonly unknown[],
): Promise<Finding | undefined> {
  try {
    await drain(isClass(f) ? new f(...args) : Reflect.apply(f, self, args));
    return undefined;
  } catch (e) {
    if (e instanceof VmExitError) return undefined;
    const error = e instanceof Error ? `${e.name}: ${e.message}` : `non-error ${String(e)}`;
    return { path, args: args.map(label).join(", "), error: error.slice(0, 160) };
  }
}

/**
 * Calls `f` with no arguments, with every hostile value in each of its first `arity` positions
 * (the others from `sample` when given, else the same hostile value), and returns the first
 * finding, or `undefined`.
 */
export async function probe(
  path: string,
  f: (...args: unknown[]) => unknown,
  self: unknown,
  sample: readonly unknown[] | undefined,
): Promise<Finding | undefined> {
  const arity = Math.max(f.length, sample?.length ?? 0, 1);
  const first = await call(path, f, self, []);
  if (first !== undefined) return first;
  for (const [, h] of HOSTILE) {
    for (let i = 0; i < arity; i++) {
      const args =
        sample === undefined
          ? Array.from({ length: i + 1 }, () => h)
          : sample.map((s, j) => (j === i ? h : s));
      if (sample !== undefined && i >= sample.length) args[i] = h;
      const finding = await call(path, f, self, args);
      if (finding !== undefined) return finding;
    }
  }
  return undefined;
}

/** Every function reachable from `root` through own properties (objects, arrays), with its holder. */
export function functionsOf(
  root: Readonly<Record<string, unknown>>,
  depth = 4,
): [path: string, f: (...args: unknown[]) => unknown, self: unknown][] {
  const out: [string, (...args: unknown[]) => unknown, unknown][] = [];
  const seen = new Set<unknown>();
  const walk = (holder: unknown, path: string, d: number): void => {
    if (typeof holder !== "object" || holder === null || seen.has(holder) || d < 0) return;
    seen.add(holder);
    for (const key of Object.keys(holder)) {
      const v = (holder as Record<string, unknown>)[key];
      const p = Array.isArray(holder) ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`;
      if (typeof v === "function") out.push([p, v as (...args: unknown[]) => unknown, holder]);
      else walk(v, p, d - 1);
    }
  };
  walk(root, "", depth);
  return out;
}
