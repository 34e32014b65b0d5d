import { VmExitError } from "../core/error";
import { isCommentLine, notAnEvent } from "./classify";
import { parseTraceLine } from "./line";
import { type TraceSource, traceLineBatches } from "./stream";
import type { TraceArch, TraceEntry, TraceExit, TraceLine, TracePrefix } from "./types";

/** One row of `vmexit stat`: a reason, its count and share, and handling time when timed. */
export interface TraceStatRow {
  /** Reason name (`EPT_VIOLATION`, `DABT_LOW`, `IRQ`, `EXC_SUPERVISOR_SYSCALL`, `npf`). */
  readonly name: string;
  /** Architecture of the exits in this row. */
  readonly arch: TraceArch;
  /** Raw class number, when the trace gives it. */
  readonly code?: number;
  /** Number of exits. */
  readonly count: number;
  /** count / total, in 0…1. */
  readonly share: number;
  /** Exits whose handling time is known (a later `kvm_entry` of the same vCPU). */
  readonly timed: number;
  /** Shortest handling time in nanoseconds (when `timed` > 0). */
  readonly minNs?: number;
  /** Longest handling time in nanoseconds. */
  readonly maxNs?: number;
  /** Mean handling time in nanoseconds. */
  readonly avgNs?: number;
  /** Sum of handling times in nanoseconds. */
  readonly totalNs?: number;
  /** totalNs / the sum over all rows, in 0…1. */
  readonly timeShare?: number;
}

/** A skipped line: its 1-based number and why it was skipped. */
export interface SkippedLine {
  /** 1-based line number. */
  readonly line: number;
  /** Why the line could not be read. */
  readonly message: string;
}

/** What `vmexit stat` reports: totals and one row per reason, most frequent first. */
export interface TraceStatReport {
  /** Lines read. */
  readonly lines: number;
  /** `kvm_exit` lines counted (the sum of the rows' counts). */
  readonly total: number;
  /** `kvm_entry` lines read. */
  readonly entries: number;
  /** Lines of other events, comments and blank lines. */
  readonly other: number;
  /** Lines that could not be read. */
  readonly skipped: number;
  /** Exits with a known handling time. */
  readonly timed: number;
  /** Rows sorted by count (descending), then name. */
  readonly reasons: readonly TraceStatRow[];
  /** The first few skipped lines, for the report. */
  readonly skippedLines: readonly SkippedLine[];
}

interface Row {
  readonly name: string;
  readonly arch: TraceArch;
  readonly code: number | undefined;
  count: number;
  timed: number;
  minNs: number;
  maxNs: number;
  totalNs: number;
}

interface Pending {
  row: Row | undefined;
  timestamp: number;
}

/** How many skipped lines a report lists (all are counted). */
export const SKIPPED_LINES_KEPT = 5;

// Disjoint numeric ranges for the three ways to name a vCPU (a number key keeps the hot path free
// of string building): thread id ≥ 0, host CPU in [-2^32, 0), vCPU id below -2^33.
const BY_CPU = -1;
const BY_VCPU = -(2 ** 33);
const NO_KEY = -(2 ** 52);

/** The vCPU an event belongs to: the thread id, else the host CPU, else the vCPU id. */
function vcpuKey(prefix: TracePrefix, vcpu: number | undefined): number {
  if (prefix.pid !== undefined) return prefix.pid;
  if (prefix.cpu !== undefined) return BY_CPU - prefix.cpu;
  if (vcpu !== undefined) return BY_VCPU - vcpu;
  return NO_KEY;
}

/**
 * Accumulates `kvm_exit` / `kvm_entry` lines into per-reason counts and handling times, like
 * `perf kvm stat report`. Memory grows with the number of reasons and vCPUs, not with the lines.
 */
