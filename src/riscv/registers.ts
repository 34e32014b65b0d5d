import type { RegValue } from "../core/decoded";
import { show, VmExitError } from "../core/error";
import { joinU64, splitU64, type U64Halves } from "../core/u64";
import type { RiscvXlen } from "./snapshot";

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
const X_FIELDS: readonly string[] = RISCV_ABI_NAMES.map((_, i) => `x${i}`);

const U32_MAX = 0xffff_ffff;
const U32_MAX_BIG = 0xffff_ffffn;
const U64_MAX_BIG = 0xffff_ffff_ffff_ffffn;
const scratch: U64Halves = { lo: 0, hi: 0 };

function tooWide(v: unknown, field: string): never {
  throw new VmExitError(
    "out-of-range",
    `${field} must fit in 32 bits on RV32, got ${show(v)}`,
    field,
  );
}

/** Splits a register value into 32-bit halves, validating it (and that it fits XLEN). */
export function splitReg(v: unknown, field: string, xlen: RiscvXlen, out: U64Halves): U64Halves {
  splitU64(v, field, out);
  if (xlen === 32 && out.hi !== 0) tooWide(v, field);
  return out;
}

/** Validates a register value once: fills `out` with its 32-bit halves and returns it as a bigint. */
export function readReg(v: unknown, field: string, xlen: RiscvXlen, out: U64Halves): bigint {
  splitReg(v, field, xlen, out);
  return typeof v === "bigint" ? v : joinU64(out.lo, out.hi);
}

/** Validates a register value (bigint, or non-negative safe integer, within XLEN) and returns it as a bigint. */
function regToBig(v: unknown, field: string, xlen: RiscvXlen): bigint {
  if (typeof v === "bigint" && v >= 0n && v <= (xlen === 64 ? U64_MAX_BIG : U32_MAX_BIG)) return v;
  return readReg(v, field, xlen, scratch);
}

function xName(i: number): string {
  return `x${i} (${RISCV_ABI_NAMES[i]})`;
}

/** Validates the register file `x`: absent, or an array (its elements are checked as they are read). */
export function checkRegisterFile(x: unknown): readonly (RegValue | undefined)[] | undefined {
  if (x === undefined || Array.isArray(x)) return x;
  throw new VmExitError(
    "invalid-argument",
    `x must be an array of the registers x0…x31, got ${show(x)}`,
    "x",
  );
}

/** Validates a register value the exit does not read: in range for XLEN, else the error `splitReg` gives. */
function checkValue(v: unknown, field: string, xlen: RiscvXlen): void {
  const ok =
    typeof v === "bigint"
      ? v >= 0n && v <= (xlen === 64 ? U64_MAX_BIG : U32_MAX_BIG)
      : typeof v === "number" && Number.isSafeInteger(v) && v >= 0 && (xlen === 64 || v <= U32_MAX);
  if (!ok) splitReg(v, field, xlen, scratch);
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

/**
 * Validates the snapshot values an exit class does not read (`undefined` = absent, or read by the
 * class itself), so that every value given is checked whatever the class. The caller reads the
 * properties, so that each read site sees the snapshot shapes of one class only.
 */
export function checkUnread(
  xlen: RiscvXlen,
  stval: unknown,
  htval: unknown,
  htinst: unknown,
  instruction: unknown,
): void {
  if (stval !== undefined) checkValue(stval, "stval", xlen);
  if (htval !== undefined) checkValue(htval, "htval", xlen);
  if (htinst !== undefined) checkValue(htinst, "htinst", xlen);
  if (instruction !== undefined) checkInstructionWord(instruction);
}
