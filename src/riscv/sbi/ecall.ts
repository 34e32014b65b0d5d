import { makeCause } from "../../core/cause";
import { halt, nothing, systemDown } from "../../core/constructors";
import type { RegValue } from "../../core/decoded";
import type { VmExit } from "../../core/exit";
import { highHalf } from "../../core/u64";
import * as unchecked from "../../core/unchecked";
import type { ClassResult, RiscvSbiCallCause } from "../cause";
import type { ResolvedOptions } from "../options";
import {
  checkRegisterFile,
  checkUnread,
  missingX,
  type Registers,
  readXOptional,
  scauseValue,
  splitLow,
} from "../registers";
import { SCAUSE_CODE, SCAUSE_EXCEPTION_DESCRIPTIONS, SCAUSE_EXCEPTION_NAMES } from "../scause";
import type { RiscvSnapshot, RiscvXlen } from "../snapshot";
import {
  isLegacyEid,
  SBI_EID,
  SBI_FID,
  SBI_LEGACY_FUNCTION_NAMES,
  sbiExtension,
  sbiId32,
  sbiRangeName,
} from "./sbi";

/** The SBI calling convention: a0 = x10 … a5 = x15 arguments, a6 = x16 FID, a7 = x17 EID. */
const A0 = 10;
const A6 = 16;
const A7 = 17;

/**
 * Decodes an ECALL from VS-mode as an SBI call (a7 = EID, a6 = FID, a0…a5 = arguments). Every
 * register value is the guest's: any value gives an exit (`Nothing` for a call it does not map).
 * Each register is validated once; the cause, when asked for, is built from the same values.
 */
export function decodeEcall(
  snapshot: RiscvSnapshot,
  xlen: RiscvXlen,
  options: ResolvedOptions,
  withCause: boolean,
): ClassResult {
  checkUnread(xlen, snapshot.stval, snapshot.htval, snapshot.htinst, snapshot.instruction);
  const x = checkRegisterFile(snapshot.x);
  // a7 and a6 are validated and split in one step; a0…a5 are validated where present
  const a7 = x[A7];
  if (a7 === undefined) missingX(A7);
  const eidLo = splitLow(a7, "x17", xlen);
  const eid = sbiId32(eidLo, highHalf(), xlen);
  const a6 = x[A6];
  let fid: number | undefined;
  if (a6 !== undefined) {
    const fidLo = splitLow(a6, "x16", xlen);
    fid = sbiId32(fidLo, highHalf(), xlen);
  }
  checkArguments(x, xlen);
  const isHypercall = eid !== undefined && eid === options.hypercallEid;
  let exit: VmExit;
  if (eid === undefined) exit = nothing();
  else if (isHypercall) {
    exit = unchecked.hypercall(need(x, A6), [
      need(x, A0),
      need(x, A0 + 1),
      need(x, A0 + 2),
      need(x, A0 + 3),
      need(x, A0 + 4),
      need(x, A0 + 5),
    ]);
  } else if (isLegacyEid(eid)) {
    exit = eid === SBI_EID.LEGACY_SHUTDOWN ? systemDown() : nothing();
  } else exit = standardExit(x, eid, fid, xlen);
  if (!withCause) return exit;
  return { exit, cause: sbiCallCause(snapshot, x, xlen, eid, fid, isHypercall) };
}

/** Validates a0…a5 where present (one loop: the checks stay out of the exit path's code). */
function checkArguments(x: Registers, xlen: RiscvXlen): void {
  for (let i = A0; i < A6; i++) readXOptional(x, i, xlen);
}

/** A validated register as the bigint a cause carries (`undefined` when absent). */
function argValue(v: RegValue | undefined): bigint | undefined {
  return v === undefined ? undefined : typeof v === "bigint" ? v : BigInt(v);
}

/** The cause of an SBI call `decodeEcall` decoded (the registers read again from `x`, validated there). */
function sbiCallCause(
  snapshot: RiscvSnapshot,
  x: Registers,
  xlen: RiscvXlen,
  eid: number | undefined,
  fid: number | undefined,
  isHypercall: boolean,
): RiscvSbiCallCause {
  const legacy = !isHypercall && eid !== undefined && isLegacyEid(eid);
  let extension: string | undefined;
  let fn: string | undefined;
  if (isHypercall) extension = "hypercall";
  else if (legacy) {
    extension = "legacy";
    fn = SBI_LEGACY_FUNCTION_NAMES[eid as number];
  } else if (eid !== undefined) {
    const info = sbiExtension(eid);
    extension = info === undefined ? sbiRangeName(eid) : info.name;
    fn = info === undefined || fid === undefined ? undefined : info.functions[fid];
  }
  return makeCause({
    arch: "riscv",
    code: SCAUSE_CODE.ECALL_VS,
    name: SCAUSE_EXCEPTION_NAMES[SCAUSE_CODE.ECALL_VS] as string,
    class: "sbi-call",
    xlen,
    scause: scauseValue(snapshot),
    description: SCAUSE_EXCEPTION_DESCRIPTIONS[SCAUSE_CODE.ECALL_VS] as string,
    sbi: {
      eid,
      fid: legacy ? undefined : fid,
      extension,
      function: fn,
      legacy,
      hypercall: isHypercall,
      args: [
        argValue(x[A0]),
        argValue(x[A0 + 1]),
        argValue(x[A0 + 2]),
        argValue(x[A0 + 3]),
        argValue(x[A0 + 4]),
        argValue(x[A0 + 5]),
      ],
      a6: argValue(x[A6]),
      a7: argValue(x[A7]) as bigint,
    },
  });
}

/** A validated register the exit needs, as a bigint; `missing-register` when it is absent. */
function need(x: Registers, i: number): bigint {
  const v = x[i];
  return v === undefined ? missingX(i) : typeof v === "bigint" ? v : BigInt(v);
}

/**
 * The exit of a call to a standard extension (HSM, SRST, IPI; any other → `Nothing`). These need
 * a6 to tell the function (`fid` is `undefined` when a6 is not a 32-bit value: no function).
 */
function standardExit(x: Registers, eid: number, fid: number | undefined, xlen: RiscvXlen): VmExit {
  if (eid !== SBI_EID.HSM && eid !== SBI_EID.SRST && eid !== SBI_EID.IPI) return nothing();
  if (x[A6] === undefined) missingX(A6);
  if (eid === SBI_EID.HSM) {
    switch (fid) {
      case SBI_FID.HART_START:
        return unchecked.cpuUp(need(x, A0), need(x, A0 + 1), need(x, A0 + 2));
      case SBI_FID.HART_STOP:
        return unchecked.cpuDown(0n);
      case SBI_FID.HART_SUSPEND:
        return halt();
      default:
        return nothing();
    }
  }
  if (eid === SBI_EID.SRST) return fid === SBI_FID.SYSTEM_RESET ? systemDown() : nothing();
  if (fid !== SBI_FID.SEND_IPI) return nothing();
  // send_ipi(hart_mask = a0, hart_mask_base = a1); a base of all ones means every hart
  const hartMask = need(x, A0);
  const hartMaskBase = need(x, A0 + 1);
  const all = xlen === 64 ? 0xffff_ffff_ffff_ffffn : 0xffff_ffffn;
  return unchecked.sendIpi(hartMaskBase, hartMask, hartMaskBase === all, false, 1n);
}
