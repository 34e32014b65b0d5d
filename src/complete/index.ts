/** Completing exits for emulators: register write-back and the instruction length, per architecture. */
export { completeMmioRead, completeSysRegRead, instructionLength } from "./complete";
export type {
  ReadCompletion,
  RegisterWrite,
  SysRegReadCompletion,
  X86MsrWrite,
} from "./types";
export { completeIoRead } from "./x86";
