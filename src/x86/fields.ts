// Checked reads of the optional VMCS / VMCB fields of an x86 snapshot (VMX and SVM alike): a value
// of the wrong type or range is `invalid-argument` / `out-of-range` naming the field.
import { toInt, toU64 } from "../core/u64";

/** A checked 32-bit field, `undefined` when absent. */
export function optionalU32(v: unknown, field: string): number | undefined {
  if (v === undefined || (typeof v === "number" && v >>> 0 === v)) return v;
  return toInt(v, field, 0, 0xffff_ffff);
}

/** A checked 64-bit field as a bigint, `undefined` when absent. */
export function optionalU64(v: unknown, field: string): bigint | undefined {
  return v === undefined ? undefined : toU64(v, field);
}
