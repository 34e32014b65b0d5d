/**
 * vmexit: one typed vocabulary for VM exits — decode, encode and explain the raw exit state of
 * x86 VMX, AArch64 and RISC-V H, and read KVM traces.
 * @packageDocumentation
 */
// The root entry: the core model, the codec registry, each architecture's public functions and
// types (their `vmexit/<arch>` entries), and the trace reader's public functions. Not exported
// here: `vmexit/arbitraries` (it needs fast-check) and the command line.
export * from "./aarch64/index";
export {
  ARCHES,
  type CauseOf,
  type CodecOf,
  canEncode,
  codecByName,
  codecs,
  type DecodeOptionsOf,
  type EncodeOptionsOf,
  type SnapshotOf,
} from "./codecs";
export * from "./complete/index";
export * from "./core/index";
export * from "./riscv/index";
export type { TraceCompanion } from "./trace/companions";
export { formatTraceStat } from "./trace/format-stat";
export type { PartialExit } from "./trace/join/complete";
export { parseTraceLine } from "./trace/line";
export {
  type ReadTraceOptions,
  readTrace,
  type TraceCause,
  type TraceClose,
  type TraceCompanionItem,
  type TraceDecodeOptions,
  type TraceEntryItem,
  type TraceExitItem,
  type TraceItem,
  type TraceOtherItem,
  type TraceSkippedItem,
} from "./trace/read";
export {
  type SkippedLine,
  type StatGroupBy,
  type StatSort,
  type StatTraceOptions,
  statTrace,
  type TraceStatReport,
  type TraceStatRow,
} from "./trace/stat";
export type { TraceSource } from "./trace/stream";
export type * from "./trace/types";
export * from "./x86/index";
