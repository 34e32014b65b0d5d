import { describe, expect, it } from "vitest";
import type { RegValue } from "../../core/decoded";
import type { RiscvGuestPageFaultCause } from "../cause";
import { decodeRiscv } from "../decode";
import type { RiscvSnapshot } from "../snapshot";

function regs(values: Record<number, RegValue>): (RegValue | undefined)[] {
  const x: (RegValue | undefined)[] = new Array(32).fill(undefined);
  for (const [i, v] of Object.entries(values)) x[Number(i)] = v;
  return x;
}
function gpfCause(
  snapshot: RiscvSnapshot,
  isMmio?: (gpa: bigint) => boolean,
): RiscvGuestPageFaultCause {
  const { cause } = decodeRiscv(snapshot, isMmio === undefined ? undefined : { isMmio });
  if (cause.class !== "guest-page-fault")
    throw new Error(`expected a guest-page fault, got ${cause.class}`);
  return cause;
}

// GPA = (htval << 2) | (stval & 3). Base case: GPA 0x10000004 → htval 0x04000001, stval (GVA) 0x10000004.
const ADDR = 0x1000_0004n;
const load = (htinst: RegValue, extra: Partial<RiscvSnapshot> = {}): RiscvSnapshot => ({
  scause: 21,
  stval: 0x1000_0004,
  htval: 0x0400_0001,
  htinst,
  ...extra,
});
const store = (
  htinst: RegValue,
  x: Record<number, RegValue>,
  extra: Partial<RiscvSnapshot> = {},
): RiscvSnapshot => ({
  scause: 23,
  stval: 0x1000_0004,
  htval: 0x0400_0001,
  htinst,
  x: regs(x),
  ...extra,
});

