import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VmExitError } from "../../core/error";
import { SAS } from "./abort";
import { bitsAt, fieldAt, flagAt, hiOf, isSetAt, loOf } from "./at";
import { FIPA } from "./hpfar";
import {
  AbortIss,
  CallIss,
  Cond,
  Esr,
  FaultAddress,
  SErrorIss,
  SgiValue,
  SmcccFid,
  Sys64Iss,
  WfxIss,
} from "./positions";

describe("bitsAt / isSetAt", () => {
  it("cut the field at (mask << 6 | lo) out of the half it lies in", () => {
    // SAS [23:22] of 0x00800000 (bit 23 set) is 0b10.
    expect(bitsAt((0b11 << 6) | 22, 0x0080_0000)).toBe(2);
    // ISS [24:0] of 0x93810047 is 0x1810047.
    expect(bitsAt((0x1ff_ffff << 6) | 0, 0x9381_0047)).toBe(0x181_0047);
    // EC [31:26] of 0x93810047 is 0x24: the top bits of a word above 2^31.
    expect(bitsAt((0x3f << 6) | 26, 0x9381_0047)).toBe(0x24);
    // A field above bit 32 is read from the high half: Aff3 [55:48] of hi = 0x00AB0000 is 0xAB.
    expect(bitsAt((0xff << 6) | 48, 0x00ab_0000)).toBe(0xab);
    // IRM [40] is bit 8 of the high half.
    expect(isSetAt((1 << 6) | 40, 0x100)).toBe(true);
    expect(isSetAt((1 << 6) | 40, 0xfeff)).toBe(false);
  });

  it("agree with BigInt shifts on any 64-bit value, for every field of one half", () => {
    const at = fc
      .record({ lo: fc.nat({ max: 63 }), width: fc.integer({ min: 1, max: 26 }) })
      .filter(({ lo, width }) => lo >>> 5 === (lo + width - 1) >>> 5)
      .map(({ lo, width }) => ({ lo, width, at: (((1 << width) - 1) << 6) | lo }));
    fc.assert(
      fc.property(at, fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (f, v) => {
        const expected = Number((v >> BigInt(f.lo)) & ((1n << BigInt(f.width)) - 1n));
        const half = Number(f.lo >= 32 ? v >> 32n : v & 0xffff_ffffn);
        expect(bitsAt(f.at, half)).toBe(expected);
        expect(isSetAt(f.at, half)).toBe(expected !== 0);
        expect(loOf(f.at)).toBe(f.lo);
        expect(hiOf(f.at)).toBe(f.lo + f.width - 1);
      }),
    );
  });
});

describe("fieldAt / flagAt", () => {
  it("build the field object of the same bits", () => {
    expect(fieldAt("SAS", AbortIss.SAS)).toMatchObject({ name: "SAS", hi: 23, lo: 22 });
    expect(SAS).toMatchObject({ hi: 23, lo: 22, shift: 22, mask: 3 });
    expect(flagAt("IRM", SgiValue.IRM, "no", "yes")).toMatchObject({
      hi: 40,
      lo: 40,
      shift: 8,
      mask: 1,
      meaning: ["no", "yes"],
    });
  });

  it("reject a mask that is not 2^width − 1 and a field across bit 32", () => {
    const bad = [(0b101 << 6) | 4, (0 << 6) | 3, (0xff << 6) | 28, (0x1ff_ffff << 6) | 8];
    for (const at of bad) {
      expect(() => fieldAt("X", at)).toThrow(VmExitError);
      expect(() => fieldAt("X", at)).toThrow(/not a field of one 32-bit half/);
    }
  });
});

