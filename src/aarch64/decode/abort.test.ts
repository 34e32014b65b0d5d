import { describe, expect, it } from "vitest";
import { VmExitError, type VmExitErrorCode } from "../../core/error";
import type { VmExit } from "../../core/exit";
import type { GuestPhysAddr } from "../../core/scalars/guest-phys-addr";
import type { Aarch64Snapshot } from "../snapshot";
import { decodeAarch64 } from "./decode";

// Data abort ISS (Arm ARM D24.2.40, arch-spec B.3): ISV 24 | SAS 23:22 | SSE 21 | SRT 20:16 |
// SF 15 | AR 14 | VNCR 13 | SET 12:11 | FnV 10 | EA 9 | CM 8 | S1PTW 7 | WnR 6 | DFSC 5:0.
// DABT_LOW: 0x24<<26 = 0x90000000 | IL 0x02000000 = 0x92000000. IABT_LOW: 0x82000000.
const DABT_LOW = 0x9200_0000;
const ISV = 0x0100_0000;
const WNR = 0x40;
// IPA 0x9000010: HPFAR = (0x9000010 >> 12) << 4 = 0x90000; FAR[11:0] = 0x010.
const HPFAR = 0x9_0000;
const FAR = 0xffff_0000_0800_0010n;
const IPA = 0x900_0010n as GuestPhysAddr;
const X3 = 0x8877_6655_4433_2211n;

function rejects(fn: () => unknown, code: VmExitErrorCode, field: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(VmExitError);
    expect((e as VmExitError).code).toBe(code);
    expect((e as VmExitError).field).toBe(field);
    return;
  }
  expect.unreachable("expected a VmExitError");
}

const at = (esr: number | bigint, extra: Partial<Aarch64Snapshot> = {}): Aarch64Snapshot => ({
  esr,
  far: FAR,
  hpfar: HPFAR,
  ...extra,
});
const npf = (accessFlags: number, addr: bigint = IPA): VmExit => ({
  kind: "NestedPageFault",
  addr: addr as GuestPhysAddr,
  accessFlags: accessFlags as never,
});

describe("decodeAarch64: data abort, ISV = 1, every SAS × SSE × SF × WnR", () => {
  // x3 = 0x8877665544332211 masked to 1 << SAS bytes (the store writes only the access width).
  const masked = [0x11n, 0x2211n, 0x4433_2211n, 0x8877_6655_4433_2211n];
  const widths = [1, 2, 4, 8] as const;
  for (let sas = 0; sas < 4; sas++) {
    for (const sse of [0, 1]) {
      for (const sf of [0, 1]) {
        for (const wnr of [0, 1]) {
          // SRT 3, DFSC 0x07 (translation fault, level 3)
          const esr =
            (DABT_LOW |
              ISV |
              (sas << 22) |
              (sse << 21) |
              (3 << 16) |
              (sf << 15) |
              (wnr << 6) |
              0x07) >>>
            0;
          const name = `SAS ${sas} SSE ${sse} SF ${sf} WnR ${wnr} (ESR 0x${esr.toString(16)})`;
          if (sas === 3 && sf === 0) {
            it(`${name} → reserved: an 8-byte access through a W register`, () => {
              rejects(
                () => decodeAarch64(at(esr, { x: [0n, 0n, 0n, X3] })),
                "reserved-encoding",
                "esr",
              );
            });
            continue;
          }
          const exit: VmExit =
            wnr === 1
              ? {
                  kind: "MmioWrite",
                  addr: IPA,
                  width: widths[sas] as 1,
                  data: masked[sas] as bigint,
                }
              : {
                  kind: "MmioRead",
                  addr: IPA,
                  width: widths[sas] as 1,
                  reg: 3,
                  regWidth: sf === 1 ? 8 : 4,
                  signedExt: sse === 1,
                };
          it(`${name} → ${exit.kind}`, () => {
            const d = decodeAarch64(at(esr, { x: [0n, 0n, 0n, X3] }));
            expect(d.exit).toStrictEqual(exit);
            expect(d.cause).toMatchObject({
              class: "data-abort",
              isv: true,
              sas,
              sse: sse === 1,
              sf: sf === 1,
              wnr: wnr === 1,
              srt: 3,
              mmioSource: "syndrome",
              gpa: IPA,
              farValid: true,
            });
          });
        }
      }
    }
  }
});

