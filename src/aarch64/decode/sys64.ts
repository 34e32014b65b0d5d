import { makeCause } from "../../core/cause";
import { nothing } from "../../core/constructors";
import type { VmExit } from "../../core/exit";
import { bits, isSet } from "../../core/layout";
import type { U64Halves } from "../../core/u64";
import * as unchecked from "../../core/unchecked";
import type { Aarch64Sgi } from "../cause";
import { ESR_IL, ESR_ISS, ESR_ISS2 } from "../layout/esr";
import { CRM, CRN, DIRECTION, OP0, OP1, OP2, RT, SYS_REG_ADDR_MASK } from "../layout/sys64";
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
  const rt = bits(RT, lo);
  const read = isSet(DIRECTION, lo);
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
  const op0 = bits(OP0, lo);
  const op1 = bits(OP1, lo);
  const crn = bits(CRN, lo);
  const crm = bits(CRM, lo);
  const op2 = bits(OP2, lo);
  const cause = makeCause({
    arch: "aarch64",
    code: ec,
    name: ESR_EC_NAMES[ec] as string,
    class: "sys64",
    exception,
    description: ESR_EC_DESCRIPTIONS[ec] as string,
    il: isSet(ESR_IL, lo),
    iss: bits(ESR_ISS, lo),
    iss2: bits(ESR_ISS2, hi),
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
