import { makeCause } from "../../core/cause";
import { halt, nothing, systemDown } from "../../core/constructors";
import type { RegValue } from "../../core/decoded";
import type { VmExit } from "../../core/exit";
import type { U64Halves } from "../../core/u64";
import * as unchecked from "../../core/unchecked";
import type { CauseOut, SbiCall } from "../cause";
import type { ResolvedOptions } from "../options";
import { checkRegisterFile, checkUnread, readReg, readX, readXOptional } from "../registers";
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

type Registers = readonly (RegValue | undefined)[] | undefined;

/**
 * Decodes an ECALL from VS-mode as an SBI call (a7 = EID, a6 = FID, a0…a5 = arguments). Every
 * register value is the guest's: any value gives an exit (`Nothing` for a call it does not map).
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
  // a7 and a6 are validated and split in one step (readX only reports an absent a7)
  const a7v = x?.[A7];
  const a7 = a7v === undefined ? readX(x, A7, xlen) : readReg(a7v, "x17", xlen, halves);
  const eid = sbiId32(halves.lo, halves.hi, xlen);
  const a6v = x?.[A6];
  let a6: bigint | undefined;
  let fid: number | undefined;
  if (a6v !== undefined) {
    a6 = readReg(a6v, "x16", xlen, halves);
    fid = sbiId32(halves.lo, halves.hi, xlen);
  }
  const isHypercall = eid !== undefined && eid === options.hypercallEid;
  const legacy = !isHypercall && eid !== undefined && isLegacyEid(eid);
  const args: SbiCall["args"] = [
    readXOptional(x, A0, xlen),
    readXOptional(x, A0 + 1, xlen),
    readXOptional(x, A0 + 2, xlen),
    readXOptional(x, A0 + 3, xlen),
    readXOptional(x, A0 + 4, xlen),
    readXOptional(x, A0 + 5, xlen),
  ];
  const exit = dispatch(x, xlen, eid, isHypercall, legacy, a6, fid, args);
  if (out !== undefined) {
    out.cause = makeCause({
      arch: "riscv",
      code: SCAUSE_CODE.ECALL_VS,
      name: SCAUSE_EXCEPTION_NAMES[SCAUSE_CODE.ECALL_VS] as string,
      class: "sbi-call",
      xlen,
      scause,
      description: SCAUSE_EXCEPTION_DESCRIPTIONS[SCAUSE_CODE.ECALL_VS] as string,
      sbi: sbiCall(eid, fid, isHypercall, legacy, args, a6, a7),
    });
  }
  return exit;
}

function sbiCall(
  eid: number | undefined,
  fid: number | undefined,
  isHypercall: boolean,
  legacy: boolean,
  args: SbiCall["args"],
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
    args,
    a6,
    a7,
  };
}

function needFid(x: Registers, xlen: RiscvXlen, fid: number | undefined): number | undefined {
  // a6 is needed to tell which function of HSM / SRST / IPI this is.
  if (fid === undefined) readX(x, A6, xlen);
  return fid;
}

/** A copy of a0…a5 for the exit (not shared with the cause); `missing-register` for the first absent one. */
function presentArgs(
  x: Registers,
  xlen: RiscvXlen,
  args: SbiCall["args"],
): readonly [bigint, bigint, bigint, bigint, bigint, bigint] {
  for (let i = 0; i < 6; i++) if (args[i] === undefined) readX(x, A0 + i, xlen);
  return args.slice() as unknown as readonly [bigint, bigint, bigint, bigint, bigint, bigint];
}

function dispatch(
  x: Registers,
  xlen: RiscvXlen,
  eid: number | undefined,
  isHypercall: boolean,
  legacy: boolean,
  a6: bigint | undefined,
  fid: number | undefined,
  args: SbiCall["args"],
): VmExit {
  if (eid === undefined) return nothing();
  if (isHypercall) {
    const nr = a6 ?? readX(x, A6, xlen);
    return unchecked.hypercall(nr, presentArgs(x, xlen, args));
  }
  if (legacy) return eid === SBI_EID.LEGACY_SHUTDOWN ? systemDown() : nothing();
  switch (eid) {
    case SBI_EID.HSM:
      switch (needFid(x, xlen, fid)) {
        case SBI_FID.HART_START:
          return unchecked.cpuUp(
            args[0] ?? readX(x, A0, xlen),
            args[1] ?? readX(x, A0 + 1, xlen),
            args[2] ?? readX(x, A0 + 2, xlen),
          );
        case SBI_FID.HART_STOP:
          return unchecked.cpuDown(0n);
        case SBI_FID.HART_SUSPEND:
          return halt();
        default:
          return nothing();
      }
    case SBI_EID.SRST:
      return needFid(x, xlen, fid) === SBI_FID.SYSTEM_RESET ? systemDown() : nothing();
    case SBI_EID.IPI: {
      if (needFid(x, xlen, fid) !== SBI_FID.SEND_IPI) return nothing();
      const hartMask = args[0] ?? readX(x, A0, xlen);
      const hartMaskBase = args[1] ?? readX(x, A0 + 1, xlen);
      const all = xlen === 64 ? 0xffff_ffff_ffff_ffffn : 0xffff_ffffn;
      return unchecked.sendIpi(hartMaskBase, hartMask, hartMaskBase === all, false, 1n);
    }
    default:
      return nothing();
  }
}