describe("load guest-page fault, transformed htinst (imm zeroed, rs1 field = addr offset 0)", () => {
  it.each([
    // [htinst, mnemonic, width, rd, signedExt]; LOAD opcode 0x03, funct3 << 12, rd << 7
    [0x0000_0283, "lb", 1, 5, true], // 0<<12 | 5<<7 (0x280) | 0x03
    [0x0000_1303, "lh", 2, 6, true], // 1<<12 (0x1000) | 6<<7 (0x300) | 0x03
    [0x0000_2503, "lw", 4, 10, true], // lw a0,8(a1) = 0x0085A503 transformed: 2<<12 | 10<<7 | 0x03
    [0x0000_3383, "ld", 8, 7, true], // 3<<12 | 7<<7 (0x380) | 0x03
    [0x0000_4403, "lbu", 1, 8, false], // 4<<12 | 8<<7 (0x400) | 0x03
    [0x0000_5483, "lhu", 2, 9, false], // 5<<12 | 9<<7 (0x480) | 0x03
    [0x0000_6503, "lwu", 4, 10, false], // 6<<12 | 10<<7 | 0x03
  ] as const)(
    "htinst %s (%s) → MmioRead width %s into x%s",
    (htinst, mnemonic, width, rd, signedExt) => {
      const { exit, cause } = decodeRiscv(load(htinst));
      expect(exit).toEqual({
        kind: "MmioRead",
        addr: ADDR,
        width,
        reg: rd,
        regWidth: 8,
        signedExt,
      });
      expect(cause).toMatchObject({
        class: "guest-page-fault",
        name: "EXC_LOAD_GUEST_PAGE_FAULT",
        access: "load",
        gpa: ADDR,
        htinstKind: "transformed",
        notMmio: undefined,
        instruction: {
          source: "htinst",
          mnemonic,
          transformed: true,
          length: 4,
          rd,
          rs1: undefined,
          imm: undefined,
          addrOffset: 0,
          width,
          signedExt,
        },
      });
    },
  );

  it("c.lw a0,0(a1) (0x4188) transforms to 0x00002501: bit 1 clear → length 2", () => {
    const { exit, cause } = decodeRiscv(load(0x0000_2501));
    expect(exit).toEqual({
      kind: "MmioRead",
      addr: ADDR,
      width: 4,
      reg: 10,
      regWidth: 8,
      signedExt: true,
    });
    expect(cause).toMatchObject({ instruction: { mnemonic: "lw", length: 2, raw: 0x2501 } });
  });

  it("a non-zero address offset (misaligned access) → NestedPageFault READ", () => {
    // lw a0 with Addr. Offset 2: 0x2503 | 2 << 15 (0x10000) = 0x00012503
    const cause = gpfCause(load(0x0001_2503));
    expect(decodeRiscv(load(0x0001_2503)).exit).toEqual({
      kind: "NestedPageFault",
      addr: ADDR,
      accessFlags: 0x1,
    });
    expect(cause.instruction?.addrOffset).toBe(2);
    expect(cause.notMmio).toMatch(/misaligned/);
  });

  it("a transformed load with non-zero immediate bits is a custom value → treated as 0", () => {
    // 0x00802503 has imm[11:0] = 8, not allowed in a transformed instruction
    const cause = gpfCause(load(0x0080_2503));
    expect(cause).toMatchObject({ htinstKind: "custom", instruction: undefined });
    expect(cause.notMmio).toBe("no instruction available");
  });

  it("htinst with bits 63:32 set is a custom value", () => {
    expect(gpfCause(load(0x1_0000_2503n)).htinstKind).toBe("custom");
  });

  it("FP load flw (LOAD-FP 0x07: 2<<12 | 10<<7 | 0x07 = 0x2507) → NestedPageFault READ", () => {
    const cause = gpfCause(load(0x2507));
    expect(decodeRiscv(load(0x2507)).exit).toMatchObject({
      kind: "NestedPageFault",
      accessFlags: 0x1,
    });
    expect(cause.instruction).toMatchObject({ mnemonic: "flw", integer: false });
  });

  it("lr.w (AMO 0x2F, funct5 00010 << 27 | 2<<12 | 10<<7 | 0x2F = 0x1000252F) → NestedPageFault READ", () => {
    const cause = gpfCause(load(0x1000_252f));
    expect(decodeRiscv(load(0x1000_252f)).exit).toMatchObject({
      kind: "NestedPageFault",
      accessFlags: 0x1,
    });
    expect(cause.instruction).toMatchObject({ mnemonic: "lr.w", access: "amo", addrOffset: 0 });
  });

  it("a store instruction on a load fault → NestedPageFault READ", () => {
    // sw a1 transformed: 11<<20 | 2<<12 | 0x23 = 0x00B02023
    expect(gpfCause(load(0x00b0_2023)).notMmio).toMatch(/does not match a load/);
  });

  it("RV32 ld is not an instruction → custom htinst", () => {
    const snapshot = load(0x3383, { xlen: 32 });
    expect(gpfCause(snapshot).htinstKind).toBe("custom");
  });
});

