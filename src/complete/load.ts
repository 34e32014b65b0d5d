// The value a load leaves in its destination: the low `width` bytes of the data, sign- or
// zero-extended to the register operand's width. Number operations on 32-bit halves only.

import { ACCESS_WIDTH_LOW_MASKS } from "../core/scalars/access-width";
import type { U64Halves } from "../core/u64";

/**
 * Overwrites `v` (the data, split) with the low `width` bytes extended (signed when `signedExt`) to
 * 64 bits, then truncated to `regWidth` bytes: what a load of `width` bytes into a `regWidth`-byte
 * register operand produces before the architecture writes the register.
 */
export function loadedValue(
  v: U64Halves,
  width: number,
  signedExt: boolean,
  regWidth: number,
): void {
  if (width < 4) {
    const shift = 32 - 8 * width;
    const lo = signedExt ? (v.lo << shift) >> shift : (v.lo << shift) >>> shift;
    v.lo = lo >>> 0;
    v.hi = (lo >> 31) >>> 0;
  } else if (width === 4) {
    v.hi = signedExt ? (v.lo >> 31) >>> 0 : 0;
  }
  if (regWidth < 8) {
    v.hi = 0;
    if (regWidth < 4) v.lo = (v.lo & (ACCESS_WIDTH_LOW_MASKS[regWidth] as number)) >>> 0;
  }
}
