/** vmexit/trace: read KVM `kvm_exit` / `kvm_entry` ftrace text into typed exits and statistics. */
export { type ClassifiedLine, classifyLine, isCommentLine } from "./classify";
export {
  decodeTraceExit,
  type TraceCause,
  type TraceDecodeOptions,
  type TraceDecodeResult,
} from "./decode";
export { formatTraceStat } from "./format-stat";
export { traceExitToJSON } from "./json";
export { parseExitBody, parseTraceLine } from "./line";
export { type SplitLine, splitTraceLine } from "./prefix";
export {
  type ReadTraceOptions,
  readTrace,
  type TraceEntryItem,
  type TraceExitItem,
  type TraceItem,
  type TraceOtherItem,
  type TraceSkippedItem,
} from "./read";
export {
  SKIPPED_LINES_KEPT,
  type SkippedLine,
  type StatTraceOptions,
  statTrace,
  TraceStat,
  type TraceStatReport,
  type TraceStatRow,
} from "./stat";
export { MAX_TRACE_LINE, type TraceSource, traceLineBatches, traceLines } from "./stream";
export type {
  Aarch64TraceExit,
  RiscvTraceExit,
  SvmTraceExit,
  TraceArch,
  TraceEntry,
  TraceExit,
  TraceLine,
  TraceOtherEvent,
  TracePrefix,
  TraceRiscvSnapshot,
  TraceVmxSnapshot,
  VmxTraceExit,
} from "./types";
