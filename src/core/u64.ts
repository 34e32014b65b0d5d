import { show, VmExitError } from "./error";

/** 2^64 − 1, the largest u64. */
export const U64_MAX = 0xffff_ffff_ffff_ffffn;
/**
 * 2^64, the bound a u64 stays below: `v < TWO_64` is the fast form of `v <= U64_MAX` (measured
 * about twice as fast on Node 20).
 */
export const TWO_64 = 0x1_0000_0000_0000_0000n;

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
  return v + 0; // -0 is the number zero: stored as +0
}

/** Scratch holder for the 32-bit halves of a u64, filled by `splitU64`. */
export interface U64Halves {
  /** Bits 31:0 as an unsigned number. */
  lo: number;
  /** Bits 63:32 as an unsigned number. */
  hi: number;
}

const TWO_32 = 0x1_0000_0000;

// One u64 seen as two u32s: passing a bigint through this buffer splits or joins it without
// BigInt arithmetic (on Node 20 about 20× faster than `Number(v & 0xffff_ffffn)` and `v >> 32n`).
const U64_VIEW = /* @__PURE__ */ new BigUint64Array(1);
const U32_VIEW = /* @__PURE__ */ new Uint32Array(U64_VIEW.buffer);
/** Index of bits 31:0 in `U32_VIEW`: 0 on little-endian hosts, 1 on big-endian ones. */
const LO = /* @__PURE__ */ lowHalfIndex();
const HI = 1 - LO;
/** 0n…255n: exception codes, vectors and register numbers join without allocating a bigint. */
const SMALL: readonly bigint[] = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => BigInt(i));

function lowHalfIndex(): number {
  return new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;
}

/**
 * Splits a register value (bigint or safe integer) into 32-bit halves once, validating it. The
 * bigint path is kept small so that the engine inlines it into every decoder; numbers and errors
 * take `splitOther`.
 */
export function splitU64(v: unknown, field: string, out: U64Halves): U64Halves {
  if (typeof v === "bigint" && v >= 0n && v < TWO_64) return splitBigint(v, out);
  return splitOther(v, field, out);
}

/** Splits a bigint the caller has checked is in 0…2^64−1 (no checks): the decoders' fast path. */
export function splitBigint(v: bigint, out: U64Halves): U64Halves {
  U64_VIEW[0] = v;
  out.lo = U32_VIEW[LO] as number;
  out.hi = U32_VIEW[HI] as number;
  return out;
}

/**
 * Bits 63:32 of the value `splitBigintLow` or `splitU64Low` split last, kept in a typed array: a
 * module variable holding a number ≥ 2^30 (an interrupt's scause, most register values) boxed it
 * in a new heap number on every split.
 */
const HIGH = /* @__PURE__ */ new Uint32Array(1);
const lowScratch: U64Halves = { lo: 0, hi: 0 };

/**
 * `splitBigint` returning bits 31:0 and keeping bits 63:32 for `highHalf()` (until the next
 * split): no object is written, so a decoder's halves stay in locals.
 */
export function splitBigintLow(v: bigint): number {
  U64_VIEW[0] = v;
  HIGH[0] = U32_VIEW[HI] as number;
  return U32_VIEW[LO] as number;
}

/** `splitU64` returning bits 31:0 and keeping bits 63:32 for `highHalf()` (until the next split). */
export function splitU64Low(v: unknown, field: string): number {
  if (typeof v === "bigint" && v >= 0n && v < TWO_64) return splitBigintLow(v);
  splitOther(v, field, lowScratch);
  HIGH[0] = lowScratch.hi;
  return lowScratch.lo;
}

/**
 * `splitU64Low` of an optional field (a VMX exit qualification, SVM EXITINFO1): 0 when absent.
 * The bigint check is repeated here so that the hot decoders' common case stays small enough for
 * the engine to inline.
 */
export function splitOptionalU64Low(v: unknown, field: string): number {
  if (typeof v === "bigint" && v >= 0n && v < TWO_64) return splitBigintLow(v);
  return splitU64Low(v === undefined ? 0 : v, field);
}

/** Bits 63:32 of the value `splitBigintLow` or `splitU64Low` split last. */
export function highHalf(): number {
  return HIGH[0] as number;
}

/** `splitU64` of a number (a non-negative safe integer), or its error for anything else. */
function splitOther(v: unknown, field: string, out: U64Halves): U64Halves {
  if (!(typeof v === "number" && Number.isSafeInteger(v) && v >= 0)) toU64(v, field);
  const n = v as number;
  out.lo = n >>> 0;
  out.hi = Math.floor(n / TWO_32) >>> 0;
  return out;
}

/** Joins two 32-bit halves (each taken modulo 2^32) into a bigint. */
export function joinU64(lo: number, hi: number): bigint {
  if (hi === 0 && lo < 256) {
    const small = SMALL[lo];
    if (small !== undefined) return small;
  }
  U32_VIEW[LO] = lo;
  U32_VIEW[HI] = hi;
  return U64_VIEW[0] as bigint;
}

/** Formats a bigint or number as lowercase hex with a 0x prefix. */
export function hex(v: bigint | number): string {
  return `0x${v.toString(16)}`;
}
