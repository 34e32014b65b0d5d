import { describe, expect, it } from "vitest";
import type { RegValue } from "../../core/decoded";
import { decodeRiscv } from "../decode";

// Raw compressed instructions reach the decoder through snapshot.instruction when htinst is 0.
// Fields (RVC spec): funct3 15:13, op 1:0; rd'/rs2'/rs1' = x8 + 3-bit field. Zcb (quadrant 0,
// funct3 100): funct6 15:10, rs1' 9:7, bit 6 / bit 5 = uimm[0] / uimm[1] (c.lh*/c.sh: bit 6 = funct1).
const GPA = 0x9000_0000n; // htval 0x24000000, stval & 3 = 0
const x: (RegValue | undefined)[] = Array.from(
  { length: 32 },
  (_, i) => 0x1111_1111_1111_1100n + BigInt(i),
);

function decode(scause: 21 | 23, instruction: number, xlen: 32 | 64 = 64) {
  const regs = xlen === 64 ? x : x.map((v) => (typeof v === "bigint" ? v & 0xffff_ffffn : v));
  return decodeRiscv({
    scause,
    stval: 0x9000_0000,
    htval: 0x2400_0000,
    htinst: 0,
    instruction,
    x: regs,
    xlen,
  });
}

describe("compressed loads (raw instruction) → MmioRead", () => {
  it.each([
    // [raw, mnemonic, rd, rs1, offset, width, signedExt]
    [0x4188, "c.lw", 10, 11, 0, 4, true], // 010 | rs1' a1=3 (0x180) | rd' a0=2 (0x8) | 00
    [0x5f7c, "c.lw", 15, 14, 124, 4, true], // 010 | uimm[5:3]=7 (0x1C00) | rs1'=6 (0x300) | uimm[2]=bit6 (0x40) | uimm[6]=bit5 (0x20) | rd'=7 (0x1C)
    [0x6188, "c.ld", 10, 11, 0, 8, true], // 011 (0x6000) | 0x180 | 0x8
    [0x7de8, "c.ld", 10, 11, 248, 8, true], // 011 | uimm[5:3]=7 (0x1C00) | 0x180 | uimm[7:6]=3 (0x60) | 0x8
    [0x4502, "c.lwsp", 10, 2, 0, 4, true], // 010 ... 10 (0x4002) | rd=10 (0x500)
    [0x50fe, "c.lwsp", 1, 2, 252, 4, true], // 0x4002 | uimm[5]=bit12 (0x1000) | rd=1 (0x80) | uimm[4:2]=6:4 (0x70) | uimm[7:6]=3:2 (0xC)
    [0x6502, "c.ldsp", 10, 2, 0, 8, true], // 011 ... 10 (0x6002) | rd=10 (0x500)
    [0x757e, "c.ldsp", 10, 2, 504, 8, true], // 0x6002 | 0x1000 | 0x500 | uimm[4:3]=6:5 (0x60) | uimm[8:6]=4:2 (0x1C)
    [0x833c, "c.lbu", 15, 14, 2, 1, false], // 100000 (0x8000) | rs1'=6 (0x300) | uimm[1]=bit5 (0x20) | rd'=7 (0x1C)
    [0x835c, "c.lbu", 15, 14, 1, 1, false], // 0x8000 | 0x300 | uimm[0]=bit6 (0x40) | 0x1C
    [0x8300, "c.lbu", 8, 14, 0, 1, false], // 0x8000 | rs1'=6 (0x300), rd'=0 → x8
    [0x873c, "c.lhu", 15, 14, 2, 2, false], // 100001 (0x8400) | 0x300 | bit6=0 | uimm[1] (0x20) | 0x1C
    [0x877c, "c.lh", 15, 14, 2, 2, true], // 100001 | 0x300 | bit6=1 (0x40) | 0x20 | 0x1C
    [0x837c, "c.lbu", 15, 14, 3, 1, false], // 0x8000 | 0x300 | uimm[0] (0x40) | uimm[1] (0x20) | 0x1C: maximal offset
    [0x8480, "c.lhu", 8, 9, 0, 2, false], // 100001 (0x8400) | rs1'=1 (0x80) | bit6=0 | rd'=0 → x8
    [0x84c0, "c.lh", 8, 9, 0, 2, true], // 0x8400 | 0x80 | bit6=1 (0x40) | uimm[1]=0 | rd'=0
  ] as const)("%s %s x%s, %s(x%s)", (raw, mnemonic, rd, rs1, imm, width, signedExt) => {
    const { exit, cause } = decode(21, raw);
    expect(exit).toEqual({ kind: "MmioRead", addr: GPA, width, reg: rd, regWidth: 8, signedExt });
    expect(cause).toMatchObject({
      instruction: {
        source: "snapshot",
        mnemonic,
        rd,
        rs1,
        imm,
        length: 2,
        transformed: false,
        opcode: 0x03,
      },
    });
  });
});

