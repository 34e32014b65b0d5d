import { isSet } from "../../core/layout";
import type { RiscvXlen } from "../snapshot";
import { cachedInstruction, instructionCache, rememberInstruction } from "./cache";
import { decode32, INTEGER_ACCESS, integerAccessIndex, OPCODE } from "./decode";
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
  // the hit, kept small so that the engine inlines it into the decoders
  return cachedInstruction(HTINST_CACHE, lo, xlen) ?? decodeTransformed(lo, xlen);
}

/** `transformedInstruction` of a value the cache does not hold: decoded, and kept when valid. */
function decodeTransformed(lo: number, xlen: RiscvXlen): RiscvInstruction | undefined {
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

/**
 * The MMIO access of a transformed htinst (bits 31:0) that is an integer load (`store` false) or
 * store (`store` true) with address offset 0, as a number: the access width, bit 4 set for a
 * sign-extending load, the register (rd of a load, rs2 of a store) in bits 9:5; −1 for any other
 * value, which takes `transformedInstruction` (it decodes every form; a differential test checks
 * that the two agree on every field combination). The guest-page-fault decoder's fast path: the
 * fields are cut with literal masks (the same function reading them through the layout's
 * `BitField`s, `bits(RD, lo)` and so on, measured ~12 ns slower per fault).
 */
export function transformedMmioAccess(lo: number, store: boolean, xlen: RiscvXlen): number {
  // HTINST_TRANSFORMED (bit 0) set and ADDR_OFFSET (bits 19:15) zero
  if ((lo & 1) === 0 || ((lo >>> 15) & 0x1f) !== 0) return -1;
  // OPCODE (bits 6:0) read with bit 1 set (clear stands for a compressed original)
  if (((lo | 2) & 0x7f) !== (store ? OPCODE.STORE : OPCODE.LOAD)) return -1;
  // the immediate fields are zero in a transformed instruction (else a custom value):
  // IMM_S_HI (31:25) and IMM_S_LO (11:7) of a store, IMM_I (31:20) of a load
  if (store ? (lo >>> 25) + ((lo >>> 7) & 0x1f) !== 0 : lo >>> 20 !== 0) return -1;
  // FUNCT3 (bits 14:12) picks the width
  const form = INTEGER_ACCESS[integerAccessIndex(store, (lo >>> 12) & 7, xlen)] as number;
  if (form === 0) return -1;
  // RS2 (bits 24:20) of a store, RD (bits 11:7) of a load
  return form | ((store ? (lo >>> 20) & 0x1f : (lo >>> 7) & 0x1f) << 5);
}
