import { describe, expect, it } from "vitest";
import { ioRead, mmioRead, sysRegRead } from "../core/constructors";
import { VmExitError } from "../core/error";
import { decodeVmx } from "../x86/index";
import { completeMmioRead, completeSysRegRead } from "./complete";
import { completeIoRead } from "./x86";

// Expected values follow Intel SDM Vol. 1 §3.4.1.1 (64-bit mode): "8-bit and 16-bit operands
// generate an 8-bit or 16-bit result. The upper 56 bits or 48 bits (respectively) of the
// destination general-purpose register are not modified", "32-bit operands generate a 32-bit
// result, zero-extended to a 64-bit result"; AH/CH/DH/BH are bits 15:8 of RAX/RCX/RDX/RBX
// (§3.4.1, Figure 3-5); MOVZX/MOVSX/MOVSXD extend the source to the operand size (Vol. 2).
const OLD = 0x1111_2222_3333_4444n;
const DATA = 0xdead_beef_8765_4380n; // byte 0x80, word 0x4380, dword 0x87654380: top bits set

function read(reg: number, width: 1 | 2 | 4 | 8, regWidth: 1 | 2 | 4 | 8, signedExt = false) {
  return mmioRead({ addr: 0xfee0_0000n, width, reg, regWidth, signedExt });
}

describe("completeMmioRead on x86", () => {
  const rows: [string, ReturnType<typeof read>, number, bigint][] = [
    // MOV r8: bits 63:8 of OLD kept, bits 7:0 = 0x80
    ["mov al, [m]", read(0, 1, 1), 0, 0x1111_2222_3333_4480n],
    // MOV AH (reg 16) writes bits 15:8 of RAX: 0x44 stays in 7:0, 0x80 goes to 15:8
    ["mov ah, [m]", read(16, 1, 1), 0, 0x1111_2222_3333_8044n],
    ["mov ch, [m]", read(17, 1, 1), 1, 0x1111_2222_3333_8044n],
    ["mov dh, [m]", read(18, 1, 1), 2, 0x1111_2222_3333_8044n],
    ["mov bh, [m]", read(19, 1, 1), 3, 0x1111_2222_3333_8044n],
    // with a REX prefix byte register 4 is SPL: bits 7:0 of RSP
    ["mov spl, [m]", read(4, 1, 1), 4, 0x1111_2222_3333_4480n],
    ["mov r15b, [m]", read(15, 1, 1), 15, 0x1111_2222_3333_4480n],
    // MOV r16: bits 63:16 kept
    ["mov ax, [m]", read(0, 2, 2), 0, 0x1111_2222_3333_4380n],
    ["mov r9w, [m]", read(9, 2, 2), 9, 0x1111_2222_3333_4380n],
    // MOV r32: zero-extended, bits 63:32 cleared
    ["mov eax, [m]", read(0, 4, 4), 0, 0x8765_4380n],
    ["mov r12d, [m]", read(12, 4, 4), 12, 0x8765_4380n],
    // MOV r64: the whole register
    ["mov rax, [m]", read(0, 8, 8), 0, DATA],
    // MOVZX r16, r/m8: zero-extend to 16 bits, bits 63:16 kept
    ["movzx ax, byte [m]", read(0, 1, 2), 0, 0x1111_2222_3333_0080n],
    // MOVSX r16, r/m8: 0x80 → 0xFF80, bits 63:16 kept
    ["movsx ax, byte [m]", read(0, 1, 2, true), 0, 0x1111_2222_3333_ff80n],
    // MOVZX r32, r/m8 → 0x80, upper half cleared; MOVSX r32 → 0xFFFFFF80, upper half cleared
    ["movzx esi, byte [m]", read(6, 1, 4), 6, 0x80n],
    ["movsx esi, byte [m]", read(6, 1, 4, true), 6, 0xffff_ff80n],
    ["movzx edi, word [m]", read(7, 2, 4), 7, 0x4380n],
    ["movsx edi, word [m]", read(7, 2, 4, true), 7, 0x4380n], // 0x4380 has bit 15 clear
    // MOVSX r64: sign-extended to 64 bits
    ["movsx rbx, byte [m]", read(3, 1, 8, true), 3, 0xffff_ffff_ffff_ff80n],
    ["movzx rbx, word [m]", read(3, 2, 8), 3, 0x4380n],
    // MOVSXD r64, r/m32: 0x87654380 → 0xFFFFFFFF87654380
    ["movsxd r10, dword [m]", read(10, 4, 8, true), 10, 0xffff_ffff_8765_4380n],
    // MOVSXD r32, r/m32 (no REX.W): a 32-bit result, zero-extended
    ["movsxd r10d, dword [m]", read(10, 4, 4, true), 10, 0x8765_4380n],
  ];
  for (const [insn, exit, reg, value] of rows) {
    it(insn, () => {
      expect(completeMmioRead("x86-vmx", exit, DATA, OLD)).toEqual({ reg, value });
    });
  }

  it("sign-extends from the access width, not from the data's top bit", () => {
    // movsx eax, word [m] with data 0x1_7fff: the word 0x7fff is positive → 0x7fff
    expect(completeMmioRead("x86-vmx", read(0, 2, 4, true), 0x1_7fffn).value).toBe(0x7fffn);
    expect(completeMmioRead("x86-vmx", read(0, 2, 4, true), 0x8000).value).toBe(0xffff_8000n);
  });

  it("needs old only for 8- and 16-bit destinations", () => {
    expect(completeMmioRead("x86-vmx", read(2, 4, 4), 0xffff_ffffn)).toEqual({
      reg: 2,
      value: 0xffff_ffffn,
    });
    expect(completeMmioRead("x86-vmx", read(2, 8, 8), 5)).toEqual({ reg: 2, value: 5n });
    for (const exit of [read(0, 1, 1), read(16, 1, 1), read(0, 2, 2), read(0, 1, 2, true)]) {
      try {
        completeMmioRead("x86-vmx", exit, DATA);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(VmExitError);
        expect((e as VmExitError).code).toBe("missing-register");
        expect((e as VmExitError).field).toBe("old");
        expect((e as VmExitError).message).toContain("RAX");
      }
    }
  });

  it("completes what decodeVmx reports for real instruction bytes", () => {
    // 8A 20 = mov ah, [rax] (no REX: register 4 of a byte operand is AH) → reg 16
    const ah = decodeVmx({
      exitReason: 48,
      exitQualification: 0x181,
      guestPhysicalAddress: 0xfee0_0030n,
      instructionBytes: [0x8a, 0x20],
    }).exit;
    expect(ah.kind).toBe("MmioRead");
    if (ah.kind !== "MmioRead") return;
    expect(completeMmioRead("x86-vmx", ah, 0xab, 0xffn)).toEqual({ reg: 0, value: 0xabffn });
    // 48 0F BE 08 = movsx rcx, byte [rax]
    const movsx = decodeVmx({
      exitReason: 49,
      guestPhysicalAddress: 0xd000n,
      instructionBytes: [0x48, 0x0f, 0xbe, 0x08],
    }).exit;
    if (movsx.kind !== "MmioRead") throw new Error(movsx.kind);
    expect(completeMmioRead("x86-vmx", movsx, 0xfe)).toEqual({
      reg: 1,
      value: 0xffff_ffff_ffff_fffen,
    });
  });
});

