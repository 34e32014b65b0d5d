import type { AccessWidth } from "./scalars/access-width";
import type { GuestPhysAddr } from "./scalars/guest-phys-addr";
import type { MappingFlags } from "./scalars/mapping-flags";
import type { Port } from "./scalars/port";
import type { SysRegAddr } from "./scalars/sys-reg-addr";

/** The guest issued a hypercall: number and six arguments. */
export interface HypercallExit {
  /** The discriminant: `"Hypercall"`. */
  readonly kind: "Hypercall";
  /** The hypercall number (RAX on x86, x0 / a6 by the ABI elsewhere). */
  readonly nr: bigint;
  /** The six arguments, in the ABI's register order. */
  readonly args: readonly [bigint, bigint, bigint, bigint, bigint, bigint];
}
/** The guest read MMIO: the result goes to register `reg`. */
export interface MmioReadExit {
  /** The discriminant: `"MmioRead"`. */
  readonly kind: "MmioRead";
  /** The guest-physical address read. */
  readonly addr: GuestPhysAddr;
  /** Bytes read: 1, 2, 4 or 8. */
  readonly width: AccessWidth;
  /** The destination register (x86: 0–15 RAX…R15, 16–19 AH…BH; Arm/RISC-V: x0…x31). */
  readonly reg: number;
  /** Bytes of the destination register the value is extended to. */
  readonly regWidth: AccessWidth;
  /** Whether the value is sign-extended to `regWidth` (else zero-extended). */
  readonly signedExt: boolean;
}
/** The guest wrote `data` (masked to `width`) to MMIO. */
export interface MmioWriteExit {
  /** The discriminant: `"MmioWrite"`. */
  readonly kind: "MmioWrite";
  /** The guest-physical address written. */
  readonly addr: GuestPhysAddr;
  /** Bytes written: 1, 2, 4 or 8. */
  readonly width: AccessWidth;
  /** The value written, masked to `width` bytes. */
  readonly data: bigint;
}
/** The guest read a system register (MSR, AArch64 sysreg, CSR) into register `reg`. */
export interface SysRegReadExit {
  /** The discriminant: `"SysRegRead"`. */
  readonly kind: "SysRegRead";
  /** The register: MSR index (x86), ISS-encoded system register (AArch64), CSR number (RISC-V). */
  readonly addr: SysRegAddr;
  /** The general register that receives the value. */
  readonly reg: number;
}
/** The guest wrote `value` to a system register. */
export interface SysRegWriteExit {
  /** The discriminant: `"SysRegWrite"`. */
  readonly kind: "SysRegWrite";
  /** The register: MSR index (x86), ISS-encoded system register (AArch64), CSR number (RISC-V). */
  readonly addr: SysRegAddr;
  /** The value written (EDX:EAX on x86). */
  readonly value: bigint;
}
/** The guest read an x86 I/O port. */
export interface IoReadExit {
  /** The discriminant: `"IoRead"`. */
  readonly kind: "IoRead";
  /** The I/O port, 0…0xFFFF. */
  readonly port: Port;
  /** Bytes read: 1, 2 or 4. */
  readonly width: AccessWidth;
}
/** The guest wrote `data` to an x86 I/O port. */
export interface IoWriteExit {
  /** The discriminant: `"IoWrite"`. */
  readonly kind: "IoWrite";
  /** The I/O port, 0…0xFFFF. */
  readonly port: Port;
  /** Bytes written: 1, 2 or 4. */
  readonly width: AccessWidth;
  /** The value written (AL/AX/EAX), masked to `width` bytes. */
  readonly data: bigint;
}
/** An external interrupt arrived while the guest ran. */
export interface ExternalInterruptExit {
  /** The discriminant: `"ExternalInterrupt"`. */
  readonly kind: "ExternalInterrupt";
  /** The interrupt vector or INTID. */
  readonly vector: bigint;
}
/** A stage-2 / EPT fault that is not emulated MMIO. */
export interface NestedPageFaultExit {
  /** The discriminant: `"NestedPageFault"`. */
  readonly kind: "NestedPageFault";
  /** The faulting guest-physical address. */
  readonly addr: GuestPhysAddr;
  /** The access that faulted: READ, WRITE or EXECUTE. */
  readonly accessFlags: MappingFlags;
}
/** The vCPU halted (HLT, WFI, …). */
export interface HaltExit {
  /** The discriminant: `"Halt"`. */
  readonly kind: "Halt";
}
/** The guest asked to start another vCPU. */
export interface CpuUpExit {
  /** The discriminant: `"CpuUp"`. */
  readonly kind: "CpuUp";
  /** The vCPU to start (APIC ID, MPIDR, hart ID). */
  readonly targetCpu: bigint;
  /** Where the new vCPU starts executing. */
  readonly entryPoint: GuestPhysAddr;
  /** The argument passed to the new vCPU (context ID, opaque). */
  readonly arg: bigint;
}
/** The vCPU asked to be stopped (Rust field `_state`). */
export interface CpuDownExit {
  /** The discriminant: `"CpuDown"`. */
  readonly kind: "CpuDown";
  /** The power state asked for (the Rust `_state`). */
  readonly state: bigint;
}
/** The guest asked to power off or reset the whole system. */
export interface SystemDownExit {
  /** The discriminant: `"SystemDown"`. */
  readonly kind: "SystemDown";
}
/** An exit the hypervisor handles itself or that needs no action. */
export interface NothingExit {
  /** The discriminant: `"Nothing"`. */
  readonly kind: "Nothing";
}
/** VM entry failed; the hardware's reason (on VMX the full 32-bit exit reason). */
export interface FailEntryExit {
  /** The discriminant: `"FailEntry"`. */
  readonly kind: "FailEntry";
  /** The hardware's reason; on VMX the full 32-bit exit reason. */
  readonly hardwareEntryFailureReason: bigint;
}
/** The guest sent an inter-processor interrupt. */
export interface SendIpiExit {
  /** The discriminant: `"SendIPI"`. */
  readonly kind: "SendIPI";
  /** The target CPU, or the base of the target set. */
  readonly targetCpu: bigint;
  /** More target information: the target list or hart mask. */
  readonly targetCpuAux: bigint;
  /** Whether every CPU is targeted. */
  readonly sendToAll: boolean;
  /** Whether the sender itself is (also) targeted. */
  readonly sendToSelf: boolean;
  /** The interrupt vector or SGI number. */
  readonly vector: bigint;
}

