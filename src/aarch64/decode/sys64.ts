import { makeCause } from "../../core/cause";
import { nothing } from "../../core/constructors";
import type { VmExit } from "../../core/exit";
import type { U64Halves } from "../../core/u64";
import * as unchecked from "../../core/unchecked";
import type { Aarch64Sys64Cause } from "../cause";
import { bitsAt, isSetAt } from "../layout/at";
import { Esr, Sys64Iss } from "../layout/positions";
import { SYS_REG_ADDR_MASK } from "../layout/sys64";
import type { Aarch64Snapshot } from "../snapshot";
import { ESR_EC_DESCRIPTIONS, ESR_EC_NAMES } from "../tables/ec";
import { sysRegNameOfFields } from "../tables/sysreg-names";
import type { ClassResult } from "./cause";
import { readX, splitX } from "./regs";
import { isSgiRegister, notSendIpi, sgiExit, sgiFields } from "./sgi";

const v: U64Halves = { lo: 0, hi: 0 };

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
  if (isSetAt(Sys64Iss.DIRECTION, lo)) exit = unchecked.sysRegRead(addr, rt);
  else if (isSgiRegister(addr)) {
    sgi = true;
    splitX(s, rt, v);
    exit = sgiExit(v.lo, v.hi) ?? nothing();
  } else exit = unchecked.sysRegWrite(addr, readX(s, rt));
  if (!withCause) return exit;
  // `v` still holds the SGI value: nothing was split since.
  return { exit, cause: sys64Cause(exception, ec, lo, hi, sgi ? v : undefined) };
}

/** The cause of a SYS64 trap; `sgi` the value written to an SGI register, when it was one. */
function sys64Cause(
  exception: "sync" | "serror",
  ec: number,
  lo: number,
  hi: number,
  sgi: U64Halves | undefined,
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
    sgi: sgi === undefined ? undefined : sgiFields(sgi.lo, sgi.hi),
    notSendIpi: sgi === undefined ? undefined : notSendIpi(sgi.hi),
  });
}
