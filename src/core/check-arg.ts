// The one argument guard of the exported functions: a wrongly typed argument is a
// `VmExitError("invalid-argument")` naming it, never a TypeError from deep inside.
import { show, VmExitError } from "./error";
import { exitProblem, isExitKind } from "./exit-shape";

const VALUE_TYPES = ["u64", "u32", "bytes", "choice", "named", "boolean", "function"];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

function valueSpecProblem(v: unknown): string | undefined {
  if (!isObject(v) || !VALUE_TYPES.includes(v.type as string)) {
    return `a value spec ({ type: ${VALUE_TYPES.join(" | ")} }), got ${show(v)}`;
  }
  if (v.type === "choice" && !Array.isArray(v.values)) return "a choice spec with values";
  if (v.type === "named" && (typeof v.lookup !== "function" || (v.bits !== 32 && v.bits !== 64))) {
    return "a named spec with bits 32 or 64 and a lookup function";
  }
  return undefined;
}

function snapshotKeysProblem(v: unknown): string | undefined {
  if (!Array.isArray(v))
    return `an array of snapshot keys (codecs[arch].snapshotKeys), got ${show(v)}`;
  for (let i = 0; i < v.length; i++) {
    const k: unknown = v[i];
    const ok =
      isObject(k) &&
      typeof k.key === "string" &&
      Array.isArray(k.aliases) &&
      Array.isArray(k.path) &&
      typeof k.path[0] === "string" &&
      valueSpecProblem(k.value) === undefined;
    if (!ok) return `an array of snapshot keys, but [${i}] is ${show(k)}`;
  }
  return undefined;
}

function nodesProblem(v: unknown, path: string): string | undefined {
  if (!Array.isArray(v)) return `an array of ExplainNode, got ${show(v)} at ${path}`;
  for (let i = 0; i < v.length; i++) {
    const n: unknown = v[i];
    const at = `${path}[${i}]`;
    if (!isObject(n)) return `an array of ExplainNode, got ${show(n)} at ${at}`;
    const bits = n.bits;
    const ok =
      typeof n.name === "string" &&
      Array.isArray(bits) &&
      Number.isInteger(bits[0]) &&
      Number.isInteger(bits[1]) &&
      typeof n.value === "bigint" &&
      (n.meaning === undefined || typeof n.meaning === "string");
    if (!ok) return `an array of ExplainNode ({ name, bits: [hi, lo], value: bigint }) at ${at}`;
    if (n.children !== undefined) {
      const problem = nodesProblem(n.children, `${at}.children`);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

/** Per argument type: `undefined` when the value is one, else what it must be and what it is. */
const ARG_TYPES = {
  exit: (v: unknown) => {
    const problem = exitProblem(v);
    return problem === undefined ? undefined : `a VmExit, but ${problem}`;
  },
  kind: (v: unknown) =>
    isExitKind(v) ? undefined : `an exit kind (Hypercall…SendIPI), got ${show(v)}`,
  object: (v: unknown) => (isObject(v) ? undefined : `an object, got ${show(v)}`),
  string: (v: unknown) => (typeof v === "string" ? undefined : `a string, got ${show(v)}`),
  boolean: (v: unknown) => (typeof v === "boolean" ? undefined : `a boolean, got ${show(v)}`),
  function: (v: unknown) => (typeof v === "function" ? undefined : `a function, got ${show(v)}`),
  iterable: (v: unknown) =>
    isObject(v) && typeof (v as Partial<Iterable<unknown>>)[Symbol.iterator] === "function"
      ? undefined
      : `an iterable, got ${show(v)}`,
  bits: (v: unknown) => (v === 32 || v === 64 ? undefined : `32 or 64, got ${show(v)}`),
  valueSpec: valueSpecProblem,
  snapshotKeys: snapshotKeysProblem,
  explainNodes: (v: unknown) => nodesProblem(v, "nodes"),
} as const satisfies Readonly<Record<string, (v: unknown) => string | undefined>>;

/** The argument types `checkArg` knows. */
export type ArgType = keyof typeof ARG_TYPES;

/**
 * A check of a type only one area knows (a trace report, a trace row): `undefined` when the value
 * is one, else what it must be and what it is ("a TraceStatReport, but reasons[2].count is …").
 */
export type ArgCheck = (value: unknown) => string | undefined;

/**
 * Throws `VmExitError("invalid-argument")` naming `name` unless `value` is of `type` (one of the
 * shared types, or an area's own `ArgCheck`).
 */
export function checkArg(value: unknown, type: ArgType | ArgCheck, name: string): void {
  const problem = typeof type === "function" ? type(value) : ARG_TYPES[type](value);
  if (problem !== undefined) {
    throw new VmExitError("invalid-argument", `${name} must be ${problem}`, name);
  }
}