describe("decodeAarch64: data abort vectors and corner cases", () => {
  it("0x93810047 str w1 (SAS 2, SRT 1, WnR, DFSC 0x07) → 4-byte MmioWrite of w1", () => {
    const d = decodeAarch64(at(0x9381_0047, { x: [0n, 0xdead_beef_cafe_f00dn] }));
    expect(d.exit).toStrictEqual({ kind: "MmioWrite", addr: IPA, width: 4, data: 0xcafe_f00dn });
    expect(d.cause).toMatchObject({
      code: 0x24,
      name: "DABT_LOW",
      fsc: 7,
      fscClass: "translation",
      fscLevel: 3,
      fscDescription: "Translation fault, level 3",
    });
  });
  it("0x93C38006 ldr x3 (SAS 3, SRT 3, SF, DFSC 0x06) → 8-byte MmioRead into x3", () => {
    expect(decodeAarch64(at(0x93c3_8006)).exit).toStrictEqual({
      kind: "MmioRead",
      addr: IPA,
      width: 8,
      reg: 3,
      regWidth: 8,
      signedExt: false,
    });
  });
  it("store of XZR (SRT 31) writes 0 and needs no register", () => {
    // ISV | SAS 3 <<22 (0xC00000) | SRT 31 <<16 (0x1F0000) | SF 0x8000 | WnR | 0x07 → 0x93DF8047
    expect(decodeAarch64(at(0x93df_8047)).exit).toStrictEqual({
      kind: "MmioWrite",
      addr: IPA,
      width: 8,
      data: 0n,
    });
  });
  it("load into XZR (SRT 31) is a MmioRead with reg 31", () => {
    // ISV | SAS 2 (0x800000) | SRT 31 (0x1F0000) | DFSC 0x07 → 0x939F0007
    expect(decodeAarch64(at(0x939f_0007)).exit).toMatchObject({ kind: "MmioRead", reg: 31 });
  });
  it("ISS2 (bits 55:32) is carried in the cause and does not change the exit", () => {
    const d = decodeAarch64(at(0x0000_0001_93c3_8006n));
    expect(d.exit.kind).toBe("MmioRead");
    expect(d.cause).toMatchObject({ iss2: 1 });
  });
  it("FnV (bit 10): FAR unknown → NestedPageFault at the page, FAR not needed", () => {
    // 0x93810007 | 0x400 = 0x93810407
    const d = decodeAarch64({ esr: 0x9381_0407, hpfar: HPFAR });
    expect(d.exit).toStrictEqual(npf(1, 0x900_0000n));
    expect(d.cause).toMatchObject({ fnv: true, farValid: false, gpa: 0x900_0000n });
  });
  it("S1PTW (bit 7): fault on a stage-1 walk → NestedPageFault, not MMIO", () => {
    // 0x93810007 | 0x80 = 0x93810087
    const d = decodeAarch64(at(0x9381_0087));
    expect(d.exit).toStrictEqual(npf(1));
    expect(d.cause).toMatchObject({ s1ptw: true, notMmio: expect.stringContaining("S1PTW") });
  });
  it("CM (bit 8) with WnR: cache maintenance → NestedPageFault WRITE", () => {
    // 0x92000000 | CM 0x100 | WnR 0x40 | 0x07 = 0x92000147
    expect(decodeAarch64(at(0x9200_0147)).exit).toStrictEqual(npf(2));
  });
  it("options.isMmio(IPA) false → NestedPageFault; true → MMIO; it receives the IPA", () => {
    const seen: bigint[] = [];
    const no = decodeAarch64(at(0x93c3_8006), {
      isMmio: (gpa) => {
        seen.push(gpa);
        return false;
      },
    });
    expect(no.exit).toStrictEqual(npf(1));
    expect(no.cause).toMatchObject({
      notMmio: "options.isMmio returned false",
      mmioSource: undefined,
    });
    expect(seen).toStrictEqual([IPA]);
    expect(decodeAarch64(at(0x93c3_8006), { isMmio: () => true }).exit.kind).toBe("MmioRead");
  });
  it("options.isMmio that is not a function is rejected", () => {
    rejects(
      () => decodeAarch64(at(0x93c3_8006), { isMmio: 1 as never }),
      "invalid-argument",
      "options.isMmio",
    );
  });
  it("0x97523050 (esr-decoder vector): DABT_CUR, SEA → Nothing with every ISS field", () => {
    const d = decodeAarch64({ esr: 0x9752_3050 });
    expect(d.exit).toStrictEqual({ kind: "Nothing" });
    expect(d.cause).toMatchObject({
      code: 0x25,
      name: "DABT_CUR",
      isv: true,
      sas: 1,
      sse: false,
      srt: 18,
      sf: false,
      ar: false,
      vncr: true,
      set: 2,
      fnv: false,
      ea: false,
      cm: false,
      s1ptw: false,
      wnr: true,
      fsc: 0x10,
      fscClass: "sync-external",
      gpa: undefined,
    });
  });
  it("DABT_CUR translation fault → Nothing (EL2's own abort, no IPA)", () => {
    // 0x25<<26 = 0x94000000 | IL | ISV | SAS 2 | SRT 1 | 0x07 = 0x97810007
    expect(decodeAarch64({ esr: 0x9781_0007 }).exit).toStrictEqual({ kind: "Nothing" });
  });
  it("HPFAR bits 63:48 are ignored; FIPA 47:4 → IPA 55:12", () => {
    // HPFAR 0x8000_FFFF_FFFF_FFF0: NS bit 63, FIPA = 0xFFF_FFFF_FFFF → IPA 0xFF_FFFF_FFFF_F000 | 0xABC
    const d = decodeAarch64({ esr: 0x93c3_8006, hpfar: 0x8000_ffff_ffff_fff0n, far: 0xabc });
    expect(d.exit).toMatchObject({ addr: 0xff_ffff_ffff_fabcn });
  });
  it("needs hpfar, far and the stored register", () => {
    rejects(() => decodeAarch64({ esr: 0x93c3_8006, far: 0 }), "missing-register", "hpfar");
    rejects(() => decodeAarch64({ esr: 0x93c3_8006, hpfar: 0 }), "missing-register", "far");
    rejects(() => decodeAarch64(at(0x9381_0047, { x: [1n] })), "missing-register", "x1");
    rejects(() => decodeAarch64(at(0x9381_0047, { x: [1n, -1n] })), "out-of-range", "x1");
  });
  it("a non-stage-2 DFSC needs no IPA registers", () => {
    expect(decodeAarch64({ esr: 0x9381_0010 }).cause).toMatchObject({ gpa: undefined });
  });
});

