/** vmexit/trace: read KVM traces — `kvm_exit` joined with its companion events — into typed exits and statistics. */
export { type ClassifiedLine, classifyLine, isCommentLine } from "./classify";
export type {
  ApicEvent,
  ApicIpiEvent,
  AvicIncompleteIpiEvent,
  AvicUnacceleratedAccessEvent,
  EmulateInsnEvent,
  FastMmioEvent,
  GuestFaultEvent,
  HandleSysRegEvent,
  HvcEvent,
  HypercallEvent,
  MmioEmulateEvent,
  MmioEvent,
  MsrEvent,
  PageFaultEvent,
  PioEvent,
  SbiEcallEvent,
  SysAccessEvent,
  TraceCompanion,
  WfxEvent,
} from "./companions";
export { decodeTraceExit, type TraceDecodeResult } from "./decode";
export { formatTraceStat } from "./format-stat";
export type { PartialExit } from "./join/complete";
export { traceExitToJSON } from "./json";
export { parseTraceLine } from "./line";
export {
  MAX_COMPANIONS,
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
} from "./read";
export {
  csvHeader,
  csvLine,
  ndjsonLine,
  TRACE_COLUMNS,
  type TraceCell,
  type TraceColumn,
  traceRow,
} from "./rows";
export {
  OTHER_ROW,
  SKIPPED_LINES_KEPT,
  type SkippedLine,
  STAT_GROUPINGS,
  STAT_SORTS,
  type StatGroupBy,
  type StatSort,
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
  TraceSvmSnapshot,
  TraceVmxSnapshot,
  VmxTraceExit,
} from "./types";
