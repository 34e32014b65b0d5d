// A register's bit layout, written once as data: decoders read field values through it and
// explainers turn it into an `ExplainNode` tree. Bit numbers are absolute in the register (bit 40
// of a 64-bit ESR is 40, not 8 of ISS2), so a nested layout needs no offsets.
import { VmExitError } from "./error";
import { type ExplainNode, explainNode } from "./explain";
import { joinU64 } from "./u64";

/** A register value split into 32-bit halves, as the decoders carry it. */
export interface Halves {
  /** Bits 31:0, unsigned. */
  readonly lo: number;
  /** Bits 63:32, unsigned (0 for a 32-bit register). */
  readonly hi: number;
}

/**
 * What a field's value means: names indexed by the value, or a function of the value and the
 * whole register (for fields whose meaning depends on other fields).
 */
export type FieldMeaning =
  | readonly (string | undefined)[]
  | ((value: number, reg: Halves) => string | undefined);

/** The sub-fields of a field: a fixed list, or one chosen by the register's value. */
export type SubLayout = readonly BitField[] | ((reg: Halves) => readonly BitField[]);

/** One field of a register layout: the architecture's name for it, its bits and how to read it. */
export interface BitField {
  /** The architecture's name of the field (`EC`, `ISV`, `funct3`, `Port number`, …). */
  readonly name: string;
  /** Highest bit, counted in the whole register. */
  readonly hi: number;
  /** Lowest bit, counted in the whole register. */
  readonly lo: number;
  /** What each value means. */
  readonly meaning: FieldMeaning | undefined;
  /** Sub-fields (absolute bit numbers too), for a field with a layout of its own. */
  readonly fields: SubLayout | undefined;
  /** Reserved bits (RES0 / must be 0): left out of an explanation while zero. */
  readonly reserved: boolean;
  /** Bits 31:0 of the half the field lies in are shifted right by this much to read it. */
  readonly shift: number;
  /** Mask applied after the shift (for fields of one half, ≤ 32 bits). */
  readonly mask: number;
}

/** How a field is read, besides its bits. */
export interface FieldOptions {
  /** What each value means. */
  readonly meaning?: FieldMeaning;
  /** Sub-fields. */
  readonly fields?: SubLayout;
}

/** What a set reserved field says in an explanation. */
export const RESERVED_SET =
  "Reserved (RES0) but non-zero: not a value this exit produces, or a field of a newer architecture version";

/**
 * Declares the field `[hi:lo]` of a register (bits counted in the whole register, 0…63).
 * @example const SAS = field("SAS", 23, 22, ["byte", "halfword", "word", "doubleword"]);
 */
/* @__NO_SIDE_EFFECTS__ */
export function field(
  name: string,
  hi: number,
  lo: number,
  meaning?: FieldMeaning | FieldOptions,
): BitField {
  if (!(Number.isInteger(hi) && Number.isInteger(lo) && lo >= 0 && hi >= lo && hi < 64)) {
    throw new VmExitError(
      "invalid-argument",
      `field ${name} [${hi}:${lo}] is not within bits 63:0`,
    );
  }
  const options: FieldOptions =
    meaning === undefined || Array.isArray(meaning) || typeof meaning === "function"
      ? meaning === undefined
        ? {}
        : { meaning: meaning as FieldMeaning }
      : (meaning as FieldOptions);
  return bitField(name, hi, lo, options.meaning, options.fields, false);
}

// Every field object has the same keys in the same order, so that `bits`/`isSet` read one hidden
// class (a monomorphic property load) whatever layout the field belongs to.
function bitField(
  name: string,
  hi: number,
  lo: number,
  meaning: FieldMeaning | undefined,
  fields: SubLayout | undefined,
  isReserved: boolean,
): BitField {
  const width = hi - lo + 1;
  const shift = lo >= 32 ? lo - 32 : lo;
  // Fields of one half read with two number operations; wider or straddling fields use `fieldValue`.
  const mask = width >= 32 ? -1 : (1 << width) - 1;
  return { name, hi, lo, meaning, fields, reserved: isReserved, shift, mask };
}

