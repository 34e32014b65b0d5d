import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VmExitError } from "../../core/error";
import type { ExplainNode } from "../../core/explain";
import { explainEsr } from "./esr";

/** The node at `path` (e.g. `["ISS", "SAS"]`); fails the test when absent. */
function at(nodes: readonly ExplainNode[], ...path: string[]): ExplainNode {
  let level: readonly ExplainNode[] = nodes;
  let found: ExplainNode | undefined;
  for (const name of path) {
    found = level.find((n) => n.name === name);
    if (found === undefined) throw new Error(`no ${name} in ${level.map((n) => n.name).join(",")}`);
    level = found.children ?? [];
  }
  return found as ExplainNode;
}

function names(node: ExplainNode): string[] {
  return (node.children ?? []).map((c) => c.name);
}

type Expect = readonly [path: string, value: number | bigint, meaning?: RegExp];

interface Case {
  /** What the case is, with the derivation of `esr` from the field layout. */
  readonly what: string;
  readonly esr: bigint | number;
  readonly ec: number;
  readonly ecMeaning: RegExp;
  readonly iss?: RegExp;
  readonly fields?: readonly Expect[];
}

// Every ESR below is built by hand as EC << 26 | IL << 25 | ISS fields (Arm ARM D24.2.40).
// IL = 1 is 0x0200_0000.
const CASES: readonly Case[] = [
  {
    what: "unknown reason: EC 0x00 | IL",
    esr: 0x0200_0000,
    ec: 0x00,
    ecMeaning: /^UNKNOWN: Unknown reason/,
    iss: /ISS is RES0/,
    fields: [["IL", 1, /32-bit/]],
  },
  {
    what: "WFI (arch-spec B.6): 0x01 << 26 | IL = 0x06000000",
    esr: 0x0600_0000,
    ec: 0x01,
    ecMeaning: /^WFx/,
    iss: /^WFI$/,
    fields: [
      ["ISS.TI", 0, /WFI trapped/],
      ["ISS.RV", 0, /not valid/],
      ["ISS.CV", 0],
      ["ISS.COND", 0, /Not valid \(CV is 0\)/],
    ],
  },
  {
    what: "WFET x5: 0x06000000 | RN 5 << 5 (0xA0) | RV 1 << 2 | TI 3 = 0x060000A7",
    esr: 0x0600_00a7,
    ec: 0x01,
    ecMeaning: /^WFx/,
    iss: /^WFET$/,
    fields: [
      ["ISS.RN", 5, /^x5/],
      ["ISS.RV", 1, /RN is valid/],
      ["ISS.TI", 3, /WFET trapped/],
    ],
  },
  {
    what: "AArch32 WFE, condition GE: 0x06000000 | CV 1 << 24 | COND 0xA << 20 | TI 1 = 0x07A00001",
    esr: 0x07a0_0001,
    ec: 0x01,
    ecMeaning: /^WFx/,
    fields: [
      ["ISS.CV", 1, /COND is valid/],
      ["ISS.COND", 0xa, /^GE/],
      ["ISS.TI", 1, /WFE/],
    ],
  },
  {
    what: "MRC p15, 0, r2, c1, c0, 0: 0x03 << 26 | IL | CV | COND 0xE << 20 | CRn 1 << 10 | Rt 2 << 5 | read = 0x0FE00441",
    esr: 0x0fe0_0441,
    ec: 0x03,
    ecMeaning: /^CP15_32/,
    iss: /^MRC p15, 0, x2, c1, c0, 0$/,
    fields: [
      ["ISS.COND", 0xe, /^AL/],
      ["ISS.Opc2", 0],
      ["ISS.Opc1", 0],
      ["ISS.CRn", 1],
      ["ISS.Rt", 2, /^x2/],
      ["ISS.CRm", 0],
      ["ISS.Direction", 1, /MRC/],
    ],
  },
  {
    what: "MRRC p15, 1, r2, r3, c14 (CNTVCT): 0x04 << 26 | IL | CV | COND E | Opc1 1 << 16 | Rt2 3 << 10 | Rt 2 << 5 | CRm 14 << 1 | read = 0x13E10C5D",
    esr: 0x13e1_0c5d,
    ec: 0x04,
    ecMeaning: /^CP15_64/,
    iss: /^MRRC p15, 1, x2, x3, c14$/,
    fields: [
      ["ISS.Opc1", 1],
      ["ISS.Rt2", 3],
      ["ISS.Rt", 2],
      ["ISS.CRm", 14],
      ["ISS.Direction", 1, /MRRC/],
    ],
  },
  {
    what: "MCR p14, 0, r1, c0, c5, 0: 0x05 << 26 | IL | Rt 1 << 5 | CRm 5 << 1 | write = 0x1600002A",
    esr: 0x1600_002a,
    ec: 0x05,
    ecMeaning: /^CP14_MR/,
    iss: /^MCR p14, 0, x1, c0, c5, 0$/,
    fields: [["ISS.Direction", 0, /MCR/]],
  },
  {
    what: "LDC p14, c5, [r3], #+0: 0x06 << 26 | IL | CV | COND E | Rn 3 << 5 | Offset 1 << 4 | AM 2 << 1 | read = 0x1BE00075",
    esr: 0x1be0_0075,
    ec: 0x06,
    ecMeaning: /^CP14_LS/,
    iss: /^LDC p14, c5, \[x3\]$/,
    fields: [
      ["ISS.imm8", 0],
      ["ISS.Rn", 3],
      ["ISS.Offset", 1, /Add/],
      ["ISS.AM", 2, /Immediate offset/],
      ["ISS.Direction", 1, /LDC/],
    ],
  },
  {
    what: "FP/SIMD access from AArch64: 0x07 << 26 | IL | CV | COND 0xE << 20 = 0x1FE00000",
    esr: 0x1fe0_0000,
    ec: 0x07,
    ecMeaning: /^FP_ASIMD/,
    fields: [
      ["ISS.CV", 1],
      ["ISS.COND", 0xe, /^AL/],
    ],
  },
  {
    what: "VMRS r0, MVFR0: 0x08 << 26 | IL | CV | COND E | Opc1 7 << 14 | CRn 7 << 10 | read = 0x23E1DC01",
    esr: 0x23e1_dc01,
    ec: 0x08,
    ecMeaning: /^CP10_ID/,
    iss: /^VMRS of a floating-point ID register \(reg 7\) into x0$/,
    fields: [
      ["ISS.Opc1", 7],
      ["ISS.CRn", 7],
      ["ISS.Direction", 1, /VMRS/],
    ],
  },
  {
    what: "PAC trap: 0x09 << 26 | IL = 0x26000000",
    esr: 0x2600_0000,
    ec: 0x09,
    ecMeaning: /^PAC/,
    iss: /RES0/,
  },
  {
    what: "LD64B trapped: 0x0A << 26 | IL | ISS 2 = 0x2A000002",
    esr: 0x2a00_0002,
    ec: 0x0a,
    ecMeaning: /^OTHER/,
    iss: /^LD64B or ST64B trapped$/,
  },
  {
    what: "MRRC p14, 0, r0, r0, c1: 0x0C << 26 | IL | CRm 1 << 1 | read = 0x32000003",
    esr: 0x3200_0003,
    ec: 0x0c,
    ecMeaning: /^CP14_64/,
    iss: /^MRRC p14, 0, x0, x0, c1$/,
  },
  {
    what: "BTI, BTYPE 0b10: 0x0D << 26 | IL | 2 = 0x36000002",
    esr: 0x3600_0002,
    ec: 0x0d,
    ecMeaning: /^BTI/,
    fields: [["ISS.BTYPE", 2, /BLR/]],
  },
  {
    what: "illegal execution state: 0x0E << 26 | IL = 0x3A000000",
    esr: 0x3a00_0000,
    ec: 0x0e,
    ecMeaning: /^ILL: Illegal Execution state/,
  },
  {
    what: "T32 SVC #0x12 (16-bit, IL 0): 0x11 << 26 | 0x12 = 0x44000012",
    esr: 0x4400_0012,
    ec: 0x11,
    ecMeaning: /^SVC32/,
    iss: /^SVC #0x12$/,
    fields: [
      ["IL", 0, /16-bit/],
      ["ISS.imm16", 0x12],
    ],
  },
  {
    what: "HVC32 #1: 0x12 << 26 | IL | 1 = 0x4A000001",
    esr: 0x4a00_0001,
    ec: 0x12,
    ecMeaning: /^HVC32/,
    iss: /^HVC #0x1$/,
  },
  {
    what: "SMC32, conditional EQ: 0x13 << 26 | IL | CV | COND 0 | CCKNOWNPASS 1 << 19 = 0x4F080000",
    esr: 0x4f08_0000,
    ec: 0x13,
    ecMeaning: /^SMC32/,
    fields: [
      ["ISS.COND", 0, /^EQ/],
      ["ISS.CCKNOWNPASS", 1, /might have failed/],
    ],
  },
  {
    what: "SVC64 #0: 0x15 << 26 | IL = 0x56000000",
    esr: 0x5600_0000,
    ec: 0x15,
    ecMeaning: /^SVC64/,
    iss: /^SVC #0x0$/,
  },
  {
    what: "HVC64 #0x4711 (arch-spec B.7 with an immediate): 0x5A000000 | 0x4711",
    esr: 0x5a00_4711,
    ec: 0x16,
    ecMeaning: /^HVC64/,
    iss: /^HVC #0x4711$/,
    fields: [["ISS.imm16", 0x4711, /HVC #0x4711/]],
  },
  {
    what: "SMC64 #0 (arch-spec B.7): 0x5E000000",
    esr: 0x5e00_0000,
    ec: 0x17,
    ecMeaning: /^SMC64/,
    iss: /^SMC #0x0$/,
  },
  {
    what: "mrs x0, CNTVCT_EL0 (arch-spec B.5): 0x6234F801",
    esr: 0x6234_f801,
    ec: 0x18,
    ecMeaning: /^SYS64/,
    iss: /^MRS x0, CNTVCT_EL0$/,
    fields: [
      ["ISS.Op0", 3, /Non-debug/],
      ["ISS.Op2", 2],
      ["ISS.Op1", 3],
      ["ISS.CRn", 14],
      ["ISS.Rt", 0],
      ["ISS.CRm", 0],
      ["ISS.Direction", 1, /Read: MRS/],
    ],
  },
  {
    what: "msr ICC_SGI1R_EL1, x2 (arch-spec B.5): 0x623A3056",
    esr: 0x623a_3056,
    ec: 0x18,
    ecMeaning: /^SYS64/,
    iss: /^MSR ICC_SGI1R_EL1, x2$/,
    fields: [
      ["ISS.Op2", 5],
      ["ISS.CRn", 12],
      ["ISS.CRm", 11],
      ["ISS.Rt", 2, /^x2$/],
      ["ISS.Direction", 0, /Write: MSR/],
    ],
  },
  {
    what: "dc civac, x1: 0x18 << 26 | IL | Op0 1 << 20 | Op2 1 << 17 | Op1 3 << 14 | CRn 7 << 10 | Rt 1 << 5 | CRm 14 << 1 = 0x6212DC3C",
    esr: 0x6212_dc3c,
    ec: 0x18,
    ecMeaning: /^SYS64/,
    iss: /^DC CIVAC, x1$/,
    fields: [["ISS.Op0", 1, /System instruction/]],
  },
  {
    what: "mrs x3, S3_7_C15_C15_7 (no name): Op0 3 << 20 | Op2 7 << 17 | Op1 7 << 14 | CRn 15 << 10 | Rt 3 << 5 | CRm 15 << 1 | 1 = ISS 0x3FFC7F",
    esr: 0x623f_fc7f,
    ec: 0x18,
    ecMeaning: /^SYS64/,
    iss: /^MRS x3, S3_7_C15_C15_7$/,
  },
  {
    what: "sysl x4, #0, C7, C0, #0: Op0 1 << 20 | CRn 7 << 10 | Rt 4 << 5 | 1 = ISS 0x101C81",
    esr: 0x6210_1c81,
    ec: 0x18,
    ecMeaning: /^SYS64/,
    iss: /^SYSL x4, #0, C7, C0, #0$/,
  },
  {
    what: "msr with xzr and a RES0 bit: 0x623A3056 | Rt 31 (0x3E0) | bit 22",
    esr: 0x623a_3056 | 0x3e0 | 0x40_0000,
    ec: 0x18,
    ecMeaning: /^SYS64/,
    iss: /^MSR ICC_SGI1R_EL1, xzr$/,
    fields: [
      ["ISS.RES0", 1, /non-zero/],
      ["ISS.Rt", 31, /zero register/],
    ],
  },
  {
    what: "SVE access: 0x19 << 26 | IL = 0x66000000",
    esr: 0x6600_0000,
    ec: 0x19,
    ecMeaning: /^SVE/,
  },
  {
    what: "ERET: 0x1A << 26 | IL = 0x6A000000",
    esr: 0x6a00_0000,
    ec: 0x1a,
    ecMeaning: /^ERET/,
    iss: /^ERET$/,
    fields: [
      ["ISS.ERET", 0, /^ERET$/],
      ["ISS.ERETA", 0, /Not meaningful/],
    ],
  },
  {
    what: "ERETAB: 0x6A000000 | ERET 1 << 1 | ERETA 1 = 0x6A000003",
    esr: 0x6a00_0003,
    ec: 0x1a,
    ecMeaning: /^ERET/,
    iss: /^ERETAB$/,
    fields: [
      ["ISS.ERET", 1, /ERETAA or ERETAB/],
      ["ISS.ERETA", 1, /ERETAB \(B key\)/],
    ],
  },
  {
    what: "ERETAA: 0x6A000000 | ERET 1 << 1 = 0x6A000002",
    esr: 0x6a00_0002,
    ec: 0x1a,
    ecMeaning: /^ERET/,
    iss: /^ERETAA$/,
    fields: [["ISS.ERETA", 0, /ERETAA \(A key\)/]],
  },
  {
    what: "FPAC, data key B: 0x1C << 26 | IL | IorD 1 << 1 | AorB 1 = 0x72000003",
    esr: 0x7200_0003,
    ec: 0x1c,
    ecMeaning: /^FPAC/,
    fields: [
      ["ISS.IorD", 1, /Data key/],
      ["ISS.AorB", 1, /B key/],
    ],
  },
  {
    what: "SME, PSTATE.ZA is 0: 0x1D << 26 | IL | SMTC 3 = 0x76000003",
    esr: 0x7600_0003,
    ec: 0x1d,
    ecMeaning: /^SME/,
    fields: [["ISS.SMTC", 3, /PSTATE.ZA is 0/]],
  },
  {
    what: "GPC on an instruction fetch: 0x1E << 26 | IL | InD 1 << 20 | GPCSC 0b001101 << 14 | xFSC 0x28 = 0x7A134028",
    esr: 0x7a13_4028,
    ec: 0x1e,
    ecMeaning: /^GPC/,
    fields: [
      ["ISS.S2PTW", 0],
      ["ISS.InD", 1, /Instruction fetch/],
      ["ISS.GPCSC", 0b001101, /Granule protection fault at level 1/],
      ["ISS.xFSC", 0x28, /Granule Protection Fault, not on translation table walk/],
    ],
  },
  {
    what: "IMPLEMENTATION DEFINED: 0x1F << 26 | IL | 0x1234 = 0x7E001234",
    esr: 0x7e00_1234,
    ec: 0x1f,
    ecMeaning: /^IMP_DEF/,
    fields: [["ISS.IMPDEF", 0x1234, /IMPLEMENTATION DEFINED/]],
  },
  {
    what: "IABT_LOW SEA (esr-decoder test, arch-spec B.4): 0x82001E10",
    esr: 0x8200_1e10,
    ec: 0x20,
    ecMeaning: /^IABT_LOW/,
    iss: /^Instruction fetch: Synchronous External abort/,
    fields: [
      ["ISS.IFSC", 0x10, /Synchronous External abort, not on/],
      ["ISS.SET", 3, /UEO/],
      ["ISS.FnV", 1, /not valid/],
      ["ISS.EA", 1],
      ["ISS.S1PTW", 0],
      ["ISS.PFV", 0],
    ],
  },
  {
    what: "IABT_CUR permission fault L3 on a walk: 0x21 << 26 | IL | S1PTW 1 << 7 | 0x0F = 0x8600008F",
    esr: 0x8600_008f,
    ec: 0x21,
    ecMeaning: /^IABT_CUR/,
    fields: [
      ["ISS.S1PTW", 1, /Stage 2 fault on a stage 1/],
      ["ISS.IFSC", 0x0f, /Permission fault, level 3/],
    ],
  },
  {
    what: "PC alignment: 0x22 << 26 | IL = 0x8A000000",
    esr: 0x8a00_0000,
    ec: 0x22,
    ecMeaning: /^PC_ALIGN/,
  },
  {
    what: "str w1 to unmapped IPA (arch-spec B.11): 0x93810047",
    esr: 0x9381_0047,
    ec: 0x24,
    ecMeaning: /^DABT_LOW/,
    iss: /^Write of 4 bytes from w1: Translation fault, level 3$/,
    fields: [
      ["ISS.ISV", 1, /Valid/],
      ["ISS.SAS", 2, /Word/],
      ["ISS.SSE", 0],
      ["ISS.SRT", 1, /^w1/],
      ["ISS.SF", 0, /32-bit/],
      ["ISS.AR", 0],
      ["ISS.WnR", 1, /writing/],
      ["ISS.DFSC", 7, /Translation fault, level 3/],
    ],
  },
  {
    what: "ldr x3 (arch-spec B.11): 0x93C38006",
    esr: 0x93c3_8006,
    ec: 0x24,
    ecMeaning: /^DABT_LOW/,
    iss: /^Read of 8 bytes into x3: Translation fault, level 2$/,
    fields: [
      ["ISS.SAS", 3, /Doubleword/],
      ["ISS.SRT", 3, /^x3/],
      ["ISS.SF", 1, /64-bit/],
      ["ISS.WnR", 0, /reading/],
    ],
  },
  {
    what: "ldrsh x5: 0x24 << 26 | IL | ISV | SAS 1 << 22 | SSE 1 << 21 | SRT 5 << 16 | SF 1 << 15 | DFSC 7 = 0x93658007",
    esr: 0x9365_8007,
    ec: 0x24,
    ecMeaning: /^DABT_LOW/,
    iss: /^Read of 2 bytes into x5, sign-extended: Translation fault, level 3$/,
    fields: [["ISS.SSE", 1, /sign-extended/]],
  },
  {
    what: "DABT_CUR (esr-decoder test, arch-spec B.11): 0x97523050",
    esr: 0x9752_3050,
    ec: 0x25,
    ecMeaning: /^DABT_CUR/,
    fields: [
      ["ISS.SAS", 1, /Halfword/],
      ["ISS.SRT", 18, /^w18/],
      ["ISS.VNCR", 1, /VNCR_EL2/],
      ["ISS.SET", 2, /UC/],
      ["ISS.WnR", 1],
      ["ISS.DFSC", 0x10],
    ],
  },
  {
    what: "ISV 0 synchronous External abort: 0x92000000 | WU 3 << 16 | FnP 1 << 15 | PFV 1 << 14 | DFSC 0x10 = 0x9203C010",
    esr: 0x9203_c010,
    ec: 0x24,
    ecMeaning: /^DABT_LOW/,
    iss: /^Read without instruction syndrome: Synchronous External abort/,
    fields: [
      ["ISS.ISV", 0, /No valid instruction syndrome/],
      ["ISS.WU", 3, /updated the location/],
      ["ISS.FnP", 1, /granule/],
      ["ISS.PFV", 1, /PFAR/],
      ["ISS.SET", 0, /UER/],
    ],
  },
  {
    what: "ISV 0 LD64B fault: 0x92000000 | LST 2 << 11 | DFSC 0x35 = 0x92001035",
    esr: 0x9200_1035,
    ec: 0x24,
    ecMeaning: /^DABT_LOW/,
    fields: [
      ["ISS.LST", 2, /LD64B or ST64B/],
      ["ISS.DFSC", 0x35, /Unsupported Exclusive or Atomic/],
    ],
  },
  {
    what: "ISS2 all defined bits: (0x7FF << 32) | 0x92000046 → Xs 31, DirtyBit, Overlay, AssuredOnly, GCS, TagAccess, TnD",
    esr: (0x7ffn << 32n) | 0x9200_0046n,
    ec: 0x24,
    ecMeaning: /^DABT_LOW/,
    fields: [
      ["ISS2", 0x7ff, /Additional data abort syndrome/],
      ["ISS2.Xs", 31, /^xzr/],
      ["ISS2.DirtyBit", 1, /dirty/],
      ["ISS2.Overlay", 1, /Overlay/],
      ["ISS2.AssuredOnly", 1, /AssuredOnly/],
      ["ISS2.GCS", 1, /Guarded Control Stack/],
      ["ISS2.TagAccess", 1, /Tag access/],
      ["ISS2.TnD", 1, /Allocation Tag/],
    ],
  },
  {
    what: "ISS2 RES0 bit 12 (ESR bit 44): (1 << 44) | 0x92000046",
    esr: (1n << 44n) | 0x9200_0046n,
    ec: 0x24,
    ecMeaning: /^DABT_LOW/,
    fields: [["ISS2.RES0", 1, /non-zero/]],
  },
  {
    // Arm ARM 2024-03 ESR_EL2: ISS2 bit 11 (ESR bit 43) is HDBSSF with FEAT_HDBSS.
    what: "ISS2 HDBSSF (ESR bit 43), permission fault L3 on a write: (1 << 43) | 0x9200004F",
    esr: (1n << 43n) | 0x9200_004fn,
    ec: 0x24,
    ecMeaning: /^DABT_LOW/,
    fields: [
      ["ISS2", 0x800, /Additional data abort syndrome/],
      ["ISS2.HDBSSF", 1, /HDBSS/],
      ["ISS.DFSC", 0x0f, /Permission fault, level 3/],
    ],
  },
  {
    // ISS2 for an Instruction Abort: AssuredOnly bit 7 (ESR 39), Overlay bit 6 (ESR 38).
    what: "IABT_LOW permission L3 with ISS2 AssuredOnly | Overlay: (0xC0 << 32) | 0x82000000 | 0x0F",
    esr: (0xc0n << 32n) | 0x8200_000fn,
    ec: 0x20,
    ecMeaning: /^IABT_LOW/,
    fields: [
      ["ISS2", 0xc0, /Additional instruction abort syndrome/],
      ["ISS2.AssuredOnly", 1, /AssuredOnly/],
      ["ISS2.Overlay", 1, /Overlay/],
    ],
  },
  {
    what: "IABT_LOW with ISS2 bit 5 (RES0 for instruction aborts): (1 << 37) | 0x8200000F",
    esr: (1n << 37n) | 0x8200_000fn,
    ec: 0x20,
    ecMeaning: /^IABT_LOW/,
    // RES0 [37:32] with bit 37 set reads 0b100000.
    fields: [["ISS2.RES0", 0x20, /non-zero/]],
  },
  {
    // QEMU IABORT_ISS TopLevel is bit 21 (FEAT_THE).
    what: "IABT_LOW TopLevel permission fault: 0x82000000 | TopLevel 1 << 21 | 0x0F = 0x8220000F",
    esr: 0x8220_000f,
    ec: 0x20,
    ecMeaning: /^IABT_LOW/,
    fields: [
      ["ISS.TopLevel", 1, /TopLevel check/],
      ["ISS.IFSC", 0x0f, /Permission fault, level 3/],
    ],
  },
  {
    what: "SP alignment: 0x26 << 26 | IL = 0x9A000000",
    esr: 0x9a00_0000,
    ec: 0x26,
    ecMeaning: /^SP_ALIGN/,
  },
  {
    what: "SET* from the epilogue: 0x27 << 26 | IL | MemInst 1 << 24 | FromEpilogue 1 << 18 | Dest 1 << 10 | Src 2 << 5 | Size 3 = 0x9F040443",
    esr: 0x9f04_0443,
    ec: 0x27,
    ecMeaning: /^MOPS/,
    iss: /^SET\* memory set$/,
    fields: [
      ["ISS.MemInst", 1, /SET\*/],
      ["ISS.FromEpilogue", 1, /epilogue/],
      ["ISS.DestReg", 1, /^x1$/],
      ["ISS.SrcReg", 2],
      ["ISS.SizeReg", 3],
    ],
  },
  {
    what: "FP exception from AArch32, invalid op: 0x28 << 26 | IL | TFV 1 << 23 | IOF = 0xA2800001",
    esr: 0xa280_0001,
    ec: 0x28,
    ecMeaning: /^FP_EXC32/,
    fields: [
      ["ISS.TFV", 1, /say which/],
      ["ISS.IOF", 1, /Invalid Operation exception occurred/],
      ["ISS.DZF", 0, /did not occur/],
    ],
  },
  {
    what: "FP exception from AArch64, divide by zero: 0x2C << 26 | IL | TFV | DZF 1 << 1 = 0xB2800002",
    esr: 0xb280_0002,
    ec: 0x2c,
    ecMeaning: /^FP_EXC64/,
    fields: [["ISS.DZF", 1, /Divide by Zero exception occurred/]],
  },
  {
    what: "GCS data check on RETAA: 0x2D << 26 | IL | ExType 0 | Raddr 30 << 10 | Rn 0 | IT 2 = 0xB6007802",
    esr: 0xb600_7802,
    ec: 0x2d,
    ecMeaning: /^GCS/,
    fields: [
      ["ISS.ExType", 0, /data check/],
      ["ISS.Raddr", 30, /^x30$/],
      ["ISS.IT", 2, /^RETAA$/],
    ],
  },
  {
    what: "GCSSTR trap: 0x2D << 26 | IL | ExType 2 << 20 | Raddr 1 << 10 | Rvalue 2 << 5 = 0xB6200440",
    esr: 0xb620_0440,
    ec: 0x2d,
    ecMeaning: /^GCS/,
    fields: [
      ["ISS.ExType", 2, /GCSSTR/],
      ["ISS.Raddr", 1, /address/],
      ["ISS.Rvalue", 2, /value/],
    ],
  },
  {
    // QEMU GCSInstructionType: GCSPOPCX = 8, GCSPOPX = 9 (6 and 7 are reserved).
    what: "GCS data check on GCSPOPCX: 0x2D << 26 | IL | Rn 2 << 5 | IT 0b01000 = 0xB6000048",
    esr: 0xb600_0048,
    ec: 0x2d,
    ecMeaning: /^GCS/,
    fields: [
      ["ISS.Rn", 2, /^x2$/],
      ["ISS.IT", 8, /^GCSPOPCX$/],
    ],
  },
  {
    what: "GCS data check on GCSPOPX: 0xB6000000 | IT 0b01001 = 0xB6000009",
    esr: 0xb600_0009,
    ec: 0x2d,
    ecMeaning: /^GCS/,
    fields: [["ISS.IT", 9, /^GCSPOPX$/]],
  },
  {
    what: "GCS data check, reserved IT 0b00110: 0xB6000006",
    esr: 0xb600_0006,
    ec: 0x2d,
    ecMeaning: /^GCS/,
    fields: [["ISS.IT", 6, /Reserved/]],
  },
  {
    what: "GCS EXLOCK: 0x2D << 26 | IL | ExType 1 << 20 = 0xB6100000",
    esr: 0xb610_0000,
    ec: 0x2d,
    ecMeaning: /^GCS/,
    fields: [["ISS.ExType", 1, /EXLOCK/]],
  },
  {
    what: "SError, restartable: 0x2F << 26 | IL | AET 2 << 10 | DFSC 0x11 = 0xBE000811",
    esr: 0xbe00_0811,
    ec: 0x2f,
    ecMeaning: /^SERROR/,
    fields: [
      ["ISS.IDS", 0, /Architected/],
      ["ISS.AET", 2, /UEO/],
      ["ISS.DFSC", 0x11, /Asynchronous SError/],
      ["ISS.WnR", 0, /Not valid/],
    ],
  },
  {
    what: "SError with a valid write: 0xBE000811 | WnRV 1 << 7 | WnR 1 << 6 = 0xBE0008D1",
    esr: 0xbe00_08d1,
    ec: 0x2f,
    ecMeaning: /^SERROR/,
    fields: [
      ["ISS.WnRV", 1, /valid/],
      ["ISS.WnR", 1, /write/],
    ],
  },
  {
    what: "SError, uncategorized, corrected: 0x2F << 26 | IL | AET 6 << 10 = 0xBE001800",
    esr: 0xbe00_1800,
    ec: 0x2f,
    ecMeaning: /^SERROR/,
    fields: [
      ["ISS.AET", 6, /Corrected/],
      ["ISS.DFSC", 0, /Uncategorized/],
    ],
  },
  {
    what: "SError, IMPLEMENTATION DEFINED: 0x2F << 26 | IL | IDS 1 << 24 | 0x11 = 0xBF000011",
    esr: 0xbf00_0011,
    ec: 0x2f,
    ecMeaning: /^SERROR/,
    fields: [
      ["ISS.IDS", 1, /IMPLEMENTATION DEFINED/],
      ["ISS.IMPDEF", 0x11],
    ],
  },
  {
    what: "hardware breakpoint: 0x30 << 26 | IL | IFSC 0x22 = 0xC2000022",
    esr: 0xc200_0022,
    ec: 0x30,
    ecMeaning: /^BREAKPT_LOW/,
    fields: [["ISS.IFSC", 0x22, /^Debug exception$/]],
  },
  {
    what: "breakpoint, same EL: 0x31 << 26 | IL | 0x22 = 0xC6000022",
    esr: 0xc600_0022,
    ec: 0x31,
    ecMeaning: /^BREAKPT_CUR/,
  },
  {
    what: "software step of a load-exclusive: 0x32 << 26 | IL | ISV 1 << 24 | EX 1 << 6 | 0x22 = 0xCB000062",
    esr: 0xcb00_0062,
    ec: 0x32,
    ecMeaning: /^SOFTSTP_LOW/,
    fields: [
      ["ISS.ISV", 1, /EX is valid/],
      ["ISS.EX", 1, /was a Load-Exclusive/],
    ],
  },
  {
    what: "software step, same EL, no syndrome: 0x33 << 26 | IL | 0x22 = 0xCE000022",
    esr: 0xce00_0022,
    ec: 0x33,
    ecMeaning: /^SOFTSTP_CUR/,
    fields: [["ISS.ISV", 0, /not valid/]],
  },
  {
    what: "watchpoint 5 on a write: 0x34 << 26 | IL | WPT 5 << 18 | WPTV 1 << 17 | WnR 1 << 6 | 0x22 = 0xD2160062",
    esr: 0xd216_0062,
    ec: 0x34,
    ecMeaning: /^WATCHPT_LOW/,
    fields: [
      ["ISS.WPT", 5, /Watchpoint 5/],
      ["ISS.WPTV", 1],
      ["ISS.WnR", 1, /write/],
      ["ISS.DFSC", 0x22, /Debug/],
    ],
  },
  {
    // ISS2 for a Watchpoint exception: GCS bit 8 (ESR bit 40).
    what: "watchpoint on a GCS access: (1 << 40) | 0x34 << 26 | IL | 0x22 = 0x1_00D2000022",
    esr: (1n << 40n) | 0xd200_0022n,
    ec: 0x34,
    ecMeaning: /^WATCHPT_LOW/,
    fields: [
      ["ISS2", 0x100, /Additional watchpoint syndrome/],
      ["ISS2.GCS", 1, /Guarded Control Stack/],
    ],
  },
  {
    what: "watchpoint, same EL, WPT not valid: 0x35 << 26 | IL | 0x22 = 0xD6000022",
    esr: 0xd600_0022,
    ec: 0x35,
    ecMeaning: /^WATCHPT_CUR/,
    fields: [["ISS.WPT", 0, /Not valid/]],
  },
  {
    what: "T32 BKPT #5 (16-bit): 0x38 << 26 | 5 = 0xE0000005",
    esr: 0xe000_0005,
    ec: 0x38,
    ecMeaning: /^BKPT32/,
    iss: /^BKPT #0x5$/,
    fields: [["ISS.Comment", 5]],
  },
  {
    what: "vector catch: 0x3A << 26 | IL | 0x22 = 0xEA000022",
    esr: 0xea00_0022,
    ec: 0x3a,
    ecMeaning: /^VECTOR32/,
  },
  {
    what: "BRK #0x800 (Linux BUG()): 0x3C << 26 | IL | 0x800 = 0xF2000800",
    esr: 0xf200_0800,
    ec: 0x3c,
    ecMeaning: /^BRK64/,
    iss: /^BRK #0x800$/,
    fields: [["ISS.Comment", 0x800, /BRK #0x800/]],
  },
];

describe("explainEsr table", () => {
  it.each(CASES)("$what", (c) => {
    const tree = explainEsr(c.esr);
    expect(tree.map((n) => n.name)).toEqual(["EC", "IL", "ISS", "ISS2"]);
    expect(at(tree, "EC").value).toBe(BigInt(c.ec));
    expect(at(tree, "EC").meaning).toMatch(c.ecMeaning);
    if (c.iss !== undefined) expect(at(tree, "ISS").meaning).toMatch(c.iss);
    for (const [path, value, meaning] of c.fields ?? []) {
      const node = at(tree, ...path.split("."));
      expect(node.value, path).toBe(BigInt(value));
      if (meaning !== undefined) expect(node.meaning, path).toMatch(meaning);
    }
  });

  it("covers every allocated EC with a layout", () => {
    const covered = new Set(CASES.map((c) => c.ec));
    // Every EC of arch-spec B.1 that is allocated.
    const allocated = [
      0x00, 0x01, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0c, 0x0d, 0x0e, 0x11, 0x12,
      0x13, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x24,
      0x25, 0x26, 0x27, 0x28, 0x2c, 0x2d, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x38, 0x3a,
      0x3c,
    ];
    for (const ec of allocated) expect(covered.has(ec), `EC ${ec.toString(16)}`).toBe(true);
  });

  it("hides zero RES0 fields and shows non-zero ones", () => {
    // UNKNOWN with ISS 5: the whole ISS [24:0] is RES0.
    expect(at(explainEsr(0x0200_0000), "ISS").children).toBeUndefined();
    const iss = at(explainEsr(0x0200_0005), "ISS");
    expect(names(iss)).toEqual(["RES0"]);
    expect(at([iss], "ISS", "RES0").bits).toEqual([24, 0]);
    expect(at([iss], "ISS", "RES0").value).toBe(5n);
  });

  it("says ISS2 is RES0 outside data aborts", () => {
    // HVC64 with ISS2 = 1: (1 << 32) | 0x5A000000.
    const iss2 = at(explainEsr((1n << 32n) | 0x5a00_0000n), "ISS2");
    expect(iss2.value).toBe(1n);
    expect(iss2.meaning).toMatch(/RES0 for this exception class/);
    expect(iss2.children).toBeUndefined();
  });

  it("accepts the largest ESR with bits 63:56 clear and an allocated EC", () => {
    // EC 0x3C (BRK64) << 26 = 0xF0000000, IL and every ISS and ISS2 bit set.
    const tree = explainEsr(0x00ff_ffff_f3ff_ffffn);
    expect(at(tree, "EC").value).toBe(0x3cn);
    expect(at(tree, "ISS2").value).toBe(0xff_ffffn);
  });
});

describe("explainEsr rejections", () => {
  it.each([
    // EC 0x02 << 26 | IL | 0x1234 = 0x0A001234; EC 0x3F << 26 | IL = 0xFE000000; EC 0x1B (the
    // TSTART trap of the withdrawn FEAT_TME) << 26 | IL | Rd 7 << 5 = 0x6E0000E0; the largest
    // value with bits 63:56 clear, whose EC is 0x3F.
    [0x0a00_1234, "0x2"],
    [0xfe00_0000, "0x3f"],
    [0x6e00_00e0, "0x1b"],
    [0x00ff_ffff_ffff_ffffn, "0x3f"],
  ] as const)("rejects %s, whose EC is unallocated, as decodeAarch64 does", (esr, ec) => {
    expect(() => explainEsr(esr)).toThrow(
      expect.objectContaining({ code: "reserved-encoding", field: "esr" }),
    );
    expect(() => explainEsr(esr)).toThrow(`EC (bits 31:26) ${ec} is unallocated`);
  });

  it("rejects a data abort with ISV = 1, SAS = 3 and SF = 0 (8 bytes through a W register)", () => {
    // DABT_LOW 0x92000000 | ISV 0x01000000 | SAS 3 << 22 (0xC00000) | DFSC 7 = 0x93C00007
    expect(() => explainEsr(0x93c0_0007)).toThrow(
      expect.objectContaining({ code: "reserved-encoding", field: "esr" }),
    );
    // …with SF (bit 15) it is LDR x0: explained.
    expect(at(explainEsr(0x93c0_8007), "ISS", "SF").value).toBe(1n);
  });

  it("rejects bits 63:56 with reserved-encoding naming esr and the value", () => {
    const run = () => explainEsr(0x0100_0000_5a00_0000n);
    expect(run).toThrow(VmExitError);
    try {
      run();
    } catch (e) {
      const err = e as VmExitError;
      expect(err.code).toBe("reserved-encoding");
      expect(err.field).toBe("esr");
      expect(err.message).toContain("esr");
      expect(err.message).toContain("0x10000005a000000");
    }
  });

  it.each([
    [-1, "invalid-argument"],
    [1.5, "invalid-argument"],
    [Number.NaN, "invalid-argument"],
    [2 ** 53, "out-of-range"],
    [-1n, "out-of-range"],
    [2n ** 64n, "out-of-range"],
  ] as const)("rejects %s with %s", (v, code) => {
    try {
      explainEsr(v);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(VmExitError);
      expect((e as VmExitError).code).toBe(code);
      expect((e as VmExitError).field).toBe("esr");
    }
  });

  it("rejects values of other types with invalid-argument", () => {
    for (const v of ["0x1", null, undefined, {}, [], true]) {
      expect(() => explainEsr(v as unknown as number)).toThrow(VmExitError);
    }
  });
});

/** Checks every node of a tree: value fits [hi:lo], children inside the parent's range. */
function checkTree(nodes: readonly ExplainNode[], parent: readonly [number, number]): void {
  for (const n of nodes) {
    const [hi, lo] = n.bits;
    expect(hi).toBeGreaterThanOrEqual(lo);
    expect(hi).toBeLessThanOrEqual(parent[0]);
    expect(lo).toBeGreaterThanOrEqual(parent[1]);
    expect(n.value >= 0n).toBe(true);
    expect(n.value < 1n << BigInt(hi - lo + 1)).toBe(true);
    if (n.children !== undefined) checkTree(n.children, n.bits);
  }
}

/** Every node of an ESR tree is a slice of the ESR: value = ESR[hi:lo]. */
function checkSlices(esr: bigint, nodes: readonly ExplainNode[]): void {
  for (const n of nodes) {
    const [hi, lo] = n.bits;
    expect(n.value, n.name).toBe((esr >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n));
    if (n.children !== undefined) checkSlices(esr, n.children);
  }
}

// The allocated exception classes (arch-spec B.1, as Linux esr.h allocates them).
const ALLOCATED: ReadonlySet<number> = new Set([
  0x00, 0x01, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0c, 0x0d, 0x0e, 0x11, 0x12, 0x13,
  0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x24, 0x25, 0x26,
  0x27, 0x28, 0x2c, 0x2d, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x38, 0x3a, 0x3c,
]);

/** True when no exception produces `esr` (bits below 56): an unallocated EC, or a data abort
 * with ISV = 1 (bit 24), SAS = 3 (bits 23:22) and SF = 0 (bit 15). */
function impossible(esr: bigint): boolean {
  const ec = Number((esr >> 26n) & 0x3fn);
  if (!ALLOCATED.has(ec)) return true;
  const dataAbort = ec === 0x24 || ec === 0x25;
  return (
    dataAbort &&
    ((esr >> 24n) & 1n) === 1n &&
    ((esr >> 22n) & 3n) === 3n &&
    ((esr >> 15n) & 1n) === 0n
  );
}

describe("explainEsr properties", () => {
  const esr56 = fc.bigInt({ min: 0n, max: (1n << 56n) - 1n });
  // Biased towards the allocated ECs: EC drawn separately from the rest.
  const byEc = fc
    .tuple(fc.integer({ min: 0, max: 63 }), fc.bigInt({ min: 0n, max: (1n << 56n) - 1n }))
    .map(([ec, rest]) => (rest & ~(0x3fn << 26n)) | (BigInt(ec) << 26n));
  // Values an exception can produce: an allocated EC (the rest arbitrary), SF set where ISV and
  // SAS = 3 need it.
  const possible = fc
    .tuple(fc.constantFrom(...ALLOCATED), fc.bigInt({ min: 0n, max: (1n << 56n) - 1n }))
    .map(([ec, rest]) => {
      const esr = (rest & ~(0x3fn << 26n)) | (BigInt(ec) << 26n);
      return impossible(esr) ? esr | (1n << 15n) : esr;
    });

  it("never throws for a value an exception produces; values fit, children nest", () => {
    fc.assert(
      fc.property(possible, (esr) => {
        const tree = explainEsr(esr);
        checkTree(tree, [63, 0]);
      }),
      { numRuns: 2000 },
    );
  });

  it("rejects exactly the values no exception produces, with reserved-encoding", () => {
    fc.assert(
      fc.property(fc.oneof(esr56, byEc, possible), (esr) => {
        if (impossible(esr)) {
          expect(() => explainEsr(esr)).toThrow(
            expect.objectContaining({ code: "reserved-encoding", field: "esr" }),
          );
        } else checkTree(explainEsr(esr), [63, 0]);
      }),
      { numRuns: 2000 },
    );
  });

  it("every node is the slice ESR[hi:lo], and EC/IL/ISS/ISS2 rebuild the ESR", () => {
    fc.assert(
      fc.property(possible, (esr) => {
        const tree = explainEsr(esr);
        checkSlices(esr, tree);
        const [ec, il, iss, iss2] = tree.map((n) => n.value) as [bigint, bigint, bigint, bigint];
        expect((iss2 << 32n) | (ec << 26n) | (il << 25n) | iss).toBe(esr);
      }),
      { numRuns: 1000 },
    );
  });

  it("gives the same tree (or the same error) for a number and the equal bigint", () => {
    const outcome = (v: number | bigint) => {
      try {
        return explainEsr(v);
      } catch (e) {
        return (e as VmExitError).code;
      }
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(outcome(n)).toEqual(outcome(BigInt(n)));
      }),
    );
  });

  it("rejects any value with bits 63:56 set with reserved-encoding", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 0xffn }),
        fc.bigInt({ min: 0n, max: (1n << 56n) - 1n }),
        (top, rest) => {
          expect(() => explainEsr((top << 56n) | rest)).toThrow(
            expect.objectContaining({ code: "reserved-encoding", field: "esr" }),
          );
        },
      ),
    );
  });

  it("throws only VmExitError for arbitrary input", () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        try {
          checkTree(explainEsr(v as bigint), [63, 0]);
        } catch (e) {
          expect(e).toBeInstanceOf(VmExitError);
        }
      }),
    );
  });
});
