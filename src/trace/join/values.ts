// Values of a vCPU state as decoders take them: a number when it is a safe integer, else a bigint.
import { bigValue, numValue } from "../scan/bytes";
import type { VcpuState } from "./state";

/** The companion value at `off` as a number or bigint. */
export function cvValue(st: VcpuState, off: number): number | bigint {
  return numValue(st.cv[off] as number, st.cv[off + 1] as number);
}

/** The companion value at `off` as a bigint. */
export function cvBig(st: VcpuState, off: number): bigint {
  return bigValue(st.cv[off] as number, st.cv[off + 1] as number);
}

/** Exit-line slot `i` as a number or bigint. */
export function slotValue(st: VcpuState, i: number): number | bigint {
  return numValue(st.hi[i] as number, st.lo[i] as number);
}

/** A 64-bit value from halves, masked to `bytes` bytes (1, 2, 4, 8; other lengths are kept whole). */
export function maskedValue(hi: number, lo: number, bytes: number): number | bigint {
  if (bytes === 1) return lo & 0xff;
  if (bytes === 2) return lo & 0xffff;
  if (bytes === 4) return lo;
  return numValue(hi, lo);
}

/** A 32-bit hash of an exit's format, code and companions seen (`Reconstruction.classId`). */
export function classOf(format: number, code: number, seen: number): number {
  return (Math.imul(code ^ (format << 29), 0x9e3779b1) ^ Math.imul(seen, 0x85ebca6b)) >>> 0;
}

/** A snapshot as an item shows it: its members (and those of `regs`) that the trace gives, the undefined ones left out. */
export function definedOnly(snapshot: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in snapshot) {
    const v = snapshot[k];
    if (v === undefined) continue;
    out[k] =
      typeof v === "object" && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v)
        ? definedOnly(v as Record<string, unknown>)
        : v;
  }
  return out;
}
