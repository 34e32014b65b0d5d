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

/**
 * What an instruction's opcode and function fields make it, shared by every instruction of that
 * form: its mnemonic and what it accesses. Decoders look forms up in tables; a record is a form
 * and the operands of one instruction word.
 */
export interface InsnForm {
  /** Assembler mnemonic. */
  readonly mnemonic: string;
  /** Memory access class, for memory instructions. */
  readonly access: RiscvMemoryAccess | undefined;
  /** Access width in bytes, for memory instructions. */
  readonly width: AccessWidth | undefined;
  /** True for loads the architecture sign-extends. */
  readonly signedExt: boolean;
  /** True for integer (x-register) loads and stores. */
  readonly integer: boolean;
  /** True when the form exists on RV64 only (LD, LWU, SD, C.LD, …). */
  readonly rv64: boolean;
}

/** An instruction form (every key set, in one order, so every form has one shape). */
/* @__NO_SIDE_EFFECTS__ */
export function insnForm(
  mnemonic: string,
  access?: RiscvMemoryAccess,
  width?: AccessWidth,
  flags: { readonly signedExt?: boolean; readonly integer?: boolean; readonly rv64?: boolean } = {},
): InsnForm {
  return {
    mnemonic,
    access,
    width,
    signedExt: flags.signedExt ?? false,
    integer: flags.integer ?? false,
    rv64: flags.rv64 ?? false,
  };
}

/** The form of a word no table names: mnemonic `unknown`, no access. */
export const UNKNOWN_FORM: InsnForm = /* @__PURE__ */ insnForm("unknown");

/**
 * The one place an instruction record is written: the bits' origin, the form and the operands,
 * every key in one order (one shape for every record).
 */
export function instruction(
  raw: number,
  source: RiscvInstructionSource,
  transformed: boolean,
  length: 2 | 4,
  form: InsnForm,
  opcode: number,
  funct3: number,
  rd: number | undefined,
  rs1: number | undefined,
  rs2: number | undefined,
  imm: number | undefined,
  csr: number | undefined,
  addrOffset: number | undefined,
): RiscvInstruction {
  return {
    raw,
    source,
    transformed,
    length,
    mnemonic: form.mnemonic,
    opcode,
    funct3,
    rd,
    rs1,
    rs2,
    imm,
    csr,
    addrOffset,
    access: form.access,
    width: form.width,
    signedExt: form.signedExt,
    integer: form.integer,
  };
}
