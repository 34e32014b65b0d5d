import { type ExplainNode, explainNode } from "../core/explain";

/** What a field value means: a table indexed by the value, or a function of the value and the whole 32-bit word. */
export type EsrMeaning =
  | readonly (string | undefined)[]
  | ((value: number, word: number) => string | undefined);

/** One field of a syndrome layout: its name, absolute bit range `[hi:lo]` and how to read its value. */
export interface EsrFieldSpec {
  /** The Arm ARM's field name (`ISV`, `SAS`, …); `RES0` fields are shown only when non-zero. */
  readonly name: string;
  /** Highest bit, counted in the whole register. */
  readonly hi: number;
  /** Lowest bit, counted in the whole register. */
  readonly lo: number;
  /** What each value means. */
  readonly meaning?: EsrMeaning;
}

/** The name given to reserved bits; such fields only appear in a tree when they are non-zero. */
export const RES0 = "RES0";

/** A field `[hi:lo]` with an optional meaning. */
export function field(name: string, hi: number, lo: number, meaning?: EsrMeaning): EsrFieldSpec {
  return meaning === undefined ? { name, hi, lo } : { name, hi, lo, meaning };
}

/** A one-bit field whose two values mean `ifClear` and `ifSet`. */
export function flag(name: string, bit: number, ifClear: string, ifSet: string): EsrFieldSpec {
  return { name, hi: bit, lo: bit, meaning: [ifClear, ifSet] };
}

/** Reserved bits `[hi:lo]`: shown only when non-zero. */
export function res0(hi: number, lo: number): EsrFieldSpec {
  return { name: RES0, hi, lo };
}

const RES0_SET =
  "Reserved (RES0) but non-zero: not a syndrome this class produces, or a field of a newer architecture version";

/** Extracts `[hi:lo]` (absolute bits, all in the half starting at `base`) from the 32-bit `word`. */
export function bitsOf(word: number, base: number, hi: number, lo: number): number {
  const width = hi - lo + 1;
  const shifted = word >>> (lo - base);
  return width >= 32 ? shifted >>> 0 : shifted & ((1 << width) - 1);
}

function meaningOf(spec: EsrFieldSpec, value: number, word: number): string | undefined {
  const m = spec.meaning;
  if (m === undefined) return undefined;
  if (typeof m === "function") return m(value, word);
  return m[value];
}

/** Explains `word` (bits `base+31…base` of a register) field by field, leaving out RES0 fields that are zero. */
export function explainFields(
  word: number,
  base: number,
  specs: readonly EsrFieldSpec[],
): ExplainNode[] {
  const out: ExplainNode[] = [];
  for (const spec of specs) {
    const value = bitsOf(word, base, spec.hi, spec.lo);
    if (spec.name === RES0) {
      if (value !== 0) out.push(explainNode(RES0, spec.hi, spec.lo, value, RES0_SET));
      continue;
    }
    out.push(explainNode(spec.name, spec.hi, spec.lo, value, meaningOf(spec, value, word)));
  }
  return out;
}

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
export const CV = flag("CV", 24, "COND is not valid", "COND is valid");

/** COND [23:20]: the condition code of the trapped instruction. */
export const COND = field("COND", 23, 20, (v, word) =>
  (word & 0x100_0000) === 0 ? "Not valid (CV is 0)" : CONDITION_CODES[v],
);

/** The name of general-purpose register `n` (31 = the zero register in data-transfer fields). */
export function xReg(n: number): string {
  return n === 31 ? "xzr (zero register)" : `x${n}`;
}

/** The 32-bit view of general-purpose register `n`. */
export function wReg(n: number): string {
  return n === 31 ? "wzr (zero register)" : `w${n}`;
}

/** A register-number meaning: `x<n>`, with 31 the zero register. */
export const X_REG: EsrMeaning = (v) => xReg(v);

/** Lowercase hex with a 0x prefix. */
export function hexNum(v: number): string {
  return `0x${v.toString(16)}`;
}

/** How one exception class lays out its ISS: the fields (which may depend on the ISS) and a one-line summary. */
export interface EsrIssLayout {
  /** The ISS fields for this ISS value, in bit order from high to low. */
  readonly fields: (iss: number) => readonly EsrFieldSpec[];
  /** A one-line reading of the whole ISS (e.g. `MRS x0, CNTVCT_EL0`), when there is one. */
  readonly summary?: (iss: number) => string | undefined;
}

/** A layout whose fields do not depend on the ISS value. */
export function fixedLayout(
  fields: readonly EsrFieldSpec[],
  summary?: (iss: number) => string | undefined,
): EsrIssLayout {
  return summary === undefined ? { fields: () => fields } : { fields: () => fields, summary };
}
