import { describe, expect, it } from "vitest";
import { VmExitError } from "../../core/error";
import type { X86MemAccessSpec } from "./access";
import { canEncodeX86MemAccess, encodeX86MemAccess } from "./encode";

// Expected bytes are derived by hand from the SDM opcode tables. The encoder addresses memory with
// ModRM mod 00 and a base register: rm 110 [RSI] / [ESI] (16-bit addressing: rm 100 [SI]), or, when
// the register operand is RSI itself (reg 6), rm 111 [RDI] / [EDI] (16-bit: rm 101 [DI]), so that the
// address and the data are in different registers. ModRM = reg field << 3 | rm.

const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, "0")).join(" ");

const read = (
  width: 1 | 2 | 4 | 8,
  reg: number,
  regWidth: 1 | 2 | 4 | 8,
  signedExt = false,
): X86MemAccessSpec => ({
  direction: "read",
  width,
  reg,
  regWidth,
  signedExt,
});
const write = (width: 1 | 2 | 4 | 8, reg: number): X86MemAccessSpec => ({
  direction: "write",
  width,
  reg,
  regWidth: width,
  signedExt: false,
});
const writeImm = (width: 1 | 2 | 4 | 8, immediate: bigint): X86MemAccessSpec => ({
  direction: "write",
  width,
  regWidth: width,
  signedExt: false,
  immediate,
});

type Case = readonly [mode: 16 | 32 | 64, access: X86MemAccessSpec, bytes: string];

// biome-ignore format: one case per line, derivation beside it
const CASES: readonly Case[] = [
  // REX.W 8B /r, ModRM 00 000 110 → mov rax, [rsi]
  [64, read(8, 0, 8), "48 8B 06"],
  // REX.R (reg 9 = 1 + 8) 8B, ModRM 00 001 110 → mov r9d, [rsi]
  [64, read(4, 9, 4), "44 8B 0E"],
  // REX.WR 8B, ModRM 00 111 110 (reg 15 = 7 + 8) → mov r15, [rsi]
  [64, read(8, 15, 8), "4C 8B 3E"],
  // 66 8B, ModRM 00 010 110 → mov dx, [rsi]
  [64, read(2, 2, 2), "66 8B 16"],
  // 8A, ModRM 00 100 110 with no REX = AH → mov ah, [rsi]
  [64, read(1, 16, 1), "8A 26"],
  // 8A, ModRM 00 111 110 = BH (19) → mov bh, [esi]
  [32, read(1, 19, 1), "8A 3E"],
  // REX + 8A, ModRM 00 100 110 → mov spl, [rsi] (reg 4 as a byte needs a REX)
  [64, read(1, 4, 1), "40 8A 26"],
  // REX.R + 8A, ModRM 00 000 110 → mov r8b, [rsi]
  [64, read(1, 8, 1), "44 8A 06"],
  // 8A, ModRM 00 011 100 → mov bl, [si]
  [16, read(1, 3, 1), "8A 1C"],
  // 16-bit mode: operand size 16 is the default → 8B, ModRM 00 010 100 → mov dx, [si]
  [16, read(2, 2, 2), "8B 14"],
  // 16-bit mode: 66 → operand size 32 → mov edx, [si]
  [16, read(4, 2, 4), "66 8B 14"],
  // 32-bit mode: 66 → operand size 16 → mov sp, [esi] (reg 4 with a 16-bit operand is SP)
  [32, read(2, 4, 2), "66 8B 26"],
  // MOVZX r32, r/m8: 0F B6, ModRM 00 000 110 → movzx eax, byte [rsi]
  [64, read(1, 0, 4), "0F B6 06"],
  // REX.WR 0F B6, ModRM 00 111 110 → movzx r15, byte [rsi]
  [64, read(1, 15, 8), "4C 0F B6 3E"],
  // 66 0F B6 → movzx cx, byte [rsi]
  [64, read(1, 1, 2), "66 0F B6 0E"],
  // 16-bit: 0F B6 (operand size 16 default) → movzx cx, byte [si]
  [16, read(1, 1, 2), "0F B6 0C"],
  // MOVZX r32, r/m16: 0F B7, ModRM 00 011 110 → movzx ebx, word [rsi]
  [64, read(2, 3, 4), "0F B7 1E"],
  // REX.W 0F B7 → movzx rsi, word [rdi] (ModRM 00 110 111)
  [64, read(2, 6, 8), "48 0F B7 37"],
  // MOVSX r32, r/m8: 0F BE, ModRM 00 001 110 → movsx ecx, byte [rsi]
  [64, read(1, 1, 4, true), "0F BE 0E"],
  // 66 0F BE → movsx ax, byte [esi]
  [32, read(1, 0, 2, true), "66 0F BE 06"],
  // REX.WR 0F BF, ModRM 00 010 110 (10 = 2 + 8) → movsx r10, word [rsi]
  [64, read(2, 10, 8, true), "4C 0F BF 16"],
  // 66 0F BF → movsx ax, word [rsi] (width 2 → regWidth 2, signed)
  [64, read(2, 0, 2, true), "66 0F BF 06"],
  // 16-bit: 66 0F BF → movsx edi, word [si] (ModRM 00 111 100)
  [16, read(2, 7, 4, true), "66 0F BF 3C"],
  // REX.W 63, ModRM 00 000 110 → movsxd rax, dword [rsi]
  [64, read(4, 0, 8, true), "48 63 06"],
  // REX.WR 63, ModRM 00 100 110 (12 = 4 + 8) → movsxd r12, dword [rsi]
  [64, read(4, 12, 8, true), "4C 63 26"],
  // 63 without REX.W → movsxd eax, dword [rsi] (width 4, regWidth 4, signed)
  [64, read(4, 0, 4, true), "63 06"],
  // 88 /r, ModRM 00 111 110 (BH, no REX) → mov [rsi], bh
  [64, write(1, 19), "88 3E"],
  // REX + 88, ModRM 00 110 111 → mov [rdi], sil
  [64, write(1, 6, ), "40 88 37"],
  // 88, ModRM 00 110 100 → mov [si], dh
  [16, write(1, 18), "88 34"],
  // REX.W 89, ModRM 00 001 110 → mov [rsi], rcx
  [64, write(8, 1), "48 89 0E"],
  // REX.WR 89, ModRM 00 101 110 (13 = 5 + 8) → mov [rsi], r13
  [64, write(8, 13), "4C 89 2E"],
  // 89, ModRM 00 101 110 → mov [esi], ebp
  [32, write(4, 5), "89 2E"],
  // 66 89 → mov [edi], si
  [32, write(2, 6), "66 89 37"],
  // 16-bit: 66 89 → mov [si], eax
  [16, write(4, 0), "66 89 04"],
  // C6 /0 ib → mov byte [rsi], 0x80
  [64, writeImm(1, 0x80n), "C6 06 80"],
  // 66 C7 /0 iw → mov word [rsi], 0xbeef
  [64, writeImm(2, 0xbeefn), "66 C7 06 EF BE"],
  // 16-bit: C7 /0 iw (no 66) → mov word [si], 0x1234
  [16, writeImm(2, 0x1234n), "C7 04 34 12"],
  // C7 /0 id → mov dword [esi], 0xdeadbeef
  [32, writeImm(4, 0xdeadbeefn), "C7 06 EF BE AD DE"],
  // REX.W C7 /0 id: 0x7fffffff is its own sign extension
  [64, writeImm(8, 0x7fff_ffffn), "48 C7 06 FF FF FF 7F"],
  // REX.W C7 /0 id: 0xffff_ffff_8000_0000 = imm32 0x80000000 sign-extended
  [64, writeImm(8, 0xffff_ffff_8000_0000n), "48 C7 06 00 00 00 80"],
  // REX.W C7 /0 id: all ones = imm32 −1 sign-extended
  [64, writeImm(8, 0xffff_ffff_ffff_ffffn), "48 C7 06 FF FF FF FF"],
];

