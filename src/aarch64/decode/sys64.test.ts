import { describe, expect, it } from "vitest";
import type { VmExitError } from "../../core/error";
import type { VmExit } from "../../core/exit";
import { decodeAarch64, decodeAarch64Exit } from "./decode";

// EC 0x18 ISS (Arm ARM D24.2.40, arch-spec B.5): Op0[21:20] Op2[19:17] Op1[16:14] CRn[13:10]
// Rt[9:5] CRm[4:1] Direction[0] (1 = read). ESR = 0x18<<26 (0x60000000) | IL (0x02000000) | ISS.
const sys = (
  op0: number,
  op1: number,
  crn: number,
  crm: number,
  op2: number,
  rt: number,
  read: boolean,
) =>
  (0x6200_0000 |
    (op0 << 20) |
    (op2 << 17) |
    (op1 << 14) |
    (crn << 10) |
    (rt << 5) |
    (crm << 1) |
    (read ? 1 : 0)) >>>
  0;

function sgi(esr: number, rt: number, value: bigint): VmExit {
  const x: bigint[] = new Array<bigint>(31).fill(0n);
  x[rt] = value;
  return decodeAarch64({ esr, x }).exit;
}

describe("decodeAarch64: SYS64 register accesses", () => {
  it("0x6234F801 = mrs x0, CNTVCT_EL0 (3,3,14,0,2) → SysRegRead 0x34F800", () => {
    // addr = 3<<20 | 2<<17 | 3<<14 | 14<<10 | 0<<1 = 0x300000+0x40000+0xC000+0x3800 = 0x34F800
    const d = decodeAarch64({ esr: 0x6234_f801 });
    expect(d.exit).toStrictEqual({ kind: "SysRegRead", addr: 0x34_f800, reg: 0 });
    expect(d.cause).toMatchObject({
      code: 0x18,
      name: "SYS64",
      class: "sys64",
      op0: 3,
      op1: 3,
      crn: 14,
      crm: 0,
      op2: 2,
      rt: 0,
      direction: "read",
      register: "CNTVCT_EL0",
      sgi: undefined,
    });
  });
  it("mrs x30, CNTPCT_EL0 (3,3,14,0,1) → SysRegRead { addr 0x32F800, reg 30 }", () => {
    expect(decodeAarch64({ esr: sys(3, 3, 14, 0, 1, 30, true) }).exit).toStrictEqual({
      kind: "SysRegRead",
      addr: 0x32_f800,
      reg: 30,
    });
  });
  it("msr SCTLR_EL1, x5 (3,0,1,0,0) → SysRegWrite { addr 0x300400, value x5 }", () => {
    // ISS = 3<<20 | 1<<10 | 5<<5 = 0x3004A0 → ESR 0x623004A0
    const x = [0n, 0n, 0n, 0n, 0n, 0x30d0_0980n];
    const d = decodeAarch64({ esr: 0x6230_04a0, x });
    expect(d.exit).toStrictEqual({ kind: "SysRegWrite", addr: 0x30_0400, value: 0x30d0_0980n });
    expect(d.cause).toMatchObject({ direction: "write", rt: 5, register: "SCTLR_EL1" });
  });
  it("msr MDSCR_EL1, xzr (2,0,0,2,2; Rt 31) → value 0 without reading any register", () => {
    // 2<<20 | 2<<17 | 0<<14 | 0<<10 | 31<<5 | 2<<1 = 0x200000+0x40000+0x3E0+0x4 = 0x2403E4
    expect(decodeAarch64({ esr: 0x6224_03e4 }).exit).toStrictEqual({
      kind: "SysRegWrite",
      addr: 0x24_0004,
      value: 0n,
    });
  });
  it("a register the name table does not know still decodes (register undefined)", () => {
    // S3_7_C15_C15_7: 3<<20 | 7<<17 | 7<<14 | 15<<10 | 15<<1 = 0x3FFC1E, read into x1
    const d = decodeAarch64({ esr: sys(3, 7, 15, 15, 7, 1, true) });
    expect(d.exit).toStrictEqual({ kind: "SysRegRead", addr: 0x3f_fc1e, reg: 1 });
    expect(d.cause).toMatchObject({ register: undefined });
  });
  it("mrs of ICC_SGI1R_EL1 is a plain SysRegRead of 0x3A3016 (only writes send SGIs)", () => {
    expect(decodeAarch64({ esr: sys(3, 0, 12, 11, 5, 4, true) }).exit).toStrictEqual({
      kind: "SysRegRead",
      addr: 0x3a_3016,
      reg: 4,
    });
  });
  it("needs x[Rt] for a write", () => {
    try {
      decodeAarch64({ esr: 0x6230_04a0, x: [1n] });
      expect.unreachable();
    } catch (e) {
      expect((e as VmExitError).code).toBe("missing-register");
      expect((e as VmExitError).field).toBe("x5");
    }
  });
});

