import type { CauseBase } from "../../core/decoded";
import type { X86ApicIcr } from "../icr";
import type { X86MemAccess } from "../insn/index";
import type { VmxInterruptionInfo } from "./interruption";
import type { VmxQualification } from "./qualification";
import type { VmxExitReasonFlags } from "./reasons";
import type { VmxHypercallAbi } from "./snapshot";

/** An RDMSR / WRMSR exit: the MSR index (ECX), the value written (EDX:EAX) and, for 0x830, the ICR. */
export interface VmxMsrAccess {
  /** MSR index: ECX. */
  readonly index: number;
  /** `read` for RDMSR (reason 31), `write` for WRMSR (reason 32). */
  readonly direction: "read" | "write";
  /** EDX:EAX, for writes. */
  readonly value?: bigint;
  /** The x2APIC ICR dissected, for writes to MSR 0x830. */
  readonly icr?: X86ApicIcr;
}

/** What a VMX exit was, dissected: the reason and its flags, the qualification, the event information. */
export interface VmxCause extends CauseBase<"x86-vmx"> {
  /** The full 32-bit exit reason; `code` is its basic reason (bits 15:0). */
  readonly exitReason: number;
  /** Exit-reason flag bits 26–29 and 31. */
  readonly flags: VmxExitReasonFlags;
  /** The exit qualification dissected for this reason (present when the reason has one and it was given). */
  readonly qualification?: VmxQualification;
  /** VM-exit interruption information (0x4404), when given. */
  readonly interruption?: VmxInterruptionInfo;
  /** IDT-vectoring information (0x4408), when given. */
  readonly idtVectoring?: VmxInterruptionInfo;
  /** The MSR access of an RDMSR / WRMSR exit. */
  readonly msr?: VmxMsrAccess;
  /** The register convention used for a VMCALL. */
  readonly hypercallAbi?: VmxHypercallAbi;
  /** The decoded MOV-family instruction of an MMIO access (EPT violation / misconfiguration, APIC access). */
  readonly instruction?: X86MemAccess;
  /** Why the instruction bytes could not be used, naming the unsupported instruction. */
  readonly unsupportedInstruction?: string;
  /** A note on how the exit was classified, when the variant alone does not say it. */
  readonly detail?: string;
}
