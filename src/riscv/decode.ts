import { makeCause } from "../core/cause";
import { nothing } from "../core/constructors";
import type { DecodedExit } from "../core/decoded";
import { show, VmExitError } from "../core/error";
import type { VmExit } from "../core/exit";
import { keepFrozen, sharedTable } from "../core/memo";
import { highHalf, joinU64, type U64Halves } from "../core/u64";
import * as unchecked from "../core/unchecked";
import type { ClassResult, RiscvCause, RiscvExceptionCause, RiscvInterruptCause } from "./cause";
import { resolveDecodeOptions } from "./options";
import { checkUnread, checkXlen, readReg, scauseValue } from "./registers";
import { decodeEcall } from "./sbi/ecall";
import {
  exceptionAllocation,
  INTERRUPT_MASK,
  INTERRUPT_PLATFORM_BASE,
  PLATFORM_INTERRUPT_NAME,
  readScauseLow,
  SCAUSE_CODE,
  SCAUSE_EXCEPTION_DESCRIPTIONS,
  SCAUSE_EXCEPTION_NAMES,
  SCAUSE_INTERRUPT_DESCRIPTIONS,
  SCAUSE_INTERRUPT_NAMES,
  scauseInterrupt,
} from "./scause";
import type { RiscvDecodeOptions, RiscvSnapshot, RiscvXlen } from "./snapshot";
import { decodeGuestPageFault } from "./trap/guest-page-fault";
import { decodeVirtualInstruction } from "./trap/virtual-instruction";

const halves: U64Halves = { lo: 0, hi: 0 };

/**
 * The one decode path behind `decodeRiscv` and `decodeRiscvExit`: checks the snapshot and the
 * options, reads scause once into 32-bit halves and dispatches on its code; the class decoder
 * computes the exit and, when `withCause`, builds the cause in a function of its own and returns
 * both (else the exit alone). Both entry points throw the same errors.
 */
function decode(
  snapshot: RiscvSnapshot,
  options: RiscvDecodeOptions | undefined,
  withCause: boolean,
): ClassResult {
  if (typeof snapshot !== "object" || snapshot === null) throw notAnObject(snapshot);
  const opts = resolveDecodeOptions(options);
  const xlen = checkXlen(snapshot.xlen);
  const lo = readScauseLow(snapshot.scause, xlen);
  const hi = highHalf();
  if (scauseInterrupt(lo, hi, xlen)) return decodeInterrupt(snapshot, lo, hi, xlen, withCause);
  switch (lo) {
    case SCAUSE_CODE.ECALL_VS:
      return decodeEcall(snapshot, xlen, opts, withCause);
    case SCAUSE_CODE.FETCH_GUEST_PAGE_FAULT:
    case SCAUSE_CODE.LOAD_GUEST_PAGE_FAULT:
    case SCAUSE_CODE.STORE_GUEST_PAGE_FAULT:
      return decodeGuestPageFault(lo, snapshot, xlen, opts, withCause);
    case SCAUSE_CODE.VIRTUAL_INSTRUCTION:
      return decodeVirtualInstruction(snapshot, xlen, withCause);
    default:
      return decodeException(snapshot, lo, xlen, withCause);
  }
}

// The error lives in a function of its own, out of the hot path's code.
function notAnObject(snapshot: unknown): VmExitError {
  return new VmExitError(
    "invalid-argument",
    `snapshot must be an object, got ${show(snapshot)}`,
    "snapshot",
  );
}

/** Any other exception (codes 0–19 but 10, and the custom codes): `Nothing`, the cause naming it. */
function decodeException(
  snapshot: RiscvSnapshot,
  code: number,
  xlen: RiscvXlen,
  withCause: boolean,
): ClassResult {
  checkUnread(xlen, undefined, snapshot.htval, snapshot.htinst, snapshot.instruction);
  const raw = snapshot.stval;
  const stval = raw === undefined ? undefined : readReg(raw, "stval", xlen, halves);
  const exit = nothing();
  if (!withCause) return exit;
  return { exit, cause: exceptionCause(snapshot, code, xlen, stval) };
}

/** The cause of an exception `decodeException` decoded. */
function exceptionCause(
  snapshot: RiscvSnapshot,
  code: number,
  xlen: RiscvXlen,
  stval: bigint | undefined,
): RiscvExceptionCause {
  return makeCause({
    arch: "riscv",
    code,
    name: SCAUSE_EXCEPTION_NAMES[code] as string,
    class: "exception",
    xlen,
    scause: scauseValue(snapshot),
    description: SCAUSE_EXCEPTION_DESCRIPTIONS[code] as string,
    custom: exceptionAllocation(code) === "custom",
    stval,
  });
}

