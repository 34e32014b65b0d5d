import type { DecodedExit } from "../core/decoded";
import type { VmExit } from "../core/exit";
import type { U64Halves } from "../core/u64";
import * as unchecked from "../core/unchecked";
import type { Aarch64Sgi, Aarch64SysRegCause } from "./cause";
import { ESR_EC_DESCRIPTIONS, ESR_EC_NAMES } from "./ec";
import { readX, splitX } from "./regs";
import { isSgiRegister, sgiExit, sgiFields } from "./sgi";
import type { Aarch64Exception, Aarch64Snapshot } from "./snapshot";
import { sysRegNameOfFields } from "./sysreg-names";

const v: U64Halves = { lo: 0, hi: 0 };

/** EC 0x18: MRS → `SysRegRead`, MSR → `SysRegWrite`, MSR to an SGI register → `SendIPI`. */
export function decodeSys64(
  s: Aarch64Snapshot,
  exception: Aarch64Exception,
  ec: number,
  lo: number,
  hi: number,
): DecodedExit<Aarch64SysRegCause> {
  const iss = lo & 0x1ff_ffff;
  const op0 = (iss >>> 20) & 3;
  const op2 = (iss >>> 17) & 7;
  const op1 = (iss >>> 14) & 7;
  const crn = (iss >>> 10) & 15;
  const rt = (iss >>> 5) & 31;
  const crm = (iss >>> 1) & 15;
  const read = (iss & 1) === 1;
  const addr = iss & 0x3f_fc1e;
  let exit: VmExit;
  let sgi: Aarch64Sgi | undefined;
  if (read) exit = unchecked.sysRegRead(addr, rt);
  else if (isSgiRegister(addr)) {
    splitX(s, rt, v);
    sgi = sgiFields(v.lo, v.hi);
    exit = sgiExit(sgi, `x${rt}`);
  } else exit = unchecked.sysRegWrite(addr, readX(s, rt));
  const cause: Aarch64SysRegCause = {
    arch: "aarch64",
    code: ec,
    name: ESR_EC_NAMES[ec] as string,
    class: "sysreg",
    group: "sysreg",
    exception,
    description: ESR_EC_DESCRIPTIONS[ec] as string,
    il: ((lo >>> 25) & 1) === 1,
    iss,
    iss2: hi & 0xff_ffff,
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
  };
  return { exit, cause };
}
