import { describe, expect, it } from "vitest";
import { VmExitError } from "../core/error";
import { instructionLength } from "./complete";
import { svmInstructionLength } from "./svm-length";

function rejects(f: () => unknown, code: string, field: string): VmExitError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(VmExitError);
    expect((e as VmExitError).code).toBe(code);
    expect((e as VmExitError).field).toBe(field);
    return e as VmExitError;
  }
  throw new Error("expected a VmExitError");
}

describe("instructionLength on VMX", () => {
  it("takes the VM-exit instruction-length field of instruction exits", () => {
    // HLT (F4) is 1 byte, VMCALL (0F 01 C1) 3, RDMSR (0F 32) 2
    expect(instructionLength("x86-vmx", { exitReason: 12, instructionLength: 1 })).toBe(1);
    expect(instructionLength("x86-vmx", { exitReason: 18, instructionLength: 3 })).toBe(3);
    expect(instructionLength("x86-vmx", { exitReason: 31, instructionLength: 2 })).toBe(2);
  });

  it("decodes the MOV for EPT and APIC-access exits, whose field the SDM leaves undefined", () => {
    // 8B 07 = mov eax, [rdi]: opcode + ModRM; the field's 9 is ignored
    const bytes = [0x8b, 0x07, 0xf4, 0xf4];
    for (const exitReason of [44, 48, 49]) {
      expect(
        instructionLength("x86-vmx", { exitReason, instructionBytes: bytes, instructionLength: 9 }),
      ).toBe(2);
    }
    // 48 C7 84 88 78 56 34 12 01 00 00 80 = mov qword [rax+rcx*4+0x12345678], 0x80000001:
    // REX.W, C7, ModRM (mod 10 rm 100), SIB, disp32, imm32 = 12 bytes
    const long = [0x48, 0xc7, 0x84, 0x88, 0x78, 0x56, 0x34, 0x12, 0x01, 0x00, 0x00, 0x80];
    expect(instructionLength("x86-vmx", { exitReason: 48, instructionBytes: long })).toBe(12);
  });

  it("decodes in options.cpuMode: a moffs is 8, 4 or 2 bytes", () => {
    // A1 moffs = mov eAX, [moffs]: the offset has the address size
    const s = { exitReason: 49, instructionBytes: new Uint8Array(16).fill(0xa1, 0, 1) };
    expect(instructionLength("x86-vmx", s)).toBe(9);
    expect(instructionLength("x86-vmx", s, { cpuMode: 64 })).toBe(9);
    expect(instructionLength("x86-vmx", s, { cpuMode: 32 })).toBe(5);
    expect(instructionLength("x86-vmx", s, { cpuMode: 16 })).toBe(3);
    // 67 in 16-bit mode: 32-bit addressing, a 4-byte moffs
    expect(
      instructionLength(
        "x86-vmx",
        { exitReason: 49, instructionBytes: [0x67, 0xa1, 0, 0, 0, 0] },
        { cpuMode: 16 },
      ),
    ).toBe(6);
  });

  it("uses the field of a VM-entry failure (bit 31), whatever its basic reason", () => {
    expect(instructionLength("x86-vmx", { exitReason: 0x8000_0021, instructionLength: 4 })).toBe(4);
  });

  it("rejects what the snapshot cannot tell", () => {
    expect(
      rejects(
        () => instructionLength("x86-vmx", { exitReason: 12 }),
        "missing-register",
        "instructionLength",
      ).message,
    ).toContain("0x440C");
    expect(
      rejects(
        () => instructionLength("x86-vmx", { exitReason: 48 }),
        "missing-register",
        "instructionBytes",
      ).message,
    ).toContain("EPT_VIOLATION");
    const e = rejects(
      () => instructionLength("x86-vmx", { exitReason: 48, instructionBytes: [0x09, 0x07] }),
      "missing-register",
      "instructionBytes",
    );
    expect(e.message).toContain("opcode 09");
  });

  it("rejects a field value no hardware writes, and bad bytes", () => {
    for (const bad of [0, 16, -1, 1.5]) {
      rejects(
        () => instructionLength("x86-vmx", { exitReason: 12, instructionLength: bad }),
        bad === 1.5 ? "invalid-argument" : "out-of-range",
        "instructionLength",
      );
    }
    rejects(
      () => instructionLength("x86-vmx", { exitReason: 48, instructionBytes: [0x8b, 256] }),
      "invalid-argument",
      "instructionBytes[1]",
    );
    rejects(
      () => instructionLength("x86-vmx", { exitReason: 48, instructionBytes: "8b07" as never }),
      "invalid-argument",
      "instructionBytes",
    );
    rejects(
      () =>
        instructionLength(
          "x86-vmx",
          { exitReason: 12, instructionLength: 1 },
          { cpuMode: 8 as never },
        ),
      "invalid-argument",
      "options.cpuMode",
    );
    rejects(
      () => instructionLength("x86-vmx", { exitReason: 12, instructionLength: 1 }, 64 as never),
      "invalid-argument",
      "options",
    );
    rejects(() => instructionLength("x86-vmx", { exitReason: -1 }), "out-of-range", "exitReason");
    rejects(() => instructionLength("x86-vmx", null as never), "invalid-argument", "snapshot");
  });
});

