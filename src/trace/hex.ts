import { show, VmExitError } from "../core/error";

/** Parses 1–16 hex digits (no `0x`) as a number when it is a safe integer, else a bigint. */
export function hexValue(digits: string, field: string): number | bigint {
  const n = digits.length;
  if (n === 0 || n > 16) throw malformed(field, digits);
  // Exact while the value stays below 2^53; a larger value rounds to ≥ 2^53 and takes the bigint path.
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = digits.charCodeAt(i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 102) d = c - 87;
    else if (c >= 65 && c <= 70) d = c - 55;
    else throw malformed(field, digits);
    v = v * 16 + d;
  }
  return v <= Number.MAX_SAFE_INTEGER ? v : BigInt(`0x${digits}`);
}

/** Parses `0x` + 1–16 hex digits as a number when safe, else a bigint. */
export function prefixedHexValue(text: string, field: string): number | bigint {
  if (text.charCodeAt(0) !== 48 || (text.charCodeAt(1) | 0x20) !== 120)
    throw malformed(field, text);
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
  const n = text.length;
  if (n === 0 || n > 10) throw malformed(field, text, "a decimal number");
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) throw malformed(field, text, "a decimal number");
    v = v * 10 + d;
  }
  return v;
}

/** The error for an unreadable field of a trace line. */
export function malformed(field: string, value: string, expected = "a hex number"): VmExitError {
  return new VmExitError(
    "malformed-trace",
    `${field} must be ${expected}, got ${show(value)}`,
    field,
  );
}
