import type { TracePrefix } from "./types";

interface CompanionBase<E extends string> {
  /** Discriminant of a parsed line. */
  readonly type: "companion";
  /** The event name. */
  readonly event: E;
  /** The line prefix. */
  readonly prefix: TracePrefix;
}

/** `kvm_page_fault`: the GPA of an EPT violation / NPF and its error code (VMX: the exit qualification). */
export interface PageFaultEvent extends CompanionBase<"kvm_page_fault"> {
  /** vCPU id, when printed. */
  readonly vcpu?: number;
  /** Guest RIP, when printed. */
  readonly rip?: bigint;
  /** The faulting guest-physical address. */
  readonly address: bigint;
  /** The error code, when printed. */
  readonly errorCode?: bigint;
}

/** `kvm_emulate_insn`: the instruction KVM emulates. */
export interface EmulateInsnEvent extends CompanionBase<"kvm_emulate_insn"> {
  /** CS base. */
  readonly csBase: number;
  /** Guest RIP. */
  readonly rip: bigint;
  /** The instruction bytes, when printed as hex. */
  readonly bytes?: readonly number[];
  /** The CPU mode (`real`/`vm16`/`prot16` → 16, `prot32` → 32, `prot64` → 64), when printed. */
  readonly cpuMode?: 16 | 32 | 64;
  /** True for ` failed` / ` FAIL`. */
  readonly failed: boolean;
}

/** `kvm_mmio`: an emulated MMIO access. */
export interface MmioEvent extends CompanionBase<"kvm_mmio"> {
  /** `unsatisfied-read` (sent to userspace), `read` (with its value) or `write`. */
  readonly access: "unsatisfied-read" | "read" | "write";
  /** Length in bytes. */
  readonly len: number;
  /** Guest-physical address. */
  readonly gpa: bigint;
  /** The value read or written, when printed. */
  readonly val?: bigint;
}

/** `kvm_fast_mmio`: an ioeventfd write that skipped emulation. */
export interface FastMmioEvent extends CompanionBase<"kvm_fast_mmio"> {
  /** Guest-physical address. */
  readonly gpa: bigint;
}

/** `kvm_pio`: port I/O. */
export interface PioEvent extends CompanionBase<"kvm_pio"> {
  /** Direction. */
  readonly access: "read" | "write";
  /** Port. */
  readonly port: number;
  /** Size in bytes. */
  readonly size: number;
  /** Repeat count (string I/O). */
  readonly count: number;
  /** The value, when printed (the oldest kernels did not). */
  readonly val?: number;
}

/** `kvm_msr`: RDMSR / WRMSR. */
export interface MsrEvent extends CompanionBase<"kvm_msr"> {
  /** Direction. */
  readonly access: "read" | "write";
  /** MSR index (ECX). */
  readonly index: number;
  /** The value read or written. */
  readonly data: bigint;
  /** True when the access raised #GP. */
  readonly gp: boolean;
}

/** `kvm_hypercall`: a KVM hypercall. */
export interface HypercallEvent extends CompanionBase<"kvm_hypercall"> {
  /** Hypercall number (RAX). */
  readonly nr: bigint;
  /** a0…a3 (RBX, RCX, RDX, RSI). */
  readonly args: readonly [bigint, bigint, bigint, bigint];
}

/** `kvm_apic_ipi`: an IPI sent through the ICR. */
export interface ApicIpiEvent extends CompanionBase<"kvm_apic_ipi"> {
  /** Destination field. */
  readonly dest: number;
  /** ICR bits 31:0 rebuilt from the printed vector, delivery mode, destination mode, level, trigger and shorthand. */
  readonly icrLow: number;
}

/** `kvm_apic`: a local APIC register access. */
export interface ApicEvent extends CompanionBase<"kvm_apic"> {
  /** Direction. */
  readonly access: "read" | "write";
  /** Register offset (`APIC_ICR` = 0x300). */
  readonly reg: number;
  /** The value. */
  readonly val: bigint;
}

/** `kvm_avic_incomplete_ipi` (AMD). */
export interface AvicIncompleteIpiEvent extends CompanionBase<"kvm_avic_incomplete_ipi"> {
  /** vCPU id. */
  readonly vcpu?: number;
  /** ICR high. */
  readonly icrHigh: number;
  /** ICR low. */
  readonly icrLow: number;
  /** Failure cause id. */
  readonly id: number;
  /** Index. */
  readonly index: number;
}

