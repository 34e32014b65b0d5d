import { nothing } from "../../core/constructors";
import type { VmExit } from "../../core/exit";
import type { Aarch64Snapshot } from "../snapshot";
import { built, esrCause } from "./cause";

/** Any other allocated EC → `Nothing`, the ISS left for `explainEsr`. */
export function decodeOther(
  _s: Aarch64Snapshot,
  exception: "sync" | "serror",
  ec: number,
  lo: number,
  hi: number,
  _isMmio: unknown,
  withCause: boolean,
): VmExit {
  if (withCause) built.cause = esrCause("other", ec, exception, lo, hi, {});
  return nothing();
}
