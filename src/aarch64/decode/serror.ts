import { SLOT } from "../../core/cause";
import { nothing } from "../../core/constructors";
import { bits, isSet } from "../../core/layout";
import { ESR_IL, ESR_ISS, ESR_ISS2 } from "../layout/esr";
import { AET, IDS, SERROR_DFSC, SERROR_EA } from "../layout/serror";
import type { Aarch64Snapshot } from "../snapshot";
import { ESR_EC_DESCRIPTIONS } from "../tables/ec";
import { type ClassResult, esrCause } from "./cause";

/** An SError (exception `serror`, or EC 0x2F) → `Nothing`, with the SError ISS dissected (code 0x2F). */
export function decodeSError(
  _s: Aarch64Snapshot,
  exception: "sync" | "serror",
  _ec: number,
  lo: number,
  hi: number,
  _isMmio: unknown,
  withCause: boolean,
): ClassResult {
  const exit = nothing();
  if (!withCause) return exit;
  return {
    exit,
    cause: esrCause("serror", 0x2f, {
      arch: SLOT,
      code: SLOT,
      name: SLOT,
      class: SLOT,
      exception,
      description: ESR_EC_DESCRIPTIONS[0x2f] as string,
      il: isSet(ESR_IL, lo),
      iss: bits(ESR_ISS, lo),
      iss2: bits(ESR_ISS2, hi),
      ids: isSet(IDS, lo),
      aet: bits(AET, lo),
      ea: isSet(SERROR_EA, lo),
      dfsc: bits(SERROR_DFSC, lo),
    }),
  };
}
