import type { CauseOf } from "../codecs";
import { checkArg } from "../core/check-arg";
import type { Arch } from "../core/decoded";
import type { VmExitError } from "../core/error";
import type { VmExit } from "../core/exit";
import type { TraceCompanion } from "./companions";
import type { PartialExit } from "./join/complete";
import { BY_ENTRY, type JoinSink } from "./join/joiner";
import { type OptionsByArch, TraceOptions } from "./join/options";
import { decodeState, withoutStacks } from "./join/reconstruct";
import type { VcpuState } from "./join/state";
import { definedOnly } from "./join/values";
import { companionOf, entryOf, eventName, exitOf } from "./materialize";
import { L_COMMENT, L_SKIPPED, type LineHooks, TraceScanner } from "./scanner";
import { chunksOf, LineSplitter, type TraceSource } from "./stream";
import type { TraceEntry, TraceExit } from "./types";

/** The cause of an exit decoded from a trace (any architecture's cause). */
export type TraceCause = CauseOf<Arch>;

/** A companion event line, and the `kvm_exit` it was joined to. */
export interface TraceCompanionItem {
  /** Discriminant. */
  readonly type: "companion";
  /** 1-based line number. */
  readonly line: number;
  /** The parsed event. */
  readonly companion: TraceCompanion;
  /** Line of the `kvm_exit` it completes; absent when its vCPU had no open exit. */
  readonly exitLine?: number;
}

/** How an exit's handling ended in the trace. */
export type TraceClose = "entry" | "exit" | "end" | "evicted";

/**
 * A `kvm_exit` line joined with its companion events: `exit` when the trace determines every
 * field of the variant; otherwise `partial` (the kind and the known fields) and `missing` (the
 * names of the others; `["kind"]` when even the kind is unknown), with `error` saying why.
 */
export interface TraceExitItem {
  /** Discriminant. */
  readonly type: "exit";
  /** 1-based line number of the `kvm_exit`. */
  readonly line: number;
  /** The parsed `kvm_exit` line. */
  readonly trace: TraceExit;
  /** The companion events joined to it, in trace order (at most `MAX_COMPANIONS` kept). */
  readonly companions: readonly TraceCompanionItem[];
  /** Companion events joined beyond `MAX_COMPANIONS` (counted, not kept). */
  readonly companionsDropped?: number;
  /** The snapshot reconstructed from the line and its companions, as decoded. */
  readonly snapshot?: unknown;
  /** The exit, when the trace determines all of it. */
  readonly exit?: VmExit;
  /** The decoder's cause for `exit`. */
  readonly cause?: TraceCause;
  /** The kind and the known fields, when some are not. */
  readonly partial?: PartialExit;
  /** The variant fields the trace does not determine. */
  readonly missing?: readonly string[];
  /** Why the exit is not complete. */
  readonly error?: VmExitError;
  /** What closed it: the vCPU's next `kvm_entry`, its next `kvm_exit`, the end of the trace, or too many open vCPUs. */
  readonly closedBy: TraceClose;
  /** Line of the closing `kvm_entry`. */
  readonly entryLine?: number;
  /** Time from the `kvm_exit` to the vCPU's next `kvm_entry`, in nanoseconds. */
  readonly handlingNs?: number;
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

/** What `readTrace` yields. */
export type TraceItem =
  | TraceExitItem
  | TraceEntryItem
  | TraceCompanionItem
  | TraceOtherItem
  | TraceSkippedItem;

/** Decoder options used for the exits of a trace. */
export interface TraceDecodeOptions {
  /** Each architecture's decode options, by arch (`{ "x86-vmx": { hypercallAbi: "kvm" } }`). */
  readonly options?: OptionsByArch;
}

/** Options of `readTrace`. */
export interface ReadTraceOptions extends TraceDecodeOptions {
  /** Run the decoders on each exit (default true). */
  readonly decode?: boolean;
}

/** Companion events kept per exit item (more are counted in `companionsDropped`). */
export const MAX_COMPANIONS = 64;

const CLOSES: readonly TraceClose[] = ["entry", "exit", "end", "evicted"];

interface Open {
  readonly trace: TraceExit;
  readonly companions: TraceCompanionItem[];
  dropped: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Turns scanned lines and closed exits into items, in the order they complete. */
class ItemCollector implements JoinSink, LineHooks {
  readonly queue: TraceItem[] = [];
  readonly #opts: TraceOptions;
  readonly #decode: boolean;

