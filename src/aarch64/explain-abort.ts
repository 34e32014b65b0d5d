// ISS layouts of instruction aborts (EC 0x20/0x21), data aborts (EC 0x24/0x25) and granule
// protection checks (EC 0x1E), and the data-abort ISS2. Sources: Arm ARM D24.2.40 (ESR_EL2, "ISS
// encoding for an exception from an Instruction Abort / Data Abort"); Linux esr.h; QEMU
// target/arm/syndrome.h; google/aarch64-esr-decoder src/esr/abort.rs.

import { describeFsc, FSC_TABLE } from "./dfsc";
import {
  type EsrFieldSpec,
  type EsrMeaning,
  field,
  flag,
  hexNum,
  res0,
  wReg,
  xReg,
} from "./explain-fields";

const FSC_MEANING: EsrMeaning = (v) => describeFsc(v);

/** True for the synchronous External abort codes: 0x10, 0x12/0x13 and 0x14…0x17 (on a walk). */
export function isSyncExternalFsc(fsc: number): boolean {
  const c = FSC_TABLE[fsc]?.fscClass;
  return c === "sync-external" || c === "sync-external-walk";
}

/** SET [12:11] (DFSC/IFSC 0x10 with FEAT_RAS): the synchronous error type. */
const SET = field("SET", 12, 11, [
  "Recoverable state (UER)",
  "Reserved",
  "Uncontainable (UC)",
  "Restartable state (UEO)",
]);

/** LST [12:11] (DFSC 0x35 with FEAT_LS64): which 64-byte load/store faulted. */
const LST = field("LST", 12, 11, [
  "The instruction that faulted is not specified",
  "ST64BV",
  "LD64B or ST64B",
  "ST64BV0",
]);

const FNV = flag("FnV", 10, "FAR is valid", "FAR is not valid: it holds an UNKNOWN value");
const EA = flag(
  "EA",
  9,
  "External abort type 0 (IMPLEMENTATION DEFINED classification)",
  "External abort type 1 (IMPLEMENTATION DEFINED classification)",
);
const CM = flag(
  "CM",
  8,
  "Not a cache maintenance or address translation instruction",
  "Fault on a cache maintenance or address translation instruction",
);
const S1PTW = flag(
  "S1PTW",
  7,
  "Not a stage 2 fault on a stage 1 translation table walk",
  "Stage 2 fault on a stage 1 translation table walk",
);
const WNR = flag(
  "WnR",
  6,
  "Abort caused by reading memory",
  "Abort caused by writing memory (also set for CM faults)",
);
const VNCR = flag(
  "VNCR",
  13,
  "Not a VNCR_EL2-based access",
  "Fault on a VNCR_EL2-based access by EL1 (FEAT_NV2)",
);
const PFV = flag(
  "PFV",
  14,
  "PFAR_ELx is not valid",
  "PFAR_ELx holds the faulting physical address (FEAT_PFAR)",
);
const FNP = flag(
  "FnP",
  15,
  "FAR holds the faulting virtual address",
  "FAR holds an address within the naturally aligned granule of the faulting address",
);
const WU = field("WU", 17, 16, [
  "Not a store, or the location might have been updated",
  "Reserved",
  "Store or translation table update that did not update the location",
  "Store or translation table update that updated the location",
]);

/** The bits 12:11 field of an abort: SET for a synchronous External abort, LST for DFSC 0x35, else RES0. */
function errorTypeField(fsc: number): EsrFieldSpec {
  if (fsc === 0x10) return SET;
  if (fsc === 0x35) return LST;
  return res0(12, 11);
}

const SAS = field("SAS", 23, 22, [
  "Byte (1 byte)",
  "Halfword (2 bytes)",
  "Word (4 bytes)",
  "Doubleword (8 bytes)",
]);
const SSE = flag("SSE", 21, "No sign extension", "The loaded value is sign-extended (LDRS*)");
const SF = flag("SF", 15, "32-bit register (Wt)", "64-bit register (Xt)");
const AR = flag("AR", 14, "No acquire/release semantics", "Acquire/release semantics (LDAR/STLR…)");
const SRT = field("SRT", 20, 16, (v, iss) => {
  const reg = (iss & 0x8000) !== 0 ? xReg(v) : wReg(v);
  return `${reg}: the register transferred (Syndrome Register Transfer)`;
});
const ISV = flag(
  "ISV",
  24,
  "No valid instruction syndrome: ISS[23:14] hold other information",
  "Valid instruction syndrome in ISS[23:14]",
);

/** Data abort ISS (EC 0x24/0x25) fields, chosen by ISV and the DFSC. */
export function dataAbortFields(iss: number): readonly EsrFieldSpec[] {
  const fsc = iss & 0x3f;
  const sea = isSyncExternalFsc(fsc);
  const syndrome: readonly EsrFieldSpec[] =
    (iss & 0x100_0000) !== 0
      ? [SAS, SSE, SRT, SF, AR]
      : sea
        ? [res0(23, 18), WU, FNP, PFV]
        : [res0(23, 16), FNP, res0(14, 14)];
  return [
    ISV,
    ...syndrome,
    VNCR,
    errorTypeField(fsc),
    FNV,
    EA,
    CM,
    S1PTW,
    WNR,
    field("DFSC", 5, 0, FSC_MEANING),
  ];
}

