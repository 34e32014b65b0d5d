import { decimal, hexValue } from "./hex";
import type { TraceEntry, TracePrefix } from "./types";

// x86: `vcpu %u, rip 0x%lx intr_info 0x%08x error_code 0x%08x%s`, `vcpu %u, rip 0x%lx%s` where %s
// may be "[immediate exit]" right after the digits, or old `vcpu %u`.
const X86_ENTRY = /^vcpu\s+([^\s,]+),?(?:\s+rip\s+0x(\w+))?/;
// arm64 and RISC-V: `PC: 0x%016lx` (RISC-V's first version printed `PC: 0x016%lx`).
const PC_ENTRY = /^PC:\s+0x(\w+)/;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function bigintOf(v: number | bigint): bigint {
  return typeof v === "bigint" ? v : BigInt(v);
}

/** Parses the text of a `kvm_entry` event of any architecture (unknown text gives an entry without pc). */
export function parseEntry(prefix: TracePrefix, body: string): TraceEntry {
  const out: Mutable<TraceEntry> = { type: "entry", prefix };
  const x86 = X86_ENTRY.exec(body);
  if (x86 !== null) {
    out.vcpu = decimal(x86[1] as string, "vcpu");
    if (x86[2] !== undefined) out.pc = bigintOf(hexValue(x86[2], "rip"));
    return out;
  }
  const pc = PC_ENTRY.exec(body);
  if (pc !== null) {
    let digits = pc[1] as string;
    // The `0x016%lx` typo prints "016" before an unpadded value. `%016lx` prints exactly 16 digits
    // and arm64's old `%08lx` exactly 8 when the value has a leading zero, so only other lengths
    // starting with "016" are the typo.
    const n = digits.length;
    if (n !== 16 && n !== 8 && n > 3 && digits.startsWith("016")) digits = digits.slice(3);
    out.pc = bigintOf(hexValue(digits, "PC"));
  }
  return out;
}
