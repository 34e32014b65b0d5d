import { show, VmExitError } from "./error";
import type { FieldType } from "./fields";
import { accessWidth, isAccessWidth } from "./scalars/access-width";
import { isMappingFlags, mappingFlags } from "./scalars/mapping-flags";
import { isU64, toInt, toU64 } from "./u64";

function toBool(v: unknown, field: string): boolean {
  if (typeof v === "boolean") return v;
  throw new VmExitError("invalid-argument", `${field} must be a boolean, got ${show(v)}`, field);
}

function toArgs(v: unknown, field: string): readonly bigint[] {
  if (!Array.isArray(v) || v.length !== 6) {
    throw new VmExitError(
      "invalid-argument",
      `${field} must be an array of 6 values, got ${show(v)}`,
      field,
    );
  }
  const out: bigint[] = [];
  for (let i = 0; i < 6; i++) {
    const a: unknown = v[i];
    // The field name is only built when the value is rejected (a template per argument is most
    // of the cost of `hypercall()` otherwise).
    out.push(isU64(a) ? a : toU64(a, `${field}[${i}]`));
  }
  return out;
}

function isInt(v: unknown, hi: number): boolean {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= hi;
}

/** Per field type: validates constructor input (number | bigint accepted) and returns the stored value. */
export const VALIDATE: { readonly [T in FieldType]: (v: unknown, field: string) => unknown } = {
  u64: toU64,
  gpa: toU64,
  port: (v, f) => toInt(v, f, 0, 0xffff),
  sysreg: (v, f) => toInt(v, f, 0, 0xffff_ffff),
  width: (v, f) => accessWidth(v as number, f),
  flags: (v, f) => mappingFlags(v as number, f),
  reg: (v, f) => toInt(v, f, 0, 31),
  bool: toBool,
  args: toArgs,
};

/** Per field type: whether a stored value has exactly the runtime type and range of the model. */
export const CHECK: { readonly [T in FieldType]: (v: unknown) => boolean } = {
  u64: isU64,
  gpa: isU64,
  port: (v) => isInt(v, 0xffff),
  sysreg: (v) => isInt(v, 0xffff_ffff),
  width: isAccessWidth,
  flags: isMappingFlags,
  reg: (v) => isInt(v, 31),
  bool: (v) => typeof v === "boolean",
  args: (v) => Array.isArray(v) && v.length === 6 && v.every(isU64),
};