/** `kvm_avic_unaccelerated_access` (AMD). */
export interface AvicUnacceleratedAccessEvent
  extends CompanionBase<"kvm_avic_unaccelerated_access"> {
  /** vCPU id. */
  readonly vcpu?: number;
  /** APIC register offset. */
  readonly offset: number;
  /** True for a trap, false for a fault. */
  readonly trap: boolean;
  /** True for a write. */
  readonly write: boolean;
  /** Vector. */
  readonly vector: number;
}

/** `kvm_guest_fault`: arm64's stage-2 fault (hsr = ESR_EL2, hxfar = FAR_EL2), or RISC-V's variant (GPA only). */
export interface GuestFaultEvent extends CompanionBase<"kvm_guest_fault"> {
  /** vCPU id (RISC-V's variant). */
  readonly vcpu?: number;
  /** The faulting IPA (page-aligned on arm64) or GPA. */
  readonly ipa: bigint;
  /** ESR_EL2 (`hsr`), arm64. */
  readonly esr?: bigint;
  /** FAR_EL2 (`hxfar`), arm64. */
  readonly far?: bigint;
  /** Guest PC, when printed. */
  readonly pc?: bigint;
}

/** `kvm_handle_sys_reg`: ESR_EL2 of a SYS64 trap. */
export interface HandleSysRegEvent extends CompanionBase<"kvm_handle_sys_reg"> {
  /** ESR_EL2. */
  readonly esr: bigint;
}

/** `kvm_sys_access`: the trapped system register. */
export interface SysAccessEvent extends CompanionBase<"kvm_sys_access"> {
  /** Op0. */
  readonly op0: number;
  /** Op1. */
  readonly op1: number;
  /** CRn. */
  readonly crn: number;
  /** CRm. */
  readonly crm: number;
  /** Op2. */
  readonly op2: number;
  /** True for a write (MSR), false for a read (MRS). */
  readonly write: boolean;
  /** Register name as printed (absent in a `[FAILED TO PARSE]` dump). */
  readonly name?: string;
  /** Guest PC. */
  readonly pc?: bigint;
}

/** `kvm_hvc_arm64`: an HVC. */
export interface HvcEvent extends CompanionBase<"kvm_hvc_arm64"> {
  /** Guest PC. */
  readonly pc?: bigint;
  /** x0 (the SMCCC function ID). */
  readonly x0: bigint;
  /** The HVC immediate. */
  readonly imm?: bigint;
}

/** `kvm_wfx_arm64`: WFE or WFI. */
export interface WfxEvent extends CompanionBase<"kvm_wfx_arm64"> {
  /** True for WFE, false for WFI. */
  readonly wfe: boolean;
  /** Guest PC. */
  readonly pc?: bigint;
}

/** `kvm_mmio_emulate`: the instruction of an emulated access (arm, or RISC-V's variant). */
export interface MmioEmulateEvent extends CompanionBase<"kvm_mmio_emulate"> {
  /** vCPU id (RISC-V's variant). */
  readonly vcpu?: number;
  /** Guest PC. */
  readonly pc?: bigint;
  /** The instruction word. */
  readonly instruction: number;
}

/** `kvm_sbi_ecall` (RISC-V, other trees): an SBI call. */
export interface SbiEcallEvent extends CompanionBase<"kvm_sbi_ecall"> {
  /** vCPU id. */
  readonly vcpu?: number;
  /** Guest PC. */
  readonly pc?: bigint;
  /** Extension ID (a7). */
  readonly eid: bigint;
  /** Function ID (a6). */
  readonly fid: bigint;
  /** a0. */
  readonly a0?: bigint;
}

/** A companion event: one of the events that complete a `kvm_exit` of the same vCPU. */
export type TraceCompanion =
  | PageFaultEvent
  | EmulateInsnEvent
  | MmioEvent
  | FastMmioEvent
  | PioEvent
  | MsrEvent
  | HypercallEvent
  | ApicIpiEvent
  | ApicEvent
  | AvicIncompleteIpiEvent
  | AvicUnacceleratedAccessEvent
  | GuestFaultEvent
  | HandleSysRegEvent
  | SysAccessEvent
  | HvcEvent
  | WfxEvent
  | MmioEmulateEvent
  | SbiEcallEvent;
