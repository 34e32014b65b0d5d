// The core model as the root entry exports it: the union, its constructors, guards, matching,
// formatting, JSON, errors, scalars and the field trees of `explain`.

export type {
  AnyCodec,
  Codec,
  OptionSpec,
  RegisterExplainer,
  SnapshotKey,
  ValueSpec,
} from "./codec";
export {
  cpuDown,
  cpuUp,
  type ExitInput,
  externalInterrupt,
  failEntry,
  halt,
  hypercall,
  ioRead,
  ioWrite,
  mmioRead,
  mmioWrite,
  nestedPageFault,
  nothing,
  sendIpi,
  sysRegRead,
  sysRegWrite,
  systemDown,
} from "./constructors";
export type {
  Arch,
  CauseBase,
  DecodedExit,
  IsMmio,
  RegValue,
} from "./decoded";
export { VmExitError, type VmExitErrorCode } from "./error";
export type {
  CpuDownExit,
  CpuUpExit,
  ExitKind,
  ExitOf,
  ExternalInterruptExit,
  FailEntryExit,
  HaltExit,
  HypercallExit,
  IoReadExit,
  IoWriteExit,
  MmioReadExit,
  MmioWriteExit,
  NestedPageFaultExit,
  NothingExit,
  SendIpiExit,
  SysRegReadExit,
  SysRegWriteExit,
  SystemDownExit,
  VmExit,
} from "./exit";
export { EXIT_KINDS } from "./exit";
export { type ExplainNode, formatExplain } from "./explain";
export { formatExit } from "./format";
export { isExit, isVmExit } from "./guards";
export { type ExitJSON, exitFromJSON, exitToJSON } from "./json";
export { type ExhaustiveHandlers, type MatchResult, match, type PartialHandlers } from "./match";
export { AccessWidth, accessWidth } from "./scalars/access-width";
export { type GuestPhysAddr, guestPhysAddr } from "./scalars/guest-phys-addr";
export { formatMappingFlags, MappingFlags, mappingFlags } from "./scalars/mapping-flags";
export { type Port, port } from "./scalars/port";
export { type SysRegAddr, sysRegAddr } from "./scalars/sys-reg-addr";
export { snapshotFromText, snapshotToText } from "./snapshot-text";
export { formatValue, parseBytes, parseUnsigned, parseValue } from "./text";
