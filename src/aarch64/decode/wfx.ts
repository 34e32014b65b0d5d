import { makeCause } from "../../core/cause";
import { halt, nothing } from "../../core/constructors";
import { bits, isSet } from "../../core/layout";
import { COND, CV } from "../layout/common";
import { ESR_IL, ESR_ISS, ESR_ISS2 } from "../layout/esr";
import { RN, RV, TI, WFX_MNEMONICS } from "../layout/wfx";
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
  const ti = bits(TI, lo) as 0 | 1 | 2 | 3;
  const rv = isSet(RV, lo);
  if (rv) checkX(s, bits(RN, lo));
  const exit = (ti & 1) === 0 ? halt() : nothing();
  if (!withCause) return exit;
  return {
    exit,
    cause: makeCause({
      arch: "aarch64",
      code: ec,
      name: ESR_EC_NAMES[ec] as string,
      class: "wfx",
      exception,
      description: ESR_EC_DESCRIPTIONS[ec] as string,
      il: isSet(ESR_IL, lo),
      iss: bits(ESR_ISS, lo),
      iss2: bits(ESR_ISS2, hi),
      ti,
      mnemonic: WFX_MNEMONICS[ti],
      rv,
      rn: bits(RN, lo),
      cv: isSet(CV, lo),
      cond: bits(COND, lo),
    }),
  };
}
