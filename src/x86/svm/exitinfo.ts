// EXITINFO1 and EXITINFO2 (VMCB 0x078 / 0x080) by exit code, as data: the decoder reads its fields
// through these objects and the explainer turns the same objects into field trees. Bit positions:
// AMD APM Vol. 2 §15 as Linux (`SVM_IOIO_*`, `PFERR_*`, `SVM_EXITINFOSHIFT_TS_*`, `CR_VALID`, the
// AVIC masks in avic.c), Xen (`ei.io`, `NPT_PFEC_*`, `mov_cr`) and QEMU (`SVM_NPTEXIT_*`) name them.
import { type BitField, field, flag, reserved } from "../../core/layout";
import { X86_EXCEPTION_NAMES } from "../exceptions";
import { X86_ICR_LAYOUT, X86_XAPIC_ICR_LAYOUT } from "../icr";
import { X86_REG_NAMES } from "../regs";
import { SvmExitCode } from "./codes";

const gprName = (v: number): string | undefined => X86_REG_NAMES[v]?.toUpperCase();

// ---- IOIO (0x07B) EXITINFO1

/**
 * Where the IOIO EXITINFO1 fields the decoder reads lie (their lowest bit): the field objects
 * below and the decoder read them (an enum member is a literal in a bundle; a field object's
 * shift and mask are loads on every read).
 */
export enum Ioio {
  /** Bit 0: TYPE. */
  TYPE = 0,
  /** Bit 2: STR. */
  STR = 2,
  /** Bit 3: REP. */
  REP = 3,
  /** Bits 6:4: the operand size (SZ32, SZ16, SZ8). */
  SIZE = 4,
  /** Bits 9:7: the address size (A64, A32, A16). */
  ADDRESS_SIZE = 7,
  /** Bits 12:10: SEG. */
  SEGMENT = 10,
  /** Bits 31:16: the port. */
  PORT = 16,
}

/** Bit 0: TYPE, the direction. */
export const IO_TYPE: BitField = flag("TYPE", Ioio.TYPE, "OUT", "IN");
/** Bit 2: STR, a string instruction (INS / OUTS). */
export const IO_STR: BitField = flag("STR", Ioio.STR, "no", "INS / OUTS");
/** Bit 3: REP prefix. */
export const IO_REP: BitField = flag("REP", Ioio.REP, "no", "REP prefix");
/** Bits 6:4 together: SZ32, SZ16, SZ8, one-hot, so the value is the size in bytes (1, 2 or 4). */
export const IO_SIZE: BitField = field("Operand size", Ioio.SIZE + 2, Ioio.SIZE);
/** Bits 9:7 together: A64, A32, A16, one-hot (the address size). */
export const IO_ADDRESS_SIZE: BitField = field(
  "Address size",
  Ioio.ADDRESS_SIZE + 2,
  Ioio.ADDRESS_SIZE,
);
/** Bits 12:10: SEG, the effective segment of INS / OUTS. */
export const IO_SEGMENT: BitField = field("SEG", Ioio.SEGMENT + 2, Ioio.SEGMENT);
/** Bits 31:16: the port. */
export const IO_PORT: BitField = field("PORT", 31, Ioio.PORT);

/** IOIO EXITINFO1, bit by bit. */
const IOIO_INFO1: readonly BitField[] = [
  IO_TYPE,
  reserved(1, 1),
  IO_STR,
  IO_REP,
  flag("SZ8", 4, "no", "8-bit operand"),
  flag("SZ16", 5, "no", "16-bit operand"),
  flag("SZ32", 6, "no", "32-bit operand"),
  flag("A16", 7, "no", "16-bit address"),
  flag("A32", 8, "no", "32-bit address"),
  flag("A64", 9, "no", "64-bit address"),
  IO_SEGMENT,
  reserved(15, 13),
  IO_PORT,
  reserved(63, 32),
];

/** Operand sizes by the value of bits 6:4 (one-hot); 0 marks the values hardware does not write. */
export const IO_SIZES: readonly (0 | 1 | 2 | 4)[] = [0, 1, 2, 0, 4, 0, 0, 0];
/** Address sizes by the value of bits 9:7 (one-hot); `undefined` where none or several are set. */
export const IO_ADDRESS_SIZES: readonly (16 | 32 | 64 | undefined)[] = [
  undefined,
  16,
  32,
  undefined,
  64,
  undefined,
  undefined,
  undefined,
];

