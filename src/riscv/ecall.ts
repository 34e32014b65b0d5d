import { halt, nothing, systemDown } from "../core/constructors";
import type { DecodedExit, RegValue } from "../core/decoded";
import type { VmExit } from "../core/exit";
import type { U64Halves } from "../core/u64";
import * as unchecked from "../core/unchecked";
import type { ResolvedOptions } from "./options";
import { readX, readXOptional, splitReg } from "./registers";
import {
  SBI_EID,
  SBI_FID,
  SBI_LEGACY_FUNCTION_NAMES,
  sbiExtension,
  sbiId32,
  sbiRangeName,
} from "./sbi";
import { SCAUSE_EXCEPTION_DESCRIPTIONS, SCAUSE_EXCEPTION_NAMES } from "./scause";
import type { RiscvEcallCause, RiscvXlen, SbiCall } from "./types";

const A0 = 10;
const A6 = 16;
const A7 = 17;
const halves: U64Halves = { lo: 0, hi: 0 };

/** Decodes an ECALL from VS-mode as an SBI call (a7 = EID, a6 = FID, a0…a5 = arguments). */
export function decodeEcall(
  code: number,
  scause: bigint,
  x: readonly (RegValue | undefined)[] | undefined,
  xlen: RiscvXlen,
  options: ResolvedOptions,
): DecodedExit<RiscvEcallCause> {
  const a7 = readX(x, A7, xlen);
  splitReg(a7, "x17", xlen, halves);
  const eid = sbiId32(halves.lo, halves.hi, xlen);
  const a6 = readXOptional(x, A6, xlen);
  let fid: number | undefined;
  if (a6 !== undefined) {
    splitReg(a6, "x16", xlen, halves);
    fid = sbiId32(halves.lo, halves.hi, xlen);
  }
  const isHypercall = eid !== undefined && eid === options.hypercallEid;
  const legacy = !isHypercall && eid !== undefined && eid < 0x10;
  let extension: string | undefined;
  let fn: string | undefined;
  if (isHypercall) extension = "hypercall";
  else if (legacy) {
    extension = "legacy";
    fn = SBI_LEGACY_FUNCTION_NAMES[eid];
  } else if (eid !== undefined) {
    const info = sbiExtension(eid);
    if (info === undefined) extension = sbiRangeName(eid);
    else {
      extension = info.name;
      fn = fid === undefined ? undefined : info.functions[fid];
    }
  }
  const args: SbiCall["args"] = [
    readXOptional(x, A0, xlen),
    readXOptional(x, A0 + 1, xlen),
    readXOptional(x, A0 + 2, xlen),
    readXOptional(x, A0 + 3, xlen),
    readXOptional(x, A0 + 4, xlen),
    readXOptional(x, A0 + 5, xlen),
  ];
  const exit = dispatch(x, xlen, eid, isHypercall, legacy, a6, fid, args);
  return {
    exit,
    cause: {
      arch: "riscv",
      code,
      name: SCAUSE_EXCEPTION_NAMES[code] as string,
      xlen,
      scause,
      description: SCAUSE_EXCEPTION_DESCRIPTIONS[code] as string,
      class: "ecall",
      category: "ecall",
      interrupt: false,
      sbi: {
        eid,
        fid: legacy ? undefined : fid,
        extension,
        function: fn,
        legacy,
        hypercall: isHypercall,
        args,
        a6,
        a7,
      },
    },
  };
}

function needFid(
  x: readonly (RegValue | undefined)[] | undefined,
  xlen: RiscvXlen,
  fid: number | undefined,
): number | undefined {
  // a6 is needed to tell which function of HSM / SRST / IPI this is.
  if (fid === undefined) readX(x, A6, xlen);
  return fid;
}

/** A copy of a0…a5 for the exit (not shared with the cause); `missing-register` for the first absent one. */
function presentArgs(
  x: readonly (RegValue | undefined)[] | undefined,
  xlen: RiscvXlen,
  args: SbiCall["args"],
): readonly [bigint, bigint, bigint, bigint, bigint, bigint] {
  for (let i = 0; i < 6; i++) if (args[i] === undefined) readX(x, A0 + i, xlen);
  return args.slice() as unknown as readonly [bigint, bigint, bigint, bigint, bigint, bigint];
}

function dispatch(
  x: readonly (RegValue | undefined)[] | undefined,
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
