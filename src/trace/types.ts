import type { RegValue } from "../core/decoded";
import type { TraceCompanion } from "./companions";

/** Which exit vocabulary a `kvm_exit` line speaks: Intel VMX, AMD SVM, arm64 or RISC-V. */
export type TraceArch = "x86-vmx" | "x86-svm" | "aarch64" | "riscv";

/** The ftrace line prefix `task-pid [cpu] flags timestamp:`; every part may be absent. */
export interface TracePrefix {
  /** Task (thread) name, possibly with spaces and slashes: `CPU 0/KVM`, `qemu-system-x86`. */
  readonly task?: string;
  /** Thread id of the task. */
  readonly pid?: number;
  /** Host CPU the event was recorded on. */
  readonly cpu?: number;
  /** The 4- or 5-character latency flags column (`d..1.`), as printed. */
  readonly flags?: string;
  /** Timestamp in nanoseconds, exact at any uptime (`secs.frac` scaled; a bare integer is taken as nanoseconds). */
  readonly timestamp?: bigint;
}

/** Raw VMX exit state a `kvm_exit` line holds (a subset of `VmxSnapshot`). */
export interface TraceVmxSnapshot {
  /** Full 32-bit exit reason: basic reason plus the printed flag bits. */
  readonly exitReason: number;
  /** `info1` (or the first `info` word): the exit qualification. */
  readonly exitQualification?: RegValue;
  /** `intr_info`, or the second `info` word of kernels before the intr_info field. */
  readonly exitInterruptionInfo?: number;
  /** `error_code`. */
  readonly exitInterruptionErrorCode?: number;
  /** `info2` of kernels with the intr_info field: IDT-vectoring information. */
  readonly idtVectoringInfo?: number;
  /** The guest RIP. */
  readonly regs?: { readonly rip: RegValue };
}

/** Raw SVM exit state a `kvm_exit` line holds (a subset of `SvmSnapshot`). */
export interface TraceSvmSnapshot {
  /** EXITCODE (the negative codes as the u64 the VMCB holds: 2^64 − 1 for VMEXIT_INVALID). */
  readonly exitCode: RegValue;
  /** EXITINFO1 (`info1`, or the first `info` word). */
  readonly exitInfo1?: RegValue;
  /** EXITINFO2 (`info2`, or the second `info` word). */
  readonly exitInfo2?: RegValue;
  /** EXITINTINFO (`intr_info`). */
  readonly exitIntInfo?: number;
  /** The EXITINTINFO error code (`error_code`). */
  readonly exitIntInfoErrorCode?: number;
  /** The guest RIP. */
  readonly regs?: { readonly rip: RegValue };
}

/** Raw RISC-V trap state a `kvm_exit` line holds (a subset of `RiscvSnapshot`). */
export interface TraceRiscvSnapshot {
  /** scause. */
  readonly scause: RegValue;
  /** stval. */
  readonly stval?: RegValue;
  /** htval. */
  readonly htval?: RegValue;
  /** htinst. */
  readonly htinst?: RegValue;
  /** XLEN guessed from scause (32 when the interrupt bit is bit 31). */
  readonly xlen: 32 | 64;
}

interface TraceExitBase {
  /** Discriminant of a parsed line. */
  readonly type: "exit";
  /** The line prefix. */
  readonly prefix: TracePrefix;
  /** Reason name: the Linux trace string (`EPT_VIOLATION`, `DABT_LOW`, `npf`), or the arch's name. */
  readonly name: string;
  /** Raw class number (VMX basic reason, SVM exit code, ESR EC, scause code) when the line gives it. */
  readonly code?: number;
  /** vCPU id, when the line prints one (x86 since 2019, some RISC-V trees). */
  readonly vcpu?: number;
  /** Guest program counter (RIP, PC, SEPC), when printed. */
  readonly pc?: bigint;
}

/** An Intel VMX `kvm_exit` line. */
export interface VmxTraceExit extends TraceExitBase {
  /** Intel VMX. */
  readonly arch: "x86-vmx";
  /** The raw state for the VMX decoder. */
  readonly snapshot: TraceVmxSnapshot;
  /** `requests` (Linux 6.x). */
  readonly requests?: bigint;
}

/** An AMD SVM `kvm_exit` line (Linux names such as `npf`, `io`, `PF excp`, or libtraceevent's `EXIT_NPF`). */
export interface SvmTraceExit extends TraceExitBase {
  /** AMD SVM. */
  readonly arch: "x86-svm";
  /** The raw state for the SVM decoder, when the exit code is known. */
  readonly snapshot?: TraceSvmSnapshot;
  /** `requests` (Linux 6.x). */
  readonly requests?: bigint;
}

/** An arm64 (or 32-bit ARM) `kvm_exit` line: exception type and ESR_EL2.EC only. */
export interface Aarch64TraceExit extends TraceExitBase {
  /** arm64. */
  readonly arch: "aarch64";
  /** Exception type as printed: `TRAP`, `IRQ`, `SERROR`, `HYP_GONE`, or a hex number; absent on 32-bit ARM's `PC:`-only lines. */
  readonly exceptionType?: string;
  /** ESR_EL2.EC as printed (0 for non-TRAP exits); absent when not printed. */
  readonly ec?: number;
}

/** A RISC-V `kvm_exit` line. */
export interface RiscvTraceExit extends TraceExitBase {
  /** RISC-V. */
  readonly arch: "riscv";
  /** The raw state for the RISC-V decoder. */
  readonly snapshot: TraceRiscvSnapshot;
  /** True when scause has the interrupt bit set. */
  readonly interrupt: boolean;
}

/** A parsed `kvm_exit` line of any architecture. */
export type TraceExit = VmxTraceExit | SvmTraceExit | Aarch64TraceExit | RiscvTraceExit;

/** A parsed `kvm_entry` line (it closes the vCPU's exit and times it). */
export interface TraceEntry {
  /** Discriminant of a parsed line. */
  readonly type: "entry";
  /** The line prefix. */
  readonly prefix: TracePrefix;
  /** vCPU id (x86). */
  readonly vcpu?: number;
  /** Guest program counter at entry. */
  readonly pc?: bigint;
}

/** A well-formed trace line of an event the reader does not use. */
export interface TraceOtherEvent {
  /** Discriminant of a parsed line. */
  readonly type: "other";
  /** The line prefix. */
  readonly prefix: TracePrefix;
  /** Event name, without a `kvm:` system prefix. */
  readonly event: string;
}

/** What `parseTraceLine` recognises in one line. */
export type TraceLine = TraceExit | TraceEntry | TraceCompanion | TraceOtherEvent;
