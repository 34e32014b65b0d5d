import { exitToJSON } from "../core/json";
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

/**
 * The JSON line `vmexit trace` prints for an exit: where it was (line, timestamp, cpu, task,
 * pid, vcpu), what it was (arch, name, code, pc, raw snapshot), and `exit` + `cause` when decoded,
 * else `exit: null` and the `error` that explains why.
 */
export function traceExitToJSON(item: TraceExitItem): Record<string, unknown> {
  const t = item.trace;
  const p = t.prefix;
  const out: Record<string, unknown> = { line: item.line };
  if (p.timestamp !== undefined) out.timestampNs = p.timestamp;
  if (p.cpu !== undefined) out.cpu = p.cpu;
  if (p.task !== undefined) out.task = p.task;
  if (p.pid !== undefined) out.pid = p.pid;
  if (t.vcpu !== undefined) out.vcpu = t.vcpu;
  out.arch = t.arch;
  out.name = t.name;
  if (t.code !== undefined) out.code = t.code;
  if (t.pc !== undefined) out.pc = toJSONValue(t.pc);
  if (t.arch === "aarch64") out.exceptionType = t.exceptionType;
  if (t.arch === "x86-vmx" || t.arch === "riscv") out.snapshot = toJSONValue(t.snapshot);
  out.exit = item.decoded === undefined ? null : exitToJSON(item.decoded.exit);
  out.cause = item.decoded === undefined ? null : toJSONValue(item.decoded.cause);
  if (item.error !== undefined) out.error = item.error.message;
  return out;
}