describe("decodeAarch64: data abort by DFSC class", () => {
  // ISV | SAS 2 (0x800000) | SRT 1 (0x10000), read: 0x93810000 | DFSC.
  const base = 0x9381_0000;
  const mmio: VmExit = {
    kind: "MmioRead",
    addr: IPA,
    width: 4,
    reg: 1,
    regWidth: 4,
    signedExt: false,
  };
  const rows: readonly (readonly [number, string, number | undefined, VmExit])[] = [
    [0x04, "translation", 0, mmio],
    [0x05, "translation", 1, mmio],
    [0x06, "translation", 2, mmio],
    [0x07, "translation", 3, mmio],
    [0x2b, "translation", -1, mmio],
    [0x2a, "translation", -2, mmio],
    [0x08, "access-flag", 0, npf(1)],
    [0x09, "access-flag", 1, npf(1)],
    [0x0a, "access-flag", 2, npf(1)],
    [0x0b, "access-flag", 3, npf(1)],
    [0x0c, "permission", 0, npf(1)],
    [0x0d, "permission", 1, npf(1)],
    [0x0e, "permission", 2, npf(1)],
    [0x0f, "permission", 3, npf(1)],
    [0x00, "address-size", 0, { kind: "Nothing" }],
    [0x03, "address-size", 3, { kind: "Nothing" }],
    [0x29, "address-size", -1, { kind: "Nothing" }],
    [0x2c, "address-size", -2, { kind: "Nothing" }],
    [0x10, "sync-external", undefined, { kind: "Nothing" }],
    [0x11, "tag-check", undefined, { kind: "Nothing" }],
    [0x12, "sync-external-walk", -2, { kind: "Nothing" }],
    [0x13, "sync-external-walk", -1, { kind: "Nothing" }],
    [0x14, "sync-external-walk", 0, { kind: "Nothing" }],
    [0x17, "sync-external-walk", 3, { kind: "Nothing" }],
    [0x18, "parity", undefined, { kind: "Nothing" }],
    [0x1b, "parity-walk", -1, { kind: "Nothing" }],
    [0x1c, "parity-walk", 0, { kind: "Nothing" }],
    [0x1f, "parity-walk", 3, { kind: "Nothing" }],
    [0x21, "alignment", undefined, { kind: "Nothing" }],
    [0x22, "granule-protection-walk", -2, { kind: "Nothing" }],
    [0x23, "granule-protection-walk", -1, { kind: "Nothing" }],
    [0x25, "granule-protection-walk", 1, { kind: "Nothing" }],
    [0x28, "granule-protection", undefined, { kind: "Nothing" }],
    [0x30, "tlb-conflict", undefined, { kind: "Nothing" }],
    [0x31, "atomic-update", undefined, { kind: "Nothing" }],
    [0x34, "implementation-defined", undefined, { kind: "Nothing" }],
    [0x35, "implementation-defined", undefined, { kind: "Nothing" }],
  ];
  for (const [dfsc, cls, level, exit] of rows) {
    it(`DFSC 0x${dfsc.toString(16)} (${cls}, level ${level}) → ${exit.kind}`, () => {
      const d = decodeAarch64(at((base | dfsc) >>> 0));
      expect(d.exit).toStrictEqual(exit);
      expect(d.cause).toMatchObject({ fsc: dfsc, fscClass: cls, fscLevel: level });
    });
  }
  it("access-flag and permission faults with WnR → NestedPageFault WRITE", () => {
    expect(decodeAarch64(at((base | WNR | 0x0b) >>> 0)).exit).toStrictEqual(npf(2));
    expect(decodeAarch64(at((base | WNR | 0x0f) >>> 0)).exit).toStrictEqual(npf(2));
  });
  for (const dfsc of [0x19, 0x20, 0x3f]) {
    it(`reserved DFSC 0x${dfsc.toString(16)} → Nothing, described as reserved`, () => {
      const d = decodeAarch64({ esr: (base | dfsc) >>> 0 });
      expect(d.exit).toStrictEqual({ kind: "Nothing" });
      expect(d.cause).toMatchObject({
        fscClass: undefined,
        fscDescription: `Reserved fault status code 0x${dfsc.toString(16)}`,
      });
    });
  }
});

