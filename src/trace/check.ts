// The trace reader's own argument types, as checks for the shared guard (`checkArg`): what a value
// must be and, when it is not, the first part of it that is wrong. Sources and chunks are checked
// where the reader takes them; exit items where rows and JSON are made of them.
import type { ArgCheck } from "../core/check-arg";
import { show } from "../core/error";
import { exitProblem, isExitKind } from "../core/exit-shape";
import { EXIT_FIELDS } from "../core/fields";
import { argsProblem, CHECK, EXPECTED } from "../core/validate";
import type { TraceArch } from "./types";

type Fields = Readonly<Record<string, unknown>>;

function isObject(v: unknown): v is Fields {
  return typeof v === "object" && v !== null;
}

/** What a trace can be read from: `TraceSource` or a string of the whole text. */
export const traceSource: ArgCheck = (v) => {
  const what = "a string, a ReadableStream or an (async) iterable of strings or Uint8Arrays";
  if (typeof v === "string") return undefined;
  if (ArrayBuffer.isView(v)) return `${what}; a Uint8Array is one chunk: pass [bytes]`;
  const ok =
    isObject(v) &&
    (typeof v.getReader === "function" ||
      typeof v[Symbol.asyncIterator as never] === "function" ||
      typeof v[Symbol.iterator as never] === "function");
  return ok ? undefined : `${what}, got ${show(v)}`;
};

/** One chunk of a trace source. */
export const traceChunk: ArgCheck = (v) =>
  typeof v === "string" || v instanceof Uint8Array
    ? undefined
    : `a string or a Uint8Array (a chunk of trace text), got ${show(v)}`;

const ARCHS: readonly unknown[] = ["x86-vmx", "x86-svm", "aarch64", "riscv"] satisfies TraceArch[];
const CLOSES: readonly unknown[] = ["entry", "exit", "end", "evicted"];

type Want = "number" | "string" | "bigint" | "object";

/** `undefined` when `v` is absent or of type `want`, else the phrase for `at`. */
function optional(v: unknown, want: Want, at: string): string | undefined {
  if (v === undefined || (want === "object" ? isObject(v) : typeof v === want)) return undefined;
  return `${at} is ${show(v)}, not ${want === "object" ? "an object" : `a ${want}`}`;
}

function integer(v: unknown): boolean {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

/** The known fields of a partial exit: its kind and fields of that kind, each of its type. */
function partialProblem(v: unknown): string | undefined {
  if (!isObject(v)) return `partial is ${show(v)}, not an object`;
  const kind = v.kind;
  if (!isExitKind(kind)) return `partial.kind ${show(kind)} is not an exit kind`;
  for (const [name, type] of EXIT_FIELDS[kind]) {
    const f = v[name];
    if (f === undefined || CHECK[type](f)) continue;
    return type === "args"
      ? `partial.${argsProblem(f)}`
      : `partial.${name} must be ${EXPECTED[type]}, got ${show(f)}`;
  }
  return undefined;
}

function traceProblem(t: unknown): string | undefined {
  if (!isObject(t)) return `trace is ${show(t)}, not an object`;
  const p = t.prefix;
  if (!isObject(p)) return `trace.prefix is ${show(p)}, not an object`;
  if (!ARCHS.includes(t.arch)) return `trace.arch is ${show(t.arch)}, not a trace architecture`;
  if (typeof t.name !== "string") return `trace.name is ${show(t.name)}, not a string`;
  return (
    optional(p.timestamp, "bigint", "trace.prefix.timestamp") ??
    optional(p.cpu, "number", "trace.prefix.cpu") ??
    optional(p.pid, "number", "trace.prefix.pid") ??
    optional(p.task, "string", "trace.prefix.task") ??
    optional(t.vcpu, "number", "trace.vcpu") ??
    optional(t.code, "number", "trace.code") ??
    optional(t.pc, "bigint", "trace.pc") ??
    optional(t.snapshot, "object", "trace.snapshot")
  );
}

function companionsProblem(v: unknown): string | undefined {
  if (!Array.isArray(v)) return `companions is ${show(v)}, not an array`;
  for (let i = 0; i < v.length; i++) {
    const c: unknown = v[i];
    if (!isObject(c) || !integer(c.line) || !isObject(c.companion)) {
      return `companions[${i}] is not a companion item ({ line, companion })`;
    }
  }
  return undefined;
}

function outcomeProblem(item: Fields): string | undefined {
  if (item.exit !== undefined) {
    const problem = exitProblem(item.exit);
    if (problem !== undefined) return `exit is not a VmExit: ${problem}`;
  }
  if (item.partial !== undefined) {
    const problem = partialProblem(item.partial);
    if (problem !== undefined) return problem;
  }
  const missing = item.missing;
  if (
    missing !== undefined &&
    !(Array.isArray(missing) && missing.every((m) => typeof m === "string"))
  ) {
    return `missing is ${show(missing)}, not an array of field names`;
  }
  const error = item.error;
  if (error !== undefined && !(isObject(error) && typeof error.message === "string")) {
    return `error is ${show(error)}, not an error`;
  }
  if (!CLOSES.includes(item.closedBy)) return `closedBy is ${show(item.closedBy)}`;
  return (
    optional(item.entryLine, "number", "entryLine") ??
    optional(item.handlingNs, "number", "handlingNs")
  );
}

/** An exit item of `readTrace` (`type: "exit"`), as `traceRow` and `traceExitToJSON` read it. */
export const traceExitItem: ArgCheck = (v) => {
  const what = 'an exit item of readTrace ({ type: "exit", line, trace, companions, closedBy, … })';
  if (!isObject(v) || v.type !== "exit") return `${what}, got ${show(v)}`;
  if (!integer(v.line)) return `${what}, but line is ${show(v.line)}`;
  const problem = traceProblem(v.trace) ?? companionsProblem(v.companions) ?? outcomeProblem(v);
  return problem === undefined ? undefined : `${what}, but ${problem}`;
};
