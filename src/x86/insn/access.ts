/** The guest's execution mode (16-, 32- or 64-bit code): it sets the default operand and address sizes of instruction decode. */
export type X86CpuMode = 16 | 32 | 64;

/**
 * Whose reading of an encoding the decoder follows where Intel and AMD processors differ: only
 * `66 63` (MOVSXD with a 16-bit operand size), which Intel documents as a 2-byte read into r16 and
 * AMD processors execute as a 4-byte read into r16.
 */
export type X86Vendor = "intel" | "amd";

/** Memory access and register operand sizes, in bytes. */
export type X86OperandWidth = 1 | 2 | 4 | 8;

/** A decoded x86 MOV-family memory access. */
export interface X86MemAccess {
  /** The instruction's mnemonic. */
  readonly mnemonic: "MOV" | "MOVZX" | "MOVSX" | "MOVSXD";
  /** The opcode as the SDM's opcode tables write it, e.g. "8B", "C7 /0", "0F B6", "A1", "63". */
  readonly opcode: string;
  /** `read` = memory → register, `write` = register or immediate → memory. */
  readonly direction: "read" | "write";
  /** Memory access size in bytes. */
  readonly width: X86OperandWidth;
  /** Register index: 0–15 RAX…R15 in encoding order, 16–19 AH, CH, DH, BH; absent for immediate stores. */
  readonly reg?: number;
  /** Size of the register operand (destination of a read, source of a write; = width for immediates). */
  readonly regWidth: X86OperandWidth;
  /** True for MOVSX / MOVSXD (the loaded value is sign-extended to `regWidth`). */
  readonly signedExt: boolean;
  /** C6/C7 immediate, sign-extended to `regWidth` and masked to `width` (so 0 ≤ v < 2^(8·width)). */
  readonly immediate?: bigint;
  /** Instruction length in bytes, prefixes included. */
  readonly length: number;
  /** The prefixes in effect, in byte order: "66", "67", "2E", …, then "REX", "REX.W", "REX.WRXB", …. */
  readonly prefixes: readonly string[];
}

/** Why `decodeX86MemAccess` did not decode an access: the message names the opcode or the defect. */
export interface X86MemAccessUnsupported {
  /** A sentence naming the unsupported opcode, prefix or truncation. */
  readonly unsupported: string;
}

/** The fields of an access that `encodeX86MemAccess` turns into instruction bytes. */
export interface X86MemAccessSpec {
  /** `read` = memory → register, `write` = register or immediate → memory. */
  readonly direction: "read" | "write";
  /** Memory access size in bytes. */
  readonly width: X86OperandWidth;
  /** Register index (0–15, 16–19 = AH…BH); absent for an immediate store. */
  readonly reg?: number | undefined;
  /** Size of the register operand; = width for immediate stores. */
  readonly regWidth: X86OperandWidth;
  /** Sign extension (MOVSX / MOVSXD); false for stores. */
  readonly signedExt: boolean;
  /** Value stored by C6/C7, 0 ≤ v < 2^(8·width). */
  readonly immediate?: bigint | undefined;
}
