import type { VmExit } from "../../core/exit";
import { bits, isSet } from "../../core/layout";
import * as unchecked from "../../core/unchecked";
import type { Aarch64Sgi } from "../cause";
import { AFF1, AFF2, AFF3, IRM, RS, SGI_INTID, TARGET_LIST } from "../layout/sgi";
import { CRM, CRN, OP0, OP1, OP2 } from "../layout/sys64";

/** `SysRegAddr` of ICC_SGI1R_EL1 (3, 0, 12, 11, 5) with Op2 cleared: ICC_ASGI1R_EL1 is Op2 6, ICC_SGI0R_EL1 7. */
const SGI_BASE = (3 << OP0.lo) | (0 << OP1.lo) | (12 << CRN.lo) | (11 << CRM.lo);
const OP2_BITS = OP2.mask << OP2.lo;

/** True when a `SysRegAddr` (`ISS & 0x3FFC1E`) is one of the three SGI generation registers. */
export function isSgiRegister(addr: number): boolean {
  return (addr & ~OP2_BITS) === SGI_BASE && bits(OP2, addr) >= 5;
}

/** The fields of an SGI register value given as 32-bit halves. */
export function sgiFields(lo: number, hi: number): Aarch64Sgi {
  return {
    intid: bits(SGI_INTID, lo),
    irm: isSet(IRM, hi),
    rs: bits(RS, hi),
    targetList: bits(TARGET_LIST, lo),
    aff1: bits(AFF1, lo),
    aff2: bits(AFF2, hi),
    aff3: bits(AFF3, hi),
  };
}

/** The largest RS whose TargetList still fits the 64 bits of `targetCpuAux` (Aff0 ≤ 63). */
const MAX_RS = 3;

/**
 * The exit of a write of `lo`/`hi` to an SGI register: IRM = 1 → all but self; else Aff3.Aff2.Aff1
 * as `targetCpu` and TargetList << 16·RS as `targetCpuAux`; `undefined` when RS > 3 (Aff0 above
 * 63 does not fit `targetCpuAux`: the guest chose a target the exit cannot name).
 */
export function sgiExit(lo: number, hi: number): VmExit | undefined {
  const vector = BigInt(bits(SGI_INTID, lo));
  if (isSet(IRM, hi)) return unchecked.sendIpi(0n, 0n, true, false, vector);
  const rs = bits(RS, hi);
  if (rs > MAX_RS) return undefined;
  const target = ((bits(AFF3, hi) << 24) | (bits(AFF2, hi) << 16) | (bits(AFF1, lo) << 8)) >>> 0;
  const aux = BigInt(bits(TARGET_LIST, lo)) << BigInt(16 * rs);
  return unchecked.sendIpi(BigInt(target), aux, false, false, vector);
}

/** Why a write of a value (bits 63:32 `hi`) to an SGI register is not a `SendIPI`, or `undefined` when it is. */
export function notSendIpi(hi: number): string | undefined {
  if (isSet(IRM, hi)) return undefined;
  const rs = bits(RS, hi);
  if (rs <= MAX_RS) return undefined;
  return `RS (bits 47:44) = ${rs}: TargetList names Aff0 ${rs * 16}…${rs * 16 + 15}, above the 64 targets targetCpuAux holds`;
}