describe("store/AMO guest-page fault, transformed htinst (rs2 << 20 | funct3 << 12 | 0x23)", () => {
  it.each([
    // [htinst, rs2, register value, width, data = value masked to width]
    [0x00c0_0023, 12, 0x1234n, 1, 0x34n], // sb a2: 12<<20 (0xC00000) | 0<<12 | 0x23
    [0x00d0_1023, 13, 0xab_cdefn, 2, 0xcdefn], // sh a3: 13<<20 | 1<<12 | 0x23
    [0x00b0_2023, 11, 0xffff_ffff_1234_5678n, 4, 0x1234_5678n], // sw a1: 11<<20 | 2<<12 | 0x23
    [0x00e0_3023, 14, 0xfedc_ba98_7654_3210n, 8, 0xfedc_ba98_7654_3210n], // sd a4: 14<<20 | 3<<12 | 0x23
  ] as const)("htinst %s → MmioWrite data x%s masked", (htinst, rs2, value, width, data) => {
    const { exit, cause } = decodeRiscv(store(htinst, { [rs2]: value }));
    expect(exit).toEqual({ kind: "MmioWrite", addr: ADDR, width, data });
    expect(cause).toMatchObject({
      access: "store",
      name: "EXC_STORE_GUEST_PAGE_FAULT",
      instruction: { rs2, access: "store" },
    });
  });

  it("sw x0 (0x00002023) writes 0 even when snapshot.x[0] holds garbage", () => {
    expect(decodeRiscv(store(0x2023, { 0: 5 })).exit).toEqual({
      kind: "MmioWrite",
      addr: ADDR,
      width: 4,
      data: 0n,
    });
  });

  it("c.sw a1,0(a0) (0xC10C) transforms to 0x00B02021 → MmioWrite, length 2", () => {
    const { exit, cause } = decodeRiscv(store(0x00b0_2021, { 11: 0xaabb_ccdd }));
    expect(exit).toEqual({ kind: "MmioWrite", addr: ADDR, width: 4, data: 0xaabb_ccddn });
    expect(cause).toMatchObject({ instruction: { mnemonic: "sw", length: 2 } });
  });

  it("store data register absent → missing-register", () => {
    expect(() => decodeRiscv(store(0x00b0_2023, {}))).toThrow(
      expect.objectContaining({ code: "missing-register", field: "x11" }),
    );
  });

  it("fsd (STORE-FP 0x27: 10<<20 | 3<<12 | 0x27 = 0x00A03027) → NestedPageFault WRITE", () => {
    expect(decodeRiscv(store(0x00a0_3027, {})).exit).toEqual({
      kind: "NestedPageFault",
      addr: ADDR,
      accessFlags: 0x2,
    });
  });

  it("amoadd.w (funct5 0, 11<<20 | 2<<12 | 10<<7 | 0x2F = 0x00B0252F) → NestedPageFault WRITE", () => {
    const { exit, cause } = decodeRiscv(store(0x00b0_252f, {}));
    expect(exit).toEqual({ kind: "NestedPageFault", addr: ADDR, accessFlags: 0x2 });
    expect(cause).toMatchObject({ instruction: { mnemonic: "amoadd.w", rs2: 11, rd: 10 } });
  });
});

describe("pseudo-instructions (implicit VS-stage page-table accesses)", () => {
  it.each([
    [21, 0x2000, 0x1, "read32"], // lw x0,0(x0) = 0x2003 with bits 1:0 cleared
    [23, 0x2020, 0x2, "write32"], // sw x0,0(x0) = 0x2023 with bits 1:0 cleared
    [21, 0x3000, 0x1, "read64"], // ld x0,0(x0) = 0x3003
    [23, 0x3020, 0x2, "write64"], // sd x0,0(x0) = 0x3023
  ] as const)(
    "scause %s htinst %s → NestedPageFault flags %s",
    (scause, htinst, accessFlags, pseudo) => {
      // GPA of a page-table entry: htval 0x20000402 → 0x80001008, stval & 3 = 0
      const { exit, cause } = decodeRiscv({
        scause,
        stval: 0x7000,
        htval: 0x2000_0402,
        htinst,
        instruction: 0x0085_a503,
      });
      expect(exit).toEqual({ kind: "NestedPageFault", addr: 0x8000_1008n, accessFlags });
      expect(cause).toMatchObject({ htinstKind: "pseudo", pseudo, instruction: undefined });
    },
  );
});

