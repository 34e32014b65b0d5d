import type { CauseBase } from "../../core/decoded";
import type { X86ApicIcr } from "../icr";
import type { X86MemAccess } from "../insn/access";
import type { X86HypercallAbi } from "../options";
import type { SvmEventInfo } from "./event";
import type { SvmAvicIpiFailure } from "./exitinfo";
import type { SvmGhcbMsrRequest } from "./ghcb";

/** The exit classes of SVM, one cause interface each (`SvmCause["class"]`). */
export type SvmCauseClass = SvmCause["class"];

/**
 * What every SVM cause carries besides the base (`code` is the exit code, −1 … −4 for the negative
 * ones): EXITINTINFO, the event being delivered when the exit happened. Every key of a cause is
 * always present (a value the snapshot did not give is `undefined`), so the causes of one class
 * share one shape.
 */
export interface SvmCauseCommon<K extends string> extends CauseBase<"x86-svm", K> {
  /** EXITINTINFO (0x088) and its error code (0x08C), dissected, when given. */
  readonly exitIntInfo: SvmEventInfo | undefined;
}

/** 0x000–0x01F MOV from / to CR0–CR15, and 0x065 a selective CR0 write. */
export interface SvmCrAccessCause extends SvmCauseCommon<"cr-access"> {
  /** The control register (exit code − base; 0 for 0x065). */
  readonly cr: number;
  /** `read` for 0x000–0x00F, `write` for 0x010–0x01F and 0x065. */
  readonly direction: "read" | "write";
  /** 0x065: a write to CR0 that changes bits other than TS and MP (the selective CR0 intercept). */
  readonly selective: boolean;
  /** EXITINFO1 bit 63: the exit is a MOV CR and `gpr` is valid (decode assists), when EXITINFO1 was given. */
  readonly movValid: boolean | undefined;
  /** EXITINFO1 bits 3:0: the MOV's general-purpose register (0–15 = RAX…R15), when EXITINFO1 was given. */
  readonly gpr: number | undefined;
}

/** 0x020–0x03F MOV from / to DR0–DR15. */
export interface SvmDrAccessCause extends SvmCauseCommon<"dr-access"> {
  /** The debug register (exit code − base). */
  readonly dr: number;
  /** `read` for 0x020–0x02F, `write` for 0x030–0x03F. */
  readonly direction: "read" | "write";
  /** EXITINFO1 bit 63, when EXITINFO1 was given. */
  readonly movValid: boolean | undefined;
  /** EXITINFO1 bits 3:0: the MOV's general-purpose register (decode assists), when EXITINFO1 was given. */
  readonly gpr: number | undefined;
}

/** 0x08F and 0x090–0x09F: a write to EFER or CR0–CR15, reported after it completed. */
export interface SvmCrWriteTrapCause extends SvmCauseCommon<"cr-write-trap"> {
  /** The register written: `EFER`, `CR0` … `CR15`. */
  readonly register: string;
  /** EXITINFO1: the value written, when given. */
  readonly value: bigint | undefined;
}

/** 0x040–0x05F: an intercepted exception. */
export interface SvmExceptionCause extends SvmCauseCommon<"exception"> {
  /** The vector (exit code − 0x40). */
  readonly vector: number;
  /** The exception mnemonic (`#PF`, `#GP`, `NMI`, …), `undefined` for reserved vectors. */
  readonly exception: string | undefined;
  /** EXITINFO1 bits 31:0, for the vectors that push an error code, when given. */
  readonly errorCode: number | undefined;
  /** #PF: EXITINFO2, the faulting linear address (what CR2 will hold), when given. */
  readonly pageFaultAddress: bigint | undefined;
}

/** 0x060 INTR: a physical interrupt; SVM does not report its vector. */
export interface SvmInterruptCause extends SvmCauseCommon<"interrupt"> {
  /** The vector the host acknowledged (the snapshot's `interruptVector`). */
  readonly vector: number;
}

/** 0x079 INVLPG. */
export interface SvmInvlpgCause extends SvmCauseCommon<"invlpg"> {
  /** EXITINFO1: the linear address (decode assists), when given. */
  readonly linearAddress: bigint | undefined;
}