describe("decodeAarch64: data abort, ISV = 0, A64 instruction decode", () => {
  // ISV = 0, DFSC 0x07: read 0x92000007, write 0x92000047. x[n] = 0x8877665544332200 | n.
  const x = Array.from({ length: 31 }, (_, n) => 0x8877_6655_4433_2200n | BigInt(n));
  const read = (reg: number, width: number, regWidth: number, signedExt: boolean): VmExit => ({
    kind: "MmioRead",
    addr: IPA,
    width: width as 1,
    reg,
    regWidth: regWidth as 4,
    signedExt,
  });
  const write = (width: number, data: bigint): VmExit => ({
    kind: "MmioWrite",
    addr: IPA,
    width: width as 1,
    data,
  });
  const rows: readonly (readonly [string, number, boolean, VmExit, string, string])[] = [
    // size 11 | 111001 | opc 01 | imm12 0 | Rn 2 | Rt 1
    ["ldr x1, [x2]", 0xf940_0041, false, read(1, 8, 8, false), "LDR", "unsigned-immediate"],
    // size 10 | 111001 | opc 00 | imm12 2 (8/4) <<10 | Rn 4 <<5 | Rt 3
    ["str w3, [x4, #8]", 0xb900_0883, true, write(4, 0x4433_2203n), "STR", "unsigned-immediate"],
    // size 00 | 111000 | opc 01 | 1 | Rm 7 | option 011 | S 0 | 10 | Rn 6 | Rt 5
    ["ldrb w5, [x6, x7]", 0x3867_68c5, false, read(5, 1, 4, false), "LDRB", "register"],
    // size 01 | 111000 | opc 00 | 0 | imm9 0x1FE (−2) | 11 | Rn 9 | Rt 8
    ["strh w8, [x9, #-2]!", 0x781f_ed28, true, write(2, 0x2208n), "STRH", "pre-index"],
    // size 01 | 111000 | opc 10 | 0 | imm9 4 | 01 | Rn 11 | Rt 10
    ["ldrsh x10, [x11], #4", 0x7880_456a, false, read(10, 2, 8, true), "LDRSH", "post-index"],
    // size 00 | 111001 | opc 11 | imm12 0 | Rn 13 | Rt 12
    ["ldrsb w12, [x13]", 0x39c0_01ac, false, read(12, 1, 4, true), "LDRSB", "unsigned-immediate"],
    // size 10 | 111000 | opc 10 | 0 | imm9 0x1F8 (−8) | 00 | Rn 15 | Rt 14
    ["ldursw x14, [x15, #-8]", 0xb89f_81ee, false, read(14, 4, 8, true), "LDURSW", "unscaled"],
    // size 11 | 111001 | opc 00 | imm12 0 | Rn 0 | Rt 31 (XZR)
    ["str xzr, [x0]", 0xf900_001f, true, write(8, 0n), "STR", "unsigned-immediate"],
    // size 00 | 111000 | opc 00 | 1 | Rm 3 | option 010 (UXTW) | 0 | 10 | Rn 2 | Rt 1
    ["strb w1, [x2, w3, uxtw]", 0x3823_4841, true, write(1, 0x01n), "STRB", "register"],
    // size 01 | 111001 | opc 01 | imm12 3 (6/2) | Rn 5 | Rt 4
    ["ldrh w4, [x5, #6]", 0x7940_0ca4, false, read(4, 2, 4, false), "LDRH", "unsigned-immediate"],
    // size 10 | 111001 | opc 10 | imm12 1 (4/4) | Rn 7 | Rt 6
    ["ldrsw x6, [x7, #4]", 0xb980_04e6, false, read(6, 4, 8, true), "LDRSW", "unsigned-immediate"],
    // size 11 | 111000 | opc 01 | 0 | imm9 0x1F0 (−16) | 00 | Rn 2 | Rt 1
    ["ldur x1, [x2, #-16]", 0xf85f_0041, false, read(1, 8, 8, false), "LDUR", "unscaled"],
    // size 11 | 111000 | opc 00 | 0 | imm9 16 | 01 | Rn 8 | Rt 7
    ["str x7, [x8], #16", 0xf801_0507, true, write(8, 0x8877_6655_4433_2207n), "STR", "post-index"],
    // size 10 | 111000 | opc 01 | 0 | imm9 4 | 11 | Rn 10 | Rt 9
    ["ldr w9, [x10, #4]!", 0xb840_4d49, false, read(9, 4, 4, false), "LDR", "pre-index"],
    // size 00 | 111000 | opc 10 | 1 | Rm 3 | option 011 | 0 | 10 | Rn 2 | Rt 1
    ["ldrsb x1, [x2, x3]", 0x38a3_6841, false, read(1, 1, 8, true), "LDRSB", "register"],
    // size 11 | 111000 | opc 01 | 1 | Rm 3 | option 110 (SXTW) | S 0 | 10 | Rn 2 | Rt 1
    ["ldr x1, [x2, w3, sxtw]", 0xf863_c841, false, read(1, 8, 8, false), "LDR", "register"],
    // size 01 | 111000 | opc 00 | 1 | Rm 3 | option 111 (SXTX) | S 1 | 10 | Rn 2 | Rt 1
    ["strh w1, [x2, x3, sxtx #1]", 0x7823_f841, true, write(2, 0x2201n), "STRH", "register"],
    // size 01 | 111000 | opc 00 | 0 | imm9 1 | 00 | Rn 3 | Rt 2
    ["sturh w2, [x3, #1]", 0x7800_1062, true, write(2, 0x2202n), "STURH", "unscaled"],
  ];
  for (const [asm, word, isWrite, exit, mnemonic, form] of rows) {
    it(`${asm} (0x${word.toString(16)}) → ${exit.kind}`, () => {
      const esr = isWrite ? 0x9200_0047 : 0x9200_0007;
      const d = decodeAarch64(at(esr, { x, instruction: word }));
      expect(d.exit).toStrictEqual(exit);
      expect(d.cause).toMatchObject({
        isv: false,
        mmioSource: "instruction",
        instruction: {
          mnemonic,
          form,
          isWrite,
          writeback: form === "pre-index" || form === "post-index",
        },
      });
    });
  }
  const undecodable: readonly (readonly [string, number])[] = [
    ["nop", 0xd503_201f],
    // size 11 | 111001 | opc 10: PRFM PLDL1KEEP, [x0]
    ["prfm pldl1keep, [x0]", 0xf980_0000],
    // size 10 | 101 | V 0 | 010 | L 1 | imm7 0 | Rt2 2 | Rn 3 | Rt 1: LDP x1, x2, [x3] (a pair)
    ["ldp x1, x2, [x3]", 0xa940_0861],
    // size 11 | 001000 | o2 0 L 1 o1 0 | Rs 11111 | o0 0 | Rt2 11111 | Rn 2 | Rt 1: LDXR (exclusive)
    ["ldxr x1, [x2]", 0xc85f_7c41],
    // as LDXR with o2 1, o0 1: LDAR x1, [x2] (load-acquire, the "ordered" class, not RCpc)
    ["ldar x1, [x2]", 0xc8df_fc41],
    // size 11 | 111000 | A 0 R 0 | 1 | Rs 1 | o3 0 | opc 000 | 00 | Rn 3 | Rt 2: LDADD (atomic)
    ["ldadd x1, x2, [x3]", 0xf821_0062],
    // opc 11 | 011 | V 0 | 00 | imm19 2: PRFM (literal), a prefetch
    ["prfm pldl1keep, <pc+8>", 0xd800_0040],
    // opc 00 | 011 | V 1 | 00 | imm19 2 | Rt 1: LDR s1, <pc+8> (SIMD&FP literal)
    ["ldr s1, <pc+8>", 0x1c00_0041],
    // 11011001 | 0 0 1 | imm9 0 | 10 | Rn 2 | Rt 1: STG x1, [x2] (MTE, bit 21 = 1 in the 011001 class)
    ["stg x1, [x2]", 0xd920_0841],
    // size 11 | 111000 | opc 10 | 0 | imm9 0 | 10 | Rn 2 | Rt 1: size 3 opc 2 is unallocated unprivileged
    ["unprivileged size 11 opc 10", 0xf880_0841],
    // size 11 | 011001 | opc 10 | 0 | imm9 | 00: size 3 opc 2 is unallocated in the RCpc class
    ["RCpc size 11 opc 10", 0xd980_0041],
    // register form with option 000 (unallocated)
    ["ldrb w1, [x2, w3, option 000]", 0x3863_0841],
    // V = 1: LDR s1, [x2] (SIMD&FP)
    ["ldr s1, [x2]", 0xbd40_0041],
    // size 10, opc 11: unallocated
    ["size 10 opc 11", 0xb9c0_0041],
  ];
  for (const [asm, word] of undecodable) {
    it(`${asm} (0x${word.toString(16)}) → NestedPageFault READ`, () => {
      const d = decodeAarch64(at(0x9200_0007, { x, instruction: word }));
      expect(d.exit).toStrictEqual(npf(1));
      expect(d.cause).toMatchObject({
        instruction: undefined,
        notMmio: expect.stringContaining("not a decodable"),
      });
    });
  }
  it("ldr x1, [x2] reported with WnR = 1 disagrees → NestedPageFault WRITE", () => {
    const d = decodeAarch64(at(0x9200_0047, { x, instruction: 0xf940_0041 }));
    expect(d.exit).toStrictEqual(npf(2));
    expect(d.cause).toMatchObject({ notMmio: "LDR disagrees with WnR = 1" });
  });
  it("ISV = 0 without an instruction → NestedPageFault", () => {
    expect(decodeAarch64(at(0x9200_0047)).exit).toStrictEqual(npf(2));
  });
  it("an instruction that is not a 32-bit word is rejected", () => {
    rejects(
      () => decodeAarch64(at(0x9200_0007, { instruction: -1 })),
      "invalid-argument",
      "instruction",
    );
    // an integer above 0xFFFFFFFF is out of range, as explainAarch64 says for the same word
    rejects(
      () => decodeAarch64(at(0x9200_0007, { instruction: 2 ** 32 })),
      "out-of-range",
      "instruction",
    );
    rejects(
      () => decodeAarch64(at(0x9200_0007, { instruction: 1.5 })),
      "invalid-argument",
      "instruction",
    );
  });
});

