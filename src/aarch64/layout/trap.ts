// ISS layouts of the trapped-instruction and miscellaneous exception classes: SVC/HVC/SMC,
// SIMD/FP/SVE/SME access, PAC, LD64B/ST64B, BTI, ERET, FPAC, MOPS, FP exceptions and GCS.
// Sources: Arm ARM D24.2.40 (ESR_EL2 ISS encodings); Linux esr.h; QEMU target/arm/syndrome.h;
// google/aarch64-esr-decoder src/esr/*.rs.

import { type BitField, bits, field, flag, isSet, reserved } from "../../core/layout";
import { COND, CV, hexNum, type IssLayout, issLayout, X_REG, xReg } from "./common";

/** EC 0x07: access to SVE, Advanced SIMD or floating point trapped (CPACR_EL1.FPEN, CPTR_EL2.FPEN/TFP). */
export const FP_ACCESS_LAYOUT: IssLayout = issLayout([CV, COND, reserved(19, 0)]);

/** EC 0x0A: trapped LD64B/ST64B*, or TSB/PSB CSYNC (the ISS is an enumeration). */
export const OTHER_LAYOUT: IssLayout = issLayout(
  [],
  (iss) =>
    [
      "ST64BV trapped",
      "ST64BV0 trapped",
      "LD64B or ST64B trapped",
      "TSB CSYNC trapped",
      "PSB CSYNC trapped",
    ][iss] ?? `Reserved ISS ${hexNum(iss)} for EC 0x0A`,
);

/** EC 0x0D: Branch Target exception; BTYPE is PSTATE.BTYPE at the guarded target. */
export const BTI_LAYOUT: IssLayout = issLayout([
  reserved(24, 2),
  field("BTYPE", 1, 0, [
    "0b00: not set by a branch (should not fault)",
    "0b01: BR through X16 or X17, or BRAA/BRAB…",
    "0b10: BLR (indirect call)",
    "0b11: BR through another register",
  ]),
]);

/** EC 0x1A: trapped ERET, ERETAA or ERETAB. */
export const ERET_LAYOUT: IssLayout = issLayout(
  [
    reserved(24, 2),
    flag("ERET", 1, "ERET", "ERETAA or ERETAB"),
    field("ERETA", 0, 0, (v, reg) =>
      (reg.lo & 2) === 0
        ? "Not meaningful for ERET"
        : v === 1
          ? "ERETAB (B key)"
          : "ERETAA (A key)",
    ),
  ],
  (iss) => ["ERET", "ERET", "ERETAA", "ERETAB"][iss & 3],
);

/** EC 0x1C: pointer authentication failure. */
export const FPAC_LAYOUT: IssLayout = issLayout([
  reserved(24, 2),
  flag("IorD", 1, "Instruction key", "Data key"),
  flag("AorB", 0, "A key", "B key"),
]);

/** EC 0x1D: SME trap; SMTC says why. */
export const SME_LAYOUT: IssLayout = issLayout([
  reserved(24, 3),
  field("SMTC", 2, 0, [
    "Access to SME functionality trapped (CPACR_EL1.SMEN, CPTR_EL2.SMEN/TSM or CPTR_EL3.ESM)",
    "Advanced SIMD, SVE or SVE2 instruction trapped because PSTATE.SM is 1",
    "SME instruction trapped because PSTATE.SM is 0",
    "SME instruction trapped because PSTATE.ZA is 0",
    "ZT0 access trapped because SMCR_ELx.EZT0 is 0 (SME2)",
    "Reserved",
    "Reserved",
    "Reserved",
  ]),
]);

/** EC 0x1F: IMPLEMENTATION DEFINED exception to EL3. */
export const IMP_DEF_LAYOUT: IssLayout = issLayout([
  field("IMPDEF", 24, 0, () => "IMPLEMENTATION DEFINED syndrome"),
]);

const MEM_INST = flag("MemInst", 24, "CPY* (memory copy)", "SET* (memory set)");