/** EXITINFO2 of IOIO: the address of the next instruction. */
const NEXT_RIP_INFO2: readonly BitField[] = [field("Next RIP", 63, 0)];

// ---- MSR (0x07C)

/** EXITINFO1 bit 0: 0 RDMSR, 1 WRMSR. */
export const MSR_WRITE: BitField = flag("Direction", 0, "RDMSR", "WRMSR");
/** MSR EXITINFO1: 0 or 1, every other bit 0. */
const MSR_INFO1: readonly BitField[] = [MSR_WRITE, reserved(63, 1)];

// ---- NPF (0x400) EXITINFO1: the page-fault error code

/**
 * The NPF EXITINFO1 bits (bit numbers): the flags below are built from them and the decoder and
 * the cause test them (an enum member is a literal in a bundle).
 */
export enum Npf {
  /** Bit 0: P. */
  P = 0,
  /** Bit 1: RW. */
  RW = 1,
  /** Bit 2: US. */
  US = 2,
  /** Bit 3: RSVD. */
  RSVD = 3,
  /** Bit 4: ID. */
  ID = 4,
  /** Bit 5: PK. */
  PK = 5,
  /** Bit 6: SS. */
  SS = 6,
  /** Bit 31: RMP. */
  RMP = 31,
  /** Bit 32: GUEST_FINAL. */
  GUEST_FINAL = 32,
  /** Bit 33: GUEST_PAGE. */
  GUEST_PAGE = 33,
  /** Bit 34: GUEST_ENC. */
  GUEST_ENC = 34,
  /** Bit 35: GUEST_SIZEM. */
  GUEST_SIZEM = 35,
  /** Bit 36: GUEST_VMPL. */
  GUEST_VMPL = 36,
}

/** Bit 0: the NPT translation was present. */
export const NPF_PRESENT: BitField = flag("P", Npf.P, "not present", "present");
/** Bit 1: a write. */
export const NPF_WRITE: BitField = flag("RW", Npf.RW, "read", "write");
/** Bit 2: a user access (NPT walks are always user walks). */
export const NPF_USER: BitField = flag("US", Npf.US, "supervisor", "user");
/** Bit 3: a reserved bit was set in an NPT entry. */
export const NPF_RSVD: BitField = flag("RSVD", Npf.RSVD, "no", "reserved bit set in an NPT entry");
/** Bit 4: an instruction fetch. */
export const NPF_FETCH: BitField = flag("ID", Npf.ID, "data access", "instruction fetch");
/** Bit 5: a protection-key violation. */
export const NPF_PK: BitField = flag("PK", Npf.PK, "no", "protection key");
/** Bit 6: a shadow-stack access. */
export const NPF_SHADOW_STACK: BitField = flag("SS", Npf.SS, "no", "shadow-stack access");
/** Bit 31: an RMP violation (SEV-SNP). */
export const NPF_RMP: BitField = flag("RMP", Npf.RMP, "no", "RMP violation");
/** Bit 32: the access was to the final guest-physical address of a guest translation. */
export const NPF_FINAL: BitField = flag(
  "GUEST_FINAL",
  Npf.GUEST_FINAL,
  "no",
  "final guest-physical address",
);
/** Bit 33: the access was to a guest page table (a page walk). */
export const NPF_PAGE_TABLE: BitField = flag(
  "GUEST_PAGE",
  Npf.GUEST_PAGE,
  "no",
  "guest page-table access",
);
/** Bit 34: an encrypted (private) access. */
export const NPF_ENCRYPTED: BitField = flag(
  "GUEST_ENC",
  Npf.GUEST_ENC,
  "no",
  "encrypted (private) access",
);
/** Bit 35: an RMP page-size mismatch. */
export const NPF_SIZE_MISMATCH: BitField = flag(
  "GUEST_SIZEM",
  Npf.GUEST_SIZEM,
  "no",
  "RMP page-size mismatch",
);
/** Bit 36: a VMPL violation. */
export const NPF_VMPL: BitField = flag("GUEST_VMPL", Npf.GUEST_VMPL, "no", "VMPL violation");

