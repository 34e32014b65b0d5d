import { show, VmExitError } from "../core/error";

const HEX = /^[0-9a-fA-F]{1,16}$/;
const DEC = /^\d{1,10}$/;

/** Parses 1–16 hex digits (no `0x`) as a number when it is a safe integer, else a bigint. */
export function hexValue(digits: string, field: string): number | bigint {
  if (!HEX.test(digits)) throw malformed(field, digits);
  const v = Number.parseInt(digits, 16);
  return v <= Number.MAX_SAFE_INTEGER ? v : BigInt(`0x${digits}`);
}

/** Parses `0x` + 1–16 hex digits as a number when safe, else a bigint. */
export function prefixedHexValue(text: string, field: string): number | bigint {
  if (!(text.startsWith("0x") || text.startsWith("0X"))) throw malformed(field, text);
  return hexValue(text.slice(2), field);
}

/** Parses `0x` + hex digits as a bigint. */
export function prefixedHexBigint(text: string, field: string): bigint {
  const v = prefixedHexValue(text, field);
  return typeof v === "bigint" ? v : BigInt(v);
}

/** Parses `0x` + at most 8 hex digits as an unsigned 32-bit number. */
export function prefixedHex32(text: string, field: string): number {
  const v = prefixedHexValue(text, field);
  if (typeof v === "bigint" || v > 0xffff_ffff) throw malformed(field, text, "a 32-bit value");
  return v;
}

/** Parses a decimal unsigned integer of at most 10 digits. */
export function decimal(text: string, field: string): number {
  if (!DEC.test(text)) throw malformed(field, text, "a decimal number");
  return Number(text);
}

/** The error for an unreadable field of a trace line. */
export function malformed(field: string, value: string, expected = "a hex number"): VmExitError {
  return new VmExitError(
    "malformed-trace",
    `${field} must be ${expected}, got ${show(value)}`,
    field,
  );
}
