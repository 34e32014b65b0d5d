import { makeCause } from "../../core/cause";
import { nothing } from "../../core/constructors";
import type { VmExit } from "../../core/exit";
import type { U64Halves } from "../../core/u64";
import * as unchecked from "../../core/unchecked";
import type { Aarch64Sgi } from "../cause";
import { bitsAt, isSetAt } from "../layout/at";
import { Esr } from "../layout/esr";
import { SYS_REG_ADDR_MASK, Sys64Iss } from "../layout/sys64";
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
  const read = isSetAt(Sys64Iss.DIRECTION, lo);
  const addr = lo & SYS_REG_ADDR_MASK;
  let exit: VmExit;
  let sgi: Aarch64Sgi | undefined;
  let why: string | undefined;
  if (read) exit = unchecked.sysRegRead(addr, rt);
  else if (isSgiRegister(addr)) {
    splitX(s, rt, v);
    exit = sgiExit(v.lo, v.hi) ?? nothing();
    if (withCause) {
      sgi = sgiFields(v.lo, v.hi);
      why = notSendIpi(v.hi);
    }
  } else exit = unchecked.sysRegWrite(addr, readX(s, rt));
  if (!withCause) return exit;
  const op0 = bitsAt(Sys64Iss.OP0, lo);
  const op1 = bitsAt(Sys64Iss.OP1, lo);
  const crn = bitsAt(Sys64Iss.CRN, lo);
  const crm = bitsAt(Sys64Iss.CRM, lo);
  const op2 = bitsAt(Sys64Iss.OP2, lo);
  const cause = makeCause({
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
    rt,
    direction: read ? "read" : "write",
    sysRegAddr: addr,
    register: sysRegNameOfFields(op0, op1, crn, crm, op2),
    sgi,
    notSendIpi: why,
  });
  return { exit, cause };
}