describe("completeIoRead", () => {
  const OLD_RAX = 0xffff_ffff_ffff_ffffn;
  // IN AL keeps bits 63:8, IN AX keeps 63:16, IN EAX zero-extends (SDM Vol. 2 "IN", Vol. 1 §3.4.1.1)
  it("IN AL, DX", () => {
    expect(completeIoRead(ioRead({ port: 0x3f8, width: 1 }), 0x41, OLD_RAX)).toBe(
      0xffff_ffff_ffff_ff41n,
    );
  });
  it("IN AX, DX", () => {
    expect(completeIoRead(ioRead({ port: 0x3f8, width: 2 }), 0x1234_8041n, OLD_RAX)).toBe(
      0xffff_ffff_ffff_8041n,
    );
  });
  it("IN EAX, DX clears bits 63:32, without needing the old RAX", () => {
    expect(completeIoRead(ioRead({ port: 0xcfc, width: 4 }), 0xffff_0000_8000_0001n)).toBe(
      0x8000_0001n,
    );
    expect(completeIoRead(ioRead({ port: 0xcfc, width: 4 }), 7, OLD_RAX)).toBe(7n);
  });
  it("AL and AX need the old RAX", () => {
    expect(() => completeIoRead(ioRead({ port: 0x60, width: 1 }), 0x41)).toThrow(
      expect.objectContaining({ code: "missing-register", field: "oldRax" }),
    );
  });
  it("rejects an 8-byte IN, which x86 does not have", () => {
    const exit = { kind: "IoRead", port: 0x60, width: 8 } as never;
    expect(() => completeIoRead(exit, 0, 0)).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "exit.width" }),
    );
  });
});

describe("completeSysRegRead on x86", () => {
  it("RDMSR writes EDX:EAX with the upper halves cleared", () => {
    // SDM Vol. 2 "RDMSR": EDX:EAX ← MSR[ECX]; in 64-bit mode the high 32 bits of RAX and RDX are cleared
    expect(
      completeSysRegRead("x86-vmx", sysRegRead({ addr: 0x1b, reg: 0 }), 0x1234_5678_fee0_0900n),
    ).toEqual({ rax: 0xfee0_0900n, rdx: 0x1234_5678n });
    expect(completeSysRegRead("x86-vmx", sysRegRead({ addr: 0x10, reg: 0 }), 0)).toEqual({
      rax: 0n,
      rdx: 0n,
    });
  });
  it("rejects a destination other than 0 (RDMSR always writes EDX:EAX)", () => {
    expect(() => completeSysRegRead("x86-vmx", sysRegRead({ addr: 0x1b, reg: 3 }), 0x1b)).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "exit.reg" }),
    );
  });
});