/** An interrupt, scause as its 32-bit halves: the code is bits XLEN−2:0 (scause without the Interrupt bit). */
function decodeInterrupt(
  snapshot: RiscvSnapshot,
  lo: number,
  hi: number,
  xlen: RiscvXlen,
  withCause: boolean,
): ClassResult {
  checkUnread(xlen, snapshot.stval, snapshot.htval, snapshot.htinst, snapshot.instruction);
  const codeLo = xlen === 64 ? lo : (lo & ~INTERRUPT_MASK) >>> 0;
  const codeHi = xlen === 64 ? (hi & ~INTERRUPT_MASK) >>> 0 : 0;
  const exit = unchecked.externalInterrupt(joinU64(codeLo, codeHi));
  if (!withCause) return exit;
  // a code below 2^32 is passed as it is: the arithmetic would make a small code a heap number,
  // and one of those stored in a cause's `code` turns the field into a boxed double for every cause
  const code = codeHi === 0 ? codeLo : codeHi * 0x1_0000_0000 + codeLo;
  return { exit, cause: interruptCause(snapshot, code, xlen) };
}

/**
 * The causes of the standard interrupts (codes below 16) of RV64 and of RV32, indexed by code:
 * each depends on its code alone (its scause is the Interrupt bit and the code), so each is built
 * once on first use and shared frozen.
 */
const INTERRUPT_CAUSES_64 =
  /* @__PURE__ */ sharedTable<RiscvInterruptCause>(INTERRUPT_PLATFORM_BASE);
const INTERRUPT_CAUSES_32 =
  /* @__PURE__ */ sharedTable<RiscvInterruptCause>(INTERRUPT_PLATFORM_BASE);

/** The cause of an interrupt of code `code`: a standard one's shared, a platform one's fresh. */
function interruptCause(
  snapshot: RiscvSnapshot,
  code: number,
  xlen: RiscvXlen,
): RiscvInterruptCause {
  if (code >= INTERRUPT_PLATFORM_BASE) return interruptLiteral(snapshot, code, xlen);
  const causes = xlen === 64 ? INTERRUPT_CAUSES_64 : INTERRUPT_CAUSES_32;
  return causes[code] ?? keepFrozen(causes, code, interruptLiteral(snapshot, code, xlen));
}

function interruptLiteral(
  snapshot: RiscvSnapshot,
  code: number,
  xlen: RiscvXlen,
): RiscvInterruptCause {
  const platform = code >= INTERRUPT_PLATFORM_BASE;
  return makeCause({
    arch: "riscv",
    code,
    name: platform ? PLATFORM_INTERRUPT_NAME : (SCAUSE_INTERRUPT_NAMES[code] as string),
    class: "interrupt",
    xlen,
    scause: scauseValue(snapshot),
    description: platform
      ? "Designated for platform use"
      : (SCAUSE_INTERRUPT_DESCRIPTIONS[code] as string),
    platform,
  });
}

/**
 * Decodes RISC-V H-extension trap state (scause, stval, htval, htinst, x0…x31) into a `VmExit`
 * and a `RiscvCause` (narrow it on `cause.class`). Guest-chosen values never throw; host state
 * the hardware cannot produce (a reserved scause code, a value wider than XLEN, a missing
 * register the exit needs) is a `VmExitError`.
 * @example
 * // load guest-page fault, htinst = transformed `lw a0, 0(a1)`
 * decodeRiscv({ scause: 21, stval: 0x10000004, htval: 0x04000001, htinst: 0x2503 }).exit;
 * // → { kind: "MmioRead", addr: 0x10000004n, width: 4, reg: 10, regWidth: 8, signedExt: true }
 */
export function decodeRiscv(
  snapshot: RiscvSnapshot,
  options?: RiscvDecodeOptions,
): DecodedExit<RiscvCause> {
  return decode(snapshot, options, true) as DecodedExit<RiscvCause>;
}

/**
 * The exit `decodeRiscv(snapshot, options)` returns, without building the cause (the same decoder,
 * the same errors): for hot loops.
 * @example decodeRiscvExit({ scause: 0x8000000000000005n }); // { kind: "ExternalInterrupt", vector: 5n }
 */
export function decodeRiscvExit(snapshot: RiscvSnapshot, options?: RiscvDecodeOptions): VmExit {
  return decode(snapshot, options, false) as VmExit;
}
