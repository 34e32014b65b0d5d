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

/** The only error vmexit throws: a code, the offending field and a message naming the value. */
export class VmExitError extends Error {
  override readonly name = "VmExitError";
  /** Which kind of rejection this is. */
  readonly code: VmExitErrorCode;
  /** The field (or JSON path, or register) that was rejected, when there is one. */
  readonly field?: string;

  constructor(code: VmExitErrorCode, message: string, field?: string) {
    super(message);
    this.code = code;
    if (field !== undefined) this.field = field;
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
