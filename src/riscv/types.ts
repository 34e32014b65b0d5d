import type { CauseBase, IsMmio, RegValue } from "../core/decoded";
import type { AccessWidth } from "../core/scalars/access-width";

/** Register width of the trapping hart: RV32 or RV64. */
export type RiscvXlen = 32 | 64;

/** Raw RISC-V H-extension trap state as HS-mode sees it after a trap from VS/VU-mode. */
export interface RiscvSnapshot {
  /** scause: interrupt bit XLEN−1 and the exception/interrupt code. */
  readonly scause: RegValue;
  /** stval: faulting guest-virtual address, or instruction bits on a virtual-instruction trap. */
  readonly stval?: RegValue;
  /** htval: faulting guest-physical address shifted right by 2 (guest-page faults). */
  readonly htval?: RegValue;
  /** htinst: transformed instruction, pseudo-instruction, or 0. */
  readonly htinst?: RegValue;
  /** General-purpose registers x0…x31 (x10 = a0 … x17 = a7); x0 always reads as 0. */
  readonly x?: readonly (RegValue | undefined)[];
  /** Raw guest instruction (16 or 32 bits) for when htinst / stval hold none. */
  readonly instruction?: number;
  /** XLEN of the snapshot's registers (default 64). */
  readonly xlen?: RiscvXlen;
}

/** Options of `decodeRiscv`. */
export interface RiscvDecodeOptions {
  /** SBI extension ID (a7) treated as the hypercall extension (default 0x485643, "HVC"). */
  readonly hypercallEid?: number;
  /** Caller's test of whether a faulting guest-physical address is emulated MMIO. */
  readonly isMmio?: IsMmio;
}

/** Options of `encodeRiscv` and `canEncodeRiscv`. */
export interface RiscvEncodeOptions {
  /** SBI extension ID used for `Hypercall` exits (default 0x485643, "HVC"). */
  readonly hypercallEid?: number;
}

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

/** What htinst held on a guest-page fault. */
export type RiscvHtinstKind = "zero" | "transformed" | "pseudo" | "custom";

/** Fields every RISC-V cause has. */
export interface RiscvCauseCommon extends CauseBase<"riscv"> {
  /** XLEN the snapshot was decoded with. */
  readonly xlen: RiscvXlen;
  /** The raw scause value. */
  readonly scause: bigint;
  /** The privileged spec's description of the code. */
  readonly description: string;
}

/** An interrupt (scause bit XLEN−1 set). */
export interface RiscvInterruptCause extends RiscvCauseCommon {
  /** Discriminant. */
  readonly category: "interrupt";
  /** Always true. */
  readonly interrupt: true;
  /** True for codes ≥ 16 (designated for platform use). */
  readonly platform: boolean;
}

/** An SBI call dissected: a7 = EID, a6 = FID, a0…a5 = arguments. */
export interface SbiCall {
  /** Extension ID as an unsigned 32-bit number, or `undefined` when a7 is not a sign-extended 32-bit value. */
  readonly eid: number | undefined;
  /** Function ID as an unsigned 32-bit number (`undefined` for legacy calls, absent a6, or a6 not a 32-bit value). */
  readonly fid: number | undefined;
  /** Extension name (`HSM`, `legacy`, `vendor`, `hypercall`, …), `undefined` when unknown. */
  readonly extension: string | undefined;
  /** Function name, `undefined` when unknown. */
  readonly function: string | undefined;
  /** True for the legacy (v0.1) extensions 0x00–0x0F. */
  readonly legacy: boolean;
  /** True when a7 is the configured hypercall EID. */
  readonly hypercall: boolean;
  /** a0…a5 as supplied (`undefined` where absent). */
  readonly args: readonly [
    bigint | undefined,
    bigint | undefined,
    bigint | undefined,
    bigint | undefined,
    bigint | undefined,
    bigint | undefined,
  ];
  /** a6 as supplied. */
  readonly a6: bigint | undefined;
  /** a7 as supplied. */
  readonly a7: bigint;
}

/** ECALL from VS-mode (code 10): an SBI call. */
export interface RiscvEcallCause extends RiscvCauseCommon {
  /** Discriminant. */
  readonly category: "ecall";
  /** Always false. */
  readonly interrupt: false;
  /** The SBI call. */
  readonly sbi: SbiCall;
}

/** Instruction, load or store/AMO guest-page fault (codes 20, 21, 23). */
export interface RiscvGuestPageFaultCause extends RiscvCauseCommon {
  /** Discriminant. */
  readonly category: "guest-page-fault";
  /** Always false. */
  readonly interrupt: false;
  /** Which access faulted. */
  readonly access: "fetch" | "load" | "store";
  /** Guest-physical address: (htval << 2) | (stval & 3). */
  readonly gpa: bigint;
  /** stval: the faulting guest-virtual address. */
  readonly stval: bigint;
  /** htval: GPA >> 2. */
  readonly htval: bigint;
  /** htinst as supplied (0 when absent). */
  readonly htinst: bigint;
  /** What htinst held. */
  readonly htinstKind: RiscvHtinstKind;
  /** The pseudo-instruction's meaning when htinst held one (implicit VS-stage page-table access). */
  readonly pseudo: "read32" | "write32" | "read64" | "write64" | undefined;
  /** Where the instruction came from, `undefined` when none was available. */
  readonly instructionSource: RiscvInstructionSource | undefined;
  /** The decoded instruction, when one was available. */
  readonly instruction: RiscvInstruction | undefined;
  /** True when the exit is MMIO emulation (`MmioRead` / `MmioWrite`). */
  readonly mmio: boolean;
  /** Why the fault is not MMIO, `undefined` when it is. */
  readonly reason: string | undefined;
}

/** Virtual-instruction trap (code 22). */
export interface RiscvVirtualInstructionCause extends RiscvCauseCommon {
  /** Discriminant. */
  readonly category: "virtual-instruction";
  /** Always false. */
  readonly interrupt: false;
  /** stval as supplied (0 when absent). */
  readonly stval: bigint;
  /** Where the instruction came from, `undefined` when none was available. */
  readonly instructionSource: RiscvInstructionSource | undefined;
  /** The decoded instruction, when one was available. */
  readonly instruction: RiscvInstruction | undefined;
  /** CSR number for CSR instructions. */
  readonly csr: number | undefined;
  /** CSR name, when it is a common standard CSR. */
  readonly csrName: string | undefined;
}

/** Any other exception (codes 0–19 other than 10, and custom-use codes). */
export interface RiscvExceptionCause extends RiscvCauseCommon {
  /** Discriminant. */
  readonly category: "exception";
  /** Always false. */
  readonly interrupt: false;
  /** True for codes designated for custom use (24–31, 48–63). */
  readonly custom: boolean;
  /** stval as supplied. */
  readonly stval: bigint | undefined;
}

/** The dissected cause of a RISC-V trap, discriminated by `category`. */
export type RiscvCause =
  | RiscvInterruptCause
  | RiscvEcallCause
  | RiscvGuestPageFaultCause
  | RiscvVirtualInstructionCause
  | RiscvExceptionCause;
