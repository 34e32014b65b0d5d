import { VmExitError } from "../../core/error";
import { highHalf, joinU64, splitU64Low } from "../../core/u64";
import { bitsAt } from "../layout/at";
import { FaultAddress } from "../layout/positions";
import type { Aarch64Snapshot } from "../snapshot";
import { checkRegister } from "./regs";

// FIPA straddles bit 32: HPFAR[31:4] is IPA[39:12], HPFAR[47:32] is IPA[55:40], so the IPA's
// high half takes HPFAR[31:24] in its bits 7:0 and HPFAR[47:32] above them. The shifts and masks
// are worked out from FaultAddress inside the function, where the engine folds them.

/**
 * The faulting IPA, `(HPFAR.FIPA << 12) | FAR[11:0]` (FAR[11:0] taken as 0 when FnV says FAR is
 * not valid); `undefined` when HPFAR or FAR is absent and not `required`. FAR and HPFAR are
 * checked whenever supplied.
 */
export function faultGpa(s: Aarch64Snapshot, fnv: boolean, required: boolean): bigint | undefined {
  const hpfar = s.hpfar;
  const far = s.far;
  // The usual case, both supplied and FAR valid, in few bytecodes: the engine inlines it.
  if (hpfar === undefined || far === undefined || fnv) return partialGpa(hpfar, far, fnv, required);
  const hpLo = splitU64Low(hpfar, "hpfar");
  return ipa(hpLo, highHalf(), bitsAt(FaultAddress.PAGE_OFFSET, splitU64Low(far, "far")));
}

/** `faultGpa` with HPFAR or FAR absent, or FnV set (then a supplied FAR is checked, not used). */
function partialGpa(
  hpfar: unknown,
  far: unknown,
  fnv: boolean,
  required: boolean,
): bigint | undefined {
  if (hpfar === undefined) {
    checkRegister(far, "far");
    return absent("hpfar", required);
  }
  const hpLo = splitU64Low(hpfar, "hpfar");
  const hpHi = highHalf();
  if (!fnv) return absent("far", required); // FAR is absent
  checkRegister(far, "far");
  return ipa(hpLo, hpHi, 0);
}

/** The IPA of HPFAR's halves and the page offset. */
function ipa(hpLo: number, hpHi: number, pageOffset: number): bigint {
  const pageShift = 12; // FIPA is IPA[55:12]
  const lowSpill = 32 - pageShift; // bits of fipaLow that stay in the low half
  const highShift = 32 - FaultAddress.FIPA_LO - lowSpill; // where HPFAR[47:32] lands
  const fipaLow = hpLo >>> FaultAddress.FIPA_LO;
  const lo = ((fipaLow << pageShift) | pageOffset) >>> 0;
  const hi = ((fipaLow >>> lowSpill) | (bitsAt(FaultAddress.FIPA_HIGH, hpHi) << highShift)) >>> 0;
  return joinU64(lo, hi);
}

/** An absent FAR or HPFAR: `undefined` when the IPA is optional, else `missing-register`. */
function absent(register: "hpfar" | "far", required: boolean): undefined {
  if (required) throw missing(register);
  return undefined;
}

function missing(register: "hpfar" | "far"): VmExitError {
  return new VmExitError("missing-register", `${register} is needed for the fault's IPA`, register);
}
