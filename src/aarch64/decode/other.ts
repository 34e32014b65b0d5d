import { SLOT } from "../../core/cause";
import { nothing } from "../../core/constructors";
import type { Aarch64Snapshot } from "../snapshot";
import { type ClassResult, esrCause } from "./cause";

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
        cause: esrCause("other", ec, exception, lo, hi, {
          arch: SLOT,
          code: SLOT,
          name: SLOT,
          class: SLOT,
          exception: SLOT,
          description: SLOT,
          il: SLOT,
          iss: SLOT,
          iss2: SLOT,
        }),
      }
    : exit;
}
