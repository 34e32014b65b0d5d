// RISC-V `kvm_exit`: `SEPC:0x%lx, SCAUSE:0x%lx, STVAL:0x%lx, HTVAL:0x%lx, HTINST:0x%lx`, and the
// variants of other trees (`VCPU: %lu, SEPC: 0x%lx, …`, `SCAUSE:0x%lx (%s)`). Read as `KEY:0x…`
// pairs in one pass: an upper-case run is read once whether or not it is a key.
import { ascii, decAt, hexAt, num, prefixedHexAt, skipBlanks, startsWith } from "./bytes";
import { isRawDump, key, rawAfter } from "./fields";
import type { LineRecord } from "./record";

/** Slot of SEPC. */
export const R_SEPC = 0;
/** Slot of SCAUSE. */
export const R_SCAUSE = 1;
/** Slot of STVAL. */
export const R_STVAL = 2;
/** Slot of HTVAL. */
export const R_HTVAL = 3;
/** Slot of HTINST. */
export const R_HTINST = 4;

const NAMES: readonly string[] = ["SEPC", "SCAUSE", "STVAL", "HTVAL", "HTINST"];
const KEYS: readonly Uint8Array[] = NAMES.map(ascii);
const RAW_KEYS: readonly Uint8Array[] = ["sepc", "scause", "stval", "htval", "htinst"].map(key);
const VCPU = ascii("VCPU");
const SCAUSE = ascii("SCAUSE:");

/** True when the text is a RISC-V `kvm_exit`. */
export function isRiscvExit(buf: Uint8Array, pos: number, end: number): boolean {
  if (startsWith(buf, pos, end, KEYS[0] as Uint8Array)) return true;
  for (let p = pos; p + SCAUSE.length <= end; p++) {
    if (buf[p] === 0x53 && startsWith(buf, p, end, SCAUSE)) return true;
  }
  return isRawDump(buf, pos, end);
}

function keyIndex(buf: Uint8Array, s: number, e: number): number {
  for (let i = 0; i < KEYS.length; i++) {
    const k = KEYS[i] as Uint8Array;
    if (e - s === k.length && startsWith(buf, s, e, k)) return i;
  }
  return e - s === VCPU.length && startsWith(buf, s, e, VCPU) ? 5 : -1;
}

/** Reads a RISC-V `kvm_exit` body into `r`: slots `R_*`, `vcpu` when printed. */
export function scanRiscvExit(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  if (isRawDump(b, s, e)) {
    for (let i = 0; i < RAW_KEYS.length; i++) {
      if (rawAfter(b, s, e, RAW_KEYS[i] as Uint8Array)) r.put(i, num.hi, num.lo);
    }
    return r.has(R_SCAUSE) || r.fail("scause", s, e, "a raw scause field");
  }
  let p = s;
  while (p < e) {
    const c = b[p] as number;
    if (c < 0x41 || c > 0x5a) {
      p++;
      continue;
    }
    const ks = p;
    while (p < e && (b[p] as number) >= 0x41 && (b[p] as number) <= 0x5a) p++;
    const which = keyIndex(b, ks, p);
    if (which < 0 || b[p] !== 0x3a) continue;
    const v = skipBlanks(b, p + 1, e);
    if (which === 5) {
      const de = decAt(b, v, e);
      if (de >= 0 && num.hi === 0) r.vcpu = num.lo;
      continue;
    }
    const ve = prefixedHexAt(b, v, e);
    if (ve < 0) return r.fail(NAMES[which] as string, v, Math.min(e, v + 20));
    r.put(which, num.hi, num.lo);
    p = ve;
  }
  if (!r.has(R_SCAUSE)) return r.fail("SCAUSE", s, e, "present (SCAUSE:0x…)");
  return true;
}

const QUICK_KEYS: readonly Uint8Array[] = /* @__PURE__ */ [
  "SEPC:0x",
  ", SCAUSE:0x",
  ", STVAL:0x",
  ", HTVAL:0x",
  ", HTINST:0x",
].map(ascii);

/**
 * The kernel's own spelling of a RISC-V `kvm_exit` — `SEPC:0x%lx, SCAUSE:0x%lx, STVAL:0x%lx,
 * HTVAL:0x%lx, HTINST:0x%lx` — read in one pass. Reads into `r` what `scanRiscvExit` reads from
 * the same text; false (having recorded nothing) for any other text, which it then reads.
 */
export function quickRiscvExit(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  let p = s;
  for (let i = 0; i < QUICK_KEYS.length; i++) {
    const key = QUICK_KEYS[i] as Uint8Array;
    if (!startsWith(b, p, e, key)) return false;
    p = hexAt(b, p + key.length, e);
    if (p < 0) return false;
    r.hi[i] = num.hi;
    r.lo[i] = num.lo;
  }
  if (p !== e) return false;
  // slots R_SEPC … R_HTINST are 0 … 4
  r.set = 0b11111;
  return true;
}

/**
 * Statistics by reason: only the `SEPC:0x%lx, SCAUSE:0x%lx, ` start of the kernel's spelling
 * (SEPC and SCAUSE), the rest unread. False (having recorded nothing) for any other text, which
 * the general readers then read.
 */
export function quickRiscvCause(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  const k0 = QUICK_KEYS[0] as Uint8Array;
  const k1 = QUICK_KEYS[1] as Uint8Array;
  if (!startsWith(b, s, e, k0)) return false;
  let p = hexAt(b, s + k0.length, e);
  if (p < 0) return false;
  const pcHi = num.hi;
  const pcLo = num.lo;
  if (!startsWith(b, p, e, k1)) return false;
  p = hexAt(b, p + k1.length, e);
  if (p < 0 || b[p] !== 0x2c) return false;
  r.hi[R_SEPC] = pcHi;
  r.lo[R_SEPC] = pcLo;
  r.hi[R_SCAUSE] = num.hi;
  r.lo[R_SCAUSE] = num.lo;
  r.set = (1 << R_SEPC) | (1 << R_SCAUSE);
  return true;
}
