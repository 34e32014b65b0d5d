import { makeCause } from "../../core/cause";
import { nothing } from "../../core/constructors";
import { bitsAt, isSetAt } from "../layout/at";
import { Esr } from "../layout/positions";
import type { Aarch64Snapshot } from "../snapshot";
import { ESR_EC_DESCRIPTIONS, ESR_EC_NAMES } from "../tables/ec";
import type { ClassResult } from "./cause";

/** Any other allocated EC → `Nothing`, the ISS left for `explainEsr`. */
export function decodeOther(
  _s: Aarch64Snapshot,
  exception: "sync" | "serror",
  ec: number,
  lo: number,
  hi: number,
  _isMmio: unknown,
  withCause: boolean,
): ClassResult {
  const exit = nothing();
  return withCause
    ? {
        exit,
        cause: makeCause({
          arch: "aarch64",
          code: ec,
          name: ESR_EC_NAMES[ec] as string,
          class: "other",
          exception,
          description: ESR_EC_DESCRIPTIONS[ec] as string,
          il: isSetAt(Esr.IL, lo),
          iss: bitsAt(Esr.ISS, lo),
          iss2: bitsAt(Esr.ISS2, hi),
        }),
      }
    : exit;
}
