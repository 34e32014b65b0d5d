/** RISC-V H extension: decode, encode and explain trap state (scause, stval, htval, htinst, x0…x31). */
export type {
  RiscvCause,
  RiscvCauseClass,
  RiscvCauseCommon,
  RiscvExceptionCause,
  RiscvGuestPageFaultCause,
  RiscvInterruptCause,
  RiscvSbiCallCause,
  RiscvVirtualInstructionCause,
  SbiCall,
} from "./cause";
export { decodeRiscv, decodeRiscvExit } from "./decode";
export { canEncodeRiscv, encodeRiscv } from "./encode";
export { explainRiscv, explainScause } from "./explain";
export { RISCV_CSR_NAMES } from "./insn/csr";
export type { RiscvPseudoInstruction } from "./insn/format";
export type { RiscvHtinstKind } from "./insn/htinst";
export type {
  RiscvInstruction,
  RiscvInstructionSource,
  RiscvMemoryAccess,
} from "./insn/instruction";
export { RISCV_ABI_NAMES } from "./registers";
export {
  SBI_EID,
  SBI_EXTENSIONS,
  SBI_FID,
  SBI_LEGACY_FUNCTION_NAMES,
  type SbiExtensionInfo,
  type SbiNames,
  sbiNames,
} from "./sbi/sbi";
export {
  SCAUSE_EXCEPTION_DESCRIPTIONS,
  SCAUSE_EXCEPTION_NAMES,
  SCAUSE_INTERRUPT_DESCRIPTIONS,
  SCAUSE_INTERRUPT_NAMES,
} from "./scause";
export type {
  RiscvDecodeOptions,
  RiscvEncodeOptions,
  RiscvSnapshot,
  RiscvXlen,
} from "./snapshot";
