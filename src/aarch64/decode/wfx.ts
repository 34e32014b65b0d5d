import { makeCause } from "../../core/cause";
import { halt, nothing } from "../../core/constructors";
import type { Aarch64WfxCause } from "../cause";
import { bitsAt, isSetAt } from "../layout/at";
import { Cond, Esr, WfxIss } from "../layout/positions";
import { WFX_MNEMONICS } from "../layout/wfx";
import type { Aarch64Snapshot } from "../snapshot";
import { ESR_EC_DESCRIPTIONS, ESR_EC_NAMES } from "../tables/ec";
import type { ClassResult } from "./cause";
import { checkX } from "./regs";

/**
 * EC 0x01: TI 0 WFI and 2 WFIT → `Halt`; TI 1 WFE and 3 WFET → `Nothing`. The WFIT/WFET timeout
 * register (RN, when RV) is not needed, but checked when supplied.
 */
export function decodeWfx(
  s: Aarch64Snapshot,
  exception: "sync" | "serror",
  ec: number,
  lo: number,
  hi: number,
  _isMmio: unknown,
  withCause: boolean,
): ClassResult {
  if (isSetAt(WfxIss.RV, lo)) checkX(s, bitsAt(WfxIss.RN, lo));
  // TI bit 0 is set for WFE and WFET.
  const exit = (bitsAt(WfxIss.TI, lo) & 1) === 0 ? halt() : nothing();
  return withCause ? { exit, cause: wfxCause(exception, ec, lo, hi) } : exit;
}

/** The cause of a trapped WFx. */
function wfxCause(
  exception: "sync" | "serror",
  ec: number,
  lo: number,
  hi: number,
): Aarch64WfxCause {
  const ti = bitsAt(WfxIss.TI, lo) as 0 | 1 | 2 | 3;
  return makeCause({
    arch: "aarch64",
    code: ec,
    name: ESR_EC_NAMES[ec] as string,
    class: "wfx",
    exception,
    description: ESR_EC_DESCRIPTIONS[ec] as string,
    il: isSetAt(Esr.IL, lo),
    iss: bitsAt(Esr.ISS, lo),
    iss2: bitsAt(Esr.ISS2, hi),
    ti,
    mnemonic: WFX_MNEMONICS[ti],
    rv: isSetAt(WfxIss.RV, lo),
    rn: bitsAt(WfxIss.RN, lo),
    cv: isSetAt(Cond.CV, lo),
    cond: bitsAt(Cond.COND, lo),
  });
}
