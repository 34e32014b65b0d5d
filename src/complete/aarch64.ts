// AArch64 register writes (Arm ARM, "Registers in AArch64 state"; the load pseudocode's
// `X[t, regsize] = SignExtend/ZeroExtend(data, regsize)`): a W destination writes bits 31:0 and
// clears bits 63:32, an X destination is written whole, and register 31 of a load or an MRS is
// XZR, whose writes are discarded. A data abort reports SSE (sign-extend) and SF (64-bit register).

import type { Aarch64Snapshot } from "../aarch64/index";
import type { RegValue } from "../core/decoded";
import { show, VmExitError } from "../core/error";
import type { MmioReadExit, SysRegReadExit } from "../core/exit";
import { joinU64, splitU64, toU64, type U64Halves } from "../core/u64";
import {
  checkMmioRead,
  checkSnapshotObject,
  checkSysRegRead,
  checkU64,
  fullWidth,
  type RegWidths,
} from "./check";
import { loadedValue } from "./load";
import type { RegisterWrite } from "./types";

/** XZR: register 31 of a load's Rt and of MRS. */
const XZR = 31;

const value: U64Halves = { lo: 0, hi: 0 };

/** Register operand sizes: W (SF = 0) and X (SF = 1). */
const REG_WIDTHS: RegWidths = { mask: 4 | 8, text: "4 or 8" };

/** The write an AArch64 `MmioRead` that returned `data` makes; `undefined` for XZR. */
export function aarch64MmioRead(
  exit: MmioReadExit,
  data: RegValue,
  old?: RegValue,
): RegisterWrite | undefined {
  if (old !== undefined) checkU64(old, "old"); // not needed: every load writes the whole register
  checkMmioRead(exit, "aarch64", 31, REG_WIDTHS);
  if (exit.width === 8 && exit.regWidth === 8) {
    const v = fullWidth(data);
    return exit.reg === XZR ? undefined : { reg: exit.reg, value: v };
  }
  splitU64(data, "data", value);
  if (exit.reg === XZR) return undefined;
  loadedValue(value, exit.width, exit.signedExt, exit.regWidth);
  return { reg: exit.reg, value: joinU64(value.lo, value.hi) };
}

/** The write MRS makes for a `SysRegRead` that returned `sysreg`; `undefined` for XZR. */
export function aarch64SysRegRead(
  exit: SysRegReadExit,
  sysreg: RegValue,
): RegisterWrite | undefined {
  checkSysRegRead(exit, "aarch64", 31);
  const v = toU64(sysreg, "value");
  return exit.reg === XZR ? undefined : { reg: exit.reg, value: v };
}

/**
 * ECs of the exception-generating instructions SVC and HVC (AArch32 0x11, 0x12; AArch64 0x15,
 * 0x16), whose preferred return address is already the next instruction. (A trapped SMC, EC
 * 0x13 / 0x17, returns to the SMC itself and is stepped over like any trap.)
 */
const RETURNS_PAST: readonly boolean[] = /* @__PURE__ */ (() => {
  const t = new Array<boolean>(64).fill(false);
  for (const ec of [0x11, 0x12, 0x15, 0x16]) t[ec] = true;
  return t;
})();

/** The bytes to add to ELR_EL2 after handling an AArch64 exit: IL (2 or 4), 0 past SVC / HVC. */
export function aarch64InstructionLength(snapshot: Aarch64Snapshot): number {
  checkSnapshotObject(snapshot);
  const exception = snapshot.exception;
  const esr = splitU64(snapshot.esr, "esr", value);
  if (exception === "irq" || exception === "fiq" || exception === "serror") {
    // asynchronous: ELR_EL2 is the first instruction not yet executed
    return 0;
  }
  if (exception !== undefined && exception !== "sync") {
    throw new VmExitError(
      "invalid-argument",
      `exception must be "sync", "irq", "fiq" or "serror", got ${show(exception)}`,
      "exception",
    );
  }
  if (RETURNS_PAST[esr.lo >>> 26]) return 0;
  return (esr.lo >>> 25) & 1 ? 4 : 2;
}
