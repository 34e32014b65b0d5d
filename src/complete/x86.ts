// x86 register writes (Intel SDM Vol. 1 §3.4.1.1, "General-Purpose Registers in 64-Bit Mode"):
// an 8- or 16-bit destination keeps the other bits of the register, AH/CH/DH/BH are bits 15:8 of
// RAX/RCX/RDX/RBX, a 32-bit destination is zero-extended to 64 bits, a 64-bit one is written whole.
import type { RegValue } from "../core/decoded";
import { VmExitError } from "../core/error";
import type { IoReadExit, MmioReadExit, SysRegReadExit } from "../core/exit";
import { joinU64, splitU64, type U64Halves } from "../core/u64";
import {
  checkKind,
  checkMmioRead,
  checkReg,
  checkSysRegRead,
  checkU64,
  checkWidth,
  fullWidth,
  type RegWidths,
} from "./check";
import { loadedValue } from "./load";
import type { RegisterWrite, X86MsrWrite } from "./types";

const value: U64Halves = { lo: 0, hi: 0 };
const before: U64Halves = { lo: 0, hi: 0 };

/** Register operand sizes an x86 instruction has: r8, r16, r32, r64. */
const X86_REG_WIDTHS: RegWidths = { mask: 1 | 2 | 4 | 8, text: "1, 2, 4 or 8" };

/** The 64-bit registers in encoding order, then AH, CH, DH, BH (16–19), for messages. */
const NAMES = [
  "RAX",
  "RCX",
  "RDX",
  "RBX",
  "RSP",
  "RBP",
  "RSI",
  "RDI",
  "R8",
  "R9",
  "R10",
  "R11",
  "R12",
  "R13",
  "R14",
  "R15",
];

/** The bits of the old value a write keeps, by destination size, for messages. */
const KEPT: readonly string[] = ["", "63:8", "63:16"];

/**
 * Writes the low `regWidth` bytes of `value` into x86 register `reg` (0–15, or 16–19 = AH…BH, the
 * caller having checked that those come with `regWidth` 1): the whole new 64-bit register. `old`
 * is checked whenever it is given, and required only by 8- and 16-bit writes.
 */
function write(reg: number, regWidth: number, old: RegValue | undefined, field: string): bigint {
  if (regWidth >= 4) {
    if (old !== undefined) checkU64(old, field);
    return joinU64(value.lo, regWidth === 8 ? value.hi : 0);
  }
  const full = reg >= 16 ? reg - 16 : reg;
  if (old === undefined) {
    throw new VmExitError(
      "missing-register",
      `${field} (the value of ${NAMES[full]}) is needed: a ${8 * regWidth}-bit write to ${
        reg >= 16 ? `${"ACDB"[full]}H keeps bits 63:16 and 7:0` : `it keeps bits ${KEPT[regWidth]}`
      }`,
      field,
    );
  }
  splitU64(old, field, before);
  let lo: number;
  if (reg >= 16) lo = (before.lo & 0xffff_00ff) | (value.lo << 8);
  else if (regWidth === 1) lo = (before.lo & 0xffff_ff00) | value.lo;
  else lo = (before.lo & 0xffff_0000) | value.lo;
  return joinU64(lo >>> 0, before.hi);
}

/** The register write an x86 `MmioRead` that returned `data` makes (`old`: the register before). */
export function x86MmioRead(
  exit: MmioReadExit,
  data: RegValue,
  old: RegValue | undefined,
): RegisterWrite {
  checkMmioRead(exit, "x86", 19, X86_REG_WIDTHS);
  const { reg, regWidth } = exit;
  if (reg >= 16 && regWidth !== 1) {
    throw new VmExitError(
      "invalid-argument",
      `exit.reg ${reg} is ${"ACDB"[reg - 16]}H, a byte register, but exit.regWidth is ${regWidth}`,
      "exit.regWidth",
    );
  }
  if (exit.width === 8 && regWidth === 8) {
    if (old !== undefined) checkU64(old, "old");
    return { reg, value: fullWidth(data) };
  }
  splitU64(data, "data", value);
  loadedValue(value, exit.width, exit.signedExt, regWidth);
  return { reg: reg >= 16 ? reg - 16 : reg, value: write(reg, regWidth, old, "old") };
}

/** What RDMSR writes for a `SysRegRead` that returned `msr`: EDX:EAX, upper halves cleared. */
export function x86SysRegRead(exit: SysRegReadExit, msr: RegValue): X86MsrWrite {
  checkSysRegRead(exit, "x86", 0);
  splitU64(msr, "value", value);
  return { rax: joinU64(value.lo, 0), rdx: joinU64(value.hi, 0) };
}

/** I/O access sizes IN has: AL, AX, EAX. */
const IN_WIDTHS: readonly number[] = [1, 2, 4];

/**
 * The new RAX after `IN AL/AX/EAX` returned `data` (its low `exit.width` bytes): AL and AX keep
 * the other bits of `oldRax`, which they need; EAX clears bits 63:32 (in 16- and 32-bit modes too,
 * where those bits are not visible to the guest: as KVM does).
 * @example completeIoRead(ioRead({ port: 0x3f8, width: 1 }), 0x41, 0xffff_ffffn) // → 0xffff_ff41n
 */
export function completeIoRead(exit: IoReadExit, data: RegValue, oldRax?: RegValue): bigint {
  checkKind(exit, "IoRead");
  const width = exit.width;
  checkWidth(width, "exit.width");
  if (!IN_WIDTHS.includes(width)) {
    throw new VmExitError(
      "invalid-argument",
      `exit.width must be 1, 2 or 4 (IN reads AL, AX or EAX), got ${width}`,
      "exit.width",
    );
  }
  checkReg(exit.port, 0xffff, "x86", "exit.port");
  splitU64(data, "data", value);
  loadedValue(value, width, false, width);
  return write(0, width, oldRax, "oldRax");
}