describe("guest-page faults without a transformed htinst", () => {
  it("htinst 0 and no instruction → NestedPageFault READ (21) / WRITE (23)", () => {
    expect(decodeRiscv(load(0)).exit).toEqual({
      kind: "NestedPageFault",
      addr: ADDR,
      accessFlags: 0x1,
    });
    expect(decodeRiscv(store(0, {})).exit).toEqual({
      kind: "NestedPageFault",
      addr: ADDR,
      accessFlags: 0x2,
    });
    expect(gpfCause(load(0))).toMatchObject({
      htinstKind: "zero",
      instruction: undefined,
      notMmio: "no instruction available",
    });
  });

  it("absent htinst is the same as 0", () => {
    expect(decodeRiscv({ scause: 21, stval: 0x1000_0004, htval: 0x0400_0001 }).exit.kind).toBe(
      "NestedPageFault",
    );
  });

  it("instruction guest-page fault (20) → NestedPageFault EXECUTE", () => {
    // GPA 0x80000002 (a compressed instruction halfway into a word): htval 0x20000000, stval low bits 2
    const { exit, cause } = decodeRiscv({
      scause: 20,
      stval: 0xffff_ffff_8000_0002n,
      htval: 0x2000_0000,
    });
    expect(exit).toEqual({ kind: "NestedPageFault", addr: 0x8000_0002n, accessFlags: 0x4 });
    expect(cause).toMatchObject({ access: "fetch", name: "EXC_INST_GUEST_PAGE_FAULT" });
  });

  it("raw lw a0,8(a1) = 0x0085A503 (imm 8<<20 | rs1 11<<15 | 2<<12 | rd 10<<7 | 0x03)", () => {
    const { exit, cause } = decodeRiscv(load(0, { instruction: 0x0085_a503 }));
    expect(exit).toEqual({
      kind: "MmioRead",
      addr: ADDR,
      width: 4,
      reg: 10,
      regWidth: 8,
      signedExt: true,
    });
    expect(cause).toMatchObject({
      instruction: { source: "snapshot", transformed: false, rs1: 11, imm: 8, length: 4 },
    });
  });

  it("raw lh a0,-2(a1) = 0xFFE59503 (imm 0xFFE<<20 | 11<<15 | 1<<12 | 10<<7 | 0x03)", () => {
    const cause = gpfCause(load(0, { instruction: 0xffe5_9503 }));
    expect(cause.instruction).toMatchObject({
      mnemonic: "lh",
      imm: -2,
      rs1: 11,
      rd: 10,
      width: 2,
      signedExt: true,
    });
  });

  it("raw sd a4,-8(sp) = 0xFEE13C23 (imm[11:5]=0x7F<<25 | 14<<20 | 2<<15 | 3<<12 | imm[4:0]=0x18<<7 | 0x23)", () => {
    const { exit, cause } = decodeRiscv(
      store(0, { 14: 0x1122_3344_5566_7788n }, { instruction: 0xfee1_3c23 }),
    );
    expect(exit).toEqual({ kind: "MmioWrite", addr: ADDR, width: 8, data: 0x1122_3344_5566_7788n });
    expect(cause).toMatchObject({ instruction: { mnemonic: "sd", imm: -8, rs1: 2, rs2: 14 } });
  });

  it("a custom htinst (bits 1:0 = 10: 0x2502) falls back to the raw instruction", () => {
    const cause = gpfCause(load(0x2502, { instruction: 0x4188 }));
    expect(cause).toMatchObject({
      htinstKind: "custom",
      instruction: { source: "snapshot", mnemonic: "c.lw" },
    });
  });

  it("a 32-bit instruction word holding a compressed instruction uses only its low 16 bits", () => {
    // 0x12344188: low half c.lw a0,0(a1) (0x4188)
    expect(gpfCause(load(0, { instruction: 0x1234_4188 })).instruction).toMatchObject({
      mnemonic: "c.lw",
      raw: 0x4188,
    });
  });

  it("a non-memory raw instruction (c.addi a0,1 = 0x0505) → NestedPageFault naming it unknown", () => {
    // c.addi: funct3 000, imm[5]=0, rd=10 (0x500), imm[4:0]=1 (0x4), op 01
    const cause = gpfCause(load(0, { instruction: 0x0505 }));
    expect(cause).toMatchObject({
      instruction: { mnemonic: "unknown", opcode: 1, funct3: 0 },
    });
    expect(cause.notMmio).toMatch(/not a load or store/);
  });
});

