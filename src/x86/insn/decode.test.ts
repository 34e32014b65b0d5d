import { describe, expect, it } from "vitest";
import { VmExitError } from "../../core/error";
import type { X86MemAccess } from "./access";
import { decodeX86MemAccess } from "./decode";

// Every expected value below is derived by hand from the SDM Vol. 2 opcode tables (MOV, MOVZX,
// MOVSX/MOVSXD), Table 2-1 (16-bit ModRM), Table 2-2 (32-bit ModRM), Table 2-3 (SIB) and §2.2.1
// (REX). ModRM = mod(7:6) reg(5:3) rm(2:0); SIB = scale(7:6) index(5:3) base(2:0); REX = 0100WRXB.
// Registers: 0 RAX, 1 RCX, 2 RDX, 3 RBX, 4 RSP, 5 RBP, 6 RSI, 7 RDI, 8…15 R8…R15, 16…19 AH CH DH BH.

type W = 1 | 2 | 4 | 8;
const load = (
  op: string,
  width: W,
  reg: number,
  regWidth: W,
  length: number,
  prefixes: string[] = [],
) =>
  ({
    mnemonic: "MOV",
    opcode: op,
    direction: "read",
    width,
    reg,
    regWidth,
    signedExt: false,
    length,
    prefixes,
  }) as const;
const store = (op: string, width: W, reg: number, length: number, prefixes: string[] = []) =>
  ({
    mnemonic: "MOV",
    opcode: op,
    direction: "write",
    width,
    reg,
    regWidth: width,
    signedExt: false,
    length,
    prefixes,
  }) as const;
const storeImm = (
  op: string,
  width: W,
  immediate: bigint,
  length: number,
  prefixes: string[] = [],
) =>
  ({
    mnemonic: "MOV",
    opcode: op,
    direction: "write",
    width,
    regWidth: width,
    signedExt: false,
    immediate,
    length,
    prefixes,
  }) as const;
const movzx = (
  op: string,
  width: W,
  reg: number,
  regWidth: W,
  length: number,
  prefixes: string[] = [],
) =>
  ({
    mnemonic: "MOVZX",
    opcode: op,
    direction: "read",
    width,
    reg,
    regWidth,
    signedExt: false,
    length,
    prefixes,
  }) as const;
const movsx = (
  op: string,
  width: W,
  reg: number,
  regWidth: W,
  length: number,
  prefixes: string[] = [],
) =>
  ({
    mnemonic: "MOVSX",
    opcode: op,
    direction: "read",
    width,
    reg,
    regWidth,
    signedExt: true,
    length,
    prefixes,
  }) as const;
const movsxd = (width: W, reg: number, regWidth: W, length: number, prefixes: string[] = []) =>
  ({
    mnemonic: "MOVSXD",
    opcode: "63",
    direction: "read",
    width,
    reg,
    regWidth,
    signedExt: true,
    length,
    prefixes,
  }) as const;

const bytes = (hexText: string): number[] => hexText.split(" ").map((h) => Number.parseInt(h, 16));

type Case = readonly [mode: 16 | 32 | 64, hex: string, want: X86MemAccess];

