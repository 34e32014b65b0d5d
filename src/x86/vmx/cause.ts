import type { CauseBase } from "../../core/decoded";
import type { X86ApicIcr } from "../icr";
import type { X86MemAccess } from "../insn/access";
import type { X86HypercallAbi } from "../options";
import type { VmxInterruptionInfo } from "./interruption";
import type { VmxExitReasonFlags } from "./reasons";

/** The exit classes of VMX, one cause interface each (`VmxCause["class"]`). */
export type VmxCauseClass = VmxCause["class"];

/**
 * What every VMX cause carries besides the base: the full exit reason and its flags. Each class
 * adds the VMCS fields its exits have (the qualification dissected, the event information). Every
 * key of a cause is always present (a value the snapshot did not give is `undefined`), so that the
 * causes of one class share one shape.
 */
export interface VmxCauseCommon<K extends string> extends CauseBase<"x86-vmx", K> {
  /** The full 32-bit exit reason; `code` is its basic reason (bits 15:0). */
  readonly exitReason: number;
  /** Exit-reason flag bits 26–29 and 31. */
  readonly flags: VmxExitReasonFlags;
}

/** The VM-exit interruption information, for the exits that report an event (reasons 0 and 1). */
export interface VmxInterruptionFields {
  /** VM-exit interruption information (0x4404) and its error code (0x4406), when given. */
  readonly interruption: VmxInterruptionInfo | undefined;
}

/** The IDT-vectoring information, for the exits that can happen while an event is delivered. */
export interface VmxIdtVectoringFields {
  /** IDT-vectoring information (0x4408), when given. */
  readonly idtVectoring: VmxInterruptionInfo | undefined;
}

/** The #DB qualification (DR6-like bits). */
export interface VmxDebugQualification {
  /** Bits 3:0: B3…B0, the breakpoint conditions met. */
  readonly breakpoints: number;
  /** Bit 13: BD, a debug-register access was detected. */
  readonly bd: boolean;
  /** Bit 14: BS, single step. */
  readonly bs: boolean;
  /** Bit 16: RTM. */
  readonly rtm: boolean;
}

/** Reason 0: an exception or NMI; for #PF and #DB the qualification dissected. */
export interface VmxExceptionNmiCause
  extends VmxCauseCommon<"exception-nmi">,
    VmxInterruptionFields,
    VmxIdtVectoringFields {
  /** #PF (hardware exception, vector 14): the faulting linear address (what CR2 would get). */
  readonly pageFaultAddress: bigint | undefined;
  /** #DB (hardware exception or INT1, vector 1): the DR6-like qualification bits. */
  readonly debug: VmxDebugQualification | undefined;
}

/** Reason 1: an external interrupt; the vector is in the interruption information. */
export interface VmxExternalInterruptCause
  extends VmxCauseCommon<"external-interrupt">,
    VmxInterruptionFields {
  /** Interruption information bits 7:0. */
  readonly vector: number;
}

/** Reason 9: a task switch (qualification fields when it was given). */
export interface VmxTaskSwitchCause extends VmxCauseCommon<"task-switch">, VmxIdtVectoringFields {
  /** Bits 15:0: selector of the new TSS. */
  readonly selector: number | undefined;
  /** Bits 31:30: what started the switch. */
  readonly source: "call" | "iret" | "jmp" | "task-gate" | undefined;
}

/** Reason 14: INVLPG. */
export interface VmxInvlpgCause extends VmxCauseCommon<"invlpg"> {
  /** The linear-address operand (the qualification), when given. */
  readonly linearAddress: bigint | undefined;
}

/** Reason 18: VMCALL. */
export interface VmxVmcallCause extends VmxCauseCommon<"vmcall"> {
  /** The register convention the hypercall was read with. */
  readonly hypercallAbi: X86HypercallAbi;
}

