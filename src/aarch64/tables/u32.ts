import { toInt } from "../../core/u64";

/**
 * `v` when it is an integer in 0…0xFFFFFFFF (a 32-bit register, field or instruction word); else
 * `VmExitError` naming `name` (`invalid-argument` for a non-integer, `out-of-range` outside).
 */
export function u32(v: unknown, name: string): number {
  if (typeof v === "number" && v >>> 0 === v) return v;
  return toInt(v, name, 0, 0xffff_ffff);
}