describe('instructionLength("x86-svm", …) through the completion table', () => {
  it("is nextRip − rip, or the MOV's length on NPF, with the codec's options", () => {
    // RDMSR (0F 32) at 0xFFFFFFFF81000000: NEXT_RIP 0xFFFFFFFF81000002
    expect(
      instructionLength("x86-svm", {
        exitCode: 0x7c,
        exitInfo1: 0,
        nextRip: 0xffff_ffff_8100_0002n,
        regs: { rcx: 0x1b, rip: 0xffff_ffff_8100_0000n },
      }),
    ).toBe(2);
    // NPF: 66 89 07 is mov [rdi], ax (3 bytes) in 64-bit code, mov [bx], eax (3) in 16-bit code
    const npf = {
      exitCode: 0x400,
      exitInfo1: 0x1_0000_0006n,
      exitInfo2: 0x1000,
      instructionBytes: [0x66, 0x89, 0x07],
    };
    expect(instructionLength("x86-svm", npf)).toBe(3);
    expect(instructionLength("x86-svm", npf, { cpuMode: 16, x2apic: true })).toBe(3);
    // OUT DX, AL (EE) at 0x2000 without NEXT_RIP: IOIO's EXITINFO2 is the next RIP
    expect(
      instructionLength("x86-svm", {
        exitCode: 0x7b,
        exitInfo1: 0x3f8_0010,
        exitInfo2: 0x2001,
        regs: { rip: 0x2000 },
      }),
    ).toBe(1);
    rejects(() => instructionLength("x86-svm", { exitCode: 0x78 }), "missing-register", "nextRip");
  });
});