/** 0x07B IOIO. */
export interface SvmIoCause extends SvmCauseCommon<"io"> {
  /** Bit 0 (TYPE): IN or OUT. */
  readonly direction: "in" | "out";
  /** Bits 6:4 (SZ32, SZ16, SZ8): the operand size in bytes. */
  readonly size: 1 | 2 | 4;
  /** Bit 2 (STR): INS / OUTS. */
  readonly string: boolean;
  /** Bit 3: REP prefix. */
  readonly rep: boolean;
  /** Bits 9:7 (A64, A32, A16): the address size, `undefined` when none (or several) is set. */
  readonly addressSize: 16 | 32 | 64 | undefined;
  /** Bits 12:10 (SEG): the effective segment of INS / OUTS, as encoded. */
  readonly segment: number;
  /** Bits 31:16: the port. */
  readonly port: number;
  /** EXITINFO2: the address of the next instruction, when given. */
  readonly nextRip: bigint | undefined;
  /** RCX, for REP instructions when given. */
  readonly count: bigint | undefined;
  /** Why a string or REP instruction is `Nothing`. */
  readonly note: string | undefined;
}

/** 0x07C MSR: RDMSR (EXITINFO1 = 0) or WRMSR (1). */
export interface SvmMsrCause extends SvmCauseCommon<"msr"> {
  /** The MSR index: ECX. */
  readonly index: number;
  /** `read` for RDMSR, `write` for WRMSR. */
  readonly direction: "read" | "write";
  /** EDX:EAX, for writes. */
  readonly value: bigint | undefined;
  /** The x2APIC ICR dissected, for writes to MSR 0x830. */
  readonly icr: X86ApicIcr | undefined;
  /** Why an ICR write is `Nothing` or the raw `SysRegWrite` (INIT, SMI, ExtINT, a Start-up IPI to a set, delivery mode 3). */
  readonly note: string | undefined;
}

/** 0x07D: a task switch. */
export interface SvmTaskSwitchCause extends SvmCauseCommon<"task-switch"> {
  /** EXITINFO1 bits 15:0: the selector of the new TSS, when given. */
  readonly selector: number | undefined;
  /** What switched task: EXITINFO2 bit 36 IRET, bit 38 far JMP, else a CALL / INT, through an IDT task gate when an event was being delivered. */
  readonly source: "call" | "iret" | "jmp" | "task-gate" | undefined;
  /** EXITINFO2 bits 31:0, when bit 44 says the event had an error code. */
  readonly errorCode: number | undefined;
  /** EXITINFO2 bit 48: RFLAGS.RF, when EXITINFO2 was given. */
  readonly rf: boolean | undefined;
}

/** 0x081 VMMCALL. */
export interface SvmVmmcallCause extends SvmCauseCommon<"vmmcall"> {
  /** The register convention the hypercall was read with. */
  readonly hypercallAbi: X86HypercallAbi;
}

/**
 * The error code of a nested page fault (EXITINFO1) dissected: bits 6:0 and 31 as a #PF error
 * code, bits 36:32 what the access was to (Linux `PFERR_*`).
 */
export interface SvmNpfFault {
  /** Bit 0 (P): the nested translation was present. */
  readonly present: boolean;
  /** Bit 1 (RW): a write. */
  readonly write: boolean;
  /** Bit 2 (US): a user access (nested walks always are). */
  readonly user: boolean;
  /** Bit 3 (RSVD): a reserved bit was set in a nested page-table entry (KVM's MMIO marker). */
  readonly reservedBit: boolean;
  /** Bit 4 (ID): an instruction fetch. */
  readonly fetch: boolean;
  /** Bit 5 (PK): a protection-key violation. */
  readonly protectionKey: boolean;
  /** Bit 6 (SS): a shadow-stack access. */
  readonly shadowStack: boolean;
  /** Bit 31: an RMP violation (SEV-SNP). */
  readonly rmp: boolean;
  /** Bit 32: the access was to the final guest-physical address of the guest's translation. */
  readonly finalTranslation: boolean;
  /** Bit 33: the access was to a guest page table (a page walk, not the instruction's operand). */
  readonly pageTableAccess: boolean;
  /** Bit 34: an encrypted (private) access. */
  readonly encrypted: boolean;
  /** Bit 35: an RMP page-size mismatch. */
  readonly sizeMismatch: boolean;
  /** Bit 36: a VMPL violation. */
  readonly vmpl: boolean;
}

/** 0x400: a nested page fault (EXITINFO1 is the error code, EXITINFO2 the guest-physical address). */
export interface SvmNpfCause extends SvmCauseCommon<"npf"> {
  /** EXITINFO2: the faulting guest-physical address. */
  readonly gpa: bigint;
  /** EXITINFO1, the whole error code. */
  readonly errorCode: bigint;
  /** The error-code bits dissected (one shared frozen object per value of those bits). */
  readonly fault: SvmNpfFault;
  /** The decoded MOV-family instruction, when the bytes were given and decode. */
  readonly instruction: X86MemAccess | undefined;
  /** Why the fault stayed a `NestedPageFault`. */
  readonly notMmio: string | undefined;
}