describe("encodeX86MemAccess: hand-encoded forms", () => {
  it.each(CASES)("%i-bit %o → %s", (mode, access, want) => {
    expect(hex(encodeX86MemAccess(access, mode))).toBe(want);
    expect(canEncodeX86MemAccess(access, mode)).toBe(true);
  });
});

describe("encodeX86MemAccess: the AMD reading of 66 63", () => {
  it("encodes a 4-byte signed read into a 16-bit register as 66 63 for AMD only", () => {
    // 66 (operand size 16) 63 /r, ModRM 00 011 110 (reg BX, rm [RSI]) → movsxd bx, [rsi], which an
    // AMD processor executes as a 4-byte read (Intel: a 2-byte one, so no Intel form exists)
    expect(hex(encodeX86MemAccess(read(4, 3, 2, true), 64, "amd"))).toBe("66 63 1E");
    expect(canEncodeX86MemAccess(read(4, 3, 2, true), 64, "amd")).toBe(true);
    expect(canEncodeX86MemAccess(read(4, 3, 2, true), 64)).toBe(false);
    // REX.R: 66 44 63 06 → movsxd r8w, [rsi]
    expect(hex(encodeX86MemAccess(read(4, 8, 2, true), 64, "amd"))).toBe("66 44 63 06");
    // MOVSXD does not exist outside 64-bit mode, and 2 → 2 signed stays 66 0F BF on AMD
    expect(canEncodeX86MemAccess(read(4, 3, 2, true), 32, "amd")).toBe(false);
    expect(hex(encodeX86MemAccess(read(2, 0, 2, true), 64, "amd"))).toBe("66 0F BF 06");
  });
  it("rejects a vendor other than intel and amd", () => {
    expect(() => encodeX86MemAccess(read(4, 0, 4), 64, "arm" as "amd")).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "vendor" }),
    );
  });
});

type Rejected = readonly [
  mode: number,
  access: unknown,
  code: string,
  field: string,
  message: RegExp,
];

