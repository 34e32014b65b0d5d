import { makeCause } from "../../core/cause";
import { halt, nothing, systemDown } from "../../core/constructors";
import type { VmExit } from "../../core/exit";
import type { U64Halves } from "../../core/u64";
import * as unchecked from "../../core/unchecked";
import type { CauseOut, SbiCall } from "../cause";
import type { ResolvedOptions } from "../options";
import { checkRegisterFile, checkUnread, missingX, readReg, readXOptional } from "../registers";
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
const halves: U64Halves = { lo: 0, hi: 0 };

/** a0…a5 of the call being decoded, validated (`undefined` where absent); read in one loop. */
const ARGS: (bigint | undefined)[] = [
  undefined,
  undefined,
  undefined,
  undefined,
  undefined,
  undefined,
];

/**
 * Decodes an ECALL from VS-mode as an SBI call (a7 = EID, a6 = FID, a0…a5 = arguments). Every
 * register value is the guest's: any value gives an exit (`Nothing` for a call it does not map).
 * Each register is validated once; the exit and the cause are built from the same values.
 */
export function decodeEcall(
  snapshot: RiscvSnapshot,
  scause: bigint,
  xlen: RiscvXlen,
  options: ResolvedOptions,
  out: CauseOut | undefined,
): VmExit {
  checkUnread(xlen, snapshot.stval, snapshot.htval, snapshot.htinst, snapshot.instruction);
  const x = checkRegisterFile(snapshot.x);
  // a7 and a6 are validated and split in one step
  const a7v = x[A7];
  const a7 = a7v === undefined ? missingX(A7) : readReg(a7v, "x17", xlen, halves);
  const eid = sbiId32(halves.lo, halves.hi, xlen);
  const a6v = x[A6];
  let a6: bigint | undefined;
  let fid: number | undefined;
  if (a6v !== undefined) {
    a6 = readReg(a6v, "x16", xlen, halves);
    fid = sbiId32(halves.lo, halves.hi, xlen);
  }
  for (let i = 0; i < 6; i++) ARGS[i] = readXOptional(x, A0 + i, xlen);
  const isHypercall = eid !== undefined && eid === options.hypercallEid;
  const legacy = !isHypercall && eid !== undefined && isLegacyEid(eid);
  let exit: VmExit;
  if (eid === undefined) exit = nothing();
  else if (isHypercall) exit = unchecked.hypercall(need(a6, A6), neededArgs());
  else if (legacy) exit = eid === SBI_EID.LEGACY_SHUTDOWN ? systemDown() : nothing();
  else exit = standardExit(eid, fid, a6 !== undefined, xlen);
  if (out !== undefined) {
    out.cause = makeCause({
      arch: "riscv",
      code: SCAUSE_CODE.ECALL_VS,
      name: SCAUSE_EXCEPTION_NAMES[SCAUSE_CODE.ECALL_VS] as string,
      class: "sbi-call",
      xlen,
      scause,
      description: SCAUSE_EXCEPTION_DESCRIPTIONS[SCAUSE_CODE.ECALL_VS] as string,
      sbi: sbiCall(eid, fid, isHypercall, legacy, a6, a7),
    });
  }
  return exit;
}

/** The cause's account of the call (a0…a5 from `ARGS`). */
function sbiCall(
  eid: number | undefined,
  fid: number | undefined,
  isHypercall: boolean,
  legacy: boolean,
  a6: bigint | undefined,
  a7: bigint,
): SbiCall {
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
  return {
    eid,
    fid: legacy ? undefined : fid,
    extension,
    function: fn,
    legacy,
    hypercall: isHypercall,
    args: [ARGS[0], ARGS[1], ARGS[2], ARGS[3], ARGS[4], ARGS[5]],
    a6,
    a7,
  };
}

/** A register the exit needs: its validated value, or `missing-register` when it is absent. */
function need(v: bigint | undefined, i: number): bigint {
  return v === undefined ? missingX(i) : v;
}

/** a0…a5 for a `Hypercall` exit (its own array); `missing-register` for the first absent one. */
function neededArgs(): readonly [bigint, bigint, bigint, bigint, bigint, bigint] {
  return [
    need(ARGS[0], A0),
    need(ARGS[1], A0 + 1),
    need(ARGS[2], A0 + 2),
    need(ARGS[3], A0 + 3),
    need(ARGS[4], A0 + 4),
    need(ARGS[5], A0 + 5),
  ];
}

/**
 * The exit of a call to a standard extension (HSM, SRST, IPI; any other → `Nothing`). These need
 * a6 to tell the function (`fid` is `undefined` when a6 is not a 32-bit value: no function).
 */
function standardExit(
  eid: number,
  fid: number | undefined,
  hasA6: boolean,
  xlen: RiscvXlen,
): VmExit {
  if (eid !== SBI_EID.HSM && eid !== SBI_EID.SRST && eid !== SBI_EID.IPI) return nothing();
  if (!hasA6) missingX(A6);
  if (eid === SBI_EID.HSM) {
    switch (fid) {
      case SBI_FID.HART_START:
        return unchecked.cpuUp(need(ARGS[0], A0), need(ARGS[1], A0 + 1), need(ARGS[2], A0 + 2));
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
  const hartMask = need(ARGS[0], A0);
  const hartMaskBase = need(ARGS[1], A0 + 1);
  const all = xlen === 64 ? 0xffff_ffff_ffff_ffffn : 0xffff_ffffn;
  return unchecked.sendIpi(hartMaskBase, hartMask, hartMaskBase === all, false, 1n);
}
