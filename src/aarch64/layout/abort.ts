// ISS layouts of instruction aborts (EC 0x20/0x21), data aborts (EC 0x24/0x25) and granule
// protection checks (EC 0x1E), and the abort ISS2. Sources: Arm ARM D24.2.40 (ESR_EL2, "ISS
// encoding for an exception from an Instruction Abort / Data Abort"); Linux esr.h; QEMU
// target/arm/syndrome.h; google/aarch64-esr-decoder src/esr/abort.rs. The decoder reads the same
// field objects the explainer prints.
import {
  type BitField,
  bits,
  type FieldMeaning,
  field,
  flag,
  type Halves,
  isSet,
  reserved,
} from "../../core/layout";
import { describeFsc, FSC_TABLE } from "../tables/dfsc";
import { bitsAt, fieldAt, flagAt, isSetAt } from "./at";
import { hexNum, wReg, xReg } from "./common";
import { AbortIss } from "./positions";

const FSC_MEANING: FieldMeaning = (v) => describeFsc(v);

/** True for the synchronous External abort codes: 0x10, 0x12/0x13 and 0x14…0x17 (on a walk). */
export function isSyncExternalFsc(fsc: number): boolean {
  const c = FSC_TABLE[fsc]?.fscClass;
  return c === "sync-external" || c === "sync-external-walk";
}

/** ISV [24]: bits 23:14 hold a valid instruction syndrome. */
export const ISV: BitField = flagAt(
  "ISV",
  AbortIss.ISV,
  "No valid instruction syndrome: ISS[23:14] hold other information",
  "Valid instruction syndrome in ISS[23:14]",
);

/** SAS [23:22]: access size, 1 << SAS bytes. */
export const SAS: BitField = fieldAt("SAS", AbortIss.SAS, [
  "Byte (1 byte)",
  "Halfword (2 bytes)",
  "Word (4 bytes)",
  "Doubleword (8 bytes)",
]);

/** SSE [21]: the loaded value is sign-extended. */
export const SSE: BitField = flagAt(
  "SSE",
  AbortIss.SSE,
  "No sign extension",
  "The loaded value is sign-extended (LDRS*)",
);

/** SF [15] (ISV = 1): the transfer register is 64-bit. */
export const SF: BitField = flagAt(
  "SF",
  AbortIss.SF,
  "32-bit register (Wt)",
  "64-bit register (Xt)",
);

/** SRT [20:16]: the transfer register. */
export const SRT: BitField = fieldAt("SRT", AbortIss.SRT, (v, reg) => {
  const name = isSetAt(AbortIss.SF, reg.lo) ? xReg(v) : wReg(v);
  return `${name}: the register transferred (Syndrome Register Transfer)`;
});

/** AR [14] (ISV = 1): acquire/release semantics. */
export const AR: BitField = flagAt(
  "AR",
  AbortIss.AR,
  "No acquire/release semantics",
  "Acquire/release semantics (LDAR/STLR…)",
);

/** VNCR [13]: the fault came from a VNCR_EL2-based access. */
export const VNCR: BitField = flagAt(
  "VNCR",
  AbortIss.VNCR,
  "Not a VNCR_EL2-based access",
  "Fault on a VNCR_EL2-based access by EL1 (FEAT_NV2)",
);

