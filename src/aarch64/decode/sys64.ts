import { makeCause } from "../../core/cause";
import { nothing } from "../../core/constructors";
import type { VmExit } from "../../core/exit";
import { highHalf } from "../../core/u64";
import * as unchecked from "../../core/unchecked";
import type { Aarch64Sys64Cause } from "../cause";
import { bitsAt, isSetAt } from "../layout/at";
import { Esr, Sys64Iss } from "../layout/positions";
import { SYS_REG_ADDR_MASK } from "../layout/sys64";
import type { Aarch64Snapshot } from "../snapshot";
import { ESR_EC_DESCRIPTIONS, ESR_EC_NAMES } from "../tables/ec";
import { sysRegNameOfFields } from "../tables/sysreg-names";
import type { ClassResult } from "./cause";
import { readW, readX } from "./regs";
import { isSgiRegister, notSendIpi, sgiExit, sgiFields } from "./sgi";

/**
 * EC 0x18: MRS → `SysRegRead`, MSR → `SysRegWrite`, MSR to an SGI register → `SendIPI`, or
 * `Nothing` when the SGI's targets do not fit the exit (RS > 3; `cause.notSendIpi` says so).
 */
export function decodeSys64(
  s: Aarch64Snapshot,
  exception: "sync" | "serror",
  ec: number,
  lo: number,
  hi: number,
  _isMmio: unknown,
  withCause: boolean,
): ClassResult {
  const rt = bitsAt(Sys64Iss.RT, lo);
  const addr = lo & SYS_REG_ADDR_MASK;
  let exit: VmExit;
  let sgi = false;
  let sgiLo = 0;
  let sgiHi = 0;
  if (isSetAt(Sys64Iss.DIRECTION, lo)) exit = unchecked.sysRegRead(addr, rt);
  else if (isSgiRegister(addr)) {
    sgi = true;
    sgiLo = readW(s, rt);
    sgiHi = rt === 31 ? 0 : highHalf(); // XZR writes 0
    exit = sgiExit(sgiLo, sgiHi) ?? nothing();
  } else exit = unchecked.sysRegWrite(addr, readX(s, rt));
  if (!withCause) return exit;
  return { exit, cause: sys64Cause(exception, ec, lo, hi, sgi, sgiLo, sgiHi) };
}

/**
 * The cause of a SYS64 trap; when `sgi`, `sgiLo`/`sgiHi` are the halves of the value written to
 * the SGI register.
 */
function sys64Cause(
  exception: "sync" | "serror",
  ec: number,
  lo: number,
  hi: number,
  sgi: boolean,
  sgiLo: number,
  sgiHi: number,
): Aarch64Sys64Cause {
  const op0 = bitsAt(Sys64Iss.OP0, lo);
  const op1 = bitsAt(Sys64Iss.OP1, lo);
  const crn = bitsAt(Sys64Iss.CRN, lo);
  const crm = bitsAt(Sys64Iss.CRM, lo);
  const op2 = bitsAt(Sys64Iss.OP2, lo);
  return makeCause({
    arch: "aarch64",
    code: ec,
    name: ESR_EC_NAMES[ec] as string,
    class: "sys64",
    exception,
    description: ESR_EC_DESCRIPTIONS[ec] as string,
    il: isSetAt(Esr.IL, lo),
    iss: bitsAt(Esr.ISS, lo),
    iss2: bitsAt(Esr.ISS2, hi),
    op0,
    op1,
    crn,
    crm,
    op2,
    rt: bitsAt(Sys64Iss.RT, lo),
    direction: isSetAt(Sys64Iss.DIRECTION, lo) ? "read" : "write",
    sysRegAddr: lo & SYS_REG_ADDR_MASK,
    register: sysRegNameOfFields(op0, op1, crn, crm, op2),
    sgi: sgi ? sgiFields(sgiLo, sgiHi) : undefined,
    notSendIpi: sgi ? notSendIpi(sgiHi) : undefined,
  });
}
