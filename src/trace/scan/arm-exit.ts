// arm64 `kvm_exit`: `%s: HSR_EC: 0x%04x (%s), PC: 0x%016lx` (exception type, ESR_EL2.EC, the EC's
// name, PC; `PC: 0x%08lx` on old kernels; the EC is 0 unless the type is TRAP). 32-bit ARM
// kernels printed `PC: 0x%08lx` alone. libtraceevent may print the raw fields instead.
import {
  anyHexAt,
  ascii,
  hexAt,
  indexOfWord,
  isIdentPart,
  num,
  prefixedHexAt,
  skipBlanks,
  startsWith,
} from "./bytes";
import { isRawDump, key, rawAfter } from "./fields";
import type { LineRecord } from "./record";

/** Slot of the PC. */
export const A_PC = 0;

/** `n0`: the type is printed but not one of the names below (its value in `n5` when hex, else -1; text in `textStart`…). */
export const TYPE_OTHER = 0;
/** `n0`: `TRAP` (the EC is meaningful). */
export const TYPE_TRAP = 1;
/** `n0`: `IRQ`. */
export const TYPE_IRQ = 2;
/** `n0`: `SERROR`. */
export const TYPE_SERROR = 3;
/** `n0`: `HYP_GONE`. */
export const TYPE_HYP_GONE = 4;
/** `n0`: no type and no EC (32-bit ARM's `PC: 0x%08lx`). */
export const TYPE_NONE = 5;

/** The printed exception type names, by `TYPE_*`. */
export const TYPE_NAMES: readonly string[] = ["", "TRAP", "IRQ", "SERROR", "HYP_GONE", ""];

const TYPES: readonly Uint8Array[] = TYPE_NAMES.map(ascii);
const HSR_EC = ascii("HSR_EC:");
const ESR_EC = ascii("ESR_EC:");
const PC = ascii("PC:");

/** Linux `ARM_EXCEPTION_*` codes as a raw dump prints `ret`: IRQ 0, SERROR 1, TRAP 2, HYP_GONE 0xbadca11. */
const RAW_TYPES: ReadonlyMap<number, number> = new Map([
  [0, TYPE_IRQ],
  [1, TYPE_SERROR],
  [2, TYPE_TRAP],
  [0xbadca11, TYPE_HYP_GONE],
]);

/** True when the text is an arm64 (or 32-bit ARM) `kvm_exit`. */
export function isArmExit(buf: Uint8Array, pos: number, end: number): boolean {
  if (startsWith(buf, pos, end, PC)) return true;
  return indexOfWord(buf, pos, end, HSR_EC) >= 0 || indexOfWord(buf, pos, end, ESR_EC) >= 0;
}

/** Reads the raw dump `ret=… esr_ec=… vcpu_pc=…`. */
function scanRaw(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  if (!rawAfter(b, s, e, key("esr_ec"))) return r.fail("esr_ec", s, e);
  r.n1 = num.lo;
  r.n2 = 1;
  if (rawAfter(b, s, e, key("ret"))) {
    r.n0 = RAW_TYPES.get(num.lo) ?? TYPE_OTHER;
    r.n5 = num.lo;
  } else r.n0 = TYPE_TRAP;
  if (rawAfter(b, s, e, key("vcpu_pc"))) r.put(A_PC, num.hi, num.lo);
  return r.n1 <= 0x3f || r.fail("HSR_EC", s, e, "an EC in 0…0x3f");
}

