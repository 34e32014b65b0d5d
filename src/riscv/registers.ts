import type { RegValue } from "../core/decoded";
import { show, VmExitError } from "../core/error";
import {
  highHalf,
  joinU64,
  splitBigint,
  splitBigintLow,
  splitU64,
  splitU64Low,
  TWO_64,
  type U64Halves,
} from "../core/u64";
import type { RiscvSnapshot, RiscvXlen } from "./snapshot";

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
/** 2^32: an RV32 value stays below it (the RV64 bound, 2^64, is `TWO_64`). */
const TWO_32_BIG = 0x1_0000_0000n;
const scratch: U64Halves = { lo: 0, hi: 0 };

function tooWide(v: unknown, field: string): never {
  throw new VmExitError(
    "out-of-range",
    `${field} must fit in 32 bits on RV32, got ${show(v)}`,
    field,
  );
}

/**
 * Splits a register value into 32-bit halves, validating it (and that it fits XLEN). A bigint
 * within XLEN takes the small path that inlines; numbers and errors take `splitOther`.
 */
export function splitReg(v: unknown, field: string, xlen: RiscvXlen, out: U64Halves): U64Halves {
  if (typeof v === "bigint" && v >= 0n && v < (xlen === 64 ? TWO_64 : TWO_32_BIG)) {
    return splitBigint(v, out);
  }
  return splitOther(v, field, xlen, out);
}

/** `splitReg` of anything but a bigint within XLEN: a number, or an error. */
function splitOther(v: unknown, field: string, xlen: RiscvXlen, out: U64Halves): U64Halves {
  splitU64(v, field, out);
  if (xlen === 32 && out.hi !== 0) tooWide(v, field);
  return out;
}

/**
 * `splitReg` returning bits 31:0; bits 63:32 are `highHalf()` until the next split. A bigint
 * within XLEN takes the small path that inlines; numbers and errors take `splitLowOther`.
 */
export function splitLow(v: unknown, field: string, xlen: RiscvXlen): number {
  if (typeof v === "bigint" && v >= 0n && v < (xlen === 64 ? TWO_64 : TWO_32_BIG)) {
    return splitBigintLow(v);
  }
  return splitLowOther(v, field, xlen);
}

/** `splitLow` of anything but a bigint within XLEN: a number, or an error. */
function splitLowOther(v: unknown, field: string, xlen: RiscvXlen): number {
  const lo = splitU64Low(v, field);
  if (xlen === 32 && highHalf() !== 0) tooWide(v, field);
  return lo;
}

/** Validates a register value once: fills `out` with its 32-bit halves and returns it as a bigint. */
export function readReg(v: unknown, field: string, xlen: RiscvXlen, out: U64Halves): bigint {
  splitReg(v, field, xlen, out);
  return typeof v === "bigint" ? v : joinU64(out.lo, out.hi);
}

/** The register file of a snapshot without `x`: every register absent. */
const NO_REGISTERS: Registers = [];

/** A snapshot's register file: x0…x31, any of them absent. */
export type Registers = readonly (RegValue | undefined)[];

function xName(i: number): string {
  return `x${i} (${RISCV_ABI_NAMES[i]})`;
}

/** Validates the register file `x`: absent (no registers) or an array (its elements are checked as they are read). */
export function checkRegisterFile(x: unknown): Registers {
  if (Array.isArray(x)) return x;
  if (x === undefined) return NO_REGISTERS;
  throw new VmExitError(
    "invalid-argument",
    `x must be an array of the registers x0…x31, got ${show(x)}`,
    "x",
  );
}

/** Validates a register value the exit does not read: in range for XLEN, else the error `splitReg` gives. */
function checkValue(v: unknown, field: string, xlen: RiscvXlen): void {
  // a bigint within XLEN is checked here; numbers and errors take splitReg
  if (!(typeof v === "bigint" && v >= 0n && v < (xlen === 64 ? TWO_64 : TWO_32_BIG))) {
    splitReg(v, field, xlen, scratch);
  }
}

/**
 * The value of x[i] (present), validated, as a bigint. A bigint within XLEN is returned as it is
 * (the path kept small enough to inline); numbers and errors take `readReg`.
 */
function xValue(v: RegValue, i: number, xlen: RiscvXlen): bigint {
  if (typeof v === "bigint" && v >= 0n && v < (xlen === 64 ? TWO_64 : TWO_32_BIG)) return v;
  return readReg(v, X_FIELDS[i] as string, xlen, scratch);
}

/** Throws `missing-register` for x[i], a register the exit needs that the snapshot lacks. */
export function missingX(i: number): never {
  throw new VmExitError(
    "missing-register",
    `${xName(i)} is needed to decode this exit but snapshot.x[${i}] is absent`,
    X_FIELDS[i] as string,
  );
}

/** Reads x[i] as a bigint; x0 is 0; an absent register → `missing-register`. */
export function readX(x: Registers, i: number, xlen: RiscvXlen): bigint {
  if (i === 0) return 0n;
  const v = x[i];
  return v === undefined ? missingX(i) : xValue(v, i, xlen);
}

/** Validates x[i] and returns bits 31:0 of it (x0 is 0); an absent register → `missing-register`. */
export function splitXLow(x: Registers, i: number, xlen: RiscvXlen): number {
  if (i === 0) return 0;
  const v = x[i];
  if (v === undefined) missingX(i);
  return splitLow(v, X_FIELDS[i] as string, xlen);
}

/** Reads x[i] as a bigint, or `undefined` when absent (still validated when present). */
export function readXOptional(x: Registers, i: number, xlen: RiscvXlen): bigint | undefined {
  if (i === 0) return 0n;
  const v = x[i];
  return v === undefined ? undefined : xValue(v, i, xlen);
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

/** The raw scause value as a cause carries it (the snapshot's scause, already validated). */
export function scauseValue(snapshot: RiscvSnapshot): bigint {
  const v = snapshot.scause;
  return typeof v === "bigint" ? v : BigInt(v);
}
