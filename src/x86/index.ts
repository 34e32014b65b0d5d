/** vmexit/x86: decode, encode and explain Intel VMX and AMD SVM exit state, and the x86 MOV-family codec. */

export { X86_EXCEPTION_NAMES } from "./exceptions";
export type { X86ApicIcr, X86IcrDeliveryMode, X86IcrShorthand } from "./icr";
export {
  X86_ICR_DELIVERY_MODES,
  X86_ICR_SHORTHANDS,
  X86_X2APIC_BROADCAST,
  X86_X2APIC_ICR_MSR,
  X86_XAPIC_BROADCAST,
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
  type X86Vendor,
} from "./insn/index";
export { X86_DEFAULT_APIC_BASE, type X86HypercallAbi } from "./options";
export { X86_REG_NAMES, type X86Reg, type X86Regs } from "./regs";
export type {
  SvmAvicIncompleteIpiCause,
  SvmAvicUnacceleratedAccessCause,
  SvmCause,
  SvmCauseClass,
  SvmCauseCommon,
  SvmCrAccessCause,
  SvmCrWriteTrapCause,
  SvmDrAccessCause,
  SvmEntryFailureCause,
  SvmExceptionCause,
  SvmInterruptCause,
  SvmInvlpgCause,
  SvmIoCause,
  SvmMsrCause,
  SvmNpfCause,
  SvmNpfFault,
  SvmOtherCause,
  SvmTaskSwitchCause,
  SvmVmgexitCause,
  SvmVmmcallCause,
} from "./svm/cause";
export {
  SVM_EXIT_CODE_NAMES,
  SVM_EXIT_CODES,
  SvmExitCode,
  type SvmExitCodeInfo,
  svmExitCodeByName,
} from "./svm/codes";
export { decodeSvm, decodeSvmExit } from "./svm/decode";
export { canEncodeSvm, encodeSvm } from "./svm/encode";
export { SVM_EVENT_TYPES, type SvmEventInfo, type SvmEventType } from "./svm/event";
export { SVM_AVIC_IPI_FAILURES, type SvmAvicIpiFailure } from "./svm/exitinfo";
export { explainSvm } from "./svm/explain";
export type { SvmGhcbMsrRequest } from "./svm/ghcb";
export type { SvmDecodeOptions, SvmEncodeOptions, SvmSnapshot } from "./svm/snapshot";
export { decodeSvmVmcb, readSvmVmcb, SVM_VMCB_SIZE } from "./svm/vmcb";
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
  VmxEptFault,
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