// biome-ignore format: one case per line
const REJECTED: readonly Rejected[] = [
  // no MOVSX form loads 8 bytes; none has a byte destination
  [64, read(8, 0, 8, true), "unrepresentable", "signedExt", /8 bytes with sign extension/],
  [64, read(1, 0, 1, true), "unrepresentable", "signedExt", /byte destination/],
  // a load never narrows
  [64, read(4, 0, 2), "unrepresentable", "width", /width 4 is wider than regWidth 2/],
  // 32 → 64 zero extension has no MOVZX form (8B r32 reports regWidth 4)
  [64, read(4, 0, 8), "unrepresentable", "regWidth", /no MOVZX form/],
  // MOVSXD exists only in 64-bit mode
  [32, read(4, 0, 8, true), "unrepresentable", "signedExt", /MOVSXD \(63\) exists only in 64-bit mode/],
  [32, read(4, 0, 4, true), "unrepresentable", "signedExt", /MOVSXD \(63\) exists only in 64-bit mode, not in 32-bit/],
  // 8-byte operands and R8–R15 need REX (64-bit mode only)
  [32, read(8, 0, 8), "unrepresentable", "width", /REX.W/],
  [16, write(8, 0), "unrepresentable", "width", /not 16-bit/],
  [32, read(4, 8, 4), "unrepresentable", "reg", /reg 8 \(R8–R15\) needs REX.R/],
  // SPL/BPL/SIL/DIL need a REX prefix
  [32, read(1, 4, 1), "unrepresentable", "reg", /SPL\/BPL\/SIL\/DIL/],
  [16, write(1, 7), "unrepresentable", "reg", /SPL\/BPL\/SIL\/DIL/],
  // AH…BH are byte registers only
  [64, read(1, 16, 4), "unrepresentable", "reg", /reg 16 \(AH\/CH\/DH\/BH\) is a byte register/],
  // stores do not extend, and have regWidth = width
  [64, { ...write(4, 0), signedExt: true }, "unrepresentable", "signedExt", /signedExt must be false/],
  [64, { ...write(4, 0), regWidth: 8 }, "unrepresentable", "regWidth", /regWidth 8 with width 4/],
  [64, { ...writeImm(1, 1n), regWidth: 4 }, "unrepresentable", "regWidth", /regWidth 4 with width 1/],
  // REX.W C7 stores only sign-extended imm32 values
  [64, writeImm(8, 0x8000_0000n), "unrepresentable", "immediate", /0x80000000 is not one/],
  [64, writeImm(8, 0xffff_ffff_7fff_ffffn), "unrepresentable", "immediate", /sign-extended imm32/],
  // ill-formed fields
  [64, read(4, 20, 4), "invalid-argument", "reg", /reg must be an integer 0…19, got 20/],
  [64, read(4, -1, 4), "invalid-argument", "reg", /got -1/],
  [64, read(4, 1.5, 4), "invalid-argument", "reg", /got 1.5/],
  [64, { ...read(4, 0, 4), width: 3 }, "invalid-argument", "width", /width must be 1, 2, 4 or 8, got 3/],
  [64, { ...read(4, 0, 4), regWidth: 16 }, "invalid-argument", "regWidth", /got 16/],
  [64, { ...read(4, 0, 4), direction: "rw" }, "invalid-argument", "direction", /got "rw"/],
  [64, { ...read(4, 0, 4), signedExt: 1 }, "invalid-argument", "signedExt", /got 1/],
  [64, writeImm(1, 0x100n), "invalid-argument", "immediate", /0 ≤ v < 2\^8 \(width 1\), got 0x100/],
  [64, writeImm(4, -1n), "invalid-argument", "immediate", /got -0x1/],
  [64, { ...writeImm(4, 1n), immediate: 1 }, "invalid-argument", "immediate", /got 1/],
  [64, { ...writeImm(4, 1n), reg: 0 }, "invalid-argument", "immediate", /not both/],
  [64, { direction: "write", width: 4, regWidth: 4, signedExt: false }, "invalid-argument", "reg", /source reg or an immediate/],
  [64, { direction: "read", width: 4, regWidth: 4, signedExt: false }, "invalid-argument", "reg", /destination reg/],
  [64, { ...read(4, 0, 4), immediate: 1n }, "invalid-argument", "immediate", /a read has no immediate/],
  [64, null, "invalid-argument", "access", /access must be an object, got null/],
  [8, read(4, 0, 4), "invalid-argument", "cpuMode", /cpuMode must be 16, 32 or 64, got 8/],
];

describe("encodeX86MemAccess: rejected accesses", () => {
  it.each(REJECTED)("%i-bit %o → %s", (mode, access, code, field, message) => {
    const encode = () => encodeX86MemAccess(access as X86MemAccessSpec, mode as 64);
    expect(encode).toThrow(VmExitError);
    try {
      encode();
    } catch (e) {
      expect((e as VmExitError).code).toBe(code);
      expect((e as VmExitError).field).toBe(field);
      expect((e as VmExitError).message).toMatch(message);
    }
    expect(canEncodeX86MemAccess(access as X86MemAccessSpec, mode as 64)).toBe(false);
  });
});
