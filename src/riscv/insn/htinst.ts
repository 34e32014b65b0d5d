import { isSet } from "../../core/layout";
import type { RiscvXlen } from "../snapshot";
import { cachedInstruction, instructionCache, rememberInstruction } from "./cache";
import { decode32 } from "./decode";
import {
  HTINST_LONG,
  HTINST_TRANSFORMED,
  PSEUDO_INSTRUCTIONS,
  type RiscvPseudoInstruction,
} from "./format";
import type { RiscvInstruction } from "./instruction";

/** What htinst held on a guest-page fault. */
export type RiscvHtinstKind = "zero" | "transformed" | "pseudo" | "custom";

/** True when htinst bits 31:0 have the transformed-instruction form (bit 0 set). */
export function isTransformed(lo: number): boolean {
  return isSet(HTINST_TRANSFORMED, lo);
}

/** The records of transformed htinst values decoded so far. */
const HTINST_CACHE = /* @__PURE__ */ instructionCache();

/**
 * The instruction a transformed htinst (bits 31:0, bit 0 set) stands for, or `undefined` when the
 * value breaks the transformation rules (a custom value). Bit 1 tells the original's length; the
 * instruction is decoded with bit 1 set, as its 32-bit form. The record is frozen and shared by
 * every decode of the same value.
 */
export function transformedInstruction(lo: number, xlen: RiscvXlen): RiscvInstruction | undefined {
  const cached = cachedInstruction(HTINST_CACHE, lo, xlen);
  if (cached !== undefined) return cached;
  const long = isSet(HTINST_LONG, lo);
  const insn = decode32(
    (lo | (HTINST_LONG.mask << HTINST_LONG.shift)) >>> 0,
    lo,
    "htinst",
    true,
    long ? 4 : 2,
    xlen,
  );
  return insn === undefined ? undefined : rememberInstruction(HTINST_CACHE, lo, xlen, insn);
}

/** The pseudo-instruction htinst bits 31:0 hold, or `undefined`. */
export function pseudoInstruction(lo: number): RiscvPseudoInstruction | undefined {
  return PSEUDO_INSTRUCTIONS[lo as keyof typeof PSEUDO_INSTRUCTIONS];
}

/** True for the pseudo-instructions that write (a page-table update: A/D bits). */
export function pseudoWrites(pseudo: RiscvPseudoInstruction): boolean {
  return pseudo === "write32" || pseudo === "write64";
}