describe("decodeAarch64: data abort, ISV = 0, unprivileged, RCpc and literal forms", () => {
  // The words are built from the Arm ARM encoding classes (C4.1.94 "Loads and Stores"; each
  // comment gives the fields high to low) and agree with what llvm-mc 14 assembles for the
  // instruction (-mattr=+rcpc,+rcpc-immo). x[n] = 0x8877665544332200 | n.
  const x = Array.from({ length: 31 }, (_, n) => 0x8877_6655_4433_2200n | BigInt(n));
  const read = (reg: number, width: number, regWidth: number, signedExt: boolean): VmExit => ({
    kind: "MmioRead",
    addr: IPA,
    width: width as 1,
    reg,
    regWidth: regWidth as 4,
    signedExt,
  });
  const write = (width: number, data: bigint): VmExit => ({
    kind: "MmioWrite",
    addr: IPA,
    width: width as 1,
    data,
  });
  type Row = readonly [asm: string, word: number, exit: VmExit, mnemonic: string, form: string];
  const rows: readonly Row[] = [
    // Load/store register (unprivileged): size | 111 | V 0 | 00 | opc | 0 | imm9 | 10 | Rn | Rt
    // size 11 | opc 01 | imm9 0 | Rn 2 | Rt 1 = 0xF8400841
    ["ldtr x1, [x2]", 0xf840_0841, read(1, 8, 8, false), "LDTR", "unprivileged"],
    // size 10 | opc 01 | imm9 0x1FC (−4) | Rn 4 | Rt 3 = 0xB85FC883
    ["ldtr w3, [x4, #-4]", 0xb85f_c883, read(3, 4, 4, false), "LDTR", "unprivileged"],
    // size 11 | opc 00 | imm9 0xFF | Rn 6 | Rt 5 = 0xF80FF8C5
    ["sttr x5, [x6, #255]", 0xf80f_f8c5, write(8, 0x8877_6655_4433_2205n), "STTR", "unprivileged"],
    // size 10 | opc 00 | imm9 0 | Rn 8 | Rt 7 = 0xB8000907: the low word of x7
    ["sttr w7, [x8]", 0xb800_0907, write(4, 0x4433_2207n), "STTR", "unprivileged"],
    // size 00 | opc 01 | imm9 1 | Rn 10 | Rt 9 = 0x38401949
    ["ldtrb w9, [x10, #1]", 0x3840_1949, read(9, 1, 4, false), "LDTRB", "unprivileged"],
    // size 00 | opc 00 | imm9 0 | Rn 12 | Rt 11 = 0x3800098B: the low byte of x11
    ["sttrb w11, [x12]", 0x3800_098b, write(1, 0x0bn), "STTRB", "unprivileged"],
    // size 01 | opc 01 | Rn 14 | Rt 13 = 0x784009CD
    ["ldtrh w13, [x14]", 0x7840_09cd, read(13, 2, 4, false), "LDTRH", "unprivileged"],
    // size 01 | opc 00 | imm9 0x100 (−256) | Rn 16 | Rt 15 = 0x78100A0F
    ["sttrh w15, [x16, #-256]", 0x7810_0a0f, write(2, 0x220fn), "STTRH", "unprivileged"],
    // size 00 | opc 10 (sign-extend to 64) | Rn 18 | Rt 17 = 0x38800A51
    ["ldtrsb x17, [x18]", 0x3880_0a51, read(17, 1, 8, true), "LDTRSB", "unprivileged"],
    // size 00 | opc 11 (sign-extend to 32) | Rn 20 | Rt 19 = 0x38C00A93
    ["ldtrsb w19, [x20]", 0x38c0_0a93, read(19, 1, 4, true), "LDTRSB", "unprivileged"],
    // size 01 | opc 10 | Rn 22 | Rt 21 = 0x78800AD5
    ["ldtrsh x21, [x22]", 0x7880_0ad5, read(21, 2, 8, true), "LDTRSH", "unprivileged"],
    // size 01 | opc 11 | Rn 24 | Rt 23 = 0x78C00B17
    ["ldtrsh w23, [x24]", 0x78c0_0b17, read(23, 2, 4, true), "LDTRSH", "unprivileged"],
    // size 10 | opc 10 | Rn 26 | Rt 25 = 0xB8800B59
    ["ldtrsw x25, [x26]", 0xb880_0b59, read(25, 4, 8, true), "LDTRSW", "unprivileged"],
    // LDAPR (FEAT_LRCPC): size | 111 | 0 | 00 | A 1 | R 0 | 1 | Rs 11111 | o3 1 | opc 100 | 00 | Rn | Rt
    // size 10 | Rn 4 | Rt 3 = 0xB8BFC083
    ["ldapr w3, [x4]", 0xb8bf_c083, read(3, 4, 4, false), "LDAPR", "no-offset"],
    // size 11 | Rn 6 | Rt 5 = 0xF8BFC0C5
    ["ldapr x5, [x6]", 0xf8bf_c0c5, read(5, 8, 8, false), "LDAPR", "no-offset"],
    // size 00 | Rn 8 | Rt 7 = 0x38BFC107
    ["ldaprb w7, [x8]", 0x38bf_c107, read(7, 1, 4, false), "LDAPRB", "no-offset"],
    // size 01 | Rn 31 (SP) | Rt 9 = 0x78BFC3E9
    ["ldaprh w9, [sp]", 0x78bf_c3e9, read(9, 2, 4, false), "LDAPRH", "no-offset"],
    // LDAPR/STLR (unscaled immediate, FEAT_LRCPC2): size | 011001 | opc | 0 | imm9 | 00 | Rn | Rt
    // size 11 | opc 01 | imm9 0x1F8 (−8) | Rn 2 | Rt 1 = 0xD95F8041
    ["ldapur x1, [x2, #-8]", 0xd95f_8041, read(1, 8, 8, false), "LDAPUR", "unscaled"],
    // size 10 | opc 01 | imm9 4 | Rn 4 | Rt 3 = 0x99404083
    ["ldapur w3, [x4, #4]", 0x9940_4083, read(3, 4, 4, false), "LDAPUR", "unscaled"],
    // size 00 | opc 01 | Rn 6 | Rt 5 = 0x194000C5
    ["ldapurb w5, [x6]", 0x1940_00c5, read(5, 1, 4, false), "LDAPURB", "unscaled"],
    // size 01 | opc 01 | imm9 2 | Rn 8 | Rt 7 = 0x59402107
    ["ldapurh w7, [x8, #2]", 0x5940_2107, read(7, 2, 4, false), "LDAPURH", "unscaled"],
    // size 00 | opc 10 | Rn 10 | Rt 9 = 0x19800149
    ["ldapursb x9, [x10]", 0x1980_0149, read(9, 1, 8, true), "LDAPURSB", "unscaled"],
    // size 00 | opc 11 | Rn 12 | Rt 11 = 0x19C0018B
    ["ldapursb w11, [x12]", 0x19c0_018b, read(11, 1, 4, true), "LDAPURSB", "unscaled"],
    // size 01 | opc 10 | Rn 14 | Rt 13 = 0x598001CD
    ["ldapursh x13, [x14]", 0x5980_01cd, read(13, 2, 8, true), "LDAPURSH", "unscaled"],
    // size 01 | opc 11 | Rn 16 | Rt 15 = 0x59C0020F
    ["ldapursh w15, [x16]", 0x59c0_020f, read(15, 2, 4, true), "LDAPURSH", "unscaled"],
    // size 10 | opc 10 | imm9 0x1FF (−1) | Rn 18 | Rt 17 = 0x999FF251
    ["ldapursw x17, [x18, #-1]", 0x999f_f251, read(17, 4, 8, true), "LDAPURSW", "unscaled"],
    // size 11 | opc 00 | Rn 20 | Rt 19 = 0xD9000293
    ["stlur x19, [x20]", 0xd900_0293, write(8, 0x8877_6655_4433_2213n), "STLUR", "unscaled"],
    // size 10 | opc 00 | imm9 0xFF | Rn 22 | Rt 21 = 0x990FF2D5
    ["stlur w21, [x22, #255]", 0x990f_f2d5, write(4, 0x4433_2215n), "STLUR", "unscaled"],
    // size 00 | opc 00 | Rn 24 | Rt 23 = 0x19000317
    ["stlurb w23, [x24]", 0x1900_0317, write(1, 0x17n), "STLURB", "unscaled"],
    // size 01 | opc 00 | imm9 0x100 (−256) | Rn 26 | Rt 25 = 0x59100359
    ["stlurh w25, [x26, #-256]", 0x5910_0359, write(2, 0x2219n), "STLURH", "unscaled"],
    // Load register (literal): opc | 011 | V 0 | 00 | imm19 | Rt
    // opc 00 (LDR 32-bit) | imm19 2 (+8) | Rt 1 = 0x18000041
    ["ldr w1, <pc+8>", 0x1800_0041, read(1, 4, 4, false), "LDR", "literal"],
    // opc 01 (LDR 64-bit) | imm19 0x7FFFF (−4) | Rt 2 = 0x58FFFFE2
    ["ldr x2, <pc-4>", 0x58ff_ffe2, read(2, 8, 8, false), "LDR", "literal"],
    // opc 10 (LDRSW) | imm19 0x3FFFF (+0xFFFFC) | Rt 3 = 0x987FFFE3
    ["ldrsw x3, <pc+0xffffc>", 0x987f_ffe3, read(3, 4, 8, true), "LDRSW", "literal"],
  ];
  for (const [asm, word, exit, mnemonic, form] of rows) {
    it(`${asm} (0x${word.toString(16)}) → ${exit.kind}`, () => {
      const isWrite = exit.kind === "MmioWrite";
      // ISV = 0, DFSC 0x07 (translation fault, level 3); WnR for the stores.
      const esr = isWrite ? 0x9200_0047 : 0x9200_0007;
      const d = decodeAarch64(at(esr, { x, instruction: word }));
      expect(d.exit).toStrictEqual(exit);
      expect(d.cause).toMatchObject({
        mmioSource: "instruction",
        notMmio: undefined,
        instruction: { mnemonic, form, isWrite, writeback: false },
      });
    });
  }
  it("reports the base register, and none for the PC-relative literal", () => {
    // ldtr x1, [sp, #8]: size 11 | opc 01 | imm9 8 | Rn 31 | Rt 1 = 0xF8408BE1
    const ldtr = decodeAarch64(at(0x9200_0007, { x, instruction: 0xf840_8be1 })).cause;
    expect(ldtr).toMatchObject({ instruction: { rn: 31, rt: 1 } });
    const lit = decodeAarch64(at(0x9200_0007, { x, instruction: 0x1800_0041 })).cause;
    expect(lit).toMatchObject({ instruction: { rn: undefined, rt: 1, width: 4 } });
  });
});