  constructor(opts: TraceOptions, decode: boolean) {
    this.#opts = opts;
    this.#decode = decode;
  }

  close(st: VcpuState, how: number, ns: number, entryLine: number): void {
    const open = st.extra as Open;
    const item: Mutable<TraceExitItem> = {
      type: "exit",
      line: st.line,
      trace: open.trace,
      companions: open.companions,
      closedBy: CLOSES[how] as TraceClose,
    };
    if (open.dropped > 0) item.companionsDropped = open.dropped;
    if (this.#decode) {
      const { rec, done } = decodeState(st, this.#opts, true);
      if (rec.codec !== undefined && rec.reason === undefined)
        item.snapshot = definedOnly(rec.snapshot);
      if (done.exit !== undefined) item.exit = done.exit;
      if (done.cause !== undefined) item.cause = done.cause as TraceCause;
      if (done.partial !== undefined) item.partial = done.partial;
      if (done.missing !== undefined) item.missing = done.missing;
      if (done.error !== undefined) item.error = done.error;
    }
    if (how === BY_ENTRY) {
      item.entryLine = entryLine;
      if (ns >= 0) item.handlingNs = ns;
    }
    this.queue.push(item);
  }

  exit(st: VcpuState, r: Parameters<LineHooks["exit"]>[1]): void {
    const open: Open = { trace: exitOf(r), companions: [], dropped: 0 };
    st.extra = open;
  }

  companion(
    st: VcpuState | undefined,
    r: Parameters<LineHooks["companion"]>[1],
    line: number,
  ): void {
    const item: Mutable<TraceCompanionItem> = {
      type: "companion",
      line,
      companion: companionOf(r),
    };
    if (st !== undefined) {
      item.exitLine = st.line;
      const open = st.extra as Open;
      if (open.companions.length < MAX_COMPANIONS) open.companions.push(item);
      else open.dropped++;
    }
    this.queue.push(item);
  }

  entry(r: Parameters<LineHooks["entry"]>[0], line: number): void {
    this.queue.push({ type: "entry", line, entry: entryOf(r) });
  }

  other(
    r: Parameters<LineHooks["other"]>[0],
    line: number,
    kind: number,
    error: VmExitError | undefined,
  ): void {
    if (kind === L_SKIPPED) this.queue.push({ type: "skipped", line, error: error as VmExitError });
    else if (kind === L_COMMENT) this.queue.push({ type: "other", line });
    else this.queue.push({ type: "other", line, event: eventName(r) });
  }
}

/**
 * Reads a trace as a stream, in constant memory: one item per line — exits joined with their
 * companion events (yielded when the vCPU's next `kvm_entry` closes them, so after their
 * companions), entries, companion lines, other lines, and skipped lines with the reason. Every
 * `kvm_exit` line yields exactly one exit item, or a skipped item when it cannot be read.
 * @example
 * for await (const item of readTrace(response.body!)) {
 *   if (item.type === "exit") console.log(item.trace.name, item.exit ?? item.partial, item.missing);
 * }
 */
export async function* readTrace(
  source: TraceSource,
  options: ReadTraceOptions = {},
): AsyncGenerator<TraceItem> {
  checkArg(options, "object", "options");
  if (options.decode !== undefined) checkArg(options.decode, "boolean", "options.decode");
  const collector = new ItemCollector(new TraceOptions(options.options), options.decode ?? true);
  const scanner = new TraceScanner(collector, collector);
  const splitter = new LineSplitter();
  for await (const chunk of chunksOf(source)) {
    withoutStacks(() => splitter.push(chunk, scanner));
    if (collector.queue.length > 0) {
      yield* collector.queue;
      collector.queue.length = 0;
    }
  }
  withoutStacks(() => {
    splitter.end(scanner);
    scanner.end();
  });
  yield* collector.queue;
  collector.queue.length = 0;
}