/** Reason 28: a control-register access (qualification fields when it was given). */
export interface VmxCrAccessCause extends VmxCauseCommon<"cr-access"> {
  /** Bits 3:0: control register number. */
  readonly cr: number | undefined;
  /** Bits 5:4: access type. */
  readonly accessType: "mov-to-cr" | "mov-from-cr" | "clts" | "lmsw" | undefined;
  /** Bit 6: the LMSW operand is in memory. */
  readonly lmswMemoryOperand: boolean | undefined;
  /** Bits 11:8: general-purpose register of a MOV CR (0–15 = RAX…R15). */
  readonly gpr: number | undefined;
  /** Bits 31:16: LMSW source data. */
  readonly lmswSourceData: number | undefined;
}

/** Reason 29: MOV DR (qualification fields when it was given). */
export interface VmxDrAccessCause extends VmxCauseCommon<"dr-access"> {
  /** Bits 2:0: debug register number. */
  readonly dr: number | undefined;
  /** Bit 4: MOV to DR or MOV from DR. */
  readonly direction: "to-dr" | "from-dr" | undefined;
  /** Bits 11:8: general-purpose register (0–15 = RAX…R15). */
  readonly gpr: number | undefined;
}

/** Reason 30: an I/O instruction. */
export interface VmxIoCause extends VmxCauseCommon<"io"> {
  /** Bits 2:0 + 1: access size in bytes. */
  readonly size: 1 | 2 | 4;
  /** Bit 3: IN or OUT. */
  readonly direction: "in" | "out";
  /** Bit 4: INS / OUTS. */
  readonly string: boolean;
  /** Bit 5: REP prefix. */
  readonly rep: boolean;
  /** Bit 6: the port is an immediate operand (else DX). */
  readonly immediate: boolean;
  /** Bits 31:16: port number. */
  readonly port: number;
  /** RCX, for REP instructions when given. */
  readonly count: bigint | undefined;
  /** Guest linear address (0x640A), for string instructions when given. */
  readonly linearAddress: bigint | undefined;
  /** Why a string or REP instruction is `Nothing`. */
  readonly note: string | undefined;
}

/** Reasons 31 and 32: RDMSR and WRMSR. */
export interface VmxMsrCause extends VmxCauseCommon<"msr"> {
  /** MSR index: ECX. */
  readonly index: number;
  /** `read` for RDMSR (31), `write` for WRMSR (32). */
  readonly direction: "read" | "write";
  /** EDX:EAX, for writes. */
  readonly value: bigint | undefined;
  /** The x2APIC ICR dissected, for writes to MSR 0x830. */
  readonly icr: X86ApicIcr | undefined;
  /** Why an ICR write is `Nothing` or the raw `SysRegWrite` (INIT, SMI, ExtINT, a Start-up IPI to a set, delivery mode 3). */
  readonly note: string | undefined;
}

/** A VM-entry failure: exit-reason bit 31, or basic reason 33, 34 or 41. */
export interface VmxEntryFailureCause extends VmxCauseCommon<"entry-failure"> {
  /** The exit qualification (0x6400), when given. */
  readonly qualification: bigint | undefined;
  /** What the qualification means, for INVALID_STATE (33) and MSR_LOAD_FAIL (34) when given. */
  readonly meaning: string | undefined;
}

/** Reason 44: an access to the APIC-access page. */
export interface VmxApicAccessCause extends VmxCauseCommon<"apic-access">, VmxIdtVectoringFields {
  /** Bits 11:0: offset in the APIC page. */
  readonly offset: number;
  /** Bits 15:12: access type number. */
  readonly accessType: number;
  /** What the access type means. */
  readonly accessTypeName: string;
  /** Bit 16: asynchronous access. */
  readonly async: boolean;
  /** The guest-physical address accessed (APIC base + offset), for linear data accesses (types 0, 1). */
  readonly gpa: bigint | undefined;
  /** The decoded MOV-family instruction, when the bytes were given and decode. */
  readonly instruction: X86MemAccess | undefined;
  /** Why the access did not become `MmioRead` / `MmioWrite`. */
  readonly notMmio: string | undefined;
}

/** Reason 45: a virtualized EOI. */
export interface VmxEoiInducedCause extends VmxCauseCommon<"eoi-induced"> {
  /** The qualification: the vector of the EOI, when given. */
  readonly vector: number | undefined;
}