/** NPF EXITINFO1, bit by bit (bits 48 and 49 are KVM's own, never set by hardware). */
const NPF_INFO1: readonly BitField[] = [
  NPF_PRESENT,
  NPF_WRITE,
  NPF_USER,
  NPF_RSVD,
  NPF_FETCH,
  NPF_PK,
  NPF_SHADOW_STACK,
  reserved(30, 7),
  NPF_RMP,
  NPF_FINAL,
  NPF_PAGE_TABLE,
  NPF_ENCRYPTED,
  NPF_SIZE_MISMATCH,
  NPF_VMPL,
  reserved(63, 37),
];

/** NPF EXITINFO2: the faulting guest-physical address. */
const NPF_INFO2: readonly BitField[] = [field("Guest-physical address", 63, 0)];

// ---- MOV CR / MOV DR (0x000–0x03F, 0x065)

/** Bits 3:0: the general-purpose register of the MOV. */
export const CR_GPR: BitField = field("GPR", 3, 0, gprName);
/** Bit 63: the exit was a MOV and bits 3:0 are valid (decode assists; Linux `CR_VALID`). */
export const CR_VALID: BitField = flag(
  "MOV",
  63,
  "not a MOV CR/DR, or no decode assist (GPR not valid)",
  "MOV CR/DR: GPR valid",
);
/** EXITINFO1 of CR and DR accesses. */
const CR_INFO1: readonly BitField[] = [CR_GPR, reserved(62, 4), CR_VALID];

/** EXITINFO1 of the write traps (0x08F EFER, 0x090–0x09F CR0–CR15): the value written. */
const TRAP_INFO1: readonly BitField[] = [field("New value", 63, 0)];

// ---- Exceptions (0x040–0x05F)

/** Vectors that push an error code (#DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX): EXITINFO1 holds it. */
export const ERROR_CODE_VECTORS: readonly boolean[] = /* @__PURE__ */ (() => {
  const out = new Array<boolean>(32).fill(false);
  for (const v of [8, 10, 11, 12, 13, 14, 17, 21, 29, 30]) out[v] = true;
  return out;
})();
/** EXITINFO1 bits 31:0 of an exception that pushes an error code. */
export const EXCEPTION_ERROR_CODE: BitField = field("Error code", 31, 0);
const EXCEPTION_INFO1: readonly BitField[] = [EXCEPTION_ERROR_CODE, reserved(63, 32)];
/** EXITINFO2 of #PF: the faulting linear address (what CR2 will hold). */
const PF_INFO2: readonly BitField[] = [field("Faulting linear address", 63, 0)];

// ---- INVLPG (0x079), INVPCID (0x0A2)

const INVLPG_INFO1: readonly BitField[] = [field("Linear address", 63, 0)];
const INVPCID_INFO1: readonly BitField[] = [field("Memory operand linear address", 63, 0)];
const INVPCID_INFO2: readonly BitField[] = [field("INVPCID type (register operand)", 63, 0)];

// ---- Task switch (0x07D)

/** EXITINFO1 bits 15:0: the selector of the new TSS. */
export const TS_SELECTOR: BitField = field("TSS selector", 15, 0);
const TS_INFO1: readonly BitField[] = [TS_SELECTOR, reserved(63, 16)];
/** EXITINFO2 bits 31:0: the error code of the event that switched task. */
export const TS_ERROR_CODE: BitField = field("Error code", 31, 0);
/** EXITINFO2 bit 36: the switch came from IRET. */
export const TS_IRET: BitField = flag("IRET", 36, "no", "task switch by IRET");
/** EXITINFO2 bit 38: the switch came from a far JMP. */
export const TS_JMP: BitField = flag("JMP", 38, "no", "task switch by far JMP");
/** EXITINFO2 bit 44: the error code in bits 31:0 is valid. */
export const TS_EV: BitField = flag("EV", 44, "no error code", "error code valid");
/** EXITINFO2 bit 48: RFLAGS.RF. */
export const TS_RF: BitField = flag("RF", 48, "0", "1");
const TS_INFO2: readonly BitField[] = [
  TS_ERROR_CODE,
  reserved(35, 32),
  TS_IRET,
  reserved(37, 37),
  TS_JMP,
  reserved(43, 39),
  TS_EV,
  reserved(47, 45),
  TS_RF,
  reserved(63, 49),
];