describe("isMmio, RV32 and register errors", () => {
  it("isMmio(gpa) false → NestedPageFault; true → MmioRead; it gets the GPA", () => {
    const seen: bigint[] = [];
    expect(
      gpfCause(load(0x2503), (g) => {
        seen.push(g);
        return false;
      }),
    ).toMatchObject({
      notMmio: "isMmio(gpa) returned false",
    });
    expect(decodeRiscv(load(0x2503), { isMmio: () => true }).exit.kind).toBe("MmioRead");
    expect(seen).toEqual([ADDR]);
  });

  it("RV32: htval holds GPA bits 33:2 → a 34-bit GPA; regWidth 4", () => {
    // htval 0xC0000000 << 2 = 0x3_0000_0000, | stval & 3 (1) = 0x3_0000_0001
    const { exit } = decodeRiscv({
      scause: 21,
      stval: 0x0000_1001,
      htval: 0xc000_0000,
      htinst: 0x2503,
      xlen: 32,
    });
    expect(exit).toEqual({
      kind: "MmioRead",
      addr: 0x3_0000_0001n,
      width: 4,
      reg: 10,
      regWidth: 4,
      signedExt: true,
    });
  });

  it("RV64 htval ≥ 2^62 cannot be a GPA → out-of-range", () => {
    expect(() => decodeRiscv(load(0, { htval: 0x4000_0000_0000_0000n }))).toThrow(
      expect.objectContaining({ code: "out-of-range", field: "htval" }),
    );
  });

  it("missing htval / stval → missing-register", () => {
    expect(() => decodeRiscv({ scause: 21, stval: 0 })).toThrow(
      expect.objectContaining({ code: "missing-register", field: "htval" }),
    );
    expect(() => decodeRiscv({ scause: 23, htval: 0 })).toThrow(
      expect.objectContaining({ code: "missing-register", field: "stval" }),
    );
  });

  it("a bad instruction word → VmExitError naming instruction", () => {
    expect(() => decodeRiscv(load(0, { instruction: -1 }))).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "instruction" }),
    );
    expect(() => decodeRiscv(load(0, { instruction: 2 ** 32 }))).toThrow(
      expect.objectContaining({ code: "out-of-range", field: "instruction" }),
    );
  });
});

