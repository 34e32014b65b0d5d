import { describe, expect, it } from "vitest";
import type { RegValue } from "../../core/decoded";
import { decodeRiscv } from "../decode";
import { RISCV_CSR_NAMES } from "../insn/csr";

// CSR instruction (Zicsr): csr 31:20 | rs1/uimm 19:15 | funct3 14:12 | rd 11:7 | SYSTEM 0x73.
// funct3: 1 CSRRW, 2 CSRRS, 3 CSRRC, 5 CSRRWI, 6 CSRRSI, 7 CSRRCI.
const x: (RegValue | undefined)[] = Array.from({ length: 32 }, (_, i) =>
  i === 11 ? 0xdead_beefn : undefined,
);
const vi = (stval: RegValue, extra: { instruction?: number; xlen?: 32 | 64 } = {}) => ({
  scause: 22,
  stval,
  x,
  ...extra,
});

describe("virtual-instruction exits", () => {
  it("WFI in stval (0x10500073) → Halt", () => {
    const { exit, cause } = decodeRiscv(vi(0x1050_0073));
    expect(exit).toEqual({ kind: "Halt" });
    expect(cause).toMatchObject({
      class: "virtual-instruction",
      name: "EXC_VIRTUAL_INST_FAULT",
      instruction: { source: "stval", mnemonic: "wfi" },
    });
  });

  it("stval 0: the instruction comes from snapshot.instruction", () => {
    const { exit, cause } = decodeRiscv(vi(0, { instruction: 0x1050_0073 }));
    expect(exit).toEqual({ kind: "Halt" });
    expect(cause).toMatchObject({ instruction: { source: "snapshot" } });
  });

  it.each([
    // [instruction, csr, rd, mnemonic, derivation]
    [0xc010_2573, 0xc01, 10, "csrrs", "csrr a0, time = 0xC01<<20 | 0<<15 | 2<<12 | 10<<7 | 0x73"],
    [
      0x1000_32f3,
      0x100,
      5,
      "csrrc",
      "csrrc t0, sstatus, x0 = 0x100<<20 | 3<<12 | 5<<7 (0x280) | 0x73",
    ],
    [
      0x2000_65f3,
      0x200,
      11,
      "csrrsi",
      "csrrsi a1, vsstatus, 0 = 0x200<<20 | 6<<12 | 11<<7 (0x580) | 0x73",
    ],
    [
      0x6000_7673,
      0x600,
      12,
      "csrrci",
      "csrrci a2, hstatus, 0 = 0x600<<20 | 7<<12 | 12<<7 (0x600) | 0x73",
    ],
    [0xc810_2073, 0xc81, 0, "csrrs", "csrrs x0, timeh, x0 = 0xC81<<20 | 2<<12 | 0x73"],
  ] as const)("%s → SysRegRead %s into x%s (%s)", (insn, csr, rd, mnemonic, _derivation) => {
    const { exit, cause } = decodeRiscv(vi(insn));
    expect(exit).toEqual({ kind: "SysRegRead", addr: csr, reg: rd });
    expect(cause).toMatchObject({ csr, instruction: { mnemonic, csr, rd } });
  });

  it("CSR names for the common S/VS/H CSRs and counters", () => {
    expect(decodeRiscv(vi(0xc010_2573)).cause).toMatchObject({ csrName: "time" });
    expect(decodeRiscv(vi(0x6000_7673)).cause).toMatchObject({ csrName: "hstatus" });
    // csrr a0, hpmcounter5 = 0xC05<<20 | 2<<12 | 10<<7 | 0x73
    expect(decodeRiscv(vi(0xc050_2573)).cause).toMatchObject({ csrName: "hpmcounter5" });
    // csrr a0, 0x7C0 (custom) = 0x7C0<<20 | 2<<12 | 10<<7 | 0x73
    expect(decodeRiscv(vi(0x7c00_2573)).cause).toMatchObject({ csr: 0x7c0, csrName: undefined });
  });

  it("csrw sip, a1 (csrrw x0, 0x144, a1 = 0x14459073) → SysRegWrite value a1", () => {
    // 0x144<<20 | 11<<15 (0x58000) | 1<<12 | 0<<7 | 0x73
    expect(decodeRiscv(vi(0x1445_9073)).exit).toEqual({
      kind: "SysRegWrite",
      addr: 0x144,
      value: 0xdead_beefn,
    });
  });

  it("csrwi satp, 5 (csrrwi x0, 0x180, 5 = 0x1802D073) → SysRegWrite value 5", () => {
    // 0x180<<20 | 5<<15 (0x28000) | 5<<12 | 0x73
    const { exit, cause } = decodeRiscv(vi(0x1802_d073));
    expect(exit).toEqual({ kind: "SysRegWrite", addr: 0x180, value: 5n });
    expect(cause).toMatchObject({
      csrName: "satp",
      instruction: { mnemonic: "csrrwi", imm: 5, rs1: undefined },
    });
  });

  it("csrw with rs1 = x0 writes 0 (csrrw x0, vsatp, x0 = 0x28001073)", () => {
    expect(decodeRiscv(vi(0x2800_1073)).exit).toEqual({
      kind: "SysRegWrite",
      addr: 0x280,
      value: 0n,
    });
  });

  it.each([
    [
      0x1405_9573,
      "csrrw a0, sscratch, a1: read and write (0x140<<20 | 11<<15 | 1<<12 | 10<<7 | 0x73)",
    ],
    [
      0x1445_a573,
      "csrrs a0, sip, a1: read-modify-write (0x144<<20 | 11<<15 | 2<<12 | 10<<7 | 0x73)",
    ],
    [
      0x1442_e573,
      "csrrsi a0, sip, 5: read-modify-write (0x144<<20 | 5<<15 | 6<<12 | 10<<7 | 0x73)",
    ],
    [0x1000_5573, "csrrwi a0, sstatus, 0: rd ≠ 0 (0x100<<20 | 5<<12 | 10<<7 | 0x73)"],
    [0x1020_0073, "sret"],
    [0x1200_0073, "sfence.vma x0, x0 (funct7 0001001 << 25)"],
    [0x6200_0073, "hfence.gvma x0, x0 (funct7 0110001 << 25)"],
    [0x0000_0013, "addi x0, x0, 0 (not SYSTEM)"],
  ] as const)("%s → Nothing (%s)", (insn, _what) => {
    expect(decodeRiscv(vi(insn)).exit).toEqual({ kind: "Nothing" });
  });

  it("mnemonics of other SYSTEM instructions", () => {
    expect(decodeRiscv(vi(0x1020_0073)).cause).toMatchObject({ instruction: { mnemonic: "sret" } });
    expect(decodeRiscv(vi(0x1200_0073)).cause).toMatchObject({
      instruction: { mnemonic: "sfence.vma" },
    });
    expect(decodeRiscv(vi(0x6200_0073)).cause).toMatchObject({
      instruction: { mnemonic: "hfence.gvma" },
    });
    // hlv.w a0, (a1): funct7 0110100 << 25 | rs2 0 | 11<<15 | 4<<12 | 10<<7 | 0x73 = 0x6805C573
    expect(decodeRiscv(vi(0x6805_c573)).cause).toMatchObject({
      instruction: { mnemonic: "hlv.w", access: "load", width: 4 },
    });
    // hsv.d a1, (a0): funct7 0110111 << 25 | 11<<20 | 10<<15 | 4<<12 | 0x73 = 0x6EB54073
    expect(decodeRiscv(vi(0x6eb5_4073)).cause).toMatchObject({
      instruction: { mnemonic: "hsv.d", access: "store", rs2: 11 },
    });
    // hlvx.hu a0, (a1): funct7 0110010 << 25 | rs2 3 << 20 | 11<<15 | 4<<12 | 10<<7 | 0x73 = 0x6435C573
    expect(decodeRiscv(vi(0x6435_c573)).cause).toMatchObject({
      instruction: { mnemonic: "hlvx.hu" },
    });
  });

  it("no instruction at all → Nothing with no instruction", () => {
    const { exit, cause } = decodeRiscv({ scause: 22 });
    expect(exit).toEqual({ kind: "Nothing" });
    expect(cause).toMatchObject({
      stval: 0n,
      instruction: undefined,
      csr: undefined,
    });
  });

  it("stval wider than 32 bits is a longer encoding → Nothing", () => {
    expect(decodeRiscv(vi(0x1_1050_0073n)).cause).toMatchObject({ instruction: undefined });
  });

  it("a compressed instruction in stval is not a virtual instruction → Nothing", () => {
    expect(decodeRiscv(vi(0x4188)).exit).toEqual({ kind: "Nothing" });
  });

  it("RV32 csrr a0, time → SysRegRead", () => {
    expect(decodeRiscv(vi(0xc010_2573, { xlen: 32 })).exit).toEqual({
      kind: "SysRegRead",
      addr: 0xc01,
      reg: 10,
    });
  });

  it("csrw from an absent register → missing-register", () => {
    // csrrw x0, sip, a2 = 0x144<<20 | 12<<15 | 1<<12 | 0x73 = 0x14461073
    expect(() => decodeRiscv(vi(0x1446_1073))).toThrow(
      expect.objectContaining({ code: "missing-register", field: "x12" }),
    );
  });
});