/** A one-bit field whose two values mean `ifClear` and `ifSet`. */
/* @__NO_SIDE_EFFECTS__ */
export function flag(name: string, bit: number, ifClear: string, ifSet: string): BitField {
  return field(name, bit, bit, [ifClear, ifSet]);
}

/** Reserved bits `[hi:lo]` (named `RES0`): shown in an explanation only when non-zero. */
/* @__NO_SIDE_EFFECTS__ */
export function reserved(hi: number, lo: number, name = "RES0"): BitField {
  const f = field(name, hi, lo);
  return bitField(f.name, f.hi, f.lo, undefined, undefined, true);
}

/**
 * Reads a field that lies in one 32-bit half from that half: `(word >>> shift) & mask`.
 * The hot-path accessor: decoders pass `lo` for fields below bit 32 and `hi` for the others.
 */
export function bits(f: BitField, word: number): number {
  return ((word >>> f.shift) & f.mask) >>> 0;
}

/** True when the one-bit (or any-bit) field `f` of `word` is non-zero. */
export function isSet(f: BitField, word: number): boolean {
  return ((word >>> f.shift) & f.mask) !== 0;
}

/** Reads any field of a register given as halves, as a number (exact up to 53 bits wide). */
export function fieldValue(f: BitField, reg: Halves): number {
  if (f.hi < 32) return bits(f, reg.lo);
  if (f.lo >= 32) return bits(f, reg.hi);
  // straddles bit 32: the high part above the low part's width
  const lowWidth = 32 - f.lo;
  const highWidth = f.hi - 31;
  const low = reg.lo >>> f.lo;
  const high = highWidth >= 32 ? reg.hi : reg.hi & ((1 << highWidth) - 1);
  return (high >>> 0) * 2 ** lowWidth + low;
}

/** Reads any field of a register given as halves, as a bigint (exact at any width). */
export function fieldBigint(f: BitField, reg: Halves): bigint {
  const width = f.hi - f.lo + 1;
  if (width <= 53) return BigInt(fieldValue(f, reg));
  const v = joinU64(reg.lo, reg.hi) >> BigInt(f.lo);
  return width >= 64 ? v : v & ((1n << BigInt(width)) - 1n);
}

function meaningOf(f: BitField, value: number, reg: Halves): string | undefined {
  const m = f.meaning;
  if (m === undefined) return undefined;
  return typeof m === "function" ? m(value, reg) : m[value];
}

/**
 * Explains a register field by field: one `ExplainNode` per field of `layout` (reserved fields
 * only when non-zero), each with its value, meaning and sub-fields.
 */
export function explainFields(reg: Halves, layout: SubLayout): ExplainNode[] {
  const fields = typeof layout === "function" ? layout(reg) : layout;
  const out: ExplainNode[] = [];
  for (const f of fields) {
    const value = fieldBigint(f, reg);
    if (f.reserved === true) {
      if (value !== 0n) out.push(explainNode(f.name, f.hi, f.lo, value, RESERVED_SET));
      continue;
    }
    const small = f.hi - f.lo < 53 ? fieldValue(f, reg) : Number(value);
    const children = f.fields === undefined ? undefined : explainFields(reg, f.fields);
    out.push(explainNode(f.name, f.hi, f.lo, value, meaningOf(f, small, reg), children));
  }
  return out;
}

/**
 * Explains a whole register as one node named `name` over bits `[width−1:0]`, its fields as
 * children, with `meaning` as the one-line reading of the whole value.
 */
export function explainRegister(
  name: string,
  width: 32 | 64,
  reg: Halves,
  layout: SubLayout,
  meaning?: string,
): ExplainNode {
  const value = width === 32 ? BigInt(reg.lo >>> 0) : joinU64(reg.lo, reg.hi);
  return explainNode(name, width - 1, 0, value, meaning, explainFields(reg, layout));
}
