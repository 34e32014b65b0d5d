// The 64-bit value handling the tuned hand-written decoders share: each u64 is checked and split
// once into 32-bit halves through one BigUint64Array/Uint32Array pair, and joined back the same
// way. Bigints and numbers take separate functions, so that the engine's type feedback on the hot
// bigint path stays of one type (a function seeing both runs measurably slower).
import { VmExitError } from "../src/core/error";

/** 2^64: `v < TWO_64` is the faster form of `v <= 2^64 − 1` on Node 20. */
export const TWO_64 = 0x1_0000_0000_0000_0000n;
const T64 = new BigUint64Array(1);
const T32 = new Uint32Array(T64.buffer);
const T_LO = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;
const T_HI = 1 - T_LO;
/** The bigints 0…255, shared (no allocation for small values). */
export const SMALL: readonly bigint[] = Array.from({ length: 256 }, (_, i) => BigInt(i));

// Bits 63:32 of the value `split` read last: kept in a typed array, because a module variable
// holding a number of 2^30 or more boxes it in a new heap number on every write.
const SPLIT_HI = new Uint32Array(1);

/** Bits 63:32 of the value `split` read last. */
export function splitHi(): number {
  return SPLIT_HI[0] as number;
}

/** A value that is not a u64. */
export function notU64(field: string): never {
  throw new VmExitError("invalid-argument", `${field} is not a u64`, field);
}

/** A value the exit needs that the snapshot lacks. */
export function missing(field: string): never {
  throw new VmExitError("missing-register", `${field} is absent`, field);
}

/** Validates a u64 (bigint or non-negative safe integer): bits 31:0, with bits 63:32 in `splitHi()`. */
export function split(v: unknown, field: string): number {
  if (typeof v === "bigint" && v >= 0n && v < TWO_64) {
    T64[0] = v;
    SPLIT_HI[0] = T32[T_HI] as number;
    return T32[T_LO] as number;
  }
  return splitNumber(v, field);
}

function splitNumber(v: unknown, field: string): number {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) {
    SPLIT_HI[0] = Math.floor(v / 0x1_0000_0000);
    return v >>> 0;
  }
  return notU64(field);
}

/** The u64 of two 32-bit halves. */
export function join(lo: number, hi: number): bigint {
  if (hi === 0 && lo < 256) return SMALL[lo] as bigint;
  T32[T_LO] = lo;
  T32[T_HI] = hi;
  return T64[0] as bigint;
}

/** A validated u64, as a bigint. */
export function u64(v: unknown, field: string): bigint {
  return typeof v === "bigint" && v >= 0n && v < TWO_64 ? v : numberU64(v, field);
}

/** `u64` of a number (a non-negative safe integer), or its error for anything else. */
export function numberU64(v: unknown, field: string): bigint {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  return notU64(field);
}
