import type { RegValue } from "../core/decoded";
import { show, VmExitError } from "../core/error";
import { splitU64, toU64, type U64Halves } from "../core/u64";
import type { RiscvXlen } from "./types";

/** ABI names of x0…x31, for messages and explanations. */
export const RISCV_ABI_NAMES: readonly string[] = [
  "zero",
  "ra",
  "sp",
  "gp",
  "tp",
  "t0",
  "t1",
  "t2",
  "s0",
  "s1",
  "a0",
  "a1",
  "a2",
  "a3",
  "a4",
  "a5",
  "a6",
  "a7",
  "s2",
  "s3",
  "s4",
  "s5",
  "s6",
  "s7",
  "s8",
  "s9",
  "s10",
  "s11",
  "t3",
  "t4",
  "t5",
  "t6",
];

/** Field names `x0`…`x31`, built once (messages and `VmExitError.field`). */
export const X_FIELDS: readonly string[] = RISCV_ABI_NAMES.map((_, i) => `x${i}`);

const U32_MAX = 0xffff_ffff;
/** 2^32 − 1 as a bigint. */
export const U32_MAX_BIG = 0xffff_ffffn;
const U64_MAX_BIG = 0xffff_ffff_ffff_ffffn;
const TWO_32 = 0x1_0000_0000;

function tooWide(v: unknown, field: string): never {
  throw new VmExitError(
    "out-of-range",
    `${field} must fit in 32 bits on RV32, got ${show(v)}`,
    field,
  );
}

/** One u64 viewed as two u32s: splits a bigint into halves without `Number(bigint)` or BigInt arithmetic. */
const U64_VIEW = new BigUint64Array(1);
const U32_VIEW = new Uint32Array(U64_VIEW.buffer);
/** Index of the low half in `U32_VIEW` (0 on little-endian hosts). */
const LO = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;

/** Splits a bigint already known to be in 0…2^64−1 into 32-bit halves (no allocation). */
export function splitBig(v: bigint, out: U64Halves): U64Halves {
  U64_VIEW[0] = v;
  out.lo = U32_VIEW[LO] as number;
  out.hi = U32_VIEW[HI] as number;
  return out;
}

/** Joins two unsigned 32-bit halves into a bigint (like `joinU64`, without `BigInt(number)`). */
export function joinBig(lo: number, hi: number): bigint {
  U32_VIEW[LO] = lo;
  U32_VIEW[HI] = hi;
  return U64_VIEW[0] as bigint;
}

/** Splits a register value into 32-bit halves, validating it (and that it fits XLEN). */
export function splitReg(v: unknown, field: string, xlen: RiscvXlen, out: U64Halves): U64Halves {
  if (typeof v === "bigint" && v >= 0n && v <= U64_MAX_BIG) splitBig(v, out);
  else if (typeof v === "number" && v >= 0 && v <= U32_MAX && v === Math.floor(v)) {
    // Values below 2^32 need no division.
    out.lo = v;
    out.hi = 0;
    return out;
  } else splitU64(v, field, out);
  if (xlen === 32 && out.hi !== 0) tooWide(v, field);
  return out;
}

/** Validates a register value once: fills `out` with its 32-bit halves and returns it as a bigint. */
export function readReg(v: unknown, field: string, xlen: RiscvXlen, out: U64Halves): bigint {
  if (typeof v === "bigint" && v >= 0n && v <= (xlen === 64 ? U64_MAX_BIG : U32_MAX_BIG)) {
    splitBig(v, out);
    return v;
  }
  splitReg(v, field, xlen, out);
  return joinBig(out.lo, out.hi);
}

/** Validates a register value (bigint, or non-negative safe integer, within XLEN) and returns it as a bigint. */
export function regToBig(v: unknown, field: string, xlen: RiscvXlen): bigint {
  if (typeof v === "bigint") {
    if (v >= 0n && v <= (xlen === 64 ? U64_MAX_BIG : U32_MAX_BIG)) return v;
  } else if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) {
    if (v <= U32_MAX) return joinBig(v, 0);
    if (xlen === 64) return joinBig(v >>> 0, Math.floor(v / TWO_32));
  }
  toU64(v, field);
  return tooWide(v, field);
}

function xName(i: number): string {
  return `x${i} (${RISCV_ABI_NAMES[i]})`;
}

/** Reads x[i] as a bigint; x0 is 0; an absent register → `missing-register`. */
export function readX(
  x: readonly (RegValue | undefined)[] | undefined,
  i: number,
  xlen: RiscvXlen,
): bigint {
  if (i === 0) return 0n;
  const v = x?.[i];
  if (v === undefined) {
    throw new VmExitError(
      "missing-register",
      `${xName(i)} is needed to decode this exit but snapshot.x[${i}] is absent`,
      X_FIELDS[i] as string,
    );
  }
  return regToBig(v, X_FIELDS[i] as string, xlen);
}

/** Reads x[i] as a bigint, or `undefined` when absent (still validated when present). */
export function readXOptional(
  x: readonly (RegValue | undefined)[] | undefined,
  i: number,
  xlen: RiscvXlen,
): bigint | undefined {
  if (i === 0) return 0n;
  const v = x?.[i];
  return v === undefined ? undefined : regToBig(v, X_FIELDS[i] as string, xlen);
}

/** Throws `missing-register` for a needed CSR value that is absent. */
export function missingCsr(name: string, why: string): never {
  throw new VmExitError(
    "missing-register",
    `${name} is needed to decode ${why} but snapshot.${name} is absent`,
    name,
  );
}

/** Validates the optional raw `instruction` field: an integer in 0…0xFFFFFFFF. */
export function checkInstructionWord(v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
    throw new VmExitError(
      "invalid-argument",
      `instruction must be an integer in 0…0xffffffff, got ${show(v)}`,
      "instruction",
    );
  }
  if (v > U32_MAX) {
    throw new VmExitError(
      "out-of-range",
      `instruction must be an integer in 0…0xffffffff, got ${show(v)}`,
      "instruction",
    );
  }
  return v;
}

/** Validates `xlen` (absent → 64). */
export function checkXlen(v: unknown): RiscvXlen {
  if (v === undefined || v === 64) return 64;
  if (v === 32) return 32;
  throw new VmExitError("invalid-argument", `xlen must be 32 or 64, got ${show(v)}`, "xlen");
}