/** Reads an arm64 `kvm_exit` body into `r`. */
export function scanArmExit(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  if (isRawDump(b, s, e)) return scanRaw(r, s, e);
  r.n3 = -1;
  r.n4 = -1;
  if (startsWith(b, s, e, PC)) {
    r.n0 = TYPE_NONE;
    const p = skipBlanks(b, s + PC.length, e);
    if (prefixedHexAt(b, p, e) < 0) return r.fail("PC", p, e);
    r.put(A_PC, num.hi, num.lo);
    return true;
  }
  // the exception type, then `:`
  let p = s;
  while (p < e && b[p] !== 0x3a && p - s <= 16) p++;
  if (b[p] !== 0x3a || p === s)
    return r.fail("HSR_EC", s, e, 'of the form "TYPE: HSR_EC: 0x… (NAME), PC: 0x…"');
  r.n0 = TYPE_OTHER;
  for (let i = 1; i <= TYPE_HYP_GONE; i++) {
    const w = TYPES[i] as Uint8Array;
    if (p - s === w.length && startsWith(b, s, p, w)) r.n0 = i;
  }
  r.textStart = s;
  r.textEnd = p;
  // an unnamed type prints in hex (`0x3`: ARM_EXCEPTION_IL)
  if (r.n0 === TYPE_OTHER) r.n5 = prefixedHexAt(b, s, p) === p && num.hi === 0 ? num.lo : -1;
  p = skipBlanks(b, p + 1, e);
  if (!startsWith(b, p, e, HSR_EC) && !startsWith(b, p, e, ESR_EC)) {
    return r.fail("HSR_EC", s, e, 'of the form "TYPE: HSR_EC: 0x… (NAME), PC: 0x…"');
  }
  p = skipBlanks(b, p + HSR_EC.length, e);
  const ecEnd = prefixedHexAt(b, p, e);
  if (ecEnd < 0) return r.fail("HSR_EC", p, e);
  if (num.hi !== 0 || num.lo > 0x3f) return r.fail("HSR_EC", p, ecEnd, "an EC in 0…0x3f");
  r.n1 = num.lo;
  r.n2 = 1;
  p = skipBlanks(b, ecEnd, e);
  if (b[p] === 0x28) {
    let q = p + 1;
    while (q < e && b[q] !== 0x29 && q - p <= 40) q++;
    if (b[q] === 0x29) {
      r.n3 = p + 1;
      r.n4 = q;
      p = q + 1;
    }
  }
  if (b[p] === 0x2c) p++;
  p = skipBlanks(b, p, e);
  if (startsWith(b, p, e, PC)) {
    const v = skipBlanks(b, p + PC.length, e);
    if (anyHexAt(b, v, e) < 0) return r.fail("PC", v, e);
    r.put(A_PC, num.hi, num.lo);
  }
  return true;
}

const QUICK_EC = /* @__PURE__ */ ascii(": HSR_EC: 0x");
const QUICK_PC = /* @__PURE__ */ ascii("), PC: 0x");

/** What `armHead` read: the type, the EC, where the EC's name starts and ends, and the type text's end. */
const HEAD = new Int32Array(5);

/**
 * The start both quick readers share, `TYPE: HSR_EC: 0x%04x (NAME), PC: 0x` with a named type:
 * the position of the PC's digits, with what it read in `HEAD`; -1 for any other text.
 */
function armHead(b: Uint8Array, s: number, e: number): number {
  let p = s;
  while (p < e && p - s <= 16 && b[p] !== 0x3a) p++;
  let type = 0;
  for (let i = 1; i <= TYPE_HYP_GONE && type === 0; i++) {
    const w = TYPES[i] as Uint8Array;
    if (p - s === w.length && startsWith(b, s, p, w)) type = i;
  }
  if (type === 0 || !startsWith(b, p, e, QUICK_EC)) return -1;
  const ecEnd = hexAt(b, p + QUICK_EC.length, e);
  if (ecEnd < 0 || num.hi !== 0 || num.lo > 0x3f || b[ecEnd] !== 0x20 || b[ecEnd + 1] !== 0x28) {
    return -1;
  }
  // the EC's name, as `scanArmExit` finds it: the `)` within 40 bytes of the `(` (here a name
  // of identifier characters, so that the text is no other exit format either)
  const open = ecEnd + 1;
  let q = open + 1;
  while (q < e && q - open <= 40 && isIdentPart(b[q] as number)) q++;
  if (b[q] !== 0x29 || !startsWith(b, q, e, QUICK_PC)) return -1;
  HEAD[0] = type;
  HEAD[1] = num.lo;
  HEAD[2] = open + 1;
  HEAD[3] = q;
  HEAD[4] = p;
  return q + QUICK_PC.length;
}

/** Records what `armHead` read of the text at `s`. */
function recordHead(r: LineRecord, s: number): void {
  r.n0 = HEAD[0] as number;
  r.n1 = HEAD[1] as number;
  r.n2 = 1;
  r.n3 = HEAD[2] as number;
  r.n4 = HEAD[3] as number;
  r.textStart = s;
  r.textEnd = HEAD[4] as number;
}

/**
 * The kernel's own spelling of an arm64 `kvm_exit` — `TYPE: HSR_EC: 0x%04x (NAME), PC: 0x%016lx`
 * with a named type — read in one pass. Reads into `r` what `scanArmExit` reads from the same
 * text; false (having recorded nothing) for any other text, which the general readers then read.
 */
export function quickArmExit(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  const pc = armHead(b, s, e);
  if (pc < 0 || hexAt(b, pc, e) !== e) return false;
  r.put(A_PC, num.hi, num.lo);
  recordHead(r, s);
  return true;
}

/**
 * Statistics by reason: only the `TYPE: HSR_EC: 0x%04x (NAME), PC: 0x` start of the kernel's
 * spelling (the type and the EC), the PC unread. False (having recorded nothing) for any other
 * text, which the general readers then read.
 */
export function quickArmReason(r: LineRecord, s: number, e: number): boolean {
  if (armHead(r.buf, s, e) < 0) return false;
  recordHead(r, s);
  return true;
}
