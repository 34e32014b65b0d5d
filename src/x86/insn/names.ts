/** [first opcode, last opcode, mnemonic] ranges of the SDM one-byte opcode map (Vol. 2 Table A-2). */
const ONE_BYTE_RANGES: readonly (readonly [number, number, string])[] = [
  [0x00, 0x05, "ADD"],
  [0x06, 0x06, "PUSH ES"],
  [0x07, 0x07, "POP ES"],
  [0x08, 0x0d, "OR"],
  [0x0e, 0x0e, "PUSH CS"],
  [0x10, 0x15, "ADC"],
  [0x16, 0x16, "PUSH SS"],
  [0x17, 0x17, "POP SS"],
  [0x18, 0x1d, "SBB"],
  [0x1e, 0x1e, "PUSH DS"],
  [0x1f, 0x1f, "POP DS"],
  [0x20, 0x25, "AND"],
  [0x27, 0x27, "DAA"],
  [0x28, 0x2d, "SUB"],
  [0x2f, 0x2f, "DAS"],
  [0x30, 0x35, "XOR"],
  [0x37, 0x37, "AAA"],
  [0x38, 0x3d, "CMP"],
  [0x3f, 0x3f, "AAS"],
  [0x40, 0x47, "INC (REX in 64-bit mode)"],
  [0x48, 0x4f, "DEC (REX in 64-bit mode)"],
  [0x50, 0x57, "PUSH"],
  [0x58, 0x5f, "POP"],
  [0x60, 0x60, "PUSHA"],
  [0x61, 0x61, "POPA"],
  [0x62, 0x62, "BOUND / EVEX"],
  [0x63, 0x63, "ARPL (MOVSXD only in 64-bit mode)"],
  [0x68, 0x68, "PUSH"],
  [0x69, 0x69, "IMUL"],
  [0x6a, 0x6a, "PUSH"],
  [0x6b, 0x6b, "IMUL"],
  [0x6c, 0x6d, "INS"],
  [0x6e, 0x6f, "OUTS"],
  [0x70, 0x7f, "Jcc"],
  [0x80, 0x83, "group 1 (ADD/OR/ADC/SBB/AND/SUB/XOR/CMP r/m, imm)"],
  [0x84, 0x85, "TEST"],
  [0x86, 0x87, "XCHG"],
  [0x8c, 0x8c, "MOV r/m, Sreg"],
  [0x8d, 0x8d, "LEA"],
  [0x8e, 0x8e, "MOV Sreg, r/m"],
  [0x8f, 0x8f, "POP r/m"],
  [0x90, 0x90, "NOP"],
  [0x91, 0x97, "XCHG"],
  [0x98, 0x98, "CBW"],
  [0x99, 0x99, "CWD"],
  [0x9a, 0x9a, "CALL far"],
  [0x9b, 0x9b, "FWAIT"],
  [0x9c, 0x9c, "PUSHF"],
  [0x9d, 0x9d, "POPF"],
  [0x9e, 0x9e, "SAHF"],
  [0x9f, 0x9f, "LAHF"],
  [0xa4, 0xa5, "MOVS"],
  [0xa6, 0xa7, "CMPS"],
  [0xa8, 0xa9, "TEST"],
  [0xaa, 0xab, "STOS"],
  [0xac, 0xad, "LODS"],
  [0xae, 0xaf, "SCAS"],
  [0xb0, 0xbf, "MOV r, imm"],
  [0xc0, 0xc1, "group 2 (ROL/ROR/RCL/RCR/SHL/SHR/SAR)"],
  [0xc2, 0xc3, "RET"],
  [0xc4, 0xc4, "LES / VEX"],
  [0xc5, 0xc5, "LDS / VEX"],
  [0xc8, 0xc8, "ENTER"],
  [0xc9, 0xc9, "LEAVE"],
  [0xca, 0xcb, "RET far"],
  [0xcc, 0xcc, "INT3"],
  [0xcd, 0xcd, "INT"],
  [0xce, 0xce, "INTO"],
  [0xcf, 0xcf, "IRET"],
  [0xd0, 0xd3, "group 2 (ROL/ROR/RCL/RCR/SHL/SHR/SAR)"],
  [0xd4, 0xd4, "AAM"],
  [0xd5, 0xd5, "AAD"],
  [0xd7, 0xd7, "XLAT"],
  [0xd8, 0xdf, "x87 escape"],
  [0xe0, 0xe2, "LOOP"],
  [0xe3, 0xe3, "JCXZ"],
  [0xe4, 0xe5, "IN"],
  [0xe6, 0xe7, "OUT"],
  [0xe8, 0xe8, "CALL"],
  [0xe9, 0xeb, "JMP"],
  [0xec, 0xed, "IN"],
  [0xee, 0xef, "OUT"],
  [0xf1, 0xf1, "INT1"],
  [0xf4, 0xf4, "HLT"],
  [0xf5, 0xf5, "CMC"],
  [0xf6, 0xf7, "group 3 (TEST/NOT/NEG/MUL/IMUL/DIV/IDIV)"],
  [0xf8, 0xf8, "CLC"],
  [0xf9, 0xf9, "STC"],
  [0xfa, 0xfa, "CLI"],
  [0xfb, 0xfb, "STI"],
  [0xfc, 0xfc, "CLD"],
  [0xfd, 0xfd, "STD"],
  [0xfe, 0xfe, "group 4 (INC/DEC r/m8)"],
  [0xff, 0xff, "group 5 (INC/DEC/CALL/JMP/PUSH r/m)"],
];

