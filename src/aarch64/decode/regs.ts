import type { RegValue } from "../../core/decoded";
import { show, VmExitError } from "../../core/error";
import { splitU64, splitU64Low, TWO_64, toU64, type U64Halves } from "../../core/u64";
import type { Aarch64Snapshot } from "../snapshot";

const NAMES: readonly string[] = Array.from({ length: 31 }, (_, i) => `x${i}`);

/**
 * True when `v` is a bigint u64, the form registers usually come in (each check costs a few
 * nanoseconds: a decoder checks every register it reads once, and only once).
 */
export function isBigU64(v: unknown): v is bigint {
  return typeof v === "bigint" && v >= 0n && v < TWO_64;
}

/** The snapshot's register array, `undefined` when absent; anything else → `VmExitError`. */
export function xArray(s: Aarch64Snapshot): readonly (RegValue | undefined)[] | undefined {
  const x = s.x;
  if (x === undefined || Array.isArray(x)) return x;
  throw notAnArray(x);
}

function rawX(s: Aarch64Snapshot, n: number): RegValue {
  const v = xArray(s)?.[n];
  if (v === undefined) throw missing(n);
  return v;
}

// The errors live in functions of their own, out of the hot path's code.
function notAnArray(x: unknown): VmExitError {
  return new VmExitError(
    "invalid-argument",
    `x must be an array of registers, got ${show(x)}`,
    "x",
  );
}

function missing(n: number): VmExitError {
  return new VmExitError("missing-register", `x${n} is needed but was not supplied`, `x${n}`);
}

/** Xn (n < 31) given as `v`, not a bigint u64: a number converted, or the error. */
function slowX(v: RegValue | undefined, n: number): bigint {
  if (v === undefined) throw missing(n);
  return toU64(v, NAMES[n] as string);
}

/**
 * X1…X6 as u64 bigints, read from the snapshot's array once (each validated as `readX` does, in
 * order, so the first bad register is the one reported).
 */
export function readX1To6(s: Aarch64Snapshot): [bigint, bigint, bigint, bigint, bigint, bigint] {
  const x = xArray(s);
  const a1 = x?.[1];
  const a2 = x?.[2];
  const a3 = x?.[3];
  const a4 = x?.[4];
  const a5 = x?.[5];
  const a6 = x?.[6];
  return [
    isBigU64(a1) ? a1 : slowX(a1, 1),
    isBigU64(a2) ? a2 : slowX(a2, 2),
    isBigU64(a3) ? a3 : slowX(a3, 3),
    isBigU64(a4) ? a4 : slowX(a4, 4),
    isBigU64(a5) ? a5 : slowX(a5, 5),
    isBigU64(a6) ? a6 : slowX(a6, 6),
  ];
}

/** Reads Xn as a u64 bigint; n = 31 is XZR and reads as 0. */
export function readX(s: Aarch64Snapshot, n: number): bigint {
  if (n === 31) return 0n;
  const v = xArray(s)?.[n];
  return isBigU64(v) ? v : slowX(v, n);
}

/**
 * Reads Wn (the low 32 bits of Xn) as a number, checking all of Xn, whose bits 63:32 are then in
 * `highHalf()` (until the next split): the halves stay in locals. n = 31 is WZR and reads as 0,
 * with `highHalf()` not updated.
 */
export function readW(s: Aarch64Snapshot, n: number): number {
  if (n === 31) return 0;
  return splitU64Low(rawX(s, n), NAMES[n] as string);
}

/**
 * Xn as a bigint once `readW(s, n)` has checked it (a bigint is returned as it is, a number
 * converted): the value of a register already split, without checking it again.
 */
export function checkedX(s: Aarch64Snapshot, n: number): bigint {
  if (n === 31) return 0n;
  const v = (s.x as readonly RegValue[])[n] as RegValue;
  return typeof v === "bigint" ? v : BigInt(v);
}

const scratch: U64Halves = { lo: 0, hi: 0 };

/** Checks a register value that is not needed but was supplied: absent is fine, else a u64. */
export function checkRegister(v: unknown, name: string): void {
  if (v !== undefined && !isBigU64(v)) splitU64(v, name, scratch);
}

/**
 * Checks Xn where the exit does not need it but its class uses it (a store's data, a WFxT
 * timeout, an SMCCC argument): absent is fine, a supplied value must be a u64. XZR is always fine.
 */
export function checkX(s: Aarch64Snapshot, n: number): void {
  if (n !== 31) checkRegister(xArray(s)?.[n], NAMES[n] as string);
}

/** Xn as a u64 when supplied (31 = XZR reads 0), `undefined` when absent; malformed → `VmExitError`. */
export function optionalX(s: Aarch64Snapshot, n: number): bigint | undefined {
  if (n === 31) return 0n;
  const v = xArray(s)?.[n];
  return v === undefined ? undefined : toU64(v, NAMES[n] as string);
}
