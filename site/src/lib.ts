// The playground's one door into the library: everything the page uses comes through here, from
// the public entry point. Text parsing and the codec schema types are not exported by the package
// yet, so they are taken from their modules until the public index exports them (then this file
// changes, nothing else).
export type { AnyCodec, OptionSpec, SnapshotKey, ValueSpec } from "../../src/core/codec";
export { findSnapshotKey, snapshotFromText, snapshotToText } from "../../src/core/snapshot-text";
export { parseValue } from "../../src/core/text";
export {
  type Arch,
  codecByName,
  codecs,
  type DecodedExit,
  type ExplainNode,
  exitToJSON,
  formatExit,
  formatTraceStat,
  type TraceExit,
  type TraceSource,
  type TraceStatReport,
  type TraceStatRow,
  VmExitError,
} from "../../src/index";
// The trace reader's streaming pieces come from its own entry (`vmexit/trace`).
export {
  classifyLine,
  STAT_GROUPINGS,
  type StatGroupBy,
  TraceStat,
  traceLineBatches,
} from "../../src/trace/index";