/** [opcode after 0F, mnemonic] for two-byte opcodes that commonly touch memory (Vol. 2 Table A-3). */
const TWO_BYTE_NAMES: readonly (readonly [number, string])[] = [
  [0x10, "MOVUPS/MOVUPD/MOVSS/MOVSD"],
  [0x11, "MOVUPS/MOVUPD/MOVSS/MOVSD"],
  [0x28, "MOVAPS/MOVAPD"],
  [0x29, "MOVAPS/MOVAPD"],
  [0x2b, "MOVNTPS/MOVNTPD"],
  [0x38, "three-byte escape 0F 38"],
  [0x3a, "three-byte escape 0F 3A"],
  [0x6e, "MOVD/MOVQ"],
  [0x6f, "MOVQ/MOVDQA/MOVDQU"],
  [0x7e, "MOVD/MOVQ"],
  [0x7f, "MOVQ/MOVDQA/MOVDQU"],
  [0xa3, "BT"],
  [0xab, "BTS"],
  [0xb0, "CMPXCHG"],
  [0xb1, "CMPXCHG"],
  [0xb3, "BTR"],
  [0xba, "group 8 (BT/BTS/BTR/BTC r/m, imm8)"],
  [0xbb, "BTC"],
  [0xc0, "XADD"],
  [0xc1, "XADD"],
  [0xc3, "MOVNTI"],
  [0xc7, "group 9 (CMPXCHG8B/16B)"],
  [0xd6, "MOVQ"],
  [0xe7, "MOVNTQ/MOVNTDQ"],
];

function names(): readonly (string | undefined)[] {
  const out = new Array<string | undefined>(256).fill(undefined);
  for (const [lo, hi, name] of ONE_BYTE_RANGES) for (let op = lo; op <= hi; op++) out[op] = name;
  return out;
}

function twoByteNames(): readonly (string | undefined)[] {
  const out = new Array<string | undefined>(256).fill(undefined);
  for (const [op, name] of TWO_BYTE_NAMES) out[op] = name;
  return out;
}

/** Mnemonic of each one-byte opcode the decoder does not support (undefined when unnamed). */
export const X86_ONE_BYTE_NAMES: readonly (string | undefined)[] = names();

/** Mnemonic of some two-byte opcodes 0F xx the decoder does not support (undefined when unnamed). */
export const X86_TWO_BYTE_NAMES: readonly (string | undefined)[] = twoByteNames();

/** Two-digit upper-case hex of a byte, as the SDM writes opcodes. */
export function hexByte(b: number): string {
  return b < 16 ? `0${b.toString(16).toUpperCase()}` : b.toString(16).toUpperCase();
}

/** "09 (OR)", "0F 11 (MOVUPS/…)" or just the hex when the opcode has no name here. */
export function opcodeLabel(twoByte: boolean, op: number): string {
  const name = twoByte ? X86_TWO_BYTE_NAMES[op] : X86_ONE_BYTE_NAMES[op];
  const hexText = twoByte ? `0F ${hexByte(op)}` : hexByte(op);
  return name === undefined ? hexText : `${hexText} (${name})`;
}