describe("decodeAarch64: SGI generation registers → SendIPI", () => {
  const targeted = (targetCpu: bigint, targetCpuAux: bigint, vector: bigint): VmExit => ({
    kind: "SendIPI",
    targetCpu,
    targetCpuAux,
    sendToAll: false,
    sendToSelf: false,
    vector,
  });
  const all = (vector: bigint): VmExit => ({
    kind: "SendIPI",
    targetCpu: 0n,
    targetCpuAux: 0n,
    sendToAll: true,
    sendToSelf: false,
    vector,
  });
  it("0x623A3056 msr ICC_SGI1R_EL1, x2 = 0x01000002: SGI 1 to Aff0 1 of 0.0.0", () => {
    // value: INTID 1 <<24 | TargetList bit 1 → targetCpu 0, targetCpuAux 0b10
    const d = decodeAarch64({ esr: 0x623a_3056, x: [0n, 0n, 0x0100_0002n] });
    expect(d.exit).toStrictEqual(targeted(0n, 2n, 1n));
    expect(d.cause).toMatchObject({
      register: "ICC_SGI1R_EL1",
      sgi: { intid: 1, irm: false, rs: 0, targetList: 2, aff1: 0, aff2: 0, aff3: 0 },
    });
  });
  it("IRM (bit 40) = 1: SGI 1 broadcast 0x0000_0100_0100_0000 → sendToAll", () => {
    expect(sgi(0x623a_3056, 2, 0x0000_0100_0100_0000n)).toStrictEqual(all(1n));
  });
  it("IRM = 1 ignores RS > 3, TargetList and Aff (value 0x00FF_F1FF_0FFF_FFFF)", () => {
    // Aff3 0xFF, RS 0xF, IRM 1, Aff2 0xFF, INTID 0xF, Aff1 0xFF, TargetList 0xFFFF
    expect(sgi(0x623a_3056, 2, 0x00ff_f1ff_0fff_ffffn)).toStrictEqual(all(15n));
  });
  it("RS 1, Aff3.Aff2.Aff1 = 4.3.2, TargetList 0x8001, INTID 15", () => {
    // 4<<48 | 1<<44 | 3<<32 | 15<<24 | 2<<16 | 0x8001 = 0x0004_1003_0F02_8001
    // targetCpu = 4<<24 | 3<<16 | 2<<8 = 0x04030200; aux = 0x8001 << 16 = 0x8001_0000
    expect(sgi(0x623a_3056, 2, 0x0004_1003_0f02_8001n)).toStrictEqual(
      targeted(0x0403_0200n, 0x8001_0000n, 15n),
    );
  });
  it("RS 2 via ICC_ASGI1R_EL1 (op2 6), Rt 1: TargetList 0x0003 → aux 3 << 32", () => {
    // ESR: 0x62000000 | 3<<20 | 6<<17 (0xC0000) | 12<<10 (0x3000) | 1<<5 | 11<<1 = 0x623C3036
    // value 2<<44 | 7<<24 | 3 = 0x0000_2000_0700_0003
    expect(sgi(0x623c_3036, 1, 0x0000_2000_0700_0003n)).toStrictEqual(
      targeted(0n, 0x3_0000_0000n, 7n),
    );
  });
  it("RS 3 via ICC_SGI0R_EL1 (op2 7), Rt 0: TargetList 0xFFFF → aux 0xFFFF << 48", () => {
    // ESR: 0x62000000 | 0x300000 | 7<<17 (0xE0000) | 0x3000 | 0<<5 | 0x16 = 0x623E3016
    // value Aff3 0x12 <<48 | 3<<44 | Aff2 0x34 <<32 | 0 <<24 | Aff1 0x56 <<16 | 0xFFFF
    expect(sgi(0x623e_3016, 0, 0x0012_3034_0056_ffffn)).toStrictEqual(
      targeted(0x1234_5600n, 0xffff_0000_0000_0000n, 0n),
    );
  });
  it("Rt 31 (XZR): value 0 → SGI 0 to nobody in 0.0.0", () => {
    // ESR: 0x623A3016 | 31<<5 (0x3E0) = 0x623A33F6
    expect(decodeAarch64({ esr: 0x623a_33f6 }).exit).toStrictEqual(targeted(0n, 0n, 0n));
  });
  it("RS 4 with IRM = 0 (a guest's choice) → Nothing with the SGI fields, no throw", () => {
    // value RS 4 <<44 | INTID 1 <<24 | TargetList 1 = 0x0000_4000_0100_0001: Aff0 64, which a
    // 64-bit targetCpuAux cannot hold.
    const d = decodeAarch64({ esr: 0x623a_3056, x: [0n, 0n, 0x0000_4000_0100_0001n] });
    expect(d.exit).toStrictEqual({ kind: "Nothing" });
    expect(
      decodeAarch64Exit({ esr: 0x623a_3056, x: [0n, 0n, 0x0000_4000_0100_0001n] }),
    ).toStrictEqual({ kind: "Nothing" });
    expect(d.cause).toMatchObject({
      class: "sys64",
      register: "ICC_SGI1R_EL1",
      direction: "write",
      sgi: { intid: 1, irm: false, rs: 4, targetList: 1, aff1: 0, aff2: 0, aff3: 0 },
      notSendIpi: expect.stringContaining("RS (bits 47:44) = 4"),
    });
  });
  it("RS 15 with every TargetList bit, via each SGI register → Nothing", () => {
    // op2 5/6/7 = ICC_SGI1R/ASGI1R/SGI0R: 0x623A3056, 0x623C3056, 0x623E3056 (Rt 2)
    for (const esr of [0x623a_3056, 0x623c_3056, 0x623e_3056]) {
      const d = decodeAarch64({ esr, x: [0n, 0n, 0x00ff_f0ff_0fff_ffffn] });
      expect(d.exit).toStrictEqual({ kind: "Nothing" });
      expect(d.cause).toMatchObject({
        sgi: { rs: 15, targetList: 0xffff },
        notSendIpi: expect.any(String),
      });
    }
  });
  it("a SendIPI has no notSendIpi", () => {
    expect(decodeAarch64({ esr: 0x623a_3056, x: [0n, 0n, 0x0100_0002n] }).cause).toMatchObject({
      notSendIpi: undefined,
    });
  });
  it("a write to (3,1,12,11,6) — Xen's ASGI1R op1 — is a plain SysRegWrite", () => {
    // 3<<20 | 6<<17 | 1<<14 | 12<<10 | 11<<1 = 0x300000+0xC0000+0x4000+0x3000+0x16 = 0x3C7016
    expect(sgi(sys(3, 1, 12, 11, 6, 0, false), 0, 5n)).toStrictEqual({
      kind: "SysRegWrite",
      addr: 0x3c_7016,
      value: 5n,
    });
  });
});
