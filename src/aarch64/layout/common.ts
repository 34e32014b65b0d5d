// Pieces several ESR_EL2 layouts share: the AArch32 condition fields CV/COND, register names and
// how a field holding a register number reads.
import type { BitField, FieldMeaning, FieldOptions, SubLayout } from "../../core/layout";
import { fieldAt, flagAt, isSetAt } from "./at";
import { Cond } from "./positions";

/** Condition codes by COND value (Arm ARM C1.2.4); 0b1110 is also what unconditional instructions report. */
export const CONDITION_CODES: readonly string[] = [
  "EQ (equal: Z == 1)",
  "NE (not equal: Z == 0)",
  "CS/HS (carry set / unsigned higher or same: C == 1)",
  "CC/LO (carry clear / unsigned lower: C == 0)",
  "MI (negative: N == 1)",
  "PL (positive or zero: N == 0)",
  "VS (overflow: V == 1)",
  "VC (no overflow: V == 0)",
  "HI (unsigned higher: C == 1 && Z == 0)",
  "LS (unsigned lower or same: C == 0 || Z == 1)",
  "GE (signed greater or equal: N == V)",
  "LT (signed less than: N != V)",
  "GT (signed greater than: Z == 0 && N == V)",
  "LE (signed less or equal: Z == 1 || N != V)",
  "AL (always; also reported for unconditional instructions)",
  "0b1111 (unconditional instruction encoding)",
];

/** CV [24]: whether COND [23:20] is valid (AArch32 traps; AArch64 instructions report CV 1, COND 0b1110). */
export const CV: BitField = flagAt("CV", Cond.CV, "COND is not valid", "COND is valid");

/** COND [23:20]: the condition code of the trapped instruction. */
export const COND: BitField = fieldAt("COND", Cond.COND, (v, reg) =>
  isSetAt(Cond.CV, reg.lo) ? CONDITION_CODES[v] : "Not valid (CV is 0)",
);

/** The name of general-purpose register `n` (31 = the zero register in data-transfer fields). */
export function xReg(n: number): string {
  return n === 31 ? "xzr (zero register)" : `x${n}`;
}

/** The 32-bit view of general-purpose register `n`. */
export function wReg(n: number): string {
  return n === 31 ? "wzr (zero register)" : `w${n}`;
}

/** A base register: `x<n>`, with 31 the stack pointer. */
export function baseReg(n: number): string {
  return n === 31 ? "sp" : `x${n}`;
}

/** A register-number meaning: `x<n>`, with 31 the zero register. */
export const X_REG: FieldMeaning = (v) => xReg(v);

/** Lowercase hex with a 0x prefix. */
export function hexNum(v: number): string {
  return `0x${v.toString(16)}`;
}

/**
 * How one exception class lays out its ISS [24:0]: the fields (a list, or one chosen by the
 * register's value) and the one-line reading of the whole ISS (e.g. `MRS x0, CNTVCT_EL0`).
 */
export type IssLayout = FieldOptions;

/** The ISS layout of a class: its fields and, when there is one, the summary of the whole ISS. */
export function issLayout(fields: SubLayout, summary?: FieldMeaning): IssLayout {
  return summary === undefined ? { fields } : { fields, meaning: summary };
}