/** Reason 56: a trap-like write to a virtualized APIC register. */
export interface VmxApicWriteCause extends VmxCauseCommon<"apic-write"> {
  /** The qualification: the offset of the register written, when given. */
  readonly offset: number | undefined;
}

/**
 * The exit qualification of an EPT violation, bits 12:0: the access that faulted, what the EPT
 * entries allowed, and what the processor knew of the linear address (Linux `EPT_VIOLATION_*`).
 */
export interface VmxEptFault {
  /** Bit 0: data read. */
  readonly read: boolean;
  /** Bit 1: data write. */
  readonly write: boolean;
  /** Bit 2: instruction fetch. */
  readonly fetch: boolean;
  /** Bit 3: the GPA was readable. */
  readonly readable: boolean;
  /** Bit 4: the GPA was writable. */
  readonly writable: boolean;
  /** Bit 5: the GPA was executable (supervisor). */
  readonly executable: boolean;
  /** Bit 6: the GPA was executable for user-mode linear addresses. */
  readonly userExecutable: boolean;
  /** Bit 7: the guest linear address field is valid. */
  readonly linearAddressValid: boolean;
  /** Bit 8: access to the final translation (else to a paging-structure entry). */
  readonly finalTranslation: boolean;
  /** Bit 9: user-mode linear address (advanced information). */
  readonly userMode: boolean;
  /** Bit 10: linear address is read/write (advanced information). */
  readonly linearWritable: boolean;
  /** Bit 11: linear address is execute-disable (advanced information). */
  readonly executeDisable: boolean;
  /** Bit 12: NMI unblocking due to IRET. */
  readonly nmiUnblocking: boolean;
}

/** Reason 48: an EPT violation (qualification bits 0–12 in `fault`). */
export interface VmxEptViolationCause
  extends VmxCauseCommon<"ept-violation">,
    VmxIdtVectoringFields {
  /** The faulting guest-physical address (0x2400). */
  readonly gpa: bigint;
  /** Guest linear address (0x640A), when bit 7 says it is valid and it was given. */
  readonly linearAddress: bigint | undefined;
  /** Qualification bits 12:0 dissected (one shared frozen object per value of those bits). */
  readonly fault: VmxEptFault;
  /** The decoded MOV-family instruction, when the bytes were given and decode. */
  readonly instruction: X86MemAccess | undefined;
  /** Why the fault stayed a `NestedPageFault`. */
  readonly notMmio: string | undefined;
}

/** Reason 49: an EPT misconfiguration (its qualification is undefined). */
export interface VmxEptMisconfigCause
  extends VmxCauseCommon<"ept-misconfig">,
    VmxIdtVectoringFields {
  /** The faulting guest-physical address (0x2400). */
  readonly gpa: bigint;
  /** The decoded MOV-family instruction, when the bytes were given and decode. */
  readonly instruction: X86MemAccess | undefined;
  /** Why the fault stayed a `NestedPageFault`. */
  readonly notMmio: string | undefined;
}

/** Every other defined reason (HLT, CPUID, TRIPLE_FAULT, …): the common fields and the raw qualification. */
export interface VmxOtherCause extends VmxCauseCommon<"other">, VmxIdtVectoringFields {
  /** The exit qualification (0x6400) as given: this library does not dissect it for the reason. */
  readonly qualification: bigint | undefined;
}

/** What a VMX exit was, dissected: one interface per exit class, discriminated by `class`. */
export type VmxCause =
  | VmxExceptionNmiCause
  | VmxExternalInterruptCause
  | VmxTaskSwitchCause
  | VmxInvlpgCause
  | VmxVmcallCause
  | VmxCrAccessCause
  | VmxDrAccessCause
  | VmxIoCause
  | VmxMsrCause
  | VmxEntryFailureCause
  | VmxApicAccessCause
  | VmxEoiInducedCause
  | VmxApicWriteCause
  | VmxEptViolationCause
  | VmxEptMisconfigCause
  | VmxOtherCause;