/** SET [12:11] (DFSC/IFSC 0x10 with FEAT_RAS): the synchronous error type. */
export const SET: BitField = fieldAt("SET", AbortIss.SET, [
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

/** FnV [10]: FAR is not valid. */
export const FNV: BitField = flagAt(
  "FnV",
  AbortIss.FNV,
  "FAR is valid",
  "FAR is not valid: it holds an UNKNOWN value",
);

/** EA [9]: external abort type. */
export const EA: BitField = flagAt(
  "EA",
  AbortIss.EA,
  "External abort type 0 (IMPLEMENTATION DEFINED classification)",
  "External abort type 1 (IMPLEMENTATION DEFINED classification)",
);

/** CM [8]: fault on a cache maintenance or address translation instruction. */
export const CM: BitField = flagAt(
  "CM",
  AbortIss.CM,
  "Not a cache maintenance or address translation instruction",
  "Fault on a cache maintenance or address translation instruction",
);

/** S1PTW [7]: stage-2 fault on a stage-1 translation table walk. */
export const S1PTW: BitField = flagAt(
  "S1PTW",
  AbortIss.S1PTW,
  "Not a stage 2 fault on a stage 1 translation table walk",
  "Stage 2 fault on a stage 1 translation table walk",
);

/** WnR [6]: the access was a write. */
export const WNR: BitField = flagAt(
  "WnR",
  AbortIss.WNR,
  "Abort caused by reading memory",
  "Abort caused by writing memory (also set for CM faults)",
);

/** DFSC [5:0]: the data fault status code. */
export const DFSC: BitField = fieldAt("DFSC", AbortIss.FSC, FSC_MEANING);

/** IFSC [5:0]: the instruction fault status code. */
export const IFSC: BitField = fieldAt("IFSC", AbortIss.FSC, FSC_MEANING);

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
function errorTypeField(fsc: number): BitField {
  if (fsc === 0x10) return SET;
  if (fsc === 0x35) return LST;
  return reserved(12, 11);
}

/**
 * Why an ISS cannot be a data abort's, or `undefined`: ISV = 1 with SAS = 3 (doubleword) and
 * SF = 0, an 8-byte access through a W register, which no A64 load or store makes.
 */
export function dataAbortSyndromeError(lo: number): string | undefined {
  if (isSetAt(AbortIss.ISV, lo) && bitsAt(AbortIss.SAS, lo) === 3 && !isSetAt(AbortIss.SF, lo)) {
    return "ISS has ISV = 1, SAS = 3 (doubleword) and SF = 0: no A64 load/store moves 8 bytes through a W register";
  }
  return undefined;
}

/** Data abort ISS (EC 0x24/0x25) fields, chosen by ISV and the DFSC. */
export function dataAbortFields(reg: Halves): readonly BitField[] {
  const fsc = bits(DFSC, reg.lo);
  const syndrome: readonly BitField[] = isSet(ISV, reg.lo)
    ? [SAS, SSE, SRT, SF, AR]
    : isSyncExternalFsc(fsc)
      ? [reserved(23, 18), WU, FNP, PFV]
      : [reserved(23, 16), FNP, reserved(14, 14)];
  return [ISV, ...syndrome, VNCR, errorTypeField(fsc), FNV, EA, CM, S1PTW, WNR, DFSC];
}

const TOP_LEVEL = flag(
  "TopLevel",
  21,
  "Not caused by the TopLevel check",
  "Stage 2 Permission fault caused by the TopLevel check (FEAT_THE)",
);

/** Instruction abort ISS (EC 0x20/0x21) fields. */
export function instructionAbortFields(reg: Halves): readonly BitField[] {
  const fsc = bits(IFSC, reg.lo);
  return [
    reserved(24, 22),
    TOP_LEVEL,
    reserved(20, 15),
    isSyncExternalFsc(fsc) ? PFV : reserved(14, 14),
    reserved(13, 13),
    fsc === 0x10 ? SET : reserved(12, 11),
    FNV,
    EA,
    reserved(8, 8),
    S1PTW,
    reserved(6, 6),
    IFSC,
  ];
}

/** Granule Protection Check status codes (GPCSC [19:14], FEAT_RME). */
function gpcscMeanings(): readonly (string | undefined)[] {
  const t: (string | undefined)[] = new Array<string | undefined>(64).fill(undefined);
  t[0b000000] = "GPT address size fault at level 0";
  t[0b000100] = "GPT walk fault at level 0";
  t[0b000101] = "GPT walk fault at level 1";
  t[0b001100] = "Granule protection fault at level 0";
  t[0b001101] = "Granule protection fault at level 1";
  t[0b010100] = "Synchronous External abort on GPT fetch at level 0";
  t[0b010101] = "Synchronous External abort on GPT fetch at level 1";
  return t;
}

const GPCSC_MEANINGS: readonly (string | undefined)[] = /* @__PURE__ */ gpcscMeanings();

/** Granule Protection Check ISS (EC 0x1E, taken to EL3) fields. */
export const GPC_FIELDS: readonly BitField[] = [
  reserved(24, 22),
  flag(
    "S2PTW",
    21,
    "Not on a stage 2 translation table walk",
    "On a stage 2 translation table walk",
  ),
  flag("InD", 20, "Data access", "Instruction fetch"),
  field("GPCSC", 19, 14, (v) => GPCSC_MEANINGS[v] ?? `Reserved GPCSC ${hexNum(v)}`),
  VNCR,
  reserved(12, 9),
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
export const DATA_ABORT_ISS2_FIELDS: readonly BitField[] = [
  reserved(55, 44),
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
export const INSTRUCTION_ABORT_ISS2_FIELDS: readonly BitField[] = [
  reserved(55, 40),
  ASSURED_ONLY,
  OVERLAY,
  reserved(37, 32),
];

/** `Write of 4 bytes from w1: Translation fault, level 3`, or the access without a syndrome. */
export function dataAbortSummary(_iss: number, reg: Halves): string {
  const lo = reg.lo;
  const fault = describeFsc(bits(DFSC, lo));
  const write = isSet(WNR, lo);
  if (!isSet(ISV, lo)) return `${write ? "Write" : "Read"} without instruction syndrome: ${fault}`;
  const bytes = 1 << bits(SAS, lo);
  const srt = bits(SRT, lo);
  const name = isSet(SF, lo) ? xReg(srt) : wReg(srt);
  const sign = isSet(SSE, lo) ? ", sign-extended" : "";
  const size = `${bytes} byte${bytes === 1 ? "" : "s"}`;
  return write
    ? `Write of ${size} from ${name}: ${fault}`
    : `Read of ${size} into ${name}${sign}: ${fault}`;
}

/** `Instruction fetch: Permission fault, level 3`. */
export function instructionAbortSummary(iss: number): string {
  return `Instruction fetch: ${describeFsc(bits(IFSC, iss))}`;
}