/** 0x401: AVIC could not deliver an IPI the guest wrote into its ICR (a trap: the write is done). */
export interface SvmAvicIncompleteIpiCause extends SvmCauseCommon<"avic-incomplete-ipi"> {
  /** EXITINFO1: the ICR dissected (`destination` from bits 63:32 in x2APIC mode, 63:56 in xAPIC mode). */
  readonly icr: X86ApicIcr;
  /** The APIC mode the ICR was read in (`options.x2apic`). */
  readonly apicMode: "xapic" | "x2apic";
  /** EXITINFO2 bits 63:32: why AVIC did not deliver it, when EXITINFO2 was given. */
  readonly failure: SvmAvicIpiFailure | "reserved" | undefined;
  /** EXITINFO2 bits 8:0: the physical APIC ID table index, when EXITINFO2 was given. */
  readonly index: number | undefined;
  /** Why the ICR write is `Nothing` (INIT, SMI, ExtINT, the reserved delivery mode, a Start-up IPI to a set). */
  readonly note: string | undefined;
}

/** 0x402: an access to the APIC page that AVIC does not accelerate. */
export interface SvmAvicUnacceleratedAccessCause
  extends SvmCauseCommon<"avic-unaccelerated-access"> {
  /** EXITINFO1 bits 11:4 << 4: the offset in the APIC page. */
  readonly offset: number;
  /** The APIC register at that offset (`ICR`, `TPR`, …; `reserved`). */
  readonly register: string;
  /** EXITINFO1 bit 32: a write. */
  readonly write: boolean;
  /** A trap (the write is done; the offsets KVM lists) rather than a fault (the access is to emulate). */
  readonly trap: boolean;
  /** EXITINFO2 bits 31:0: the vector, when EXITINFO2 was given. */
  readonly vector: number | undefined;
  /** The guest-physical address accessed (APIC base + offset), for faults. */
  readonly gpa: bigint | undefined;
  /** The decoded MOV-family instruction, when the bytes were given and decode. */
  readonly instruction: X86MemAccess | undefined;
  /** Why the access did not become `MmioRead` / `MmioWrite`. */
  readonly notMmio: string | undefined;
}

/** 0x403 VMGEXIT, and the SEV-ES software exit codes 0x80000001 … 0x8000FFFF a GHCB request puts in EXITCODE. */
export interface SvmVmgexitCause extends SvmCauseCommon<"vmgexit"> {
  /** The GHCB GPA field (0x0A0) as given: the GHCB MSR, a GHCB page address or a protocol request. */
  readonly ghcbGpa: bigint | undefined;
  /** The GHCB MSR protocol request, when `ghcbGpa` holds one (bits 11:0 non-zero). */
  readonly msrProtocol: SvmGhcbMsrRequest | undefined;
  /** EXITINFO1 (SW_EXITINFO1 for the software codes), when given. */
  readonly exitInfo1: bigint | undefined;
  /** EXITINFO2 (SW_EXITINFO2 for the software codes), when given. */
  readonly exitInfo2: bigint | undefined;
}

/** −1 … −4: VMRUN failed (VMEXIT_INVALID, _BUSY, _IDLE_REQUIRED, _INVALID_PMC). */
export interface SvmEntryFailureCause extends SvmCauseCommon<"entry-failure"> {
  /** EXITCODE as the VMCB holds it (2^64 − 1 … 2^64 − 4). */
  readonly exitCode: bigint;
  /** EXITINFO1, when given. */
  readonly exitInfo1: bigint | undefined;
  /** EXITINFO2, when given. */
  readonly exitInfo2: bigint | undefined;
}

/** Every other defined code (HLT, CPUID, SHUTDOWN, INIT, NMI, …): EXITINFO1 and EXITINFO2 as given. */
export interface SvmOtherCause extends SvmCauseCommon<"other"> {
  /** EXITINFO1 as given: this library does not dissect it for the code. */
  readonly exitInfo1: bigint | undefined;
  /** EXITINFO2 as given. */
  readonly exitInfo2: bigint | undefined;
}

/** What an SVM exit was, dissected: one interface per exit class, discriminated by `class`. */
export type SvmCause =
  | SvmCrAccessCause
  | SvmDrAccessCause
  | SvmCrWriteTrapCause
  | SvmExceptionCause
  | SvmInterruptCause
  | SvmInvlpgCause
  | SvmIoCause
  | SvmMsrCause
  | SvmTaskSwitchCause
  | SvmVmmcallCause
  | SvmNpfCause
  | SvmAvicIncompleteIpiCause
  | SvmAvicUnacceleratedAccessCause
  | SvmVmgexitCause
  | SvmEntryFailureCause
  | SvmOtherCause;
