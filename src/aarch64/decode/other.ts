import { makeCause } from "../../core/cause";
import { nothing } from "../../core/constructors";
import { bits, isSet } from "../../core/layout";
import { ESR_IL, ESR_ISS, ESR_ISS2 } from "../layout/esr";
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
          il: isSet(ESR_IL, lo),
          iss: bits(ESR_ISS, lo),
          iss2: bits(ESR_ISS2, hi),
        }),
      }
    : exit;
}
