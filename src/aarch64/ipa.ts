import { VmExitError } from "../core/error";
import { joinU64, splitU64, type U64Halves } from "../core/u64";
import type { Aarch64Snapshot } from "./snapshot";

const hp: U64Halves = { lo: 0, hi: 0 };
const fa: U64Halves = { lo: 0, hi: 0 };

/**
 * The faulting IPA, `(HPFAR[47:4] << 12) | FAR[11:0]` (FAR[11:0] taken as 0 when FnV says FAR is
 * not valid); `undefined` when HPFAR is absent and not `required`.
 */
export function faultIpa(s: Aarch64Snapshot, fnv: boolean, required: boolean): bigint | undefined {
  if (s.hpfar === undefined) {
    if (!required) return undefined;
    throw new VmExitError("missing-register", "hpfar is needed for the fault's IPA", "hpfar");
  }
  splitU64(s.hpfar, "hpfar", hp);
  let offset = 0;
  if (!fnv) {
    if (s.far === undefined) {
      if (!required) return undefined;
      throw new VmExitError("missing-register", "far is needed for the fault's IPA", "far");
    }
    offset = splitU64(s.far, "far", fa).lo & 0xfff;
  }
  // HPFAR[31:4] → IPA[39:12]; HPFAR[47:32] → IPA[55:40].
  const lo = (((hp.lo >>> 4) << 12) | offset) >>> 0;
  const hi = ((hp.lo >>> 24) | ((hp.hi & 0xffff) << 8)) >>> 0;
  return joinU64(lo, hi);
}
