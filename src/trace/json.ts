import { checkArg } from "../core/check-arg";
import { exitToJSON } from "../core/json";
import { traceExitItem } from "./check";
import type { TraceExitItem } from "./read";

/** A JSON-safe copy of a value: bigints become `"0x…"` strings, byte arrays plain arrays. */
export function toJSONValue(value: unknown): unknown {
  if (typeof value === "bigint") return `0x${value.toString(16)}`;
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    return Array.from(value as ArrayLike<unknown>, toJSONValue);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJSONValue(v);
  return out;
}

/** Nanoseconds as a JSON number while exact (below 2^53), else as a string of its digits. */
export function nanosJSON(ns: bigint): number | string {
  return ns <= 9_007_199_254_740_991n ? Number(ns) : ns.toString();
}

/**
 * The JSON object `vmexit trace` prints for an exit: where it was (line, timestamp, cpu, task,
 * pid, vcpu), what the line said (arch, name, code, pc, the raw snapshot of the line), the
 * companion events joined to it, and the outcome — `exit` and `cause` when the trace determines
 * the exit, else `exit: null` with `partial`, `missing` and the `error` that explains why — and
 * how it ended (`closedBy`, `entryLine`, `handlingNs`).
 */
export function traceExitToJSON(item: TraceExitItem): Record<string, unknown> {
  checkArg(item, traceExitItem, "item");
  const t = item.trace;
  const p = t.prefix;
  const out: Record<string, unknown> = { line: item.line };
  if (p.timestamp !== undefined) out.timestampNs = nanosJSON(p.timestamp);
  if (p.cpu !== undefined) out.cpu = p.cpu;
  if (p.task !== undefined) out.task = p.task;
  if (p.pid !== undefined) out.pid = p.pid;
  if (t.vcpu !== undefined) out.vcpu = t.vcpu;
  out.arch = t.arch;
  out.name = t.name;
  if (t.code !== undefined) out.code = t.code;
  if (t.pc !== undefined) out.pc = toJSONValue(t.pc);
  if (t.arch === "aarch64" && t.exceptionType !== undefined) out.exceptionType = t.exceptionType;
  if (t.arch !== "aarch64" && t.snapshot !== undefined) out.snapshot = toJSONValue(t.snapshot);
  if (item.companions.length > 0) {
    out.companions = item.companions.map((c) => {
      const { type: _type, prefix: _prefix, ...fields } = c.companion;
      return { line: c.line, ...(toJSONValue(fields) as object) };
    });
  }
  out.exit = item.exit === undefined ? null : exitToJSON(item.exit);
  out.cause = item.cause === undefined ? null : toJSONValue(item.cause);
  if (item.partial !== undefined) out.partial = toJSONValue(item.partial);
  if (item.missing !== undefined) out.missing = item.missing;
  if (item.error !== undefined) out.error = item.error.message;
  out.closedBy = item.closedBy;
  if (item.entryLine !== undefined) out.entryLine = item.entryLine;
  if (item.handlingNs !== undefined) out.handlingNs = item.handlingNs;
  return out;
}
