import { makeCause } from "../../core/cause";
import { nothing } from "../../core/constructors";
import { bits, isSet } from "../../core/layout";
import { ESR_IL, ESR_ISS, ESR_ISS2 } from "../layout/esr";
import { AET, IDS, SERROR_DFSC, SERROR_EA } from "../layout/serror";
import type { Aarch64Snapshot } from "../snapshot";
import { ESR_EC_DESCRIPTIONS, ESR_EC_NAMES } from "../tables/ec";
import type { ClassResult } from "./cause";

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
    cause: makeCause({
      arch: "aarch64",
      code: 0x2f,
      name: ESR_EC_NAMES[0x2f] as string,
      class: "serror",
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
