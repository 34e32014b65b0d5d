import { isSet } from "../../core/layout";
import type { RiscvXlen } from "../snapshot";
import { decode32Into } from "./decode";
import {
  HTINST_LONG,
  HTINST_TRANSFORMED,
  PSEUDO_INSTRUCTIONS,
  type RiscvPseudoInstruction,
} from "./format";
import { blankInstruction, type InstructionDraft, type RiscvInstruction } from "./instruction";

/** What htinst held on a guest-page fault. */
export type RiscvHtinstKind = "zero" | "transformed" | "pseudo" | "custom";

/** True when htinst bits 31:0 have the transformed-instruction form (bit 0 set). */
export function isTransformed(lo: number): boolean {
  return isSet(HTINST_TRANSFORMED, lo);
}

/** The length of the instruction a transformed htinst (bits 31:0) stands for: bit 1 set for 32 bits. */
export function transformedLength(lo: number): 2 | 4 {
  return isSet(HTINST_LONG, lo) ? 4 : 2;
}

/**
 * Decodes a transformed htinst (bits 31:0, bit 0 set) into `d` (blank, from `instructionDraft`
 * with `transformed` and `transformedLength(lo)`), as its 32-bit form (bit 1 set). False when the
 * value breaks the transformation rules (a custom value).
 */
export function decodeTransformedInto(d: InstructionDraft, lo: number, xlen: RiscvXlen): boolean {
  return decode32Into(d, (lo | (HTINST_LONG.mask << HTINST_LONG.shift)) >>> 0, xlen);
}

/** The instruction a transformed htinst (bits 31:0, bit 0 set) stands for, or `undefined` for a custom value. */
export function transformedInstruction(lo: number, xlen: RiscvXlen): RiscvInstruction | undefined {
  const d = blankInstruction(lo, "htinst", true, transformedLength(lo));
  return decodeTransformedInto(d, lo, xlen) ? d : undefined;
}

/** The pseudo-instruction htinst bits 31:0 hold, or `undefined`. */
export function pseudoInstruction(lo: number): RiscvPseudoInstruction | undefined {
  return PSEUDO_INSTRUCTIONS[lo as keyof typeof PSEUDO_INSTRUCTIONS];
}

/** True for the pseudo-instructions that write (a page-table update: A/D bits). */
export function pseudoWrites(pseudo: RiscvPseudoInstruction): boolean {
  return pseudo === "write32" || pseudo === "write64";
}
