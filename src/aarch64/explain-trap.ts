// ISS layouts of the trapped-instruction and miscellaneous exception classes: WFx, SVC/HVC/SMC,
// SIMD/FP/SVE/SME access, PAC, LD64B/ST64B, BTI, ERET, TSTART, FPAC, MOPS, FP exceptions, GCS and
// SError. Sources: Arm ARM D24.2.40 (ESR_EL2 ISS encodings); Linux esr.h; QEMU
// target/arm/syndrome.h; google/aarch64-esr-decoder src/esr/*.rs.

import {
  COND,
  CV,
  type EsrFieldSpec,
  type EsrIssLayout,
  field,
  fixedLayout,
  flag,
  hexNum,
  res0,
  X_REG,
  xReg,
} from "./explain-fields";

/** EC 0x01: trapped WFI, WFE, WFIT or WFET. */
export const WFX_LAYOUT: EsrIssLayout = fixedLayout(
  [
    CV,
    COND,
    res0(19, 10),
    field("RN", 9, 5, (v) => `${xReg(v)}: register holding the WFIT/WFET timeout (when RV is 1)`),
    res0(4, 3),
    flag("RV", 2, "RN is not valid", "RN is valid (WFIT or WFET)"),
    field("TI", 1, 0, ["WFI trapped", "WFE trapped", "WFIT trapped", "WFET trapped"]),
  ],
  (iss) => ["WFI", "WFE", "WFIT", "WFET"][iss & 3],
);

/** SVC/HVC (both states) and SMC64: imm16 in [15:0]. */
export function immLayout(mnemonic: "SVC" | "HVC" | "SMC"): EsrIssLayout {
  return fixedLayout(
    [res0(24, 16), field("imm16", 15, 0, (v) => `${mnemonic} #${hexNum(v)}`)],
    (iss) => `${mnemonic} #${hexNum(iss & 0xffff)}`,
  );
}

/** EC 0x13: trapped SMC from AArch32 (no immediate; CCKNOWNPASS says whether the condition passed). */
export const SMC32_LAYOUT: EsrIssLayout = fixedLayout([
  CV,
  COND,
  flag(
    "CCKNOWNPASS",
    19,
    "Unconditional, or conditional and passed its condition code check",
    "Conditional: might have failed its condition code check (see CV/COND)",
  ),
  res0(18, 0),
]);

/** EC 0x07: access to SVE, Advanced SIMD or floating point trapped (CPACR_EL1.FPEN, CPTR_EL2.FPEN/TFP). */
export const FP_ACCESS_LAYOUT: EsrIssLayout = fixedLayout([CV, COND, res0(19, 0)]);

