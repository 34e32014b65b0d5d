import { makeCause } from "../../core/cause";
import { nothing } from "../../core/constructors";
import { bitsAt, isSetAt } from "../layout/at";
import { Esr, SErrorIss } from "../layout/positions";
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
      il: isSetAt(Esr.IL, lo),
      iss: bitsAt(Esr.ISS, lo),
      iss2: bitsAt(Esr.ISS2, hi),
      ids: isSetAt(SErrorIss.IDS, lo),
      aet: bitsAt(SErrorIss.AET, lo),
      ea: isSetAt(SErrorIss.EA, lo),
      dfsc: bitsAt(SErrorIss.DFSC, lo),
    }),
  };
}
