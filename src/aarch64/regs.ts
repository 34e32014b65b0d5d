import type { RegValue } from "../core/decoded";
import { show, VmExitError } from "../core/error";
import { splitU64, toU64, type U64Halves } from "../core/u64";
import type { Aarch64Snapshot } from "./snapshot";

const NAMES: readonly string[] = Array.from({ length: 31 }, (_, i) => `x${i}`);

function xArray(s: Aarch64Snapshot): readonly (RegValue | undefined)[] | undefined {
  const x = s.x;
  if (x === undefined || Array.isArray(x)) return x;
  throw new VmExitError("invalid-argument", `x must be an array of registers, got ${show(x)}`, "x");
}

function rawX(s: Aarch64Snapshot, n: number): RegValue {
  const v = xArray(s)?.[n];
  if (v === undefined) {
    throw new VmExitError("missing-register", `x${n} is needed but was not supplied`, `x${n}`);
  }
  return v;
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
