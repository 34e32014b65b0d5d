/** RISC-V H extension: decode, encode and explain trap state (scause, stval, htval, htinst, x0…x31). */
export { RISCV_CSR_NAMES } from "./csr";
export { decodeRiscv } from "./decode";
export { canEncodeRiscv, encodeRiscv } from "./encode";
export { explainRiscv, explainScause } from "./explain";
export { RISCV_ABI_NAMES } from "./registers";
export {
  SBI_EID,
  SBI_EXTENSIONS,
  SBI_FID,
  SBI_LEGACY_FUNCTION_NAMES,
  type SbiExtensionInfo,
  type SbiNames,
  sbiNames,
} from "./sbi";
export {
  SCAUSE_EXCEPTION_DESCRIPTIONS,
  SCAUSE_EXCEPTION_NAMES,
  SCAUSE_INTERRUPT_DESCRIPTIONS,
  SCAUSE_INTERRUPT_NAMES,
} from "./scause";
export type {
  RiscvCause,
  RiscvCauseCommon,
  RiscvDecodeOptions,
  RiscvEcallCause,
  RiscvEncodeOptions,
  RiscvExceptionCause,
  RiscvGuestPageFaultCause,
  RiscvHtinstKind,
  RiscvInstruction,
  RiscvInstructionSource,
  RiscvInterruptCause,
  RiscvMemoryAccess,
  RiscvSnapshot,
  RiscvVirtualInstructionCause,
  RiscvXlen,
  SbiCall,
} from "./types";
