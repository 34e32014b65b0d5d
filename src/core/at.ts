// A field's place in a register as one number, `mask << 6 | lo`: `lo` its lowest bit counted in
// the whole register (0…63), `mask` its value mask (2^width − 1, at most 26 bits wide). A layout
// states its bits once, as the members of an `enum` that both its field objects and the hot
// decoder read: bundlers inline enum members as literals, so `bitsAt(AbortIss.SAS, lo)` (SAS
// [23:22], `(0b11 << 6) | 22`) is `(lo >>> 22) & 3` once the engine inlines it. A field object
// held in a module variable would instead be loaded, with its shift and mask, on every read:
// esbuild turns top-level `const` into `var`, so the engine cannot fold them. `bitsAt` and
// `isSetAt` are kept small enough (in bytecode) for the engine to inline them everywhere.
import { VmExitError } from "./error";
import { type BitField, type FieldMeaning, type FieldOptions, field } from "./layout";

/** The lowest bit of the field at `at`, counted in the whole register. */
export function loOf(at: number): number {
  return at & 63;
}

/** The highest bit of the field at `at`, counted in the whole register. */
export function hiOf(at: number): number {
  return (at & 63) + 31 - Math.clz32(at >>> 6);
}

/**
 * The value of the field at `at` in `word`, the 32-bit half the field lies in (bits 31:0 for a
 * field below bit 32, bits 63:32 for one above).
 * @example bitsAt((0b11 << 6) | 22, 0x0080_0000) // 2: SAS, bits 23:22 of 0x800000
 */
export function bitsAt(at: number, word: number): number {
  return (word >>> (at & 31)) & (at >>> 6);
}

/** True when the field at `at` is non-zero in `word` (the half it lies in, as for `bitsAt`). */
export function isSetAt(at: number, word: number): boolean {
  return ((word >>> (at & 31)) & (at >>> 6)) !== 0;
}

/**
 * `field(name, hi, lo, meaning)` for the field at `at`. A mask that is not 2^width − 1, or a field
 * across bit 32 (which `bitsAt` cannot read), → `VmExitError`, when the layout module loads.
 */
/* @__NO_SIDE_EFFECTS__ */
export function fieldAt(name: string, at: number, meaning?: FieldMeaning | FieldOptions): BitField {
  const mask = at >>> 6;
  const lo = at & 63;
  const hi = hiOf(at);
  if (mask === 0 || (mask & (mask + 1)) !== 0 || lo >>> 5 !== hi >>> 5) {
    throw new VmExitError(
      "invalid-argument",
      `field ${name} at ${at}: mask 0x${mask.toString(16)} from bit ${lo} is not a field of one 32-bit half`,
    );
  }
  return field(name, hi, lo, meaning);
}

/** `flag(name, bit, ifClear, ifSet)` for the one-bit field at `at`. */
/* @__NO_SIDE_EFFECTS__ */
export function flagAt(name: string, at: number, ifClear: string, ifSet: string): BitField {
  return fieldAt(name, at, [ifClear, ifSet]);
}
