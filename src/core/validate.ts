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

// `-0` is not a value of any field: `exitToJSON` could not write it and `Object.is` tells it apart.
function isInt(v: unknown, hi: number): boolean {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= hi && !Object.is(v, -0);
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * What is wrong with an exit's `args`, or `undefined` for a dense, plain array of exactly six
 * u64s with no other enumerable property.
 */
export function argsProblem(v: unknown): string | undefined {
  // Array.prototype is itself an array, a subclass's prototype is not: this holds in every realm.
  if (!Array.isArray(v) || !Array.isArray(Object.getPrototypeOf(v))) {
    return `args must be an array, got ${show(v)}`;
  }
  if (v.length !== 6) return `args must hold 6 values, got ${show(v)}`;
  for (let i = 0; i < 6; i++) {
    const a: unknown = v[i];
    if (!isU64(a)) {
      if (!hasOwn.call(v, i)) return `args[${i}] is a hole`;
      return `args[${i}] must be a bigint in 0…2^64−1, got ${show(a)}`;
    }
  }
  if (Object.keys(v).length !== 6) return "args has properties besides its 6 values";
  return undefined;
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
  args: (v) => argsProblem(v) === undefined,
};

/** Per field type: what a value of it is, for messages (`"a bigint in 0…2^64−1"`). */
export const EXPECTED: { readonly [T in FieldType]: string } = {
  u64: "a bigint in 0…2^64−1",
  gpa: "a bigint in 0…2^64−1",
  port: "an integer in 0…0xffff",
  sysreg: "an integer in 0…0xffffffff",
  width: "1, 2, 4 or 8",
  flags: "a set of the bits 0x3f",
  reg: "an integer in 0…31",
  bool: "a boolean",
  args: "an array of 6 bigints in 0…2^64−1",
};