/** Instruction abort ISS (EC 0x20/0x21) fields. */
export function instructionAbortFields(iss: number): readonly EsrFieldSpec[] {
  const fsc = iss & 0x3f;
  return [
    res0(24, 22),
    flag(
      "TopLevel",
      21,
      "Not caused by the TopLevel check",
      "Stage 2 Permission fault caused by the TopLevel check (FEAT_THE)",
    ),
    res0(20, 15),
    isSyncExternalFsc(fsc) ? PFV : res0(14, 14),
    res0(13, 13),
    fsc === 0x10 ? SET : res0(12, 11),
    FNV,
    EA,
    res0(8, 8),
    S1PTW,
    res0(6, 6),
    field("IFSC", 5, 0, FSC_MEANING),
  ];
}

/** Granule Protection Check status codes (GPCSC [19:14], FEAT_RME). */
const GPCSC_MEANINGS: readonly (string | undefined)[] = (() => {
  const t: (string | undefined)[] = new Array<string | undefined>(64).fill(undefined);
  t[0b000000] = "GPT address size fault at level 0";
  t[0b000100] = "GPT walk fault at level 0";
  t[0b000101] = "GPT walk fault at level 1";
  t[0b001100] = "Granule protection fault at level 0";
  t[0b001101] = "Granule protection fault at level 1";
  t[0b010100] = "Synchronous External abort on GPT fetch at level 0";
  t[0b010101] = "Synchronous External abort on GPT fetch at level 1";
  return t;
})();

/** Granule Protection Check ISS (EC 0x1E, taken to EL3) fields. */
export const GPC_FIELDS: readonly EsrFieldSpec[] = [
  res0(24, 22),
  flag(
    "S2PTW",
    21,
    "Not on a stage 2 translation table walk",
    "On a stage 2 translation table walk",
  ),
  flag("InD", 20, "Data access", "Instruction fetch"),
  field("GPCSC", 19, 14, (v) => GPCSC_MEANINGS[v] ?? `Reserved GPCSC ${hexNum(v)}`),
  VNCR,
  res0(12, 9),
  CM,
  S1PTW,
  WNR,
  field("xFSC", 5, 0, FSC_MEANING),
];

// ISS2 (ESR bits 55:32) fields. Sources: Arm ARM ESR_EL2 "ISS2 encoding for an exception from a
// Data Abort / an Instruction Abort / a Watchpoint exception" (2024-03 register XML adds HDBSSF).
const ASSURED_ONLY = flag(
  "AssuredOnly",
  39,
  "Not caused by AssuredOnly",
  "Stage 2 Permission fault caused by the AssuredOnly attribute (FEAT_THE)",
);
const OVERLAY = flag(
  "Overlay",
  38,
  "Not caused by an overlay permission",
  "Permission fault caused by an Overlay permission (FEAT_S1POE/S2POE)",
);

/** Data abort ISS2 (ESR bits 55:32) fields. */
export const DATA_ABORT_ISS2_FIELDS: readonly EsrFieldSpec[] = [
  res0(55, 44),
  flag(
    "HDBSSF",
    43,
    "Not caused by the hardware dirty state tracking structure",
    "Fault caused by the HDBSS: full (Permission fault) or a write to it (FEAT_HDBSS)",
  ),
  flag(
    "TnD",
    42,
    "Not an Allocation Tag access",
    "Fault on an Allocation Tag access, not a data access (FEAT_MTE_NO_ADDRESS_TAGS)",
  ),
  flag(
    "TagAccess",
    41,
    "Not caused by a tag access",
    "Permission fault on an Allocation Tag access (FEAT_MTE_PERM, NoTagAccess)",
  ),
  flag("GCS", 40, "Not a Guarded Control Stack access", "Fault on a Guarded Control Stack access"),
  ASSURED_ONLY,
  OVERLAY,
  flag(
    "DirtyBit",
    37,
    "Not caused by the dirty state",
    "Permission fault caused by the dirty state of the descriptor (FEAT_S1PIE/S2PIE)",
  ),
  field(
    "Xs",
    36,
    32,
    (v) => `${xReg(v)}: status register of a faulting ST64BV/ST64BV0 (FEAT_LS64_V)`,
  ),
];

/** Instruction abort ISS2 (ESR bits 55:32) fields: AssuredOnly and Overlay. */
export const INSTRUCTION_ABORT_ISS2_FIELDS: readonly EsrFieldSpec[] = [
  res0(55, 40),
  ASSURED_ONLY,
  OVERLAY,
  res0(37, 32),
];

/** Watchpoint ISS2 (ESR bits 55:32) fields: GCS. */
export const WATCHPOINT_ISS2_FIELDS: readonly EsrFieldSpec[] = [
  res0(55, 41),
  flag(
    "GCS",
    40,
    "Not a Guarded Control Stack data access",
    "Watchpoint on a Guarded Control Stack data access",
  ),
  res0(39, 32),
];

/** `Write of 4 bytes from w1: Translation fault, level 3`, or the access without a syndrome. */
export function dataAbortSummary(iss: number): string {
  const write = (iss & 0x40) !== 0;
  const fault = describeFsc(iss & 0x3f);
  if ((iss & 0x100_0000) === 0) {
    return `${write ? "Write" : "Read"} without instruction syndrome: ${fault}`;
  }
  const bytes = 1 << ((iss >>> 22) & 3);
  const srt = (iss >>> 16) & 31;
  const reg = (iss & 0x8000) !== 0 ? xReg(srt) : wReg(srt);
  const sign = (iss & 0x20_0000) !== 0 ? ", sign-extended" : "";
  const size = `${bytes} byte${bytes === 1 ? "" : "s"}`;
  return write
    ? `Write of ${size} from ${reg}: ${fault}`
    : `Read of ${size} into ${reg}${sign}: ${fault}`;
}

/** `Instruction fetch: Permission fault, level 3`. */
export function instructionAbortSummary(iss: number): string {
  return `Instruction fetch: ${describeFsc(iss & 0x3f)}`;
}
