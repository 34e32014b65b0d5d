import type { RegValue } from "../../core/decoded";
import { show, VmExitError } from "../../core/error";
import { isU64, splitU64, toU64, type U64Halves } from "../../core/u64";
import type { Aarch64Snapshot } from "../snapshot";

const NAMES: readonly string[] = Array.from({ length: 31 }, (_, i) => `x${i}`);

function xArray(s: Aarch64Snapshot): readonly (RegValue | undefined)[] | undefined {
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
    isU64(a1) ? a1 : readX(s, 1),
    isU64(a2) ? a2 : readX(s, 2),
    isU64(a3) ? a3 : readX(s, 3),
    isU64(a4) ? a4 : readX(s, 4),
    isU64(a5) ? a5 : readX(s, 5),
    isU64(a6) ? a6 : readX(s, 6),
  ];
}

/** Reads Xn as a u64 bigint; n = 31 is XZR and reads as 0. */
export function readX(s: Aarch64Snapshot, n: number): bigint {
  return n === 31 ? 0n : toU64(rawX(s, n), NAMES[n] as string);
}

/** Reads Wn (the low 32 bits of Xn) as a number; n = 31 is WZR and reads as 0. */
export function readW(s: Aarch64Snapshot, n: number, out: U64Halves): number {
  if (n === 31) return 0;
  return splitU64(rawX(s, n), NAMES[n] as string, out).lo;
}

/** Splits Xn into 32-bit halves into `out`; n = 31 (XZR) gives zeros. */
export function splitX(s: Aarch64Snapshot, n: number, out: U64Halves): U64Halves {
  if (n === 31) {
    out.lo = 0;
    out.hi = 0;
    return out;
  }
  return splitU64(rawX(s, n), NAMES[n] as string, out);
}

const scratch: U64Halves = { lo: 0, hi: 0 };

/** Checks a register value that is not needed but was supplied: absent is fine, else a u64. */
export function checkRegister(v: unknown, name: string): void {
  if (v !== undefined && !isU64(v)) splitU64(v, name, scratch);
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
