import type { IsMmio, RegValue } from "../core/decoded";

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

/** Options of `decodeRiscv`, `decodeRiscvExit` and `explainRiscv`. */
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
