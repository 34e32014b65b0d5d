import type { VmExit } from "../../core/exit";
import * as unchecked from "../../core/unchecked";
import type { Aarch64Sgi } from "../cause";
import { bitsAt, isSetAt, loOf } from "../layout/at";
import { SgiValue, Sys64Iss } from "../layout/positions";

/**
 * True when a `SysRegAddr` (`ISS & 0x3FFC1E`) is one of the three SGI generation registers:
 * ICC_SGI1R_EL1 (3, 0, 12, 11, 5), ICC_ASGI1R_EL1 (Op2 6) and ICC_SGI0R_EL1 (Op2 7).
 */
export function isSgiRegister(addr: number): boolean {
  const base =
    (3 << loOf(Sys64Iss.OP0)) |
    (0 << loOf(Sys64Iss.OP1)) |
    (12 << loOf(Sys64Iss.CRN)) |
    (11 << loOf(Sys64Iss.CRM));
  const op2 = bitsAt(Sys64Iss.OP2, addr);
  return (addr & ~(7 << loOf(Sys64Iss.OP2))) === base && op2 >= 5;
}

/** The fields of an SGI register value given as 32-bit halves. */
export function sgiFields(lo: number, hi: number): Aarch64Sgi {
  return {
    intid: bitsAt(SgiValue.INTID, lo),
    irm: isSetAt(SgiValue.IRM, hi),
    rs: bitsAt(SgiValue.RS, hi),
    targetList: bitsAt(SgiValue.TARGET_LIST, lo),
    aff1: bitsAt(SgiValue.AFF1, lo),
    aff2: bitsAt(SgiValue.AFF2, hi),
    aff3: bitsAt(SgiValue.AFF3, hi),
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
  const vector = BigInt(bitsAt(SgiValue.INTID, lo));
  if (isSetAt(SgiValue.IRM, hi)) return unchecked.sendIpi(0n, 0n, true, false, vector);
  const rs = bitsAt(SgiValue.RS, hi);
  if (rs > MAX_RS) return undefined;
  const target =
    ((bitsAt(SgiValue.AFF3, hi) << 24) |
      (bitsAt(SgiValue.AFF2, hi) << 16) |
      (bitsAt(SgiValue.AFF1, lo) << 8)) >>>
    0;
  const aux = BigInt(bitsAt(SgiValue.TARGET_LIST, lo)) << BigInt(16 * rs);
  return unchecked.sendIpi(BigInt(target), aux, false, false, vector);
}

/** Why a write of a value (bits 63:32 `hi`) to an SGI register is not a `SendIPI`, or `undefined` when it is. */
export function notSendIpi(hi: number): string | undefined {
  if (isSetAt(SgiValue.IRM, hi)) return undefined;
  const rs = bitsAt(SgiValue.RS, hi);
  if (rs <= MAX_RS) return undefined;
  return `RS (bits 47:44) = ${rs}: TargetList names Aff0 ${rs * 16}…${rs * 16 + 15}, above the 64 targets targetCpuAux holds`;
}