// biome-ignore format: one case per line, derivation beside it
const CASES: readonly Case[] = [
  // ---- F3 (XRELEASE) on a MOV store, and 66 + MOVSXD ----
  // F3 89 07 = XRELEASE + 89 /r, ModRM 00 000 111 (reg=EAX, rm=[RDI]) → xrelease mov [rdi], eax: the
  // SDM lets XRELEASE prefix 88/89/C6/C7 without LOCK, and CPUs without HLE ignore it: a 4-byte store
  [64, "F3 89 07", store("89", 4, 0, 3, ["F3"])],
  // F3 88 07 = XRELEASE mov [rdi], al
  [64, "F3 88 07", store("88", 1, 0, 3, ["F3"])],
  // F3 C6 07 AB = XRELEASE mov byte [rdi], 0xAB
  [64, "F3 C6 07 AB", storeImm("C6 /0", 1, 0xabn, 4, ["F3"])],
  // F3 C7 07 imm32 = XRELEASE mov dword [rdi], 0x12345678
  [64, "F3 C7 07 78 56 34 12", storeImm("C7 /0", 4, 0x1234_5678n, 7, ["F3"])],
  // F2 F3 89 07: the prefix nearest the opcode (F3) decides: XRELEASE, a plain store
  [32, "F2 F3 89 07", store("89", 4, 0, 4, ["F2", "F3"])],
  // 66 63 07 = MOVSXD r16, r/m16 (SDM: "63 /r MOVSXD r16, r/m16, move word to word with sign-extension")
  // → movsxd ax, word [rdi]: width 2, regWidth 2
  [64, "66 63 07", movsxd(2, 0, 2, 3, ["66"])],
  // 66 48 63 07: REX.W wins over 66 → MOVSXD r64, r/m32
  [64, "66 48 63 07", movsxd(4, 0, 8, 4, ["66", "REX.W"])],
  // ---- 64-bit mode: MOV 8B / 8A loads ----
  // 48 8B 43 08 = REX.W + 8B /r, ModRM 01 000 011 (mod=1, reg=RAX, rm=RBX) + disp8 08 → mov rax, [rbx+8]
  [64, "48 8B 43 08", load("8B", 8, 0, 8, 4, ["REX.W"])],
  // 8B 08 = 8B /r, ModRM 00 001 000 (reg=ECX, rm=[RAX]) → mov ecx, [rax]; 64-bit mode default operand size 32
  [64, "8B 08", load("8B", 4, 1, 4, 2)],
  // 66 8B 10 = 66 (operand size 16) + 8B /r, ModRM 00 010 000 (reg=DX) → mov dx, [rax]
  [64, "66 8B 10", load("8B", 2, 2, 2, 3, ["66"])],
  // 8A 18 = 8A /r, ModRM 00 011 000 (reg=BL) → mov bl, [rax]
  [64, "8A 18", load("8A", 1, 3, 1, 2)],
  // 8A 20 = 8A /r, ModRM 00 100 000: reg 4 with no REX = AH (16) → mov ah, [rax]
  [64, "8A 20", load("8A", 1, 16, 1, 2)],
  // 40 8A 20 = REX (no bits) + 8A /r, ModRM 00 100 000: with any REX reg 4 = SPL (4) → mov spl, [rax]
  [64, "40 8A 20", load("8A", 1, 4, 1, 3, ["REX"])],
  // 8A 3E = 8A /r, ModRM 00 111 110 (reg 7 no REX = BH = 19, rm=[RSI]) → mov bh, [rsi]
  [64, "8A 3E", load("8A", 1, 19, 1, 2)],
  // 8A 2D + disp32 = ModRM 00 101 101: reg 5 = CH (17), mod 0 rm 101 = RIP+disp32 → mov ch, [rip+0x10]
  [64, "8A 2D 10 00 00 00", load("8A", 1, 17, 1, 6)],
  // 44 8A 28 = REX.R + 8A /r, ModRM 00 101 000: reg 5 + 8 = R13B → mov r13b, [rax]
  [64, "44 8A 28", load("8A", 1, 13, 1, 3, ["REX.R"])],
  // 4A 8B 04 C5 + disp32 = REX.WX + 8B, ModRM 00 000 100 (SIB), SIB 11 000 101 (×8, index 0+X = R8, base 101 mod 0 → disp32) → mov rax, [r8*8+0]
  [64, "4A 8B 04 C5 00 00 00 00", load("8B", 8, 0, 8, 8, ["REX.WX"])],
  // 41 8B 45 00 = REX.B + 8B, ModRM 01 000 101 (rm 5 + B = R13, needs mod 1 disp8) + disp8 00 → mov eax, [r13+0]
  [64, "41 8B 45 00", load("8B", 4, 0, 4, 4, ["REX.B"])],
  // 41 8B 04 24 = REX.B + 8B, ModRM 00 000 100 (SIB), SIB 00 100 100 (no index, base 4 + B = R12) → mov eax, [r12]
  [64, "41 8B 04 24", load("8B", 4, 0, 4, 4, ["REX.B"])],
  // 8B 04 8D + disp32 = ModRM 00 000 100, SIB 10 001 101 (×4, index RCX, base 101 with mod 0 → disp32) → mov eax, [rcx*4+0x1000]
  [64, "8B 04 8D 00 10 00 00", load("8B", 4, 0, 4, 7)],
  // 8B 44 8D 10 = ModRM 01 000 100, SIB 10 001 101 (base 101 with mod 1 = RBP, disp8 only) → mov eax, [rbp+rcx*4+0x10]
  [64, "8B 44 8D 10", load("8B", 4, 0, 4, 4)],
  // 8B 80 + disp32 = ModRM 10 000 000 (mod 2 → disp32, rm=RAX) → mov eax, [rax+0x100]
  [64, "8B 80 00 01 00 00", load("8B", 4, 0, 4, 6)],
  // 48 8B 3D + disp32 = REX.W + 8B, ModRM 00 111 101 (reg=RDI, RIP-relative) → mov rdi, [rip-4]
  [64, "48 8B 3D FC FF FF FF", load("8B", 8, 7, 8, 7, ["REX.W"])],
  // 4C 8B 3C 24 = REX.WR + 8B, ModRM 00 111 100 (reg 7 + 8 = R15), SIB 00 100 100 (base RSP) → mov r15, [rsp]
  [64, "4C 8B 3C 24", load("8B", 8, 15, 8, 4, ["REX.WR"])],
  // 66 48 8B 18 = 66 then REX.W: REX.W wins over 66 (operand size 64), ModRM 00 011 000 → mov rbx, [rax]
  [64, "66 48 8B 18", load("8B", 8, 3, 8, 4, ["66", "REX.W"])],
  // 48 66 8B 18 = REX.W followed by 66: the REX is ignored (SDM 2.2.1), 66 → 16-bit → mov bx, [rax]
  [64, "48 66 8B 18", load("8B", 2, 3, 2, 4, ["66"])],
  // 40 66 8A 20 = REX followed by 66 is ignored, so ModRM 00 100 000 reg 4 is AH again → mov ah, [rax]
  [64, "40 66 8A 20", load("8A", 1, 16, 1, 4, ["66"])],
  // 41 48 8B 00 = two REX prefixes: only the one next to the opcode (REX.W) is in effect → mov rax, [rax]
  [64, "41 48 8B 00", load("8B", 8, 0, 8, 4, ["REX.W"])],
  // 67 8B 03 = 67 (address size 32 in 64-bit mode) + 8B, ModRM 00 000 011 → mov eax, [ebx]
  [64, "67 8B 03", load("8B", 4, 0, 4, 3, ["67"])],
  // 67 8B 05 + disp32 = 67 + ModRM 00 000 101 → EIP-relative disp32 → mov eax, [eip+0]
  [64, "67 8B 05 00 00 00 00", load("8B", 4, 0, 4, 7, ["67"])],
  // 64 48 8B 04 25 28 00 00 00 = FS + REX.W + 8B, ModRM 00 000 100, SIB 00 100 101 (no index, no base → disp32) → mov rax, fs:[0x28]
  [64, "64 48 8B 04 25 28 00 00 00", load("8B", 8, 0, 8, 9, ["64", "REX.W"])],
  // 65 8B 00 = GS + 8B, ModRM 00 000 000 → mov eax, gs:[rax]
  [64, "65 8B 00", load("8B", 4, 0, 4, 3, ["65"])],
  // 2E 8B 00 = CS (a null prefix in 64-bit mode) + 8B /r → mov eax, [rax]
  [64, "2E 8B 00", load("8B", 4, 0, 4, 3, ["2E"])],
  // 26 36 3E 8B 00 = ES, SS, DS overrides (null in 64-bit mode), all listed → mov eax, [rax]
  [64, "26 36 3E 8B 00", load("8B", 4, 0, 4, 5, ["26", "36", "3E"])],

  // ---- 64-bit mode: MOV 88 / 89 stores ----
  // 88 34 24 = 88 /r, ModRM 00 110 100 (reg 6 no REX = DH = 18, SIB), SIB 00 100 100 (base RSP) → mov [rsp], dh
  [64, "88 34 24", store("88", 1, 18, 3)],
  // 44 88 00 = REX.R + 88, ModRM 00 000 000 (reg 0 + 8 = R8B) → mov [rax], r8b
  [64, "44 88 00", store("88", 1, 8, 3, ["REX.R"])],
  // 45 88 7C 24 10 = REX.RB + 88, ModRM 01 111 100 (reg 15 = R15B), SIB 00 100 100 (base 4 + B = R12), disp8 → mov [r12+16], r15b
  [64, "45 88 7C 24 10", store("88", 1, 15, 5, ["REX.RB"])],
  // 40 88 3B = REX + 88, ModRM 00 111 011 (reg 7 with REX = DIL) → mov [rbx], dil
  [64, "40 88 3B", store("88", 1, 7, 3, ["REX"])],
  // 89 05 + disp32 = 89 /r, ModRM 00 000 101 (RIP-relative) → mov [rip+0x12345678], eax
  [64, "89 05 78 56 34 12", store("89", 4, 0, 6)],
  // 48 89 0C 25 + disp32 = REX.W + 89, ModRM 00 001 100 (RCX, SIB), SIB 00 100 101 (disp32 only) → mov [0x1000], rcx
  [64, "48 89 0C 25 00 10 00 00", store("89", 8, 1, 8, ["REX.W"])],
  // 4C 89 44 24 08 = REX.WR + 89, ModRM 01 000 100 (reg 8 = R8), SIB 24, disp8 → mov [rsp+8], r8
  [64, "4C 89 44 24 08", store("89", 8, 8, 5, ["REX.WR"])],
  // 4D 89 BC 24 + disp32 = REX.WRB + 89, ModRM 10 111 100 (R15, SIB, disp32), SIB 24 (base R12) → mov [r12+0x100], r15
  [64, "4D 89 BC 24 00 01 00 00", store("89", 8, 15, 8, ["REX.WRB"])],
  // 66 89 18 = 66 + 89, ModRM 00 011 000 → mov [rax], bx
  [64, "66 89 18", store("89", 2, 3, 3, ["66"])],
  // 66 41 89 56 02 = 66 + REX.B + 89, ModRM 01 010 110 (DX, rm 6 + B = R14), disp8 → mov [r14+2], dx
  [64, "66 41 89 56 02", store("89", 2, 2, 5, ["66", "REX.B"])],

  // ---- 64-bit mode: MOV C6 /0, C7 /0 immediates ----
  // C6 00 FF = C6 /0 ib, ModRM 00 000 000, imm8 FF → mov byte [rax], 0xff
  [64, "C6 00 FF", storeImm("C6 /0", 1, 0xffn, 3)],
  // 41 C6 07 2A = REX.B + C6 /0, ModRM 00 000 111 (rm 7 + B = R15), imm8 2A → mov byte [r15], 42
  [64, "41 C6 07 2A", storeImm("C6 /0", 1, 42n, 4, ["REX.B"])],
  // 66 C7 00 34 12 = 66 + C7 /0 iw, imm16 = 0x1234 → mov word [rax], 0x1234
  [64, "66 C7 00 34 12", storeImm("C7 /0", 2, 0x1234n, 5, ["66"])],
  // C7 00 78 56 34 12 = C7 /0 id, imm32 = 0x12345678 → mov dword [rax], 0x12345678
  [64, "C7 00 78 56 34 12", storeImm("C7 /0", 4, 0x12345678n, 6)],
  // C7 44 24 08 01 00 00 00 = C7 /0, ModRM 01 000 100, SIB 24, disp8 08, imm32 1 → mov dword [rsp+8], 1
  [64, "C7 44 24 08 01 00 00 00", storeImm("C7 /0", 4, 1n, 8)],
  // C7 05 + disp32 + imm32 = C7 /0, ModRM 00 000 101 (RIP-relative), imm32 DEADBEEF → mov dword [rip+0x10], 0xdeadbeef
  [64, "C7 05 10 00 00 00 EF BE AD DE", storeImm("C7 /0", 4, 0xdeadbeefn, 10)],
  // 48 C7 00 FF FF FF FF = REX.W + C7 /0 id: imm32 −1 sign-extended to 64 bits → 0xffff_ffff_ffff_ffff
  [64, "48 C7 00 FF FF FF FF", storeImm("C7 /0", 8, 0xffff_ffff_ffff_ffffn, 7, ["REX.W"])],
  // 48 C7 00 FF FF FF 7F = REX.W + C7 /0, imm32 0x7fffffff (positive, stays) → mov qword [rax], 0x7fffffff
  [64, "48 C7 00 FF FF FF 7F", storeImm("C7 /0", 8, 0x7fff_ffffn, 7, ["REX.W"])],
  // 48 C7 00 00 00 00 80 = REX.W + C7 /0, imm32 0x80000000 sign-extended → 0xffff_ffff_8000_0000
  [64, "48 C7 00 00 00 00 80", storeImm("C7 /0", 8, 0xffff_ffff_8000_0000n, 7, ["REX.W"])],
  // 66 48 C7 00 01 00 00 00 = REX.W beats 66: imm32 (not imm16) → mov qword [rax], 1
  [64, "66 48 C7 00 01 00 00 00", storeImm("C7 /0", 8, 1n, 8, ["66", "REX.W"])],

  // ---- 64-bit mode: moffs A0–A3 (moffs64 by default, moffs32 with 67) ----
  // A0 + moffs64 = MOV AL, moffs8 → mov al, [0x1122334455667788]
  [64, "A0 88 77 66 55 44 33 22 11", load("A0", 1, 0, 1, 9)],
  // 48 A1 + moffs64 = REX.W + A1 → mov rax, [moffs64]
  [64, "48 A1 00 10 00 00 00 00 00 00", load("A1", 8, 0, 8, 10, ["REX.W"])],
  // A1 + moffs64 = mov eax, [moffs64]
  [64, "A1 00 10 00 00 00 00 00 00", load("A1", 4, 0, 4, 9)],
  // 66 A1 + moffs64 = mov ax, [moffs64]
  [64, "66 A1 00 10 00 00 00 00 00 00", load("A1", 2, 0, 2, 10, ["66"])],
  // 67 A1 + moffs32 = 67 shrinks the moffs to 4 bytes → mov eax, [0x1000]
  [64, "67 A1 00 10 00 00", load("A1", 4, 0, 4, 6, ["67"])],
  // A2 + moffs64 = MOV moffs8, AL → mov [moffs64], al
  [64, "A2 00 10 00 00 00 00 00 00", store("A2", 1, 0, 9)],
  // A3 + moffs64 = mov [moffs64], eax
  [64, "A3 00 10 00 00 00 00 00 00", store("A3", 4, 0, 9)],
  // 48 A3 + moffs64 = REX.W + A3 → mov [moffs64], rax
  [64, "48 A3 00 10 00 00 00 00 00 00", store("A3", 8, 0, 10, ["REX.W"])],
  // 67 A2 + moffs32 → mov [0x1000], al (address size 32)
  [64, "67 A2 00 10 00 00", store("A2", 1, 0, 6, ["67"])],

  // ---- 64-bit mode: MOVZX / MOVSX / MOVSXD ----
  // 0F B6 00 = MOVZX r32, r/m8, ModRM 00 000 000 → movzx eax, byte [rax]
  [64, "0F B6 00", movzx("0F B6", 1, 0, 4, 3)],
  // 48 0F B6 08 = REX.W + 0F B6, ModRM 00 001 000 → movzx rcx, byte [rax]
  [64, "48 0F B6 08", movzx("0F B6", 1, 1, 8, 4, ["REX.W"])],
  // 66 0F B6 10 = 66 + 0F B6, ModRM 00 010 000 → movzx dx, byte [rax]
  [64, "66 0F B6 10", movzx("0F B6", 1, 2, 2, 4, ["66"])],
  // 0F B6 20 = ModRM 00 100 000: the destination is 32-bit, so reg 4 is ESP (not AH) → movzx esp, byte [rax]
  [64, "0F B6 20", movzx("0F B6", 1, 4, 4, 3)],
  // 0F B7 18 = MOVZX r32, r/m16, ModRM 00 011 000 → movzx ebx, word [rax]
  [64, "0F B7 18", movzx("0F B7", 2, 3, 4, 3)],
  // 4C 0F B7 00 = REX.WR + 0F B7, ModRM 00 000 000 (reg 0 + 8) → movzx r8, word [rax]
  [64, "4C 0F B7 00", movzx("0F B7", 2, 8, 8, 4, ["REX.WR"])],
  // 66 0F B7 00 = operand size 16: a 16-bit destination from r/m16 → movzx ax, word [rax]
  [64, "66 0F B7 00", movzx("0F B7", 2, 0, 2, 4, ["66"])],
  // 0F BE 00 = MOVSX r32, r/m8 → movsx eax, byte [rax]
  [64, "0F BE 00", movsx("0F BE", 1, 0, 4, 3)],
  // 48 0F BF 4B 02 = REX.W + 0F BF, ModRM 01 001 011 (RCX, [RBX]+disp8) → movsx rcx, word [rbx+2]
  [64, "48 0F BF 4B 02", movsx("0F BF", 2, 1, 8, 5, ["REX.W"])],
  // 66 0F BF 00 = operand size 16 + 0F BF → movsx ax, word [rax]
  [64, "66 0F BF 00", movsx("0F BF", 2, 0, 2, 4, ["66"])],
  // 44 0F BE 70 FF = REX.R + 0F BE, ModRM 01 110 000 (reg 6 + 8 = R14D), disp8 −1 → movsx r14d, byte [rax-1]
  [64, "44 0F BE 70 FF", movsx("0F BE", 1, 14, 4, 5, ["REX.R"])],
  // 48 63 03 = REX.W + 63 /r, ModRM 00 000 011 → movsxd rax, dword [rbx]
  [64, "48 63 03", movsxd(4, 0, 8, 3, ["REX.W"])],
  // 4D 63 4C 24 04 = REX.WRB + 63, ModRM 01 001 100 (reg 1 + 8 = R9), SIB 24 (base R12), disp8 → movsxd r9, dword [r12+4]
  [64, "4D 63 4C 24 04", movsxd(4, 9, 8, 5, ["REX.WRB"])],
  // 63 00 = 63 /r without REX.W: MOVSXD r32, r/m32 (decision: width 4, regWidth 4, signedExt) → movsxd eax, dword [rax]
  [64, "63 00", movsxd(4, 0, 4, 2)],

  // ---- 32-bit mode ----
  // 8B 43 08 = 8B /r, ModRM 01 000 011 → mov eax, [ebx+8]
  [32, "8B 43 08", load("8B", 4, 0, 4, 3)],
  // 66 8B 43 08 = 66 → mov ax, [ebx+8]
  [32, "66 8B 43 08", load("8B", 2, 0, 2, 4, ["66"])],
  // 8A 25 + disp32 = ModRM 00 100 101: reg 4 = AH, mod 0 rm 101 = absolute disp32 → mov ah, [0x1000]
  [32, "8A 25 00 10 00 00", load("8A", 1, 16, 1, 6)],
  // 67 8B 47 08 = 67 → 16-bit addressing: ModRM 01 000 111 = [BX]+disp8 → mov eax, [bx+8]
  [32, "67 8B 47 08", load("8B", 4, 0, 4, 4, ["67"])],
  // 67 8B 06 00 10 = 16-bit addressing, ModRM 00 000 110 = disp16 only → mov eax, [0x1000]
  [32, "67 8B 06 00 10", load("8B", 4, 0, 4, 5, ["67"])],
  // 0F B7 06 = MOVZX r32, r/m16, ModRM 00 000 110 = [ESI] (no displacement in 32-bit addressing)
  [32, "0F B7 06", movzx("0F B7", 2, 0, 4, 3)],
  // 0F BE 4C 24 04 = MOVSX, ModRM 01 001 100 (ECX, SIB), SIB 24 (base ESP), disp8 → movsx ecx, byte [esp+4]
  [32, "0F BE 4C 24 04", movsx("0F BE", 1, 1, 4, 5)],
  // 88 3C 24 = 88 /r, ModRM 00 111 100 (reg 7 = BH = 19), SIB 24 → mov [esp], bh
  [32, "88 3C 24", store("88", 1, 19, 3)],
  // 3E 89 0D + disp32 = DS + 89, ModRM 00 001 101 (absolute disp32) → mov ds:[0xfee000b0], ecx
  [32, "3E 89 0D B0 00 E0 FE", store("89", 4, 1, 7, ["3E"])],
  // 66 C7 00 CD AB = 66 + C7 /0 iw → mov word [eax], 0xabcd
  [32, "66 C7 00 CD AB", storeImm("C7 /0", 2, 0xabcdn, 5, ["66"])],
  // C6 05 + disp32 + imm8 = C6 /0, ModRM 00 000 101 (disp32), imm8 80 → mov byte [0x1000], 0x80
  [32, "C6 05 00 10 00 00 80", storeImm("C6 /0", 1, 0x80n, 7)],
  // A1 + moffs32 = mov eax, [0x1000] (address size 32 → 4-byte moffs)
  [32, "A1 00 10 00 00", load("A1", 4, 0, 4, 5)],
  // 67 A1 + moffs16 = 67 → 2-byte moffs → mov eax, [0x1000]
  [32, "67 A1 00 10", load("A1", 4, 0, 4, 4, ["67"])],
  // 64 A2 + moffs32 = FS + A2 → mov fs:[0x1000], al
  [32, "64 A2 00 10 00 00", store("A2", 1, 0, 6, ["64"])],

  // ---- 16-bit mode (default operand and address size 16) ----
  // 8B 07 = 8B /r, ModRM 00 000 111 (16-bit: rm 111 = [BX]) → mov ax, [bx]
  [16, "8B 07", load("8B", 2, 0, 2, 2)],
  // 66 8B 07 = 66 → operand size 32 → mov eax, [bx]
  [16, "66 8B 07", load("8B", 4, 0, 4, 3, ["66"])],
  // 8B 0E 34 12 = ModRM 00 001 110: mod 0 rm 110 = disp16 → mov cx, [0x1234]
  [16, "8B 0E 34 12", load("8B", 2, 1, 2, 4)],
  // 8B 46 00 = ModRM 01 000 110 = [BP]+disp8 → mov ax, [bp+0]
  [16, "8B 46 00", load("8B", 2, 0, 2, 3)],
  // 8B 87 00 01 = ModRM 10 000 111 = [BX]+disp16 → mov ax, [bx+0x100]
  [16, "8B 87 00 01", load("8B", 2, 0, 2, 4)],
  // 8B 00 = ModRM 00 000 000 = [BX+SI] → mov ax, [bx+si]
  [16, "8B 00", load("8B", 2, 0, 2, 2)],
  // 67 8B 04 24 = 67 → 32-bit addressing: ModRM 00 000 100 + SIB 24 → mov ax, [esp]
  [16, "67 8B 04 24", load("8B", 2, 0, 2, 4, ["67"])],
  // 67 66 8B 05 + disp32 = 32-bit addressing and operand size: ModRM 00 000 101 = disp32 → mov eax, [0x1000]
  [16, "67 66 8B 05 00 10 00 00", load("8B", 4, 0, 4, 8, ["67", "66"])],
  // 8A 26 00 10 = 8A /r, ModRM 00 100 110 (reg 4 = AH, disp16) → mov ah, [0x1000]
  [16, "8A 26 00 10", load("8A", 1, 16, 1, 4)],
  // A1 34 12 = moffs16 → mov ax, [0x1234]
  [16, "A1 34 12", load("A1", 2, 0, 2, 3)],
  // 67 A1 + moffs32 = mov ax, [0x12345678]
  [16, "67 A1 78 56 34 12", load("A1", 2, 0, 2, 6, ["67"])],
  // A0 00 10 = mov al, [0x1000]
  [16, "A0 00 10", load("A0", 1, 0, 1, 3)],
  // 66 A3 00 10 = operand size 32 → mov [0x1000], eax
  [16, "66 A3 00 10", store("A3", 4, 0, 4, ["66"])],
  // C7 06 00 10 34 12 = C7 /0 iw, ModRM 00 000 110 (disp16) → mov word [0x1000], 0x1234
  [16, "C7 06 00 10 34 12", storeImm("C7 /0", 2, 0x1234n, 6)],
  // 66 C7 07 78 56 34 12 = operand size 32 → C7 /0 id → mov dword [bx], 0x12345678
  [16, "66 C7 07 78 56 34 12", storeImm("C7 /0", 4, 0x12345678n, 7, ["66"])],
  // 26 88 2F = ES + 88 /r, ModRM 00 101 111 (reg 5 = CH = 17, [BX]) → mov es:[bx], ch
  [16, "26 88 2F", store("88", 1, 17, 3, ["26"])],
  // 36 89 56 FE = SS + 89, ModRM 01 010 110 ([BP]+disp8) → mov ss:[bp-2], dx
  [16, "36 89 56 FE", store("89", 2, 2, 4, ["36"])],
  // 0F B6 07 = MOVZX r16, r/m8 → movzx ax, byte [bx]
  [16, "0F B6 07", movzx("0F B6", 1, 0, 2, 3)],
  // 66 0F BE 07 = MOVSX r32, r/m8 → movsx eax, byte [bx]
  [16, "66 0F BE 07", movsx("0F BE", 1, 0, 4, 4, ["66"])],
  // 66 0F BF 5F 02 = MOVSX r32, r/m16, ModRM 01 011 111 ([BX]+disp8) → movsx ebx, word [bx+2]
  [16, "66 0F BF 5F 02", movsx("0F BF", 2, 3, 4, 5, ["66"])],
];

