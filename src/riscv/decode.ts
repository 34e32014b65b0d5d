import { makeCause } from "../core/cause";
import { nothing } from "../core/constructors";
import type { DecodedExit } from "../core/decoded";
import { show, VmExitError } from "../core/error";
import type { VmExit } from "../core/exit";
import { joinU64, type U64Halves } from "../core/u64";
import * as unchecked from "../core/unchecked";
import type { CauseOut, RiscvCause } from "./cause";
import { resolveDecodeOptions } from "./options";
import { checkUnread, checkXlen, readReg } from "./registers";
import { decodeEcall } from "./sbi/ecall";
import {
  exceptionAllocation,
  INTERRUPT_MASK,
  INTERRUPT_PLATFORM_BASE,
  PLATFORM_INTERRUPT_NAME,
  readScause,
  SCAUSE_CODE,
  SCAUSE_EXCEPTION_DESCRIPTIONS,
  SCAUSE_EXCEPTION_NAMES,
  SCAUSE_INTERRUPT_DESCRIPTIONS,
  SCAUSE_INTERRUPT_NAMES,
} from "./scause";
import type { RiscvDecodeOptions, RiscvSnapshot, RiscvXlen } from "./snapshot";
import { decodeGuestPageFault } from "./trap/guest-page-fault";
import { decodeVirtualInstruction } from "./trap/virtual-instruction";

const halves: U64Halves = { lo: 0, hi: 0 };

/**
 * The one decoder behind `decodeRiscv` and `decodeRiscvExit`: validates the snapshot, returns the
 * exit, and fills `out.cause` when `out` is given. Both entry points throw the same errors.
 */
function decodeInto(
  snapshot: RiscvSnapshot,
  options: RiscvDecodeOptions | undefined,
  out: CauseOut | undefined,
): VmExit {
  if (typeof snapshot !== "object" || snapshot === null) {
    throw new VmExitError(
      "invalid-argument",
      `snapshot must be an object, got ${show(snapshot)}`,
      "snapshot",
    );
  }
  const opts = resolveDecodeOptions(options);
  const xlen = checkXlen(snapshot.xlen);
  const raw = snapshot.scause;
  const interrupt = readScause(raw, xlen, halves);
  const lo = halves.lo;
  const hi = halves.hi;
  // the raw value, as the cause carries it: only made when there is a cause to build
  const scause = out === undefined ? 0n : typeof raw === "bigint" ? raw : joinU64(lo, hi);
  if (interrupt) {
    // Exception Code = scause without the Interrupt bit
    return xlen === 64
      ? decodeInterrupt(snapshot, scause, lo, (hi & ~INTERRUPT_MASK) >>> 0, xlen, out)
      : decodeInterrupt(snapshot, scause, (lo & ~INTERRUPT_MASK) >>> 0, 0, xlen, out);
  }
  switch (lo) {
    case SCAUSE_CODE.ECALL_VS:
      return decodeEcall(snapshot, scause, xlen, opts, out);
    case SCAUSE_CODE.FETCH_GUEST_PAGE_FAULT:
    case SCAUSE_CODE.LOAD_GUEST_PAGE_FAULT:
    case SCAUSE_CODE.STORE_GUEST_PAGE_FAULT:
      return decodeGuestPageFault(lo, snapshot, scause, xlen, opts, out);
    case SCAUSE_CODE.VIRTUAL_INSTRUCTION:
      return decodeVirtualInstruction(snapshot, scause, xlen, out);
    default:
      return decodeException(snapshot, scause, lo, xlen, out);
  }
}

/** Any other exception (codes 0–19 but 10, and the custom codes): `Nothing`, the cause naming it. */
function decodeException(
  snapshot: RiscvSnapshot,
  scause: bigint,
  code: number,
  xlen: RiscvXlen,
  out: CauseOut | undefined,
): VmExit {
  checkUnread(xlen, undefined, snapshot.htval, snapshot.htinst, snapshot.instruction);
  const stval =
    snapshot.stval === undefined ? undefined : readReg(snapshot.stval, "stval", xlen, halves);
  if (out !== undefined) {
    out.cause = makeCause({
      arch: "riscv",
      code,
      name: SCAUSE_EXCEPTION_NAMES[code] as string,
      class: "exception",
      xlen,
      scause,
      description: SCAUSE_EXCEPTION_DESCRIPTIONS[code] as string,
      custom: exceptionAllocation(code) === "custom",
      stval,
    });
  }
  return nothing();
}

/** An interrupt: the code (bits XLEN−2:0) as its 32-bit halves. */
function decodeInterrupt(
  snapshot: RiscvSnapshot,
  scause: bigint,
  codeLo: number,
  codeHi: number,
  xlen: RiscvXlen,
  out: CauseOut | undefined,
): VmExit {
  checkUnread(xlen, snapshot.stval, snapshot.htval, snapshot.htinst, snapshot.instruction);
  if (out !== undefined) {
    const code = codeHi * 0x1_0000_0000 + codeLo;
    const platform = code >= INTERRUPT_PLATFORM_BASE;
    out.cause = makeCause({
      arch: "riscv",
      code,
      name: platform ? PLATFORM_INTERRUPT_NAME : (SCAUSE_INTERRUPT_NAMES[code] as string),
      class: "interrupt",
      xlen,
      scause,
      description: platform
        ? "Designated for platform use"
        : (SCAUSE_INTERRUPT_DESCRIPTIONS[code] as string),
      platform,
    });
  }
  return unchecked.externalInterrupt(joinU64(codeLo, codeHi));
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
  const result = {
    exit: undefined as unknown as VmExit,
    cause: undefined as unknown as RiscvCause,
  };
  result.exit = decodeInto(snapshot, options, result);
  return result;
}

/**
 * The exit `decodeRiscv(snapshot, options)` returns, without building the cause (the same decoder,
 * the same errors): for hot loops.
 * @example decodeRiscvExit({ scause: 0x8000000000000005n }); // { kind: "ExternalInterrupt", vector: 5n }
 */
export function decodeRiscvExit(snapshot: RiscvSnapshot, options?: RiscvDecodeOptions): VmExit {
  return decodeInto(snapshot, options, undefined);
}