describe("raw 32-bit loads and stores (htinst 0, snapshot.instruction), every width", () => {
  // I-type: imm[11:0] << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | 0x03 (LOAD); base rs1 = a1 (x11 = 0x58000).
  it.each([
    [0x0005_8503, "lb", 10, 0, 1, true], // lb a0, 0(a1): 0x58000 | 0<<12 | 10<<7 (0x500) | 0x03
    [0x0025_9283, "lh", 5, 2, 2, true], // lh t0, 2(a1): 2<<20 (0x200000) | 0x58000 | 1<<12 | 5<<7 (0x280) | 0x03
    [0x0085_a503, "lw", 10, 8, 4, true], // lw a0, 8(a1): 8<<20 | 0x58000 | 2<<12 | 0x500 | 0x03
    [0xff05_b903, "ld", 18, -16, 8, true], // ld s2, -16(a1): 0xFF0<<20 | 0x58000 | 3<<12 | 18<<7 (0x900) | 0x03
    [0x7ff5_c603, "lbu", 12, 2047, 1, false], // lbu a2, 2047(a1): 0x7FF<<20 | 0x58000 | 4<<12 | 12<<7 (0x600) | 0x03
    [0x8005_d683, "lhu", 13, -2048, 2, false], // lhu a3, -2048(a1): 0x800<<20 | 0x58000 | 5<<12 | 13<<7 (0x680) | 0x03
    [0x0045_e703, "lwu", 14, 4, 4, false], // lwu a4, 4(a1): 4<<20 | 0x58000 | 6<<12 | 14<<7 (0x700) | 0x03
  ] as const)("%s %s → MmioRead x%s (imm %s)", (raw, mnemonic, rd, imm, width, signedExt) => {
    const { exit, cause } = decodeRiscv(load(0, { instruction: raw }));
    expect(exit).toEqual({ kind: "MmioRead", addr: ADDR, width, reg: rd, regWidth: 8, signedExt });
    expect(cause).toMatchObject({
      instruction: {
        source: "snapshot",
        mnemonic,
        rd,
        rs1: 11,
        imm,
        transformed: false,
        length: 4,
        funct3: (raw >>> 12) & 7,
      },
    });
  });

  // S-type: imm[11:5] << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | imm[4:0] << 7 | 0x23; base a0 (x10 = 0x50000).
  it.each([
    [0x00c5_00a3, "sb", 12, 1, 1, 0x88n], // sb a2, 1(a0): 12<<20 | 0x50000 | 0<<12 | 1<<7 | 0x23
    [0x00d5_1323, "sh", 13, 6, 2, 0x7788n], // sh a3, 6(a0): 13<<20 | 0x50000 | 1<<12 | 6<<7 (0x300) | 0x23
    [0x04e5_2023, "sw", 14, 64, 4, 0x5566_7788n], // sw a4, 64(a0): 2<<25 | 14<<20 | 0x50000 | 2<<12 | 0x23
    [0x7ef5_3c23, "sd", 15, 2040, 8, 0x1122_3344_5566_7788n], // sd a5, 2040(a0): 0x3F<<25 | 15<<20 | 0x50000 | 3<<12 | 0x18<<7 | 0x23
  ] as const)("%s %s → MmioWrite x%s masked (imm %s)", (raw, mnemonic, rs2, imm, width, data) => {
    const { exit, cause } = decodeRiscv(
      store(0, { [rs2]: 0x1122_3344_5566_7788n }, { instruction: raw }),
    );
    expect(exit).toEqual({ kind: "MmioWrite", addr: ADDR, width, data });
    expect(cause).toMatchObject({
      instruction: { mnemonic, rs2, rs1: 10, imm, transformed: false },
    });
  });

  it.each([
    [0xff05_b903, 21, "ld"], // ld s2, -16(a1): funct3 011 is not a load on RV32
    [0x0045_e703, 21, "lwu"], // lwu a4, 4(a1): funct3 110 is RV64 only
    [0x7ef5_3c23, 23, "sd"], // sd a5, 2040(a0): funct3 011 is not a store on RV32
  ] as const)("RV32: raw %s (%s) is not an instruction → NestedPageFault", (raw, scause, _name) => {
    const { exit, cause } = decodeRiscv({
      scause,
      stval: 0x1000_0004,
      htval: 0x0400_0001,
      instruction: raw,
      xlen: 32,
    });
    expect(exit).toEqual({
      kind: "NestedPageFault",
      addr: ADDR,
      accessFlags: scause === 21 ? 1 : 2,
    });
    expect(cause).toMatchObject({
      instruction: { mnemonic: "unknown" },
      notMmio: "unknown instruction is not a load or store",
    });
  });

  it("RV32: sh masks a 32-bit register to 16 bits; sw keeps all 32", () => {
    const rv32 = { stval: 0x1000_0004, htval: 0x0400_0001, xlen: 32 as const };
    const x = regs({ 13: 0xdead_beef, 14: 0xdead_beef });
    // sh a3 transformed: 13<<20 | 1<<12 | 0x23 = 0x00D01023; sw a4: 14<<20 | 2<<12 | 0x23 = 0x00E02023
    expect(decodeRiscv({ scause: 23, htinst: 0x00d0_1023, x, ...rv32 }).exit).toEqual({
      kind: "MmioWrite",
      addr: ADDR,
      width: 2,
      data: 0xbeefn,
    });
    expect(decodeRiscv({ scause: 23, htinst: 0x00e0_2023, x, ...rv32 }).exit).toEqual({
      kind: "MmioWrite",
      addr: ADDR,
      width: 4,
      data: 0xdead_beefn,
    });
  });

  it("a transformed htinst wins over snapshot.instruction", () => {
    // htinst lbu a2 (4<<12 | 12<<7 | 0x03 = 0x4603) vs raw lw a0,8(a1)
    expect(gpfCause(load(0x4603, { instruction: 0x0085_a503 })).instruction).toMatchObject({
      mnemonic: "lbu",
      source: "htinst",
      rd: 12,
    });
  });
});
