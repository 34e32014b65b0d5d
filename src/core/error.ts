/** Machine-readable reason a vmexit function rejected its input. */
export type VmExitErrorCode =
  | "invalid-argument"
  | "out-of-range"
  | "reserved-encoding"
  | "missing-register"
  | "unknown-exit-reason"
  | "unrepresentable"
  | "malformed-json"
  | "malformed-trace";

const CODES: readonly unknown[] = [
  "invalid-argument",
  "out-of-range",
  "reserved-encoding",
  "missing-register",
  "unknown-exit-reason",
  "unrepresentable",
  "malformed-json",
  "malformed-trace",
] satisfies readonly VmExitErrorCode[];

function isOptionalString(v: unknown): boolean {
  return v === undefined || typeof v === "string";
}

// One brand for every copy of the class: the ESM and CJS builds (and each CJS entry, which
// bundles its own copy) define separate classes, and `instanceof` asks the brand, not the chain.
const BRAND: unique symbol = Symbol.for("vmexit.VmExitError") as never;

/**
 * The only error vmexit throws: a code, the offending field and a message naming the value.
 * `instanceof VmExitError` holds for errors from any copy of the library loaded in the process
 * (the ESM and the CJS build, every entry point).
 * @example
 * try {
 *   port(0x10000);
 * } catch (e) {
 *   if (e instanceof VmExitError) console.log(e.code, e.field); // "out-of-range" "port"
 * }
 */
export class VmExitError extends Error {
  /** Always `"VmExitError"` (also across builds). */
  override readonly name = "VmExitError";
  /** Which kind of rejection this is. */
  readonly code: VmExitErrorCode;
  /** The field (or JSON path, or register) that was rejected, when there is one. */
  readonly field?: string;

  /**
   * Builds the error; vmexit's functions throw it, user code rarely needs to. A `code` that is
   * not a `VmExitErrorCode`, or a `message` / `field` that is not a string, is itself rejected
   * with a `VmExitError("invalid-argument")`.
   */
  constructor(code: VmExitErrorCode, message: string, field?: string) {
    if (!CODES.includes(code) || typeof message !== "string" || !isOptionalString(field)) {
      const arg = !CODES.includes(code)
        ? "code"
        : typeof message !== "string"
          ? "message"
          : "field";
      const value = arg === "code" ? code : arg === "message" ? message : field;
      throw new VmExitError(
        "invalid-argument",
        `VmExitError ${arg} must be ${arg === "code" ? "a VmExitErrorCode" : "a string"}, got ${show(value)}`,
        arg,
      );
    }
    super(message);
    this.code = code;
    if (field !== undefined) this.field = field;
  }

  /** The cross-build brand (on the prototype, so it shows in no error's own properties). */
  get [BRAND](): true {
    return true;
  }

  /** True for a `VmExitError` thrown by any copy of vmexit; subclasses keep the usual test. */
  static override [Symbol.hasInstance](value: unknown): value is VmExitError {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` asks about
    if (this !== VmExitError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return (
      typeof value === "object" &&
      value !== null &&
      (value as { readonly [BRAND]?: unknown })[BRAND] === true
    );
  }
}

/** Renders any value for an error message without throwing (bigints as hex, strings quoted). */
export function show(value: unknown): string {
  switch (typeof value) {
    case "bigint":
      return value < 0n ? `-0x${(-value).toString(16)}` : `0x${value.toString(16)}`;
    case "string":
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "boolean":
    case "undefined":
      return String(value);
    case "symbol":
      return "a symbol";
    case "function":
      return "a function";
    default:
      if (value === null) return "null";
      return Array.isArray(value) ? `an array of length ${value.length}` : "an object";
  }
}