describe("decodeX86MemAccess: hand-encoded MOV forms", () => {
  it("has at least 60 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });
  it.each(CASES)("%i-bit %s", (mode, hexText, want) => {
    expect(decodeX86MemAccess(bytes(hexText), mode)).toStrictEqual(want);
    expect(decodeX86MemAccess(Uint8Array.from(bytes(hexText)), mode)).toStrictEqual(want);
  });
  it("ignores bytes after the instruction", () => {
    // 8B 08 = mov ecx, [rax] (2 bytes); the trailing 90 90 (NOPs) are not part of it
    expect(decodeX86MemAccess(bytes("8B 08 90 90"), 64)).toStrictEqual(load("8B", 4, 1, 4, 2));
  });
  it("accepts a 15-byte instruction", () => {
    // thirteen 66 prefixes + 8B 00 = 15 bytes, the architectural maximum → mov ax, [rax]
    const insn = [...Array<number>(13).fill(0x66), 0x8b, 0x00];
    const got = decodeX86MemAccess(insn, 64);
    expect(got).toMatchObject({ opcode: "8B", width: 2, length: 15 });
  });
});

type Unsupported = readonly [mode: 16 | 32 | 64, hex: string, reason: RegExp];

// biome-ignore format: one case per line
const UNSUPPORTED: readonly Unsupported[] = [
  [64, "", /no instruction bytes/],
  [64, "66 67", /truncated: the 2 bytes given are all prefixes/],
  // 09 /r = OR r/m32, r32
  [64, "09 00", /opcode 09 \(OR\)/],
  // AB = STOS m32
  [64, "AB", /opcode AB \(STOS\)/],
  // F3 A5 = REP MOVS: the REP prefix is reported only for MOV forms, the opcode A5 names MOVS
  [64, "F3 A5", /opcode A5 \(MOVS\)/],
  // 8D 00 = LEA (no memory access)
  [64, "8D 00", /opcode 8D \(LEA\)/],
  // 0F 11 00 = MOVUPS m128, xmm
  [64, "0F 11 00", /opcode 0F 11 \(MOVUPS/],
  // 0F 05 = SYSCALL: a two-byte opcode with no name in the table → hex only
  [64, "0F 05", /opcode 0F 05 is not/],
  // 0F alone
  [64, "0F", /two-byte escape 0F has no second opcode byte/],
  // F0 89 00 = LOCK MOV → #UD
  [64, "F0 89 00", /F0 \(LOCK\) on MOV 89/],
  // F2 8B 00: F2 on a load is REPNE on a non-string instruction, which the SDM leaves undefined
  [32, "F2 8B 00", /prefix F2 \(REPNE\/XACQUIRE\) on MOV 8B/],
  // F2 89 07: XACQUIRE needs LOCK, which MOV cannot take: undefined
  [64, "F2 89 07", /prefix F2 \(REPNE\/XACQUIRE\) on MOV 89/],
  // F3 F2 89 07: the prefix nearest the opcode (F2) decides the hint, as the SDM's XACQUIRE/XRELEASE page says
  [64, "F3 F2 89 07", /prefix F2/],
  // F3 8B 07: XRELEASE exists only for the stores 88/89/C6/C7; REP on a load is undefined
  [64, "F3 8B 07", /prefix F3 \(REP\/XRELEASE\) on MOV 8B/],
  // F3 A3 + moffs64: the moffs store A3 is not one of the XRELEASE forms
  [64, "F3 A3 00 00 00 00 00 00 00 00", /prefix F3 \(REP\/XRELEASE\) on MOV A3/],
  // F3 0F B6 07: F3 0F B6 is not an instruction of the two-byte map (F3 0F B8 is POPCNT)
  [64, "F3 0F B6 07", /prefix F3 \(REP\/XRELEASE\) on MOVZX 0F B6/],
  // F0 F3 89 07: LOCK on a MOV is #UD whatever else is there
  [64, "F0 F3 89 07", /F0 \(LOCK\) on MOV 89/],
  // 8B C0 = ModRM 11 000 000: mov eax, eax (register operand)
  [64, "8B C0", /MOV 8B with ModRM mod=11 has a register operand/],
  // C6 C0 01 = C6 /0 with mod 11: mov al, 1
  [64, "C6 C0 01", /mod=11/],
  // C7 08 = ModRM 00 001 000 → C7 /1 is not MOV
  [64, "C7 08 00 00 00 00", /opcode C7 \/1/],
  // C6 F8 00 = C6 /7 (XABORT)
  [64, "C6 F8 00", /opcode C6 \/7/],
  // 48 in 32-bit mode is DEC EAX, not REX
  [32, "48 8B 00", /opcode 48 \(DEC/],
  // 63 outside 64-bit mode is ARPL
  [32, "63 00", /opcode 63 \(ARPL/],
  [16, "63 00", /ARPL/],
  // truncations: no ModRM, no SIB, short displacement, short immediate, short moffs
  [64, "48 8B", /truncated: 8B has no ModRM byte/],
  [64, "8B 04", /truncated: 8B has no SIB byte/],
  [64, "8B 80 00 00", /truncated: MOV 8B needs 6 bytes, only 4 given/],
  [64, "C7 00 01 02", /truncated: MOV C7 \/0 needs 6 bytes, only 4 given/],
  [64, "A1 00 10 00 00", /truncated: MOV A1 needs 9 bytes, only 5 given/],
  [16, "8B 06 00", /truncated: MOV 8B needs 4 bytes/],
  // longer than 15 bytes: fourteen 66 + 8B 00 = 16 bytes; fifteen prefixes before any opcode
  [64, `${"66 ".repeat(14)}8B 00`, /longer than 15 bytes/],
  [64, `${"66 ".repeat(15)}8B 00`, /longer than 15 bytes/],
  // twelve 66 + REX.W + C7 /0 + imm32 = 12 + 1 + 2 + 4 = 19 bytes
  [64, `${"66 ".repeat(12)}48 C7 00 01 00 00 00`, /longer than 15 bytes/],
];

describe("decodeX86MemAccess: the vendor reading of 66 63", () => {
  // 66 63 07, ModRM 00 000 111 (reg AX, rm [RDI]). Intel SDM: MOVSXD r16, r/m16 reads a word. An
  // AMD processor reads a doubleword and writes the low 16 bits of its sign extension into AX (as
  // real KVM on AMD hardware emulates it): width 4, regWidth 2.
  it("is a 2-byte read for Intel (the default) and a 4-byte read for AMD", () => {
    expect(decodeX86MemAccess(bytes("66 63 07"), 64)).toStrictEqual(movsxd(2, 0, 2, 3, ["66"]));
    expect(decodeX86MemAccess(bytes("66 63 07"), 64, "intel")).toStrictEqual(
      movsxd(2, 0, 2, 3, ["66"]),
    );
    expect(decodeX86MemAccess(bytes("66 63 07"), 64, "amd")).toStrictEqual(
      movsxd(4, 0, 2, 3, ["66"]),
    );
  });
  it("agrees between vendors on every other MOVSXD and MOV form", () => {
    // 48 63 03 movsxd rax, dword [rbx]; 63 00 movsxd eax, dword [rax]; 66 8B 10 mov dx, [rax]
    for (const hexText of ["48 63 03", "63 00", "66 48 63 07", "66 8B 10", "66 0F BF 06"]) {
      expect(decodeX86MemAccess(bytes(hexText), 64, "amd")).toStrictEqual(
        decodeX86MemAccess(bytes(hexText), 64, "intel"),
      );
    }
  });
  it("rejects a vendor other than intel and amd", () => {
    expect(() => decodeX86MemAccess([0x8b, 0x00], 64, "via" as "amd")).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "vendor" }),
    );
  });
});

describe("decodeX86MemAccess: unsupported instructions", () => {
  it.each(UNSUPPORTED)("%i-bit %s", (mode, hexText, reason) => {
    const got = decodeX86MemAccess(hexText === "" ? [] : bytes(hexText.trim()), mode);
    expect(got).toHaveProperty("unsupported");
    expect((got as { unsupported: string }).unsupported).toMatch(reason);
  });
});

describe("decodeX86MemAccess: rejected arguments", () => {
  const rejects = (fn: () => unknown, field: string, message: RegExp) => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(VmExitError);
      expect((e as VmExitError).code).toBe("invalid-argument");
      expect((e as VmExitError).field).toBe(field);
      expect((e as VmExitError).message).toMatch(message);
      return;
    }
    expect.unreachable("no VmExitError thrown");
  };
  it("names the index and value of a byte outside 0…255", () => {
    rejects(
      () => decodeX86MemAccess([0x8b, 256], 64),
      "bytes[1]",
      /bytes\[1\] must be an integer 0…255, got 256/,
    );
    rejects(() => decodeX86MemAccess([-1], 64), "bytes[0]", /got -1/);
    rejects(() => decodeX86MemAccess([0x8b, 0, 1.5], 64), "bytes[2]", /got 1.5/);
    rejects(() => decodeX86MemAccess(["8B"] as unknown as number[], 64), "bytes[0]", /got "8B"/);
    rejects(() => decodeX86MemAccess([0x8b, Number.NaN], 64), "bytes[1]", /got NaN/);
  });
  it("checks every byte, even after the instruction", () => {
    rejects(() => decodeX86MemAccess([0x8b, 0x00, 300], 64), "bytes[2]", /got 300/);
  });
  it("rejects a non-array", () => {
    rejects(() => decodeX86MemAccess(null as unknown as number[], 64), "bytes", /got null/);
    rejects(() => decodeX86MemAccess("8b00" as unknown as number[], 64), "bytes", /got "8b00"/);
  });
  it("rejects a cpuMode other than 16, 32, 64", () => {
    rejects(
      () => decodeX86MemAccess([0x8b, 0x00], 8 as unknown as 64),
      "cpuMode",
      /cpuMode must be 16, 32 or 64, got 8/,
    );
  });
});
