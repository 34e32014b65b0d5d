import { VmExitError } from "../core/error";
import type { SendIpiExit } from "../core/exit";
import * as unchecked from "../core/unchecked";
import type { Aarch64Sgi } from "./cause";

/** `ISS & 0x3FFC1E` of ICC_SGI1R_EL1 (3, 0, 12, 11, 5), ICC_ASGI1R_EL1 (…, 6) and ICC_SGI0R_EL1 (…, 7) without Op2. */
const SGI_BASE = (3 << 20) | (0 << 14) | (12 << 10) | (11 << 1);

/** True when a `SysRegAddr` (`ISS & 0x3FFC1E`) is one of the three SGI generation registers. */
export function isSgiRegister(addr: number): boolean {
  return (addr & ~(7 << 17)) === SGI_BASE && ((addr >>> 17) & 7) >= 5;
}

/** The fields of an SGI register value given as 32-bit halves (GICv3 ICC_SGI1R_EL1 layout). */
export function sgiFields(lo: number, hi: number): Aarch64Sgi {
  return {
    intid: (lo >>> 24) & 15,
    irm: ((hi >>> 8) & 1) === 1,
    rs: (hi >>> 12) & 15,
    targetList: lo & 0xffff,
    aff1: (lo >>> 16) & 0xff,
    aff2: hi & 0xff,
    aff3: (hi >>> 16) & 0xff,
  };
}

/** IRM = 1 → all but self; else Aff3.Aff2.Aff1 as targetCpu and TargetList << 16·RS as targetCpuAux. */
export function sgiExit(sgi: Aarch64Sgi, field: string): SendIpiExit {
  if (sgi.irm) {
    return unchecked.sendIpi(0n, 0n, true, false, BigInt(sgi.intid));
  }
  if (sgi.rs > 3) {
    throw new VmExitError(
      "unrepresentable",
      `${field} written to an SGI register has RS (bits 47:44) = ${sgi.rs}: Aff0 values above 63 do not fit targetCpuAux`,
      field,
    );
  }
  return unchecked.sendIpi(
    BigInt(((sgi.aff3 << 24) | (sgi.aff2 << 16) | (sgi.aff1 << 8)) >>> 0),
    BigInt(sgi.targetList) << BigInt(16 * sgi.rs),
    false,
    false,
    BigInt(sgi.intid),
  );
}
