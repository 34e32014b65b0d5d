// `kvm_entry`: x86 `vcpu %u, rip 0x%lx intr_info 0x%08x error_code 0x%08x%s`, `vcpu %u, rip
// 0x%lx%s` (the `%s` is `[immediate exit]`, printed right after the digits) or old `vcpu %u`;
// arm64 and RISC-V `PC: 0x%016lx` (RISC-V's first tree printed `PC: 0x016%lx`).
import { ascii, hexAt, hexDigit, num, skipBlanks, smallDecAt, startsWith, tokenEnd } from "./bytes";
import { isRawDump, key, rawAfter } from "./fields";
import type { LineRecord } from "./record";

/** Slot of the guest PC / RIP. */
export const E_PC = 0;

const VCPU = ascii("vcpu");
const RIP = ascii("rip");
const PC = ascii("PC:");

/** Reads a `kvm_entry` body into `r` (text it does not know gives an entry without a PC). */
export function scanEntry(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  if (isRawDump(b, s, e)) {
    if (rawAfter(b, s, e, key("vcpu_id"))) r.vcpu = num.lo;
    if (rawAfter(b, s, e, key("rip")) || rawAfter(b, s, e, key("vcpu_pc"))) {
      r.put(E_PC, num.hi, num.lo);
    }
    return true;
  }
  if (startsWith(b, s, e, VCPU) && tokenEnd(b, s, e) === s + 4) {
    const v = skipBlanks(b, s + 4, e);
    let t = tokenEnd(b, v, e);
    if (t > v && b[t - 1] === 0x2c) t--;
    const n = smallDecAt(b, v, t);
    if (n < 0 || num.end !== t) return r.fail("vcpu", v, t, "a decimal number");
    r.vcpu = n;
    let p = skipBlanks(b, tokenEnd(b, v, e), e);
    if (startsWith(b, p, e, RIP)) {
      p = skipBlanks(b, p + 3, e);
      if (b[p] === 0x30 && ((b[p + 1] as number) | 0x20) === 0x78) {
        const h = hexAt(b, p + 2, e);
        if (h < 0) return r.fail("rip", p, e);
        r.put(E_PC, num.hi, num.lo);
      }
    }
    return true;
  }
  if (startsWith(b, s, e, PC)) {
    const p = skipBlanks(b, s + 3, e);
    if (b[p] !== 0x30 || ((b[p + 1] as number) | 0x20) !== 0x78) return true;
    let d = p + 2;
    let h = d;
    while (h < e && hexDigit(b[h] as number) >= 0) h++;
    // The `0x016%lx` typo prints "016" before an unpadded value. `%016lx` prints exactly 16
    // digits and arm64's old `%08lx` exactly 8 when the value has a leading zero, so only other
    // lengths starting with "016" are the typo.
    const n = h - d;
    if (n !== 16 && n !== 8 && n > 3 && b[d] === 0x30 && b[d + 1] === 0x31 && b[d + 2] === 0x36) {
      d += 3;
    }
    if (hexAt(b, d, h) !== h) return r.fail("PC", p, e);
    r.put(E_PC, num.hi, num.lo);
  }
  return true;
}
