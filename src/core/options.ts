import type { OptionSpec, ValueSpec } from "./codec";
import { show, VmExitError } from "./error";
import { isU64 } from "./u64";

function isU32(v: unknown): boolean {
  return (
    typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 0xffff_ffff && !Object.is(v, -0)
  );
}

function isByte(v: unknown): boolean {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 0xff;
}

function fits(spec: ValueSpec, v: unknown): boolean {
  switch (spec.type) {
    case "u64":
      return isU64(v);
    case "u32":
      return isU32(v);
    case "choice":
      return spec.values.includes(v as string | number);
    case "boolean":
      return typeof v === "boolean";
    case "function":
      return typeof v === "function";
    case "bytes":
      return (
        v instanceof Uint8Array || (Array.isArray(v) && v.every(isByte) && !v.includes(undefined))
      );
    case "named":
      return spec.bits === 32
        ? isU32(v)
        : isU64(v) || (typeof v === "number" && Number.isSafeInteger(v) && v >= 0);
  }
}

function expected(spec: ValueSpec): string {
  switch (spec.type) {
    case "u64":
      return "a bigint in 0…2^64−1";
    case "u32":
      return "an integer in 0…0xffffffff";
    case "choice":
      return `one of ${spec.values.map((v) => (typeof v === "string" ? `"${v}"` : String(v))).join(", ")}`;
    case "boolean":
      return "a boolean";
    case "function":
      return "a function";
    case "bytes":
      return "a Uint8Array or an array of integers in 0…255";
    case "named":
      return spec.bits === 32
        ? "an integer in 0…0xffffffff"
        : "an unsigned integer of at most 64 bits";
  }
}

/** What an options object held when it passed `checkOptions` against `specs`. */
interface Checked {
  readonly specs: readonly OptionSpec[];
  /** Frozen: it cannot have changed. */
  readonly frozen: boolean;
  /** Its own enumerable keys, in order, and their values. */
  readonly keys: readonly string[];
  readonly values: readonly unknown[];
}

/**
 * Options objects that passed `checkOptions`, with what they held: an object that still holds the
 * same keys with the same primitive or function values passes again without a second check (a
 * decoder is often handed one options object on every call, and checking it took longer than a
 * whole decode). An object value (bytes) could change inside, so an object holding one is always
 * checked.
 */
const CHECKED: WeakMap<object, Checked> = /* @__PURE__ */ new WeakMap();

/** True when `options` holds exactly the keys and values `seen` recorded. */
function unchanged(options: object, seen: Checked): boolean {
  const keys = Object.keys(options);
  const was = seen.keys;
  if (keys.length !== was.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const value = (options as Record<string, unknown>)[key];
    // the same value (Object.is: -0 is not 0, which a u32 option refuses)
    if (key !== was[i] || !Object.is(value, seen.values[i])) return false;
  }
  return true;
}

/**
 * Checks an options object against its specs, the same way for every decoder, encoder and
 * explainer: absent is fine; otherwise a plain object whose every key is a known option with a
 * value of its type. Rejections are `VmExitError("invalid-argument")` naming `options.<key>`.
 */
export function checkOptions(options: unknown, specs: readonly OptionSpec[]): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new VmExitError(
      "invalid-argument",
      `options must be an object, got ${show(options)}`,
      "options",
    );
  }
  const seen = CHECKED.get(options);
  if (seen !== undefined && seen.specs === specs && (seen.frozen || unchanged(options, seen))) {
    return;
  }
  const keys = Object.keys(options);
  const values: unknown[] = [];
  let lasting = true;
  for (const key of keys) {
    let spec: OptionSpec | undefined;
    for (let i = 0; i < specs.length && spec === undefined; i++) {
      if ((specs[i] as OptionSpec).key === key) spec = specs[i];
    }
    if (spec === undefined) unknownOption(key, specs);
    const v = (options as Record<string, unknown>)[key];
    if (v !== undefined && !fits(spec.value, v)) badValue(key, spec, v);
    if (typeof v === "object" && v !== null) lasting = false;
    values.push(v);
  }
  if (lasting) CHECKED.set(options, { specs, frozen: Object.isFrozen(options), keys, values });
}

function unknownOption(key: string, specs: readonly OptionSpec[]): never {
  const known = specs.map((s) => s.key).join(", ");
  throw new VmExitError(
    "invalid-argument",
    `options.${key} is not an option here (options: ${known === "" ? "none" : known})`,
    `options.${key}`,
  );
}

function badValue(key: string, spec: OptionSpec, v: unknown): never {
  throw new VmExitError(
    "invalid-argument",
    `options.${key} must be ${expected(spec.value)}, got ${show(v)}`,
    `options.${key}`,
  );
}