describe("decodeAarch64: instruction aborts", () => {
  it("0x82000007 IABT_LOW translation L3 → NestedPageFault EXECUTE at the IPA", () => {
    // HPFAR 0x12340 → IPA page 0x1234000; FAR[11:0] 0xABC → 0x1234ABC
    const d = decodeAarch64({ esr: 0x8200_0007, hpfar: 0x1_2340, far: 0xffff_8000_0000_0abcn });
    expect(d.exit).toStrictEqual(npf(4, 0x123_4abcn));
    expect(d.cause).toMatchObject({
      code: 0x20,
      name: "IABT_LOW",
      class: "instruction-abort",
      fsc: 7,
    });
  });
  it("0x82001E10 (esr-decoder): SEA, SET 3, FnV, EA → NestedPageFault EXECUTE at the page", () => {
    const d = decodeAarch64({ esr: 0x8200_1e10, hpfar: 0x1_2340 });
    expect(d.exit).toStrictEqual(npf(4, 0x123_4000n));
    expect(d.cause).toMatchObject({
      set: 3,
      fnv: true,
      ea: true,
      s1ptw: false,
      fscClass: "sync-external",
      farValid: false,
    });
  });
  it("0x86000007 IABT_CUR → Nothing, no IPA needed", () => {
    const d = decodeAarch64({ esr: 0x8600_0007 });
    expect(d.exit).toStrictEqual({ kind: "Nothing" });
    expect(d.cause).toMatchObject({ name: "IABT_CUR", gpa: undefined });
  });
  it("IABT_LOW needs hpfar", () => {
    rejects(() => decodeAarch64({ esr: 0x8200_0007, far: 0 }), "missing-register", "hpfar");
  });
});