/** EC 0x0A: trapped LD64B/ST64B*, or TSB/PSB CSYNC (the ISS is an enumeration). */
export const OTHER_LAYOUT: EsrIssLayout = fixedLayout(
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
export const BTI_LAYOUT: EsrIssLayout = fixedLayout([
  res0(24, 2),
  field("BTYPE", 1, 0, [
    "0b00: not set by a branch (should not fault)",
    "0b01: BR through X16 or X17, or BRAA/BRAB…",
    "0b10: BLR (indirect call)",
    "0b11: BR through another register",
  ]),
]);

/** EC 0x1A: trapped ERET, ERETAA or ERETAB. */
export const ERET_LAYOUT: EsrIssLayout = fixedLayout(
  [
    res0(24, 2),
    flag("ERET", 1, "ERET", "ERETAA or ERETAB"),
    field("ERETA", 0, 0, (v, iss) =>
      (iss & 2) === 0 ? "Not meaningful for ERET" : v === 1 ? "ERETAB (B key)" : "ERETAA (A key)",
    ),
  ],
  (iss) => ["ERET", "ERET", "ERETAA", "ERETAB"][iss & 3],
);

/** EC 0x1B: TSTART trapped (FEAT_TME; the class is unallocated in Arm ARM issues without TME). */
export const TSTART_LAYOUT: EsrIssLayout = fixedLayout([
  res0(24, 10),
  field("Rd", 9, 5, (v) => `${xReg(v)}: destination register of TSTART`),
  res0(4, 0),
]);

/** EC 0x1C: pointer authentication failure. */
export const FPAC_LAYOUT: EsrIssLayout = fixedLayout([
  res0(24, 2),
  flag("IorD", 1, "Instruction key", "Data key"),
  flag("AorB", 0, "A key", "B key"),
]);

/** EC 0x1D: SME trap; SMTC says why. */
export const SME_LAYOUT: EsrIssLayout = fixedLayout([
  res0(24, 3),
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
export const IMP_DEF_LAYOUT: EsrIssLayout = fixedLayout([
  field("IMPDEF", 24, 0, () => "IMPLEMENTATION DEFINED syndrome"),
]);

/** EC 0x27: memory copy/set (CPY*, SET*) exception. */
export const MOPS_LAYOUT: EsrIssLayout = fixedLayout(
  [
    flag("MemInst", 24, "CPY* (memory copy)", "SET* (memory set)"),
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
    res0(15, 15),
    field("DestReg", 14, 10, X_REG),
    field("SrcReg", 9, 5, X_REG),
    field("SizeReg", 4, 0, X_REG),
  ],
  (iss) => ((iss & 0x100_0000) !== 0 ? "SET* memory set" : "CPY* memory copy"),
);

function fpFlag(name: string, bit: number, what: string): EsrFieldSpec {
  return flag(name, bit, `${what} exception did not occur`, `${what} exception occurred`);
}

/** EC 0x28/0x2C: trapped floating-point exception. */
export const FP_EXC_LAYOUT: EsrIssLayout = fixedLayout([
  res0(24, 24),
  flag(
    "TFV",
    23,
    "IDF, IXF, UFF, OFF, DZF and IOF do not hold valid information",
    "IDF, IXF, UFF, OFF, DZF and IOF say which exceptions occurred",
  ),
  res0(22, 11),
  field(
    "VECITR",
    10,
    8,
    (v) => `Vector iteration count (AArch32; RES1/UNKNOWN from AArch64): ${v}`,
  ),
  fpFlag("IDF", 7, "Input Denormal"),
  res0(6, 5),
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

/** EC 0x2D: Guarded Control Stack exception; the layout depends on ExType. */
export const GCS_LAYOUT: EsrIssLayout = {
  fields: (iss) => {
    const exType = (iss >>> 20) & 15;
    const head = [
      res0(24, 24),
      field("ExType", 23, 20, [
        "GCS data check exception (return address does not match the GCS)",
        "EXLOCK exception",
        "Trapped GCSSTR or GCSSTTR",
      ]),
    ];
    if (exType === 0) {
      return [
        ...head,
        res0(19, 15),
        field("Raddr", 14, 10, X_REG),
        field("Rn", 9, 5, X_REG),
        field("IT", 4, 0, (v) => GCS_IT[v] ?? "Reserved instruction type"),
      ];
    }
    if (exType === 2) {
      return [
        ...head,
        res0(19, 15),
        field("Raddr", 14, 10, (v) => `${xReg(v)}: register holding the address`),
        field("Rvalue", 9, 5, (v) => `${xReg(v)}: register holding the value`),
        res0(4, 0),
      ];
    }
    return [...head, res0(19, 0)];
  },
};

const AET_MEANINGS: readonly string[] = [
  "Uncontainable (UC)",
  "Unrecoverable state (UEU)",
  "Restartable state (UEO)",
  "Recoverable state (UER)",
  "Reserved",
  "Reserved",
  "Corrected (CE)",
  "Reserved",
];

const SERROR_DFSC = field("DFSC", 5, 0, (v) =>
  v === 0
    ? "Uncategorized error"
    : v === 0x11
      ? "Asynchronous SError interrupt"
      : `Reserved SError DFSC ${hexNum(v)}`,
);

/** EC 0x2F: SError; IDS = 1 means an IMPLEMENTATION DEFINED syndrome. */
export const SERROR_LAYOUT: EsrIssLayout = {
  fields: (iss) => {
    const ids = flag(
      "IDS",
      24,
      "Architected syndrome (RAS extension layout)",
      "IMPLEMENTATION DEFINED syndrome",
    );
    if ((iss & 0x100_0000) !== 0) return [ids, field("IMPDEF", 23, 0)];
    const aet = field("AET", 12, 10, AET_MEANINGS);
    const ea = flag("EA", 9, "External abort type 0", "External abort type 1");
    if ((iss & 0x3f) !== 0x11) return [ids, res0(23, 13), aet, ea, res0(8, 6), SERROR_DFSC];
    return [
      ids,
      res0(23, 19),
      flag(
        "ELS",
        18,
        "Asynchronous: ELR_ELx does not say what triggered the error",
        "Synchronous: the instruction at ELR_ELx triggered the error",
      ),
      field("WU", 17, 16, [
        "Not a store, or the location might have been updated",
        "Reserved",
        "Store that did not update the location",
        "Store that updated the location",
      ]),
      flag("VFV", 15, "FAR_ELx is not valid", "FAR_ELx holds a virtual address of the error"),
      flag("PFV", 14, "PFAR_ELx is not valid", "PFAR_ELx holds a physical address of the error"),
      flag(
        "IESB",
        13,
        "Not synchronized by an implicit error synchronization event",
        "Synchronized by an implicit error synchronization event and taken immediately",
      ),
      aet,
      ea,
      res0(8, 8),
      flag("WnRV", 7, "WnR is not valid", "WnR is valid"),
      field("WnR", 6, 6, (v, w) =>
        (w & 0x80) === 0
          ? "Not valid (WnRV is 0)"
          : v === 1
            ? "Error on a write"
            : "Error on a read",
      ),
      SERROR_DFSC,
    ];
  },
};