describe("instructionLength on SVM (nextRip − rip)", () => {
  it("subtracts RIP from NEXT_RIP", () => {
    // VMMCALL (0F 01 D9) at 0x1000: NEXT_RIP 0x1003
    expect(
      svmInstructionLength({ exitCode: 0x81, nextRip: 0x1003, regs: { rip: 0x1000n } }, undefined),
    ).toBe(3);
    // a 64-bit RIP that crosses a 2^32 boundary
    expect(
      svmInstructionLength(
        { exitCode: 0x7c, nextRip: 0x1_0000_0001n, regs: { rip: 0xffff_ffffn } },
        undefined,
      ),
    ).toBe(2);
  });

  it("wraps at the operand size in 16- and 32-bit code", () => {
    // EIP 0xFFFFFFFE + 3 wraps to 1; IP 0xFFFF + 2 wraps to 1
    expect(
      svmInstructionLength(
        { exitCode: 0x81, nextRip: 1, regs: { rip: 0xffff_fffe } },
        { cpuMode: 32 },
      ),
    ).toBe(3);
    expect(
      svmInstructionLength({ exitCode: 0x81, nextRip: 1, regs: { rip: 0xffff } }, { cpuMode: 16 }),
    ).toBe(2);
  });

  it("takes EXITINFO2 of an IOIO exit when NEXT_RIP is absent or 0", () => {
    // OUT DX, AL (EE) at 0x2000: EXITINFO2 = 0x2001
    expect(
      svmInstructionLength({ exitCode: 0x7b, exitInfo2: 0x2001, regs: { rip: 0x2000 } }, undefined),
    ).toBe(1);
    expect(
      svmInstructionLength(
        { exitCode: 0x7b, nextRip: 0n, exitInfo2: 0x2001, regs: { rip: 0x2000 } },
        undefined,
      ),
    ).toBe(1);
  });

  it("decodes the MOV of NPF and AVIC_NOACCEL exits", () => {
    expect(
      svmInstructionLength(
        { exitCode: 0x400, instructionBytes: [0x89, 0x47, 0x10], nextRip: 0 },
        undefined,
      ),
    ).toBe(3);
    expect(
      svmInstructionLength({ exitCode: 0x402n, instructionBytes: [0x8b, 0x07] }, undefined),
    ).toBe(2);
  });

  it("rejects what the snapshot cannot tell or no processor writes", () => {
    rejects(
      () => svmInstructionLength({ exitCode: 0x81, regs: { rip: 1 } }, undefined),
      "missing-register",
      "nextRip",
    );
    rejects(
      () => svmInstructionLength({ exitCode: 0x81, nextRip: 0, regs: { rip: 1 } }, undefined),
      "missing-register",
      "nextRip",
    );
    rejects(
      () => svmInstructionLength({ exitCode: 0x81, nextRip: 4 }, undefined),
      "missing-register",
      "regs.rip",
    );
    rejects(
      () => svmInstructionLength({ exitCode: 0x400 }, undefined),
      "missing-register",
      "instructionBytes",
    );
    const e = rejects(
      () =>
        svmInstructionLength({ exitCode: 0x81, nextRip: 0x1000, regs: { rip: 0x1003 } }, undefined),
      "out-of-range",
      "nextRip",
    );
    expect(e.message).toContain("0x1000");
    expect(e.message).toContain("0x1003");
    rejects(
      () =>
        svmInstructionLength(
          { exitCode: 0x7b, exitInfo2: 0x2020, regs: { rip: 0x2000n } },
          undefined,
        ),
      "out-of-range",
      "exitInfo2",
    );
    rejects(
      () =>
        svmInstructionLength(
          { exitCode: 0x81, nextRip: 0x1_0000_1003n, regs: { rip: 0x1000 } },
          undefined,
        ),
      "out-of-range",
      "nextRip",
    );
    rejects(
      () => svmInstructionLength({ exitCode: -1 }, undefined),
      "invalid-argument",
      "exitCode",
    );
  });
});

describe("instructionLength on AArch64", () => {
  // ESR_EL2: EC in 31:26, IL in 25 (1 = 32-bit instruction trapped, 0 = 16-bit T32)
  it("is IL: 4 for an A64 trap, 2 for a 16-bit T32 one", () => {
    expect(instructionLength("aarch64", { esr: 0x93c0_8007 })).toBe(4); // DABT_LOW, IL 1
    expect(instructionLength("aarch64", { esr: 0x9100_0007 })).toBe(2); // DABT_LOW, IL 0 (a T32 LDR)
    expect(instructionLength("aarch64", { esr: 0x6230_0c01n })).toBe(4); // SYS64 (EC 0x18), IL 1
    expect(instructionLength("aarch64", { esr: 0x0600_0001, exception: "sync" })).toBe(4); // WFE
  });

  it("steps over a trapped SMC (EC 0x17), whose return address is the SMC itself", () => {
    expect(instructionLength("aarch64", { esr: (0x17 << 26) | (1 << 25) })).toBe(4);
    expect(instructionLength("aarch64", { esr: (0x13 << 26) | (1 << 25) })).toBe(4);
  });

  it("is 0 after HVC and SVC, whose preferred return address is the next instruction", () => {
    for (const ec of [0x11, 0x12, 0x15, 0x16]) {
      expect(instructionLength("aarch64", { esr: ((ec << 26) | (1 << 25)) >>> 0 })).toBe(0);
    }
  });

  it("is 0 after an interrupt or SError", () => {
    for (const exception of ["irq", "fiq", "serror"] as const) {
      expect(instructionLength("aarch64", { esr: 0x93c0_8007, exception })).toBe(0);
    }
  });

  it("rejects bad snapshots", () => {
    rejects(() => instructionLength("aarch64", { esr: -1 }), "invalid-argument", "esr");
    rejects(
      () => instructionLength("aarch64", { esr: 0, exception: "abort" as never }),
      "invalid-argument",
      "exception",
    );
    rejects(() => instructionLength("aarch64", 0 as never), "invalid-argument", "snapshot");
  });
});

