/** vmexit/x86: decode, encode and explain Intel VMX exit state. */

export {
  X86_ICR_DELIVERY_MODES,
  X86_ICR_SHORTHANDS,
  X86_X2APIC_BROADCAST,
  X86_X2APIC_ICR_MSR,
  type X86ApicIcr,
  type X86IcrDeliveryMode,
  type X86IcrShorthand,
} from "./icr";
export {
  canEncodeX86MemAccess,
  decodeX86MemAccess,
  encodeX86MemAccess,
  type X86MemAccess,
  type X86MemAccessSpec,
  type X86MemAccessUnsupported,
} from "./insn/index";
export { DEFAULT_APIC_BASE as VMX_DEFAULT_APIC_BASE } from "./options";
export type { VmxCause, VmxMsrAccess } from "./vmx/cause";
export { decodeVmx } from "./vmx/decode";
export { canEncodeVmx, encodeVmx } from "./vmx/encode";
export { explainVmx } from "./vmx/explain";
export {
  VMX_INTERRUPTION_TYPES,
  type VmxInterruptionInfo,
  type VmxInterruptionType,
  X86_EXCEPTION_NAMES,
} from "./vmx/interruption";
export {
  APIC_ACCESS_TYPES as VMX_APIC_ACCESS_TYPES,
  type VmxApicAccessQualification,
  type VmxCrAccessQualification,
  type VmxDebugExceptionQualification,
  type VmxDrAccessQualification,
  type VmxEntryFailureQualification,
  type VmxEptMisconfigQualification,
  type VmxEptViolationQualification,
  type VmxInvlpgQualification,
  type VmxIoQualification,
  type VmxPageFaultQualification,
  type VmxQualification,
  type VmxRawQualification,
  type VmxTaskSwitchQualification,
} from "./vmx/qualification";
export {
  isVmxExitReason,
  VMX_EXIT_REASON_BUS_LOCK,
  VMX_EXIT_REASON_ENCLAVE_MODE,
  VMX_EXIT_REASON_FAILED_VMENTRY,
  VMX_EXIT_REASON_FROM_VMX_ROOT,
  VMX_EXIT_REASON_NAMES,
  VMX_EXIT_REASON_PENDING_MTF,
  VmxExitReason,
  type VmxExitReasonFlags,
  vmxExitReasonFlags,
} from "./vmx/reasons";
export {
  type VmxDecodeOptions,
  type VmxEncodeOptions,
  type VmxHypercallAbi,
  type VmxSnapshot,
  X86_REG_NAMES,
  type X86CpuMode,
  type X86Reg,
} from "./vmx/snapshot";
