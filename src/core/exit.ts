import type { AccessWidth } from "./scalars/access-width";
import type { GuestPhysAddr } from "./scalars/guest-phys-addr";
import type { MappingFlags } from "./scalars/mapping-flags";
import type { Port } from "./scalars/port";
import type { SysRegAddr } from "./scalars/sys-reg-addr";

/** The guest issued a hypercall: number and six arguments. */
export interface HypercallExit {
  readonly kind: "Hypercall";
  readonly nr: bigint;
  readonly args: readonly [bigint, bigint, bigint, bigint, bigint, bigint];
}
/** The guest read MMIO: the result goes to register `reg`. */
export interface MmioReadExit {
  readonly kind: "MmioRead";
  readonly addr: GuestPhysAddr;
  readonly width: AccessWidth;
  readonly reg: number;
  readonly regWidth: AccessWidth;
  readonly signedExt: boolean;
}
/** The guest wrote `data` (masked to `width`) to MMIO. */
export interface MmioWriteExit {
  readonly kind: "MmioWrite";
  readonly addr: GuestPhysAddr;
  readonly width: AccessWidth;
  readonly data: bigint;
}
/** The guest read a system register (MSR, AArch64 sysreg, CSR) into register `reg`. */
export interface SysRegReadExit {
  readonly kind: "SysRegRead";
  readonly addr: SysRegAddr;
  readonly reg: number;
}
/** The guest wrote `value` to a system register. */
export interface SysRegWriteExit {
  readonly kind: "SysRegWrite";
  readonly addr: SysRegAddr;
  readonly value: bigint;
}
/** The guest read an x86 I/O port. */
export interface IoReadExit {
  readonly kind: "IoRead";
  readonly port: Port;
  readonly width: AccessWidth;
}
/** The guest wrote `data` to an x86 I/O port. */
export interface IoWriteExit {
  readonly kind: "IoWrite";
  readonly port: Port;
  readonly width: AccessWidth;
  readonly data: bigint;
}
/** An external interrupt arrived while the guest ran. */
export interface ExternalInterruptExit {
  readonly kind: "ExternalInterrupt";
  readonly vector: bigint;
}
/** A stage-2 / EPT fault that is not emulated MMIO. */
export interface NestedPageFaultExit {
  readonly kind: "NestedPageFault";
  readonly addr: GuestPhysAddr;
  readonly accessFlags: MappingFlags;
}
/** The vCPU halted (HLT, WFI, …). */
export interface HaltExit {
  readonly kind: "Halt";
}
/** The guest asked to start another vCPU. */
export interface CpuUpExit {
  readonly kind: "CpuUp";
  readonly targetCpu: bigint;
  readonly entryPoint: GuestPhysAddr;
  readonly arg: bigint;
}
/** The vCPU asked to be stopped (Rust field `_state`). */
export interface CpuDownExit {
  readonly kind: "CpuDown";
  readonly state: bigint;
}
/** The guest asked to power off or reset the whole system. */
export interface SystemDownExit {
  readonly kind: "SystemDown";
}
/** An exit the hypervisor handles itself or that needs no action. */
export interface NothingExit {
  readonly kind: "Nothing";
}
/** VM entry failed; the hardware's reason (on VMX the full 32-bit exit reason). */
export interface FailEntryExit {
  readonly kind: "FailEntry";
  readonly hardwareEntryFailureReason: bigint;
}
/** The guest sent an inter-processor interrupt. */
export interface SendIpiExit {
  readonly kind: "SendIPI";
  readonly targetCpu: bigint;
  readonly targetCpuAux: bigint;
  readonly sendToAll: boolean;
  readonly sendToSelf: boolean;
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
export type ExitOf<K extends ExitKind> = Extract<VmExit, { readonly kind: K }>;

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
