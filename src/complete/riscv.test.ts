import { describe, expect, it } from "vitest";
import { sysRegRead } from "../core/constructors";
import type { MmioReadExit } from "../core/exit";
import { decodeRiscv } from "../riscv/index";
import { completeMmioRead, completeSysRegRead } from "./complete";

// A load guest-page fault (scause 21) with a transformed load in htinst (H extension, "Transformed
// Instruction or Pseudoinstruction for mtinst or htinst"): opcode LOAD 0b0000011, funct3 (14:12)
// LB 0, LH 1, LW 2, LD 3, LBU 4, LHU 5, LWU 6, rd (11:7), immediate and rs1 zero. The unprivileged
// spec ("Load and Store Instructions"): LB/LH/LW sign-extend to XLEN, LBU/LHU/LWU zero-extend; LD
// (RV64) loads XLEN bits; writes to x0 are discarded.
function load(funct3: number, rd: number, xlen: 32 | 64 = 64): MmioReadExit {
  const htinst = (funct3 << 12) | (rd << 7) | 0x03;
  // GPA = htval << 2 | stval & 3 = 0x10000000
  const exit = decodeRiscv({ scause: 21, htval: 0x400_0000n, stval: 0x1000n, htinst, xlen }).exit;
  if (exit.kind !== "MmioRead") throw new Error(`expected MmioRead, got ${exit.kind}`);
  return exit;
}

const DATA = 0xdead_beef_8765_c380n; // byte 0x80, half 0xc380, word 0x8765c380: top bits set

describe("completeMmioRead on RISC-V", () => {
  const rv64: [string, MmioReadExit, bigint][] = [
    ["lb a0", load(0, 10), 0xffff_ffff_ffff_ff80n],
    ["lbu a0", load(4, 10), 0x80n],
    ["lh t0", load(1, 5), 0xffff_ffff_ffff_c380n],
    ["lhu t0", load(5, 5), 0xc380n],
    ["lw s1", load(2, 9), 0xffff_ffff_8765_c380n],
    ["lwu s1", load(6, 9), 0x8765_c380n],
    ["ld t6", load(3, 31), DATA],
  ];
  for (const [insn, exit, value] of rv64) {
    it(`RV64 ${insn}`, () => {
      expect(completeMmioRead("riscv", exit, DATA)).toEqual({ reg: exit.reg, value });
    });
  }

  const rv32: [string, MmioReadExit, bigint][] = [
    ["lb a0", load(0, 10, 32), 0xffff_ff80n],
    ["lbu a0", load(4, 10, 32), 0x80n],
    ["lh a1", load(1, 11, 32), 0xffff_c380n],
    ["lhu a1", load(5, 11, 32), 0xc380n],
    ["lw a2", load(2, 12, 32), 0x8765_c380n],
  ];
  for (const [insn, exit, value] of rv32) {
    it(`RV32 ${insn} extends to 32 bits`, () => {
      expect(exit.regWidth).toBe(4);
      expect(completeMmioRead("riscv", exit, DATA)).toEqual({ reg: exit.reg, value });
    });
  }

  it("a load into x0 writes nothing", () => {
    expect(completeMmioRead("riscv", load(2, 0), DATA)).toBeUndefined();
  });
});

describe("completeSysRegRead on RISC-V", () => {
  it("a CSR read writes rd", () => {
    // csrr a0, time (csrrs a0, 0xc01, x0)
    expect(completeSysRegRead("riscv", sysRegRead({ addr: 0xc01, reg: 10 }), 123456n)).toEqual({
      reg: 10,
      value: 123456n,
    });
  });
  it("a CSR read into x0 writes nothing", () => {
    expect(completeSysRegRead("riscv", sysRegRead({ addr: 0xc01, reg: 0 }), 1)).toBeUndefined();
  });
});
