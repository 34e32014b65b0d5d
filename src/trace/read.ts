import type { DecodedExit } from "../core/decoded";
import type { VmExitError } from "../core/error";
import { classifyLine } from "./classify";
import { decodeTraceExit, type TraceCause, type TraceDecodeOptions } from "./decode";
import { type TraceSource, traceLines } from "./stream";
import type { TraceEntry, TraceExit } from "./types";

/** A `kvm_exit` line with its decoded exit, or the error that kept it from decoding. */
export interface TraceExitItem {
  /** Discriminant. */
  readonly type: "exit";
  /** 1-based line number. */
  readonly line: number;
  /** The parsed line. */
  readonly trace: TraceExit;
  /** The decoder's result (absent when `decode: false` or when decoding failed). */
  readonly decoded?: DecodedExit<TraceCause>;
  /** Why the line could not be decoded fully. */
  readonly error?: VmExitError;
}

/** A `kvm_entry` line. */
export interface TraceEntryItem {
  /** Discriminant. */
  readonly type: "entry";
  /** 1-based line number. */
  readonly line: number;
  /** The parsed line. */
  readonly entry: TraceEntry;
}

/** A line of another event, a comment or a blank line. */
export interface TraceOtherItem {
  /** Discriminant. */
  readonly type: "other";
  /** 1-based line number. */
  readonly line: number;
  /** The event name; absent for comments and blank lines. */
  readonly event?: string;
}

/** A line that could not be read. */
export interface TraceSkippedItem {
  /** Discriminant. */
  readonly type: "skipped";
  /** 1-based line number. */
  readonly line: number;
  /** Why. */
  readonly error: VmExitError;
}

/** What `readTrace` yields for each line. */
export type TraceItem = TraceExitItem | TraceEntryItem | TraceOtherItem | TraceSkippedItem;

/** Options of `readTrace`. */
export interface ReadTraceOptions extends TraceDecodeOptions {
  /** Run the decoders on each exit (default true). */
  readonly decode?: boolean;
}

/**
 * Reads a trace as a stream, one item per line, in constant memory: exits (decoded unless
 * `decode: false`), entries, other lines, and skipped lines with the reason.
 */
export async function* readTrace(
  source: TraceSource,
  options: ReadTraceOptions = {},
): AsyncGenerator<TraceItem> {
  const decode = options.decode ?? true;
  let line = 0;
  for await (const text of traceLines(source)) {
    line++;
    const c = classifyLine(text);
    if (c.type === "skipped") {
      yield { type: "skipped", line, error: c.error };
    } else if (c.type === "comment") {
      yield { type: "other", line };
    } else if (c.line.type === "exit") {
      if (!decode) {
        yield { type: "exit", line, trace: c.line };
        continue;
      }
      const r = decodeTraceExit(c.line, options);
      yield r.error === undefined
        ? { type: "exit", line, trace: c.line, decoded: r.decoded }
        : { type: "exit", line, trace: c.line, error: r.error };
    } else if (c.line.type === "entry") {
      yield { type: "entry", line, entry: c.line };
    } else {
      yield { type: "other", line, event: c.line.event };
    }
  }
}