describe("RISCV_CSR_NAMES against Linux arch/riscv/include/asm/csr.h (CSR_* numbers)", () => {
  it.each([
    [0x100, "sstatus"],
    [0x104, "sie"],
    [0x105, "stvec"],
    [0x106, "scounteren"],
    [0x10a, "senvcfg"],
    [0x10c, "sstateen0"],
    [0x114, "sieh"],
    [0x140, "sscratch"],
    [0x141, "sepc"],
    [0x142, "scause"],
    [0x143, "stval"],
    [0x144, "sip"],
    [0x14d, "stimecmp"],
    [0x150, "siselect"],
    [0x154, "siph"],
    [0x15c, "stopei"],
    [0x15d, "stimecmph"],
    [0x180, "satp"],
    [0xda0, "scountovf"],
    [0xdb0, "stopi"],
    [0x200, "vsstatus"],
    [0x24d, "vstimecmp"],
    [0x251, "vsireg"],
    [0x280, "vsatp"],
    [0xeb0, "vstopi"],
    [0x600, "hstatus"],
    [0x605, "htimedelta"],
    [0x608, "hvien"],
    [0x60a, "henvcfg"],
    [0x60c, "hstateen0"],
    [0x615, "htimedeltah"],
    [0x643, "htval"],
    [0x645, "hvip"],
    [0x64a, "htinst"],
    [0x680, "hgatp"],
    [0xe12, "hgeip"],
    [0xc01, "time"],
    [0xc81, "timeh"],
    [0xc1f, "hpmcounter31"],
    [0xc83, "hpmcounter3h"],
    [0xc22, "vlenb"],
    [0x015, "seed"],
    [0xf14, "mhartid"],
    [0x31a, "menvcfgh"],
  ] as const)("CSR %s is %s", (csr, name) => {
    expect(RISCV_CSR_NAMES[csr]).toBe(name);
  });

  it("has 4096 entries; unnamed numbers are undefined", () => {
    expect(RISCV_CSR_NAMES).toHaveLength(4096);
    expect(RISCV_CSR_NAMES[0x7c0]).toBeUndefined(); // custom read/write range
    expect(RISCV_CSR_NAMES[0xc03]).toBe("hpmcounter3"); // hpmcounter3 = cycle + 3
    expect(RISCV_CSR_NAMES[0xb83]).toBe("mhpmcounter3h"); // privileged spec: mhpmcounter3h = 0xB83
  });
});