/** Every VM exit, discriminated by `kind` (after Axvisor's `AxVCpuExitReason`). */
export type VmExit =
  | HypercallExit
  | MmioReadExit
  | MmioWriteExit
  | SysRegReadExit
  | SysRegWriteExit
  | IoReadExit
  | IoWriteExit
  | ExternalInterruptExit
  | NestedPageFaultExit
  | HaltExit
  | CpuUpExit
  | CpuDownExit
  | SystemDownExit
  | NothingExit
  | FailEntryExit
  | SendIpiExit;

/** The `kind` of any exit. */
export type ExitKind = VmExit["kind"];

/** The variant type whose `kind` is K. */
export type ExitOf<K extends ExitKind> = Extract<
  VmExit,
  {
    /** The kind the variant is picked by. */
    readonly kind: K;
  }
>;

/** All kinds, in the order of the Rust enum. */
export const EXIT_KINDS = [
  "Hypercall",
  "MmioRead",
  "MmioWrite",
  "SysRegRead",
  "SysRegWrite",
  "IoRead",
  "IoWrite",
  "ExternalInterrupt",
  "NestedPageFault",
  "Halt",
  "CpuUp",
  "CpuDown",
  "SystemDown",
  "Nothing",
  "FailEntry",
  "SendIPI",
] as const satisfies readonly ExitKind[];
