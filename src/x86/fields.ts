// Checked reads of the optional VMCS / VMCB fields of an x86 snapshot (VMX and SVM alike): a value
// of the wrong type or range is `invalid-argument` / `out-of-range` naming the field.
import { VmExitError } from "../core/error";
import { toInt, toU64 } from "../core/u64";

/**
 * Throws the `missing-register` error of a snapshot field (`exitQualification`, `exitInfo1`, …)
 * that the exit `exitName` needs: out of line, so that the checks calling it stay small enough
 * for the engine to inline.
 */
export function missingField(field: string, exitName: string): never {
  throw new VmExitError(
    "missing-register",
    `${field} is needed to decode ${exitName} but is absent`,
    field,
  );
}

/**
 * `field` (`exitQualification`, `exitInfo1`, …; pass its value as `v`) must be given for the exit
 * `exitName`: else its `missing-register` error. Small, so that the engine inlines it.
 */
export function needField(v: unknown, field: string, exitName: string): void {
  if (v === undefined) missingField(field, exitName);
}

/** A checked 32-bit field, `undefined` when absent. */
export function optionalU32(v: unknown, field: string): number | undefined {
  if (v === undefined || (typeof v === "number" && v >>> 0 === v)) return v;
  return toInt(v, field, 0, 0xffff_ffff);
}

/** A checked 64-bit field as a bigint, `undefined` when absent. */
export function optionalU64(v: unknown, field: string): bigint | undefined {
  return v === undefined ? undefined : toU64(v, field);
}
