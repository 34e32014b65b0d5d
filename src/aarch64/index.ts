/** vmexit/aarch64: decode, encode and explain AArch64 EL2 exits (ESR_EL2, FAR/HPFAR, registers). */
export type {
  Aarch64AbortFields,
  Aarch64Cause,
  Aarch64CauseClass,
  Aarch64DataAbortCause,
  Aarch64EsrFields,
  Aarch64HvcSmcCause,
  Aarch64InstructionAbortCause,
  Aarch64InterruptCause,
  Aarch64OtherCause,
  Aarch64SErrorCause,
  Aarch64Sgi,
  Aarch64Sys64Cause,
  Aarch64WfxCause,
} from "./cause";
export { aarch64Codec } from "./codec";
export { decodeAarch64, decodeAarch64Exit } from "./decode/decode";
export { type Aarch64LoadStore, decodeA64LoadStore } from "./decode/load-store";
export { canEncodeAarch64, encodeAarch64 } from "./encode";
export { explainEsr } from "./explain/esr";
export { explainAarch64 } from "./explain/snapshot";
export type { Aarch64LoadStoreForm } from "./layout/load-store";
export type {
  Aarch64DecodeOptions,
  Aarch64EncodeOptions,
  Aarch64Exception,
  Aarch64Snapshot,
} from "./snapshot";
export { describeFsc, FSC_TABLE, type FscClass, type FscInfo, type FscLevel } from "./tables/dfsc";
export { ESR_EC_DESCRIPTIONS, ESR_EC_NAMES } from "./tables/ec";
export {
  PSCI_FUNCTIONS,
  type PsciFunction,
  psciFunctionName,
  SMCCC_OWNER_NAMES,
  smcccFunctionName,
} from "./tables/psci";
export { AARCH64_SYS_REGS, type Aarch64SysReg, aarch64SysRegName } from "./tables/sysreg-names";