describe("instructionLength on RISC-V", () => {
  it("is 0 after an interrupt (scause bit XLEN−1)", () => {
    expect(instructionLength("riscv", { scause: 0x8000_0000_0000_0005n })).toBe(0);
    expect(instructionLength("riscv", { scause: 0x8000_0009, xlen: 32 })).toBe(0);
  });

  it("is 4 for ECALL, which has no compressed form", () => {
    for (const scause of [8, 9, 10, 11]) expect(instructionLength("riscv", { scause })).toBe(4);
  });

  it("reads bit 1 of a transformed htinst: 1 = 32-bit, 0 = compressed", () => {
    // 0x00002503 = transformed lw a0 (rd 10, funct3 2); 0x00002501 = the same from c.lw
    expect(instructionLength("riscv", { scause: 21, htinst: 0x2503 })).toBe(4);
    expect(
      instructionLength("riscv", { scause: 21, htinst: 0x2501n, instruction: 0x12345673 }),
    ).toBe(2);
    expect(instructionLength("riscv", { scause: 23, htinst: 0xa023 })).toBe(4);
  });

  it("falls back to the instruction when htinst holds a pseudo-instruction, 0 or high bits", () => {
    // 0x3000 = pseudo-instruction (VS-stage read); 0x4108 = c.lw a0, 0(a0) → 2 bytes
    expect(instructionLength("riscv", { scause: 21, htinst: 0x3000, instruction: 0x4108 })).toBe(2);
    expect(instructionLength("riscv", { scause: 21, htinst: 0, instruction: 0x0005_2503 })).toBe(4);
    expect(
      instructionLength("riscv", { scause: 21, htinst: 0x1_0000_2503n, instruction: 0x4108 }),
    ).toBe(2);
  });

  it("reads stval of illegal- and virtual-instruction traps", () => {
    // 0xc0102573 = csrrs a0, time, x0 (rdtime a0); 0x10500073 = wfi
    expect(instructionLength("riscv", { scause: 22, stval: 0xc010_2573 })).toBe(4);
    expect(instructionLength("riscv", { scause: 2, stval: 0x10500073n })).toBe(4);
    // stval 0: the instruction field
    expect(instructionLength("riscv", { scause: 22, stval: 0, instruction: 0x9002 })).toBe(2);
  });

  it("rejects what the snapshot cannot tell", () => {
    rejects(() => instructionLength("riscv", { scause: 21 }), "missing-register", "instruction");
    rejects(
      () => instructionLength("riscv", { scause: 21, htinst: 0x3000 }),
      "missing-register",
      "instruction",
    );
    rejects(
      () => instructionLength("riscv", { scause: 22, instruction: 0x1f }),
      "reserved-encoding",
      "instruction",
    );
    rejects(
      () => instructionLength("riscv", { scause: 2, stval: 0x3f }),
      "reserved-encoding",
      "stval",
    );
    rejects(
      () => instructionLength("riscv", { scause: 21, instruction: 2 ** 32 }),
      "out-of-range",
      "instruction",
    );
    rejects(
      () => instructionLength("riscv", { scause: 0x1_0000_0000n, xlen: 32 }),
      "out-of-range",
      "scause",
    );
    rejects(
      () => instructionLength("riscv", { scause: 1, xlen: 16 as never }),
      "invalid-argument",
      "xlen",
    );
    // a huge exception code is not ECALL: the instruction decides
    expect(instructionLength("riscv", { scause: 0x1_0000_000an, instruction: 0x4108 })).toBe(2);
  });
});