describe("compressed stores (raw instruction) → MmioWrite", () => {
  it.each([
    // [raw, mnemonic, rs2, rs1, offset, width]
    [0xc10c, "c.sw", 11, 10, 0, 4], // 110 (0xC000) | rs1' a0=2 (0x100) | rs2' a1=3 (0xC)
    [0xdffc, "c.sw", 15, 15, 124, 4], // 0xC000 | uimm[5:3]=7 (0x1C00) | rs1'=7 (0x380) | uimm[2] (0x40) | uimm[6] (0x20) | rs2'=7 (0x1C)
    [0xe404, "c.sd", 9, 8, 8, 8], // 111 (0xE000) | uimm[5:3]=1 (0x400) | rs1' s0=0 | rs2' s1=1 (0x4)
    [0xe004, "c.sd", 9, 8, 0, 8], // 0xE000 | rs1'=0 | rs2'=1 (0x4): zero offset
    [0xff7c, "c.sd", 15, 14, 248, 8], // 0xE000 | uimm[5:3]=7 (0x1C00) | rs1'=6 (0x300) | uimm[7:6]=3 (0x60) | rs2'=7 (0x1C)
    [0xc02e, "c.swsp", 11, 2, 0, 4], // 110 ... 10 (0xC002) | rs2=11 (0x2C); zero offset is valid (Linux KVM rejects it)
    [0xdfae, "c.swsp", 11, 2, 252, 4], // 0xC002 | uimm[5:2]=15 at 12:9 (0x1E00) | uimm[7:6]=3 at 8:7 (0x180) | 0x2C
    [0xe032, "c.sdsp", 12, 2, 0, 8], // 111 ... 10 (0xE002) | rs2=12 (0x30)
    [0xffb2, "c.sdsp", 12, 2, 504, 8], // 0xE002 | uimm[5:3]=7 at 12:10 (0x1C00) | uimm[8:6]=7 at 9:7 (0x380) | 0x30
    [0x8b7c, "c.sb", 15, 14, 3, 1], // 100010 (0x8800) | 0x300 | uimm[0] (0x40) | uimm[1] (0x20) | rs2'=7 (0x1C)
    [0x8f3c, "c.sh", 15, 14, 2, 2], // 100011 (0x8C00) | 0x300 | bit6=0 | uimm[1] (0x20) | 0x1C
    [0x8c04, "c.sh", 9, 8, 0, 2], // 0x8C00 | rs1'=0 | rs2'=1 (0x4): zero offset
    [0x8804, "c.sb", 9, 8, 0, 1], // 100010 (0x8800) | rs1'=0 | rs2'=1 (0x4): zero offset
  ] as const)("%s %s x%s, %s(x%s)", (raw, mnemonic, rs2, rs1, imm, width) => {
    const { exit, cause } = decode(23, raw);
    const value = 0x1111_1111_1111_1100n + BigInt(rs2);
    const data = width === 8 ? value : value & ((1n << BigInt(8 * width)) - 1n);
    expect(exit).toEqual({ kind: "MmioWrite", addr: GPA, width, data });
    expect(cause).toMatchObject({
      instruction: { mnemonic, rs2, rs1, imm, length: 2, opcode: 0x23 },
    });
  });
});

describe("compressed forms that are not MMIO", () => {
  it.each([
    [0x4002, 2], // c.lwsp x0: 010 | rd=0 | 10
    [0x507e, 2], // c.lwsp x0, 252(sp): 0x50FE (c.lwsp ra, 252(sp)) with bits 11:7 cleared
    [0x6002, 3], // c.ldsp x0: 011 | rd=0 | 10
  ] as const)("c.lwsp / c.ldsp with rd = x0 (%s) is reserved → NestedPageFault", (raw, funct3) => {
    const { exit, cause } = decode(21, raw);
    expect(exit).toEqual({ kind: "NestedPageFault", addr: GPA, accessFlags: 0x1 });
    expect(cause).toMatchObject({ instruction: { mnemonic: "unknown", opcode: 2, funct3 } });
  });

  it("100011 with bit 6 set (0x8F7C) is reserved in Zcb (c.sh is 0x8C00 under mask 0xFC43, as in Linux) → NestedPageFault WRITE", () => {
    expect(decode(23, 0x8f7c).exit).toEqual({
      kind: "NestedPageFault",
      addr: GPA,
      accessFlags: 0x2,
    });
  });

  it("on RV32, 011/00 is c.flw, not c.ld (0x7DE8) → NestedPageFault", () => {
    const { exit, cause } = decode(21, 0x7de8, 32);
    expect(exit).toEqual({ kind: "NestedPageFault", addr: GPA, accessFlags: 0x1 });
    expect(cause).toMatchObject({ instruction: { mnemonic: "c.flw", integer: false, imm: 0x7c } });
  });

  it.each([
    [0x2188, "c.fld", 21], // 001 (0x2000) | 0x180 | 0x8
    [0xa10c, "c.fsd", 23], // 101 (0xA000) | 0x100 | 0xC
    [0x2502, "c.fldsp", 21], // 001 ... 10 (0x2002) | rd=f10 (0x500)
    [0xa02e, "c.fsdsp", 23], // 101 ... 10 (0xA002) | rs2=f11 (0x2C)
  ] as const)("FP form %s (%s) → NestedPageFault", (raw, mnemonic, scause) => {
    const { exit, cause } = decode(scause, raw);
    expect(exit.kind).toBe("NestedPageFault");
    expect(cause).toMatchObject({ instruction: { mnemonic } });
  });

  it.each([
    [0x6188, "c.flw", 21], // RV32 011/00
    [0xe404, "c.fsw", 23], // RV32 111/00
    [0x6502, "c.flwsp", 21], // RV32 011/10
    [0xe032, "c.fswsp", 23], // RV32 111/10
  ] as const)("RV32 FP form %s (%s) → NestedPageFault", (raw, mnemonic, scause) => {
    expect(decode(scause, raw, 32).cause).toMatchObject({
      instruction: { mnemonic, integer: false },
    });
  });

  it("RV32 c.lw still decodes: regWidth 4", () => {
    expect(decode(21, 0x4188, 32).exit).toEqual({
      kind: "MmioRead",
      addr: GPA,
      width: 4,
      reg: 10,
      regWidth: 4,
      signedExt: true,
    });
  });
});
