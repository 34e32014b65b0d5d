import type { AccessWidth } from "../../core/scalars/access-width";

/** Where a decoded instruction came from. */
export type RiscvInstructionSource = "htinst" | "stval" | "snapshot";

/** What a memory instruction does. */
export type RiscvMemoryAccess = "load" | "store" | "amo";

/** A decoded guest instruction (32-bit fields; compressed forms are given as their 32-bit expansion). */
export interface RiscvInstruction {
  /** The instruction bits as read (16 or 32 bits; for htinst its low 32 bits). */
  readonly raw: number;
  /** Where the bits came from. */
  readonly source: RiscvInstructionSource;
  /** True when the bits are an htinst transformed instruction (immediates zeroed, rs1 field = address offset). */
  readonly transformed: boolean;
  /** Length of the trapping instruction in bytes. */
  readonly length: 2 | 4;
  /** Assembler mnemonic (`lw`, `c.lwsp`, `csrrs`, `wfi`, `amoadd.w`, …), or `unknown`. */
  readonly mnemonic: string;
  /** Major opcode, bits 6:0 of the 32-bit (expanded) form. */
  readonly opcode: number;
  /** funct3, bits 14:12 of the 32-bit (expanded) form. */
  readonly funct3: number;
  /** Destination register, when the instruction has one. */
  readonly rd: number | undefined;
  /** Base / source register 1 (`undefined` when transformed, or when the field is an immediate). */
  readonly rs1: number | undefined;
  /** Source register 2 (stores and AMOs). */
  readonly rs2: number | undefined;
  /** Immediate: the address offset of a raw load/store, or the uimm of a CSR*I instruction. */
  readonly imm: number | undefined;
  /** CSR number (CSR instructions). */
  readonly csr: number | undefined;
  /** Transformed only: faulting address minus the original address (non-zero for misaligned accesses). */
  readonly addrOffset: number | undefined;
  /** Memory access class, for memory instructions. */
  readonly access: RiscvMemoryAccess | undefined;
  /** Access width in bytes, for memory instructions. */
  readonly width: AccessWidth | undefined;
  /** True for loads whose result the architecture sign-extends (LB/LH/LW/LD and their C forms). */
  readonly signedExt: boolean;
  /** True for integer (x-register) loads and stores, the ones MMIO emulation handles. */
  readonly integer: boolean;
}

/** Mutable builder with every field of `RiscvInstruction`, so all instances share one shape. */
export type InstructionDraft = { -readonly [K in keyof RiscvInstruction]: RiscvInstruction[K] };

/** A fresh instruction record with every field set (unknown mnemonic, no operands): the record a cause carries. */
export function blankInstruction(
  raw: number,
  source: RiscvInstructionSource,
  transformed: boolean,
  length: 2 | 4,
): InstructionDraft {
  return {
    raw,
    source,
    transformed,
    length,
    mnemonic: "unknown",
    opcode: 0,
    funct3: 0,
    rd: undefined,
    rs1: undefined,
    rs2: undefined,
    imm: undefined,
    csr: undefined,
    addrOffset: undefined,
    access: undefined,
    width: undefined,
    signedExt: false,
    integer: false,
  };
}

/** Sets every field of `d` to what `blankInstruction` gives (the same fields, in place). */
function resetInstruction(
  d: InstructionDraft,
  raw: number,
  source: RiscvInstructionSource,
  transformed: boolean,
  length: 2 | 4,
): InstructionDraft {
  d.raw = raw;
  d.source = source;
  d.transformed = transformed;
  d.length = length;
  d.mnemonic = "unknown";
  d.opcode = 0;
  d.funct3 = 0;
  d.rd = undefined;
  d.rs1 = undefined;
  d.rs2 = undefined;
  d.imm = undefined;
  d.csr = undefined;
  d.addrOffset = undefined;
  d.access = undefined;
  d.width = undefined;
  d.signedExt = false;
  d.integer = false;
  return d;
}

/**
 * The draft an exit-only decode reads its instruction into: one record, reset for each use, so a
 * decode that builds no cause allocates no instruction. It never leaves the decoder, and every
 * field the exit needs is read from it before any caller code (`isMmio`) runs.
 */
const SHARED = /* @__PURE__ */ blankInstruction(0, "snapshot", false, 4);

/**
 * A blank instruction record to decode into: a fresh one when it goes into a cause (`fresh`),
 * else the shared draft, reset.
 */
export function instructionDraft(
  fresh: boolean,
  raw: number,
  source: RiscvInstructionSource,
  transformed: boolean,
  length: 2 | 4,
): InstructionDraft {
  return fresh
    ? blankInstruction(raw, source, transformed, length)
    : resetInstruction(SHARED, raw, source, transformed, length);
}