// Every position the decoder reads, against the Arm ARM (DDI 0487, D24.2.40 ESR_EL2 and its ISS
// encodings; HPFAR_EL2; FAR_EL2), the GICv3 specification (IHI 0069, ICC_SGI1R_EL1) and the SMC
// Calling Convention (DEN0028 §2.5, the function identifier): [name, at, hi, lo].
const POSITIONS: readonly (readonly [string, number, number, number])[] = [
  // ESR_EL2: RES0 [63:56], ISS2 [55:32], EC [31:26], IL [25], ISS [24:0].
  ["ESR.RES0", Esr.RES0, 63, 56],
  ["ESR.ISS2", Esr.ISS2, 55, 32],
  ["ESR.EC", Esr.EC, 31, 26],
  ["ESR.IL", Esr.IL, 25, 25],
  ["ESR.ISS", Esr.ISS, 24, 0],
  // Data / instruction abort ISS: ISV [24], SAS [23:22], SSE [21], SRT [20:16], SF [15], AR [14],
  // VNCR [13], SET [12:11], FnV [10], EA [9], CM [8], S1PTW [7], WnR [6], DFSC/IFSC [5:0].
  ["ISV", AbortIss.ISV, 24, 24],
  ["SAS", AbortIss.SAS, 23, 22],
  ["SSE", AbortIss.SSE, 21, 21],
  ["SRT", AbortIss.SRT, 20, 16],
  ["SF", AbortIss.SF, 15, 15],
  ["AR", AbortIss.AR, 14, 14],
  ["VNCR", AbortIss.VNCR, 13, 13],
  ["SET", AbortIss.SET, 12, 11],
  ["FnV", AbortIss.FNV, 10, 10],
  ["EA", AbortIss.EA, 9, 9],
  ["CM", AbortIss.CM, 8, 8],
  ["S1PTW", AbortIss.S1PTW, 7, 7],
  ["WnR", AbortIss.WNR, 6, 6],
  ["DFSC", AbortIss.FSC, 5, 0],
  // SYS64 ISS: Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1], Direction [0].
  ["Op0", Sys64Iss.OP0, 21, 20],
  ["Op2", Sys64Iss.OP2, 19, 17],
  ["Op1", Sys64Iss.OP1, 16, 14],
  ["CRn", Sys64Iss.CRN, 13, 10],
  ["Rt", Sys64Iss.RT, 9, 5],
  ["CRm", Sys64Iss.CRM, 4, 1],
  ["Direction", Sys64Iss.DIRECTION, 0, 0],
  // WFx ISS: CV [24], COND [23:20], RN [9:5], RV [2], TI [1:0].
  ["CV", Cond.CV, 24, 24],
  ["COND", Cond.COND, 23, 20],
  ["RN", WfxIss.RN, 9, 5],
  ["RV", WfxIss.RV, 2, 2],
  ["TI", WfxIss.TI, 1, 0],
  // HVC/SMC64 ISS: imm16 [15:0]. SError ISS: IDS [24], AET [12:10], EA [9], DFSC [5:0].
  ["imm16", CallIss.IMM16, 15, 0],
  ["SError.IDS", SErrorIss.IDS, 24, 24],
  ["SError.AET", SErrorIss.AET, 12, 10],
  ["SError.EA", SErrorIss.EA, 9, 9],
  ["SError.DFSC", SErrorIss.DFSC, 5, 0],
  // SMCCC function ID: CallType [31], Convention [30], OEN [29:24], function number [15:0].
  ["CallType", SmcccFid.CALL_TYPE, 31, 31],
  ["Convention", SmcccFid.CONVENTION, 30, 30],
  ["OEN", SmcccFid.OEN, 29, 24],
  ["FunctionNumber", SmcccFid.FUNCTION_NUMBER, 15, 0],
  // ICC_SGI1R_EL1: Aff3 [55:48], RS [47:44], IRM [40], Aff2 [39:32], INTID [27:24], Aff1 [23:16],
  // TargetList [15:0].
  ["Aff3", SgiValue.AFF3, 55, 48],
  ["RS", SgiValue.RS, 47, 44],
  ["IRM", SgiValue.IRM, 40, 40],
  ["Aff2", SgiValue.AFF2, 39, 32],
  ["INTID", SgiValue.INTID, 27, 24],
  ["Aff1", SgiValue.AFF1, 23, 16],
  ["TargetList", SgiValue.TARGET_LIST, 15, 0],
  // HPFAR_EL2.FIPA [47:4]: its high part [47:32]; FAR_EL2[11:0], the page offset.
  ["FIPA high part", FaultAddress.FIPA_HIGH, 47, 32],
  ["FAR page offset", FaultAddress.PAGE_OFFSET, 11, 0],
];

describe("layout positions", () => {
  it.each(POSITIONS)("%s is at [hi:lo] of the manual", (_name, at, hi, lo) => {
    expect([hiOf(at), loOf(at)]).toEqual([hi, lo]);
  });

  it("FIPA is HPFAR_EL2[47:4]", () => {
    expect(FIPA).toMatchObject({ hi: 47, lo: 4 });
    expect(FaultAddress.FIPA_LO).toBe(4);
  });
});
