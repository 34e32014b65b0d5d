/** vmexit/x86: decode, encode and explain Intel VMX exit state, and the x86 MOV-family codec. */

export { X86_EXCEPTION_NAMES } from "./exceptions";
export type { X86ApicIcr, X86IcrDeliveryMode, X86IcrShorthand } from "./icr";
export {
  X86_ICR_DELIVERY_MODES,
  X86_ICR_SHORTHANDS,
  X86_X2APIC_BROADCAST,
  X86_X2APIC_ICR_MSR,
} from "./icr";
export {
  canEncodeX86MemAccess,
  decodeX86MemAccess,
  encodeX86MemAccess,
  type X86CpuMode,
  type X86MemAccess,
  type X86MemAccessSpec,
  type X86MemAccessUnsupported,
  type X86OperandWidth,
} from "./insn/index";
export { X86_DEFAULT_APIC_BASE, type X86HypercallAbi } from "./options";
export { X86_REG_NAMES, type X86Reg, type X86Regs } from "./regs";
export type {
  VmxApicAccessCause,
  VmxApicWriteCause,
  VmxCause,
  VmxCauseClass,
  VmxCauseCommon,
  VmxCrAccessCause,
  VmxDebugQualification,
  VmxDrAccessCause,
  VmxEntryFailureCause,
  VmxEoiInducedCause,
  VmxEptMisconfigCause,
  VmxEptViolationCause,
  VmxExceptionNmiCause,
  VmxExternalInterruptCause,
  VmxIdtVectoringFields,
  VmxInterruptionFields,
  VmxInvlpgCause,
  VmxIoCause,
  VmxMsrCause,
  VmxOtherCause,
  VmxTaskSwitchCause,
  VmxVmcallCause,
} from "./vmx/cause";
export { decodeVmx, decodeVmxExit } from "./vmx/decode";
export { canEncodeVmx, encodeVmx } from "./vmx/encode";
export { explainVmx } from "./vmx/explain";
export {
  VMX_INTERRUPTION_TYPES,
  type VmxInterruptionInfo,
  type VmxInterruptionType,
} from "./vmx/interruption";
export { VMX_APIC_ACCESS_TYPES } from "./vmx/qualification";
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
export type { VmxDecodeOptions, VmxEncodeOptions, VmxSnapshot } from "./vmx/snapshot";