export class TraceStat {
  #lines = 0;
  #total = 0;
  #entries = 0;
  #other = 0;
  #skipped = 0;
  #timed = 0;
  /** Rows by architecture, then by name. */
  readonly #rows: Record<TraceArch, Map<string, Row>> = {
    "x86-vmx": new Map(),
    "x86-svm": new Map(),
    aarch64: new Map(),
    riscv: new Map(),
  };
  /** The open exit of each vCPU (`row` undefined once its entry was seen). */
  readonly #pending = new Map<number, Pending>();
  readonly #skippedLines: SkippedLine[] = [];

  /** Lines read so far. */
  get lines(): number {
    return this.#lines;
  }

  /** Reads one line of trace text. */
  addLine(text: string): void {
    this.#lines++;
    let line: TraceLine | undefined;
    try {
      line = parseTraceLine(text);
    } catch (e) {
      if (e instanceof VmExitError) {
        this.addSkipped(e);
        return;
      }
      throw e;
    }
    if (line === undefined) {
      if (isCommentLine(text)) this.#other++;
      else this.addSkipped(notAnEvent(text));
    } else if (line.type === "exit") this.addExit(line);
    else if (line.type === "entry") this.addEntry(line);
    else this.#other++;
  }

  /** Counts a skipped line (the line counter must already include it). */
  addSkipped(error: VmExitError): void {
    this.#skipped++;
    if (this.#skippedLines.length < SKIPPED_LINES_KEPT) {
      this.#skippedLines.push({ line: this.#lines, message: error.message });
    }
  }

  /** Counts an exit and remembers it for timing until its vCPU's next entry. */
  addExit(exit: TraceExit): void {
    this.#total++;
    const rows = this.#rows[exit.arch];
    let row = rows.get(exit.name);
    if (row === undefined) {
      row = {
        name: exit.name,
        arch: exit.arch,
        code: exit.code,
        count: 0,
        timed: 0,
        minNs: Number.POSITIVE_INFINITY,
        maxNs: 0,
        totalNs: 0,
      };
      rows.set(exit.name, row);
    }
    row.count++;
    const timestamp = exit.prefix.timestamp;
    const key = vcpuKey(exit.prefix, exit.vcpu);
    const pending = this.#pending.get(key);
    if (timestamp === undefined) {
      if (pending !== undefined) pending.row = undefined;
    } else if (pending === undefined) {
      this.#pending.set(key, { row, timestamp });
    } else {
      pending.row = row;
      pending.timestamp = timestamp;
    }
  }

  /** Closes the pending exit of the entry's vCPU, recording its handling time. */
  addEntry(entry: TraceEntry): void {
    this.#entries++;
    const pending = this.#pending.get(vcpuKey(entry.prefix, entry.vcpu));
    const timestamp = entry.prefix.timestamp;
    if (pending === undefined || timestamp === undefined) return;
    const row = pending.row;
    if (row === undefined) return;
    pending.row = undefined;
    const ns = timestamp - pending.timestamp;
    if (ns < 0) return;
    row.timed++;
    this.#timed++;
    row.totalNs += ns;
    if (ns < row.minNs) row.minNs = ns;
    if (ns > row.maxNs) row.maxNs = ns;
  }

  /** The report so far. */
  report(): TraceStatReport {
    let timeSum = 0;
    const all: Row[] = [];
    for (const rows of Object.values(this.#rows)) all.push(...rows.values());
    for (const row of all) timeSum += row.totalNs;
    const reasons = all
      .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((row) => toRow(row, this.#total, timeSum));
    return {
      lines: this.#lines,
      total: this.#total,
      entries: this.#entries,
      other: this.#other,
      skipped: this.#skipped,
      timed: this.#timed,
      reasons,
      skippedLines: [...this.#skippedLines],
    };
  }
}

function toRow(row: Row, total: number, timeSum: number): TraceStatRow {
  const out: { -readonly [K in keyof TraceStatRow]: TraceStatRow[K] } = {
    name: row.name,
    arch: row.arch,
    count: row.count,
    share: row.count / total,
    timed: row.timed,
  };
  if (row.code !== undefined) out.code = row.code;
  if (row.timed > 0) {
    out.minNs = row.minNs;
    out.maxNs = row.maxNs;
    out.avgNs = row.totalNs / row.timed;
    out.totalNs = row.totalNs;
    out.timeShare = timeSum === 0 ? 0 : row.totalNs / timeSum;
  }
  return out;
}

/** Options of `statTrace`. */
export interface StatTraceOptions {
  /** Called every `progressEvery` lines with the number of lines read. */
  readonly onProgress?: (lines: number) => void;
  /** Lines between progress calls (default 65536). */
  readonly progressEvery?: number;
}

/** Reads a whole trace as a stream and returns its per-reason statistics. */
export async function statTrace(
  source: TraceSource,
  options: StatTraceOptions = {},
): Promise<TraceStatReport> {
  const stat = new TraceStat();
  const every = options.progressEvery ?? 65536;
  const onProgress = options.onProgress;
  for await (const batch of traceLineBatches(source)) {
    for (const line of batch) {
      stat.addLine(line);
      if (onProgress !== undefined && stat.lines % every === 0) onProgress(stat.lines);
    }
  }
  return stat.report();
}
