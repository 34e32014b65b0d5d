// The x86 instructions the KVM test runs, written from the Intel SDM Vol. 2 opcode tables
// independently of src/x86 (whose decoder is what the test checks).

/** An x86 execution mode: default operand and address size 16, 32 or 64 bits. */
export type Mode = 16 | 32 | 64;

/** A MOV-family opcode that accesses memory. */
export interface MovForm {
  /** As the SDM writes it. */
  readonly name: string;
  /** The opcode bytes. */
  readonly opcode: readonly number[];
  /** ModRM memory operand, ModRM with reg field 0 (C6/C7), or a moffs. */
  readonly operand: "modrm" | "modrm/0" | "moffs";
  /** Memory → register or register/immediate → memory. */
  readonly direction: "read" | "write";
  /** Memory access size: fixed, the operand size, or MOVSXD's (operand size capped at 4). */
  readonly access: 1 | 2 | "op" | "movsxd";
  /** The register operand is a byte register (0–7 = AL…BH without REX, SPL…DIL with it). */
  readonly byteReg: boolean;
  /** An immediate follows: ib for a byte store, else iw/id by operand size. */
  readonly imm: boolean;
  /** 63 is MOVSXD only in 64-bit mode (ARPL elsewhere). */
  readonly only64: boolean;
}

function mov(
  name: string,
  opcode: number[],
  operand: MovForm["operand"],
  direction: MovForm["direction"],
  access: MovForm["access"],
  byteReg: boolean,
  extra: { imm?: boolean; only64?: boolean } = {},
): MovForm {
  return {
    name,
    opcode,
    operand,
    direction,
    access,
    byteReg,
    imm: extra.imm ?? false,
    only64: extra.only64 ?? false,
  };
}

/** Every MOV-family form vmexit decodes (SDM Vol. 2: MOV, MOVZX, MOVSX, MOVSXD). */
export const MOV_FORMS: readonly MovForm[] = [
  mov("88 /r", [0x88], "modrm", "write", 1, true),
  mov("89 /r", [0x89], "modrm", "write", "op", false),
  mov("8A /r", [0x8a], "modrm", "read", 1, true),
  mov("8B /r", [0x8b], "modrm", "read", "op", false),
  mov("C6 /0 ib", [0xc6], "modrm/0", "write", 1, true, { imm: true }),
  mov("C7 /0 iw/id", [0xc7], "modrm/0", "write", "op", false, { imm: true }),
  mov("A0", [0xa0], "moffs", "read", 1, true),
  mov("A1", [0xa1], "moffs", "read", "op", false),
  mov("A2", [0xa2], "moffs", "write", 1, true),
  mov("A3", [0xa3], "moffs", "write", "op", false),
  mov("0F B6 /r", [0x0f, 0xb6], "modrm", "read", 1, false),
  mov("0F B7 /r", [0x0f, 0xb7], "modrm", "read", 2, false),
  mov("0F BE /r", [0x0f, 0xbe], "modrm", "read", 1, false),
  mov("0F BF /r", [0x0f, 0xbf], "modrm", "read", 2, false),
  mov("63 /r", [0x63], "modrm", "read", "movsxd", false, { only64: true }),
];

/** An I/O instruction (SDM Vol. 2: IN, OUT). */
export interface IoForm {
  /** As the SDM writes it. */
  readonly name: string;
  /** The opcode byte. */
  readonly opcode: number;
  /** IN or OUT. */
  readonly in: boolean;
  /** AL (1) or eAX (the operand size). */
  readonly byte: boolean;
  /** The port is an imm8 (else DX). */
  readonly imm8: boolean;
}

/** IN/OUT with AL/eAX and an imm8 or DX port. */
export const IO_FORMS: readonly IoForm[] = [
  { name: "E4 ib (IN AL, imm8)", opcode: 0xe4, in: true, byte: true, imm8: true },
  { name: "E5 ib (IN eAX, imm8)", opcode: 0xe5, in: true, byte: false, imm8: true },
  { name: "EC (IN AL, DX)", opcode: 0xec, in: true, byte: true, imm8: false },
  { name: "ED (IN eAX, DX)", opcode: 0xed, in: true, byte: false, imm8: false },
  { name: "E6 ib (OUT imm8, AL)", opcode: 0xe6, in: false, byte: true, imm8: true },
  { name: "E7 ib (OUT imm8, eAX)", opcode: 0xe7, in: false, byte: false, imm8: true },
  { name: "EE (OUT DX, AL)", opcode: 0xee, in: false, byte: true, imm8: false },
  { name: "EF (OUT DX, eAX)", opcode: 0xef, in: false, byte: false, imm8: false },
];

/** Segment-override prefixes ES, CS, SS, DS, FS, GS (every segment base is 0 in the test guest). */
export const SEGMENT_PREFIXES: readonly number[] = [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65];

/**
 * A ModRM (and SIB) memory operand. Register numbers include the REX extension bit: `rm`, `base`
 * and `index` 8–15 need REX.B / REX.X.
 */
export type Addressing =
  | { readonly size: 16; readonly mod: 0 | 1 | 2; readonly rm: number }
  | {
      readonly size: 32 | 64;
      readonly mod: 0 | 1 | 2;
      readonly rm: number;
      readonly sib?: { readonly scale: number; readonly index: number; readonly base: number };
    };

/** Every 16-bit ModRM memory operand: mod 00/01/10 × rm 0–7. */
export function addressing16(): Addressing[] {
  const out: Addressing[] = [];
  for (const mod of [0, 1, 2] as const)
    for (let rm = 0; rm < 8; rm++) out.push({ size: 16, mod, rm });
  return out;
}

/**
 * Every 32/64-bit ModRM memory operand: mod × rm (rm 100 = SIB: scale × index × base), with
 * registers 8–15 when `rex` (64-bit mode).
 */
export function addressing32(size: 32 | 64, rex: boolean): Addressing[] {
  const regs = rex ? 16 : 8;
  const out: Addressing[] = [];
  for (const mod of [0, 1, 2] as const) {
    for (let rm = 0; rm < regs; rm++) {
      if ((rm & 7) === 4) continue;
      out.push({ size, mod, rm });
    }
    for (let scale = 0; scale < 4; scale++) {
      for (let index = 0; index < regs; index++) {
        for (let base = 0; base < regs; base++) {
          out.push({ size, mod, rm: 4, sib: { scale, index, base } });
        }
      }
    }
  }
  return out;
}

/** Registers of a 16-bit ModRM rm: base, index (BX = 3, BP = 5, SI = 6, DI = 7). */
export const RM16: readonly (readonly [number | undefined, number | undefined])[] = [
  [3, 6], // [BX+SI]
  [3, 7], // [BX+DI]
  [5, 6], // [BP+SI]
  [5, 7], // [BP+DI]
  [6, undefined], // [SI]
  [7, undefined], // [DI]
  [5, undefined], // [BP] (mod 00: disp16 alone)
  [3, undefined], // [BX]
];
