import { show, VmExitError } from "./error";

/** 2^64 − 1, the largest u64. */
export const U64_MAX = 0xffff_ffff_ffff_ffffn;

/** True when `v` is a bigint in 0…2^64−1. */
export function isU64(v: unknown): v is bigint {
  return typeof v === "bigint" && v >= 0n && v <= U64_MAX;
}

/** Validates a u64 given as bigint or non-negative safe integer and returns it as bigint. */
export function toU64(v: unknown, field: string): bigint {
  if (typeof v === "bigint") {
    if (v >= 0n && v <= U64_MAX) return v;
    throw new VmExitError("out-of-range", `${field} must be in 0…2^64−1, got ${show(v)}`, field);
  }
  if (typeof v === "number") {
    if (Number.isSafeInteger(v) && v >= 0) return BigInt(v);
    throw new VmExitError(
      Number.isInteger(v) && v >= 0 ? "out-of-range" : "invalid-argument",
      `${field} must be a non-negative safe integer or a bigint, got ${show(v)}`,
      field,
    );
  }
  throw new VmExitError(
    "invalid-argument",
    `${field} must be a bigint or a number, got ${show(v)}`,
    field,
  );
}

/** Validates an integer number in lo…hi. */
export function toInt(v: unknown, field: string, lo: number, hi: number): number {
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new VmExitError("invalid-argument", `${field} must be an integer, got ${show(v)}`, field);
  }
  if (v < lo || v > hi) {
    throw new VmExitError(
      "out-of-range",
      `${field} must be in ${lo}…0x${hi.toString(16)}, got ${show(v)} (0x${v.toString(16)})`,
      field,
    );
  }
  return v;
}

/** Scratch holder for the 32-bit halves of a u64, filled by `splitU64`. */
export interface U64Halves {
  /** Bits 31:0 as an unsigned number. */
  lo: number;
  /** Bits 63:32 as an unsigned number. */
  hi: number;
}

const TWO_32 = 0x1_0000_0000;

/** Splits a register value (bigint or safe integer) into 32-bit halves once, validating it. */
export function splitU64(v: unknown, field: string, out: U64Halves): U64Halves {
  if (typeof v === "number") {
    if (!(Number.isSafeInteger(v) && v >= 0)) toU64(v, field);
    out.lo = v >>> 0;
    out.hi = Math.floor(v / TWO_32) >>> 0;
    return out;
  }
  if (typeof v !== "bigint" || v < 0n || v > U64_MAX) toU64(v, field);
  const b = v as bigint;
  out.lo = Number(b & 0xffff_ffffn);
  out.hi = Number(b >> 32n);
  return out;
}

/** Joins two unsigned 32-bit halves into a bigint. */
export function joinU64(lo: number, hi: number): bigint {
  return hi === 0 ? BigInt(lo >>> 0) : (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** Formats a bigint or number as lowercase hex with a 0x prefix. */
export function hex(v: bigint | number): string {
  return `0x${v.toString(16)}`;
}
