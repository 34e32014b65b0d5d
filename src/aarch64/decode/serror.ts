import { nothing } from "../../core/constructors";
import type { VmExit } from "../../core/exit";
import { bits, isSet } from "../../core/layout";
import { AET, IDS, SERROR_DFSC, SERROR_EA } from "../layout/serror";
import type { Aarch64Snapshot } from "../snapshot";
import { built, esrCause } from "./cause";

/** An SError (exception `serror`, or EC 0x2F) → `Nothing`, with the SError ISS dissected (code 0x2F). */
export function decodeSError(
  _s: Aarch64Snapshot,
  exception: "sync" | "serror",
  _ec: number,
  lo: number,
  hi: number,
  _isMmio: unknown,
  withCause: boolean,
): VmExit {
  if (withCause) {
    built.cause = esrCause("serror", 0x2f, exception, lo, hi, {
      ids: isSet(IDS, lo),
      aet: bits(AET, lo),
      ea: isSet(SERROR_EA, lo),
      dfsc: bits(SERROR_DFSC, lo),
    });
  }
  return nothing();
}
