import type { X86MemAccess } from "./access";

/** How a form's memory operand is encoded: a ModRM byte, a ModRM byte whose reg field must be 0, or a moffs. */
export type X86MemOperand = "modrm" | "modrm/0" | "moffs";

/**
 * How a size follows from the operand-size attribute: a fixed byte count, the operand size itself, or
 * the operand size capped at 4 (MOVSXD: r/m32 for a 64-bit destination; for a 16-bit one, r/m16 on
 * Intel and r/m32 on AMD).
 */
export type X86SizeRule = 1 | 2 | "operand" | "operand-max-4";

/** One row of the SDM opcode table for a supported MOV-family opcode. */
export interface X86MovForm {
  /** The mnemonic this opcode decodes to. */
  readonly mnemonic: X86MemAccess["mnemonic"];
  /** The opcode as the SDM writes it. */
  readonly opcode: string;
  /** Whether memory is read into a register or written. */
  readonly direction: X86MemAccess["direction"];
  /** How the memory operand is encoded. */
  readonly operand: X86MemOperand;
  /** Size of the memory access. */
  readonly width: X86SizeRule;
  /** Size of the register operand (or of the stored immediate). */
  readonly regWidth: 1 | "operand";
  /** MOVSX / MOVSXD. */
  readonly signedExt: boolean;
  /** Whether an immediate follows (C6: imm8; C7: imm16/imm32 by operand size). */
  readonly immediate: boolean;
  /** Whether the opcode means this only in 64-bit mode (63 is ARPL elsewhere). */
  readonly only64: boolean;
  /**
   * Whether F3 before it is the XRELEASE hint, which leaves the access as it is: the SDM allows
   * XRELEASE without LOCK on the stores 88, 89, C6 and C7 (and CPUs without HLE ignore it).
   */
  readonly xrelease: boolean;
}

function form(
  mnemonic: X86MovForm["mnemonic"],
  opcode: string,
  direction: X86MovForm["direction"],
  operand: X86MemOperand,
  width: X86SizeRule,
  regWidth: 1 | "operand",
  extra?: { signedExt?: boolean; immediate?: boolean; only64?: boolean; xrelease?: boolean },
): X86MovForm {
  return {
    mnemonic,
    opcode,
    direction,
    operand,
    width,
    regWidth,
    signedExt: extra?.signedExt ?? false,
    immediate: extra?.immediate ?? false,
    only64: extra?.only64 ?? false,
    xrelease: extra?.xrelease ?? false,
  };
}

function table(
  rows: readonly (readonly [number, X86MovForm])[],
): readonly (X86MovForm | undefined)[] {
  const out: (X86MovForm | undefined)[] = new Array<X86MovForm | undefined>(256).fill(undefined);
  for (const [op, f] of rows) out[op] = f;
  return out;
}

/** Supported one-byte opcodes (SDM Vol. 2 "MOV", "MOVSXD"), indexed by opcode byte. */
export const X86_ONE_BYTE_FORMS: readonly (X86MovForm | undefined)[] = table([
  [0x88, form("MOV", "88", "write", "modrm", 1, 1, { xrelease: true })], // MOV r/m8, r8
  [0x89, form("MOV", "89", "write", "modrm", "operand", "operand", { xrelease: true })], // MOV r/m, r
  [0x8a, form("MOV", "8A", "read", "modrm", 1, 1)], // MOV r8, r/m8
  [0x8b, form("MOV", "8B", "read", "modrm", "operand", "operand")], // MOV r, r/m16/32/64
  [0xa0, form("MOV", "A0", "read", "moffs", 1, 1)], // MOV AL, moffs8
  [0xa1, form("MOV", "A1", "read", "moffs", "operand", "operand")], // MOV eAX, moffs
  [0xa2, form("MOV", "A2", "write", "moffs", 1, 1)], // MOV moffs8, AL
  [0xa3, form("MOV", "A3", "write", "moffs", "operand", "operand")], // MOV moffs, eAX
  [0xc6, form("MOV", "C6 /0", "write", "modrm/0", 1, 1, { immediate: true, xrelease: true })],
  [
    0xc7, // MOV r/m16/32/64, imm16/32
    form("MOV", "C7 /0", "write", "modrm/0", "operand", "operand", {
      immediate: true,
      xrelease: true,
    }),
  ],
  [
    0x63, // MOVSXD r, r/m32; with 66, MOVSXD r16, r/m16 (64-bit mode only)
    form("MOVSXD", "63", "read", "modrm", "operand-max-4", "operand", {
      signedExt: true,
      only64: true,
    }),
  ],
]);

/** Supported two-byte opcodes 0F xx (MOVZX, MOVSX), indexed by the byte after 0F. */
export const X86_TWO_BYTE_FORMS: readonly (X86MovForm | undefined)[] = table([
  [0xb6, form("MOVZX", "0F B6", "read", "modrm", 1, "operand")], // MOVZX r, r/m8
  [0xb7, form("MOVZX", "0F B7", "read", "modrm", 2, "operand")], // MOVZX r, r/m16
  [0xbe, form("MOVSX", "0F BE", "read", "modrm", 1, "operand", { signedExt: true })],
  [0xbf, form("MOVSX", "0F BF", "read", "modrm", 2, "operand", { signedExt: true })],
]);