// ---- AVIC incomplete IPI (0x401)

/** Why AVIC did not deliver the IPI, by EXITINFO2[63:32] (Linux `AVIC_IPI_FAILURE_*`). */
export const SVM_AVIC_IPI_FAILURES = [
  "invalid-int-type",
  "target-not-running",
  "invalid-target",
  "invalid-backing-page",
  "invalid-ipi-vector",
] as const;

/** A reason AVIC gives for an incomplete IPI. */
export type SvmAvicIpiFailure = (typeof SVM_AVIC_IPI_FAILURES)[number];

/** EXITINFO2 bits 63:32: the failure cause. */
export const AVIC_IPI_CAUSE: BitField = field("ID", 63, 32, [
  "INVALID_INT_TYPE: not a fixed edge-triggered IPI",
  "TARGET_NOT_RUNNING: the IRR is set, the target must be woken",
  "INVALID_TARGET",
  "INVALID_BACKING_PAGE",
  "INVALID_IPI_VECTOR",
]);
/** EXITINFO2 bits 8:0: the physical APIC ID table index. */
export const AVIC_IPI_INDEX: BitField = field("Index", 8, 0);
const AVIC_IPI_INFO2: readonly BitField[] = [AVIC_IPI_INDEX, reserved(31, 9), AVIC_IPI_CAUSE];

// ---- AVIC unaccelerated access (0x402)

/** Local APIC registers by offset >> 4 (Linux `APIC_*`, arch/x86/include/asm/apicdef.h). */
const APIC_REGISTERS: readonly (string | undefined)[] = /* @__PURE__ */ (() => {
  const out = new Array<string | undefined>(64).fill(undefined);
  const named: readonly (readonly [number, string])[] = [
    [0x20, "ID"],
    [0x30, "LVR (version)"],
    [0x80, "TPR"],
    [0x90, "APR"],
    [0xa0, "PPR"],
    [0xb0, "EOI"],
    [0xc0, "RRR"],
    [0xd0, "LDR"],
    [0xe0, "DFR"],
    [0xf0, "SPIV"],
    [0x280, "ESR"],
    [0x2f0, "LVTCMCI"],
    [0x300, "ICR"],
    [0x310, "ICR2"],
    [0x320, "LVTT"],
    [0x330, "LVTTHMR"],
    [0x340, "LVTPC"],
    [0x350, "LVT0"],
    [0x360, "LVT1"],
    [0x370, "LVTERR"],
    [0x380, "TMICT"],
    [0x390, "TMCCT"],
    [0x3e0, "TDCR"],
    [0x3f0, "SELF_IPI"],
  ];
  for (const [offset, name] of named) out[offset >> 4] = name;
  for (let i = 0; i < 8; i++) {
    out[0x10 + i] = `ISR${i}`;
    out[0x18 + i] = `TMR${i}`;
    out[0x20 + i] = `IRR${i}`;
  }
  return out;
})();

/**
 * The APIC offsets KVM treats as traps (the write is already done; `is_avic_unaccelerated_access_trap`
 * in arch/x86/kvm/svm/avic.c): ID, EOI, RRR, LDR, DFR, SPIV, ESR, ICR, LVTT, LVTTHMR, LVTPC, LVT0,
 * LVT1, LVTERR, TMICT, TDCR. Every other offset faults before the access, which is emulated.
 */
export const AVIC_TRAP_OFFSETS: readonly boolean[] = /* @__PURE__ */ (() => {
  const out = new Array<boolean>(64).fill(false);
  for (const offset of [
    0x20, 0xb0, 0xc0, 0xd0, 0xe0, 0xf0, 0x280, 0x300, 0x320, 0x330, 0x340, 0x350, 0x360, 0x370,
    0x380, 0x3e0,
  ]) {
    out[offset >> 4] = true;
  }
  return out;
})();

