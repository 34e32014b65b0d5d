/** vmexit/aarch64: decode, encode and explain AArch64 EL2 exits (ESR_EL2, FAR/HPFAR, registers). */
export type {
  Aarch64AbortFields,
  Aarch64CallCause,
  Aarch64Cause,
  Aarch64CauseGroup,
  Aarch64DataAbortCause,
  Aarch64EsrFields,
  Aarch64InstructionAbortCause,
  Aarch64InterruptCause,
  Aarch64OtherCause,
  Aarch64SErrorCause,
  Aarch64Sgi,
  Aarch64SysRegCause,
  Aarch64WfxCause,
} from "./cause";
export { decodeAarch64 } from "./decode";
export { describeFsc, FSC_TABLE, type FscClass, type FscInfo, type FscLevel } from "./dfsc";
export { ESR_EC_DESCRIPTIONS, ESR_EC_NAMES } from "./ec";
export { canEncodeAarch64, encodeAarch64 } from "./encode";
export { explainAarch64, explainEsr } from "./explain";
export {
  type Aarch64LoadStore,
  type Aarch64LoadStoreForm,
  decodeA64LoadStore,
} from "./ldst";
export {
  PSCI_FUNCTIONS,
  type PsciFunction,
  psciFunctionName,
  SMCCC_OWNER_NAMES,
  smcccFunctionName,
} from "./psci";
export type { Aarch64DecodeOptions, Aarch64Exception, Aarch64Snapshot } from "./snapshot";
export { AARCH64_SYS_REGS, type Aarch64SysReg, aarch64SysRegName } from "./sysreg-names";