/** EC 0x27: memory copy/set (CPY*, SET*) exception. */
export const MOPS_LAYOUT: IssLayout = issLayout(
  [
    MEM_INST,
    flag("isSETG", 23, "Not SETG*", "SETG* (memory set with tags)"),
    field("Options", 22, 19, (v) => `Options field of the instruction: ${hexNum(v)}`),
    flag("FromEpilogue", 18, "From a prologue or main instruction", "From an epilogue instruction"),
    flag(
      "WrongOption",
      17,
      "The algorithm option matches PSTATE.C",
      "Wrong option: the instruction's algorithm option does not match PSTATE.C",
    ),
    flag("OptionA", 16, "Algorithm option B", "Algorithm option A"),
    reserved(15, 15),
    field("DestReg", 14, 10, X_REG),
    field("SrcReg", 9, 5, X_REG),
    field("SizeReg", 4, 0, X_REG),
  ],
  (_iss, reg) => (isSet(MEM_INST, reg.lo) ? "SET* memory set" : "CPY* memory copy"),
);

function fpFlag(name: string, bit: number, what: string): BitField {
  return flag(name, bit, `${what} exception did not occur`, `${what} exception occurred`);
}

/** EC 0x28/0x2C: trapped floating-point exception. */
export const FP_EXC_LAYOUT: IssLayout = issLayout([
  reserved(24, 24),
  flag(
    "TFV",
    23,
    "IDF, IXF, UFF, OFF, DZF and IOF do not hold valid information",
    "IDF, IXF, UFF, OFF, DZF and IOF say which exceptions occurred",
  ),
  reserved(22, 11),
  field(
    "VECITR",
    10,
    8,
    (v) => `Vector iteration count (AArch32; RES1/UNKNOWN from AArch64): ${v}`,
  ),
  fpFlag("IDF", 7, "Input Denormal"),
  reserved(6, 5),
  fpFlag("IXF", 4, "Inexact"),
  fpFlag("UFF", 3, "Underflow"),
  fpFlag("OFF", 2, "Overflow"),
  fpFlag("DZF", 1, "Divide by Zero"),
  fpFlag("IOF", 0, "Invalid Operation"),
]);

// GCS data check IT [4:0] (Arm ARM "ISS encoding for a GCS exception"; QEMU `GCSInstructionType`):
// 0b00110 and 0b00111 are reserved, GCSPOPCX is 0b01000 and GCSPOPX 0b01001.
const GCS_IT: readonly (string | undefined)[] = [
  "RET",
  "GCSPOPM",
  "RETAA",
  "RETAB",
  "GCSSS1",
  "GCSSS2",
  undefined,
  undefined,
  "GCSPOPCX",
  "GCSPOPX",
];

const GCS_EXTYPE = field("ExType", 23, 20, [
  "GCS data check exception (return address does not match the GCS)",
  "EXLOCK exception",
  "Trapped GCSSTR or GCSSTTR",
]);

/** EC 0x2D: Guarded Control Stack exception; the layout depends on ExType. */
export const GCS_LAYOUT: IssLayout = {
  fields: (reg) => {
    const exType = bits(GCS_EXTYPE, reg.lo);
    const head = [reserved(24, 24), GCS_EXTYPE];
    if (exType === 0) {
      return [
        ...head,
        reserved(19, 15),
        field("Raddr", 14, 10, X_REG),
        field("Rn", 9, 5, X_REG),
        field("IT", 4, 0, (v) => GCS_IT[v] ?? "Reserved instruction type"),
      ];
    }
    if (exType === 2) {
      return [
        ...head,
        reserved(19, 15),
        field("Raddr", 14, 10, (v) => `${xReg(v)}: register holding the address`),
        field("Rvalue", 9, 5, (v) => `${xReg(v)}: register holding the value`),
        reserved(4, 0),
      ];
    }
    return [...head, reserved(19, 0)];
  },
};
