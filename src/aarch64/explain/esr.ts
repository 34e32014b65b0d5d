import type { ExplainNode } from "../../core/explain";
import { explainFields } from "../../core/layout";
import { splitU64, type U64Halves } from "../../core/u64";
import { checkEsr } from "../layout/esr";
import { esrLayout } from "../layout/iss";

const halves: U64Halves = { lo: 0, hi: 0 };

/**
 * Dissects an ESR_ELx value into EC [31:26], IL [25], ISS [24:0] (with the fields of its exception
 * class) and ISS2 [55:32], each with what its value means. Bit ranges are counted in the whole ESR.
 * It rejects what `decodeAarch64` rejects, with the same error: not a u64 → `invalid-argument` /
 * `out-of-range`; bits 63:56 set, an unallocated EC, or a data abort with ISV = 1, SAS = 3 and
 * SF = 0 → `reserved-encoding`.
 * @example explainEsr(0x93810047) // [EC 0x24 DABT_LOW…, IL, ISS (ISV, SAS, SRT, WnR, DFSC…), ISS2]
 */
export function explainEsr(esr: bigint | number): ExplainNode[] {
  const reg = splitU64(esr, "esr", halves);
  checkEsr(reg.lo, reg.hi);
  return explainFields({ lo: reg.lo, hi: reg.hi }, esrLayout);
}
