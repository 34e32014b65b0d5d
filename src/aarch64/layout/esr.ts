// ESR_EL2 itself (Arm ARM D24.2.40): RES0 [63:56], ISS2 [55:32], EC [31:26], IL [25], ISS [24:0],
// and the rule every reader of an ESR applies before anything else: which values the hardware
// cannot produce.
import { VmExitError } from "../../core/error";
import { type BitField, reserved } from "../../core/layout";
import { hex, joinU64 } from "../../core/u64";
import { ESR_EC_DESCRIPTIONS, ESR_EC_NAMES } from "../tables/ec";
import { dataAbortSyndromeError } from "./abort";
import { bitsAt, fieldAt, hiOf, loOf } from "./at";
import { hexNum } from "./common";
import { Esr } from "./positions";

/** What EC means: `DABT_LOW: Data Abort from a lower Exception level`, or that it is unallocated. */
function ecMeaning(ec: number): string {
  const name = ESR_EC_NAMES[ec];
  if (name !== undefined) return `${name}: ${ESR_EC_DESCRIPTIONS[ec] ?? name}`;
  if (ec === 0x1b) {
    return "Unallocated (0x1B was the TSTART trap of FEAT_TME in Arm ARM issues that defined it)";
  }
  return `Unallocated exception class ${hexNum(ec)} (reserved)`;
}

/** ESR bits 63:56, RES0. */
export const ESR_RES0: BitField = reserved(hiOf(Esr.RES0), loOf(Esr.RES0));

/** EC [31:26]: the exception class. */
export const ESR_EC: BitField = fieldAt("EC", Esr.EC, ecMeaning);

/** IL [25]: the trapped instruction's length. */
export const ESR_IL: BitField = fieldAt("IL", Esr.IL, [
  "16-bit instruction trapped (T32)",
  "32-bit instruction trapped, or an exception not caused by an instruction (IL is then 1)",
]);

/** ISS [24:0]: the syndrome, laid out per exception class. */
export const ESR_ISS: BitField = fieldAt("ISS", Esr.ISS);

/** ISS2 [55:32]: more syndrome, for data aborts, instruction aborts and watchpoints. */
export const ESR_ISS2: BitField = fieldAt("ISS2", Esr.ISS2);

/**
 * Rejects an ESR_EL2 value no exception produces: bits 63:56 set, an unallocated EC, or a syndrome
 * its class rules out (`reserved-encoding`, field `esr`). Decoders and explainers both call it,
 * so they reject the same values with the same error. `lo`/`hi` are the ESR's 32-bit halves.
 */
export function checkEsr(lo: number, hi: number): void {
  const ec = bitsAt(Esr.EC, lo);
  if (
    bitsAt(Esr.RES0, hi) !== 0 ||
    ESR_EC_NAMES[ec] === undefined ||
    ((ec & 0x3e) === 0x24 && dataAbortSyndromeError(lo) !== undefined)
  ) {
    throw esrError(lo, hi);
  }
}

/** Rejects an ESR whose bits 63:56 are set (the only check an SError syndrome gets). */
export function checkEsrRes0(lo: number, hi: number): void {
  if (bitsAt(Esr.RES0, hi) !== 0) throw esrError(lo, hi);
}

// The error of an ESR `checkEsr` rejects, built out of the hot path: which rule it breaks.
function esrError(lo: number, hi: number): VmExitError {
  if (bitsAt(Esr.RES0, hi) !== 0) return reservedEsr(lo, hi, "bits 63:56 are RES0");
  const ec = bitsAt(Esr.EC, lo);
  if (ESR_EC_NAMES[ec] === undefined) {
    return reservedEsr(lo, hi, `EC (bits 31:26) ${hexNum(ec)} is unallocated`);
  }
  return reservedEsr(lo, hi, dataAbortSyndromeError(lo) as string);
}

function reservedEsr(lo: number, hi: number, why: string): VmExitError {
  return new VmExitError(
    "reserved-encoding",
    `esr ${why}, in esr = ${hex(joinU64(lo, hi))}`,
    "esr",
  );
}