/** The APIC register name at `offset` (bits 11:4), for messages. */
export function apicRegisterName(offset: number): string {
  return APIC_REGISTERS[(offset >>> 4) & 0x3f] ?? "reserved";
}

/** EXITINFO1 bits 11:4: the APIC register offset >> 4. */
export const AVIC_OFFSET: BitField = field("Offset", 11, 4, (v) => {
  const offset = v << 4;
  return `0x${offset.toString(16)} ${apicRegisterName(offset)} (${AVIC_TRAP_OFFSETS[v] === true ? "trap: the write is done" : "fault: the access is to emulate"})`;
});
/** EXITINFO1 bit 32: a write. */
export const AVIC_WRITE: BitField = flag("Write", 32, "read", "write");
const AVIC_NOACCEL_INFO1: readonly BitField[] = [
  reserved(3, 0),
  AVIC_OFFSET,
  reserved(31, 12),
  AVIC_WRITE,
  reserved(63, 33),
];
/** EXITINFO2 bits 31:0: the vector (of an EOI write). */
export const AVIC_VECTOR: BitField = field("Vector", 31, 0);
const AVIC_NOACCEL_INFO2: readonly BitField[] = [AVIC_VECTOR, reserved(63, 32)];

// ---- by exit code

/** The EXITINFO1 / EXITINFO2 layouts of an exit code (`undefined`: the code gives the field no format). */
export interface SvmExitInfoLayouts {
  readonly info1: readonly BitField[] | undefined;
  readonly info2: readonly BitField[] | undefined;
}

const NONE: SvmExitInfoLayouts = { info1: undefined, info2: undefined };

/**
 * The EXITINFO1 / EXITINFO2 layouts of `code`; `x2apic` picks the ICR layout of an AVIC
 * incomplete IPI (x2APIC: destination in bits 63:32; xAPIC: 63:56).
 */
export function svmExitInfoLayouts(code: number, x2apic: boolean): SvmExitInfoLayouts {
  if (code >= 0 && code < 0x40) return { info1: CR_INFO1, info2: undefined };
  if (code >= SvmExitCode.EXCP_BASE && code < SvmExitCode.EXCP_BASE + 32) {
    const vector = code - SvmExitCode.EXCP_BASE;
    return {
      info1: ERROR_CODE_VECTORS[vector] === true ? EXCEPTION_INFO1 : undefined,
      info2: vector === 14 ? PF_INFO2 : undefined,
    };
  }
  if (code === SvmExitCode.EFER_WRITE_TRAP || (code >= 0x90 && code <= 0x9f)) {
    return { info1: TRAP_INFO1, info2: undefined };
  }
  switch (code) {
    case SvmExitCode.CR0_SEL_WRITE:
      return { info1: CR_INFO1, info2: undefined };
    case SvmExitCode.IOIO:
      return { info1: IOIO_INFO1, info2: NEXT_RIP_INFO2 };
    case SvmExitCode.MSR:
      return { info1: MSR_INFO1, info2: undefined };
    case SvmExitCode.INVLPG:
      return { info1: INVLPG_INFO1, info2: undefined };
    case 0x0a2:
      return { info1: INVPCID_INFO1, info2: INVPCID_INFO2 };
    case SvmExitCode.TASK_SWITCH:
      return { info1: TS_INFO1, info2: TS_INFO2 };
    case SvmExitCode.NPF:
      return { info1: NPF_INFO1, info2: NPF_INFO2 };
    case SvmExitCode.AVIC_INCOMPLETE_IPI:
      return { info1: x2apic ? X86_ICR_LAYOUT : X86_XAPIC_ICR_LAYOUT, info2: AVIC_IPI_INFO2 };
    case SvmExitCode.AVIC_UNACCELERATED_ACCESS:
      return { info1: AVIC_NOACCEL_INFO1, info2: AVIC_NOACCEL_INFO2 };
    default:
      return NONE;
  }
}

/** The exception mnemonic of vector `v` (`#PF`), for messages. */
export function exceptionName(v: number): string | undefined {
  return X86_EXCEPTION_NAMES[v];
}
