import { checkArg } from "../core/check-arg";
import { show, VmExitError } from "../core/error";
import type { VmExit } from "../core/exit";
import { type Completion, completeExit, type PartialExit } from "./join/complete";
import type { JoinSink } from "./join/joiner";
import { TraceOptions } from "./join/options";
import { reconstruct, withoutStacks } from "./join/reconstruct";
import { GF_ESR, GF_RISCV, SR_ESR, VcpuState } from "./join/state";
import { armExitName, hexName, riscvExitName } from "./names";
import type { TraceDecodeOptions } from "./read";
import { TYPE_NONE } from "./scan/arm-exit";
import { EV_GUEST_FAULT, EV_HANDLE_SYS_REG } from "./scan/events";
import { EXIT_ARM, EXIT_RISCV } from "./scan/line";
import { R_SCAUSE } from "./scan/riscv-exit";
import { TraceScanner } from "./scanner";
import { bytesOf, chunksOf, LineSplitter, type TraceSource } from "./stream";
import type { TraceArch } from "./types";

/** What `vmexit stat` groups exits by. */
export type StatGroupBy = "reason" | "kind" | "mmio" | "ioport" | "msr" | "hypercall" | "vcpu";
/** How the rows are sorted: most exits first, most handling time first, or by name (addresses by value). */
export type StatSort = "count" | "time" | "name";

/** The groupings, in the order `--help` lists them. */
export const STAT_GROUPINGS: readonly StatGroupBy[] = [
  "reason",
  "kind",
  "mmio",
  "ioport",
  "msr",
  "hypercall",
  "vcpu",
];
/** The sort orders. */
export const STAT_SORTS: readonly StatSort[] = ["count", "time", "name"];

/** One row of `vmexit stat`: a group (a reason, an MMIO address, …), its count and share, and handling time when timed. */
export interface TraceStatRow {
  /** The group as printed (`EPT_VIOLATION`, `0xfee000b0:W`, `0x3f8:POUT`, `vcpu 0 pid 4121`, `(other)`). */
  readonly name: string;
  /** Architecture of the exits in this row (reason, msr and hypercall rows). */
  readonly arch?: TraceArch;
  /** Raw class number of a reason row, when known. */
  readonly code?: number;
  /** The exit kind of a `--by kind` row. */
  readonly kind?: string;
  /** The guest-physical address of a `--by mmio` row. */
  readonly addr?: bigint;
  /** The port of a `--by ioport` row. */
  readonly port?: number;
  /** The MSR / system register / CSR of a `--by msr` row. */
  readonly index?: number;
  /** `R` (read) or `W` (write) for mmio, ioport and msr rows. */
  readonly access?: "R" | "W";
  /** The hypercall number of a `--by hypercall` row. */
  readonly nr?: bigint;
  /** The vCPU id of a `--by vcpu` row, when known. */
  readonly vcpu?: number;
  /** The thread id of a `--by vcpu` row, when known. */
  readonly pid?: number;
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

/** What `vmexit stat` reports: line accounting, decoding outcome, and one row per group. */
export interface TraceStatReport {
  /** What the rows group by. */
  readonly by: StatGroupBy;
  /**
   * Whether exits were reconstructed and decoded (`complete`, `partial` and `undecoded` count
   * them): false for `reason` and `vcpu`, which need no exit (the three counts are then 0).
   */
  readonly decoded: boolean;
  /** Lines read. */
  readonly lines: number;
  /** `kvm_exit` lines read. */
  readonly exits: number;
  /** Exits counted in the rows (after the `vcpu`/`pid` filters; `--by mmio` etc. count only their exits). */
  readonly total: number;
  /** `kvm_entry` lines read. */
  readonly entries: number;
  /** Companion events joined to an exit (counted in `other`). */
  readonly companions: number;
  /** Companion events of a vCPU with no open exit (counted in `other`). */
  readonly unpaired: number;
  /** Lines of other events (companions included), comments and blank lines. */
  readonly other: number;
  /** Lines that could not be read. */
  readonly skipped: number;
  /** Exits in the rows with a known handling time. */
  readonly timed: number;
  /** Exits (after filters) the trace determines completely. */
  readonly complete: number;
  /** Exits whose kind is known but not every field. */
  readonly partial: number;
  /** Exits whose kind the trace does not determine. */
  readonly undecoded: number;
  /** Exits of groups beyond `maxGroups`, counted in the `(other)` row. */
  readonly folded: number;
  /** Exits closed early (untimed): more than `maxVcpus` vCPUs were seen, and the first seen had one open. */
  readonly evicted: number;
  /** The rows, sorted as asked. */
  readonly reasons: readonly TraceStatRow[];
  /** The first few skipped lines, for the report. */
  readonly skippedLines: readonly SkippedLine[];
}

/** Options of `TraceStat` and `statTrace`. */
export interface StatTraceOptions extends TraceDecodeOptions {
  /** Group by (default `reason`). */
  readonly by?: StatGroupBy;
  /** Only exits of this vCPU id. */
  readonly vcpu?: number;
  /** Only exits of this thread id. */
  readonly pid?: number;
  /** Row order (default `count`). */
  readonly sort?: StatSort;
  /** Rows kept before the rest is folded into `(other)` (default 4096). */
  readonly maxGroups?: number;
  /** Distinct vCPUs kept (default 4096): past it the first seen is forgotten, its open exit closed untimed. */
  readonly maxVcpus?: number;
  /** Called every `progressEvery` lines with the number of lines read. */
  readonly onProgress?: (lines: number) => void;
  /** Lines between progress calls (default 65536). */
  readonly progressEvery?: number;
}

/** How many skipped lines a report lists (all are counted). */
export const SKIPPED_LINES_KEPT = 5;

/** The row that gathers the exits of groups beyond `maxGroups`. */
export const OTHER_ROW = "(other)";

interface Row {
  name: string;
  order: number | bigint | string;
  fields: Omit<TraceStatRow, "name" | "count" | "share" | "timed">;
  count: number;
  timed: number;
  minNs: number;
  maxNs: number;
  totalNs: number;
}

const ARCH_OF = ["", "", "aarch64", "riscv"] as const;

function newRow(name: string, order: Row["order"], fields: Row["fields"]): Row {
  return {
    name,
    order,
    fields,
    count: 0,
    timed: 0,
    minNs: Number.POSITIVE_INFINITY,
    maxNs: 0,
    totalNs: 0,
  };
}

function exitOfDone(done: Completion): VmExit | PartialExit | undefined {
  return done.exit ?? done.partial;
}

function choice<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (value === undefined) return allowed[0] as T;
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new VmExitError(
      "invalid-argument",
      `${field} must be one of ${allowed.join(", ")}, got ${show(value)}`,
      field,
    );
  }
  return value as T;
}

function count(value: unknown, field: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new VmExitError(
      "invalid-argument",
      `${field} must be an integer ≥ ${min}, got ${show(value)}`,
      field,
    );
  }
  return value;
}

/**
 * Accumulates a trace into statistics like `perf kvm stat report`: every exit joined with its
 * companions, decoded, grouped (by reason, kind, MMIO address, port, MSR, hypercall or vCPU) and
 * timed to its vCPU's next `kvm_entry`. Memory is bounded whatever the trace holds: at most
 * `maxGroups` rows (the rest is one counted `(other)` row) and `maxVcpus` vCPUs.
 */
export class TraceStat implements JoinSink {
  readonly #scanner: TraceScanner;
  readonly #splitter = new LineSplitter();
  readonly #opts: TraceOptions;
  readonly #by: StatGroupBy;
  readonly #sort: StatSort;
  readonly #vcpu: number | undefined;
  readonly #pid: number | undefined;
  readonly #maxGroups: number;
  /** Whether exits are reconstructed and decoded (every grouping but reason and vcpu). */
  readonly #decodes: boolean;
  /** Rows by reason name, per architecture (no string is built per exit). */
  readonly #reasons: Record<TraceArch, Map<string, Row>> = {
    "x86-vmx": new Map(),
    "x86-svm": new Map(),
    aarch64: new Map(),
    riscv: new Map(),
  };
  readonly #rows = new Map<string, Row>();
  #groups = 0;
  #other: Row | undefined;
  #total = 0;
  #timed = 0;
  #complete = 0;
  #partial = 0;
  #undecoded = 0;
  #folded = 0;
  readonly #skippedLines: SkippedLine[] = [];

  constructor(options: StatTraceOptions = {}) {
    if (typeof options !== "object" || options === null) {
      throw new VmExitError(
        "invalid-argument",
        `options must be an object, got ${show(options)}`,
        "options",
      );
    }
    this.#by = choice(options.by, STAT_GROUPINGS, "by");
    this.#sort = choice(options.sort, STAT_SORTS, "sort");
    this.#vcpu = count(options.vcpu, "vcpu", 0);
    this.#pid = count(options.pid, "pid", 0);
    this.#maxGroups = count(options.maxGroups, "maxGroups", 1) ?? 4096;
    this.#opts = new TraceOptions(options.options, false);
    this.#decodes = this.#by !== "reason" && this.#by !== "vcpu";
    this.#scanner = new TraceScanner(
      this,
      undefined,
      count(options.maxVcpus, "maxVcpus", 1),
      !this.#decodes,
    );
    this.#scanner.onSkipped = (line, error) => {
      if (this.#skippedLines.length < SKIPPED_LINES_KEPT)
        this.#skippedLines.push({ line, message: error.message });
    };
  }

  /** Lines read so far. */
  get lines(): number {
    return this.#scanner.lines;
  }

  /** Reads one line of trace text (without its line end). */
  addLine(text: string): void {
    const b = bytesOf(text);
    withoutStacks(() => this.#scanner.line(b, 0, b.length));
  }

  /** Reads a chunk of trace text or bytes (lines may span chunks). */
  push(chunk: string | Uint8Array): void {
    withoutStacks(() => this.#splitter.push(chunk, this.#scanner));
  }

  /** `JoinSink`: counts a closed exit. */
  close(st: VcpuState, _how: number, ns: number): void {
    if (this.#vcpu !== undefined && st.vcpu !== this.#vcpu) return;
    if (this.#pid !== undefined && st.pid !== this.#pid) return;
    let done: Completion | undefined;
    if (this.#decodes) {
      done = completeExit(reconstruct(st, this.#opts), false);
      if (done.exit !== undefined) this.#complete++;
      else if (done.partial !== undefined) this.#partial++;
      else this.#undecoded++;
    }
    const row = this.#rowOf(st, done);
    if (row === undefined) return;
    this.#total++;
    row.count++;
    if (ns >= 0) {
      row.timed++;
      this.#timed++;
      row.totalNs += ns;
      if (ns < row.minNs) row.minNs = ns;
      if (ns > row.maxNs) row.maxNs = ns;
    }
  }

  /** The row an exit counts in, creating it (or folding into `(other)`), or undefined when the grouping leaves it out. */
  #rowOf(st: VcpuState, done: Completion | undefined): Row | undefined {
    if (this.#by === "reason") {
      const arch =
        st.exitArch === EXIT_ARM || st.exitArch === EXIT_RISCV
          ? ARCH_OF[st.exitArch]
          : (st.reason?.arch ?? "x86-vmx");
      const name = reasonName(st);
      const rows = this.#reasons[arch];
      const row = rows.get(name);
      if (row !== undefined) return row;
      if (this.#groups >= this.#maxGroups) return this.#fold();
      this.#groups++;
      const fields: { -readonly [K in keyof Row["fields"]]: Row["fields"][K] } = { arch };
      const code = reasonCode(st);
      if (code !== undefined) fields.code = code;
      const created = newRow(name, name, fields);
      rows.set(name, created);
      return created;
    }
    if (this.#by === "kind") {
      // the kind is the row's name: no key object per exit
      const e = done === undefined ? undefined : exitOfDone(done);
      const kind = e?.kind ?? "(unknown)";
      const row = this.#rows.get(kind);
      if (row !== undefined) return row;
      if (this.#groups >= this.#maxGroups) return this.#fold();
      this.#groups++;
      const created = newRow(kind, kind, { kind });
      this.#rows.set(kind, created);
      return created;
    }
    const key = this.#groupKey(st, done);
    if (key === undefined) return undefined;
    const row = this.#rows.get(key.name);
    if (row !== undefined) return row;
    if (this.#groups >= this.#maxGroups) return this.#fold();
    this.#groups++;
    const created = newRow(key.name, key.order, key.fields);
    this.#rows.set(key.name, created);
    return created;
  }

  #fold(): Row {
    this.#folded++;
    this.#other ??= newRow(OTHER_ROW, "\uffff", {});
    return this.#other;
  }

  #groupKey(
    st: VcpuState,
    done: Completion | undefined,
  ): { name: string; order: Row["order"]; fields: Row["fields"] } | undefined {
    const e = (done === undefined ? undefined : exitOfDone(done)) as
      | (Record<string, unknown> & { kind: string })
      | undefined;
    const arch: TraceArch =
      st.exitArch === EXIT_ARM || st.exitArch === EXIT_RISCV
        ? ARCH_OF[st.exitArch]
        : (st.reason?.arch ?? "x86-vmx");
    const tag = arch === "x86-vmx" || arch === "x86-svm" ? "" : `${arch} `;
    switch (this.#by) {
      case "mmio": {
        if (
          e === undefined ||
          (e.kind !== "MmioRead" && e.kind !== "MmioWrite") ||
          typeof e.addr !== "bigint"
        )
          return undefined;
        const access = e.kind === "MmioWrite" ? "W" : "R";
        return {
          name: `0x${e.addr.toString(16)}:${access}`,
          order: e.addr * 2n + (access === "W" ? 1n : 0n),
          fields: { addr: e.addr, access },
        };
      }
      case "ioport": {
        if (
          e === undefined ||
          (e.kind !== "IoRead" && e.kind !== "IoWrite") ||
          typeof e.port !== "number"
        )
          return undefined;
        const access = e.kind === "IoWrite" ? "W" : "R";
        return {
          name: `0x${e.port.toString(16)}:${access === "W" ? "POUT" : "PIN"}`,
          order: e.port * 2 + (access === "W" ? 1 : 0),
          fields: { port: e.port, access },
        };
      }
      case "msr": {
        if (
          e === undefined ||
          (e.kind !== "SysRegRead" && e.kind !== "SysRegWrite") ||
          typeof e.addr !== "number"
        )
          return undefined;
        const access = e.kind === "SysRegWrite" ? "W" : "R";
        return {
          name: `${tag}0x${e.addr.toString(16)}:${access}`,
          order: `${tag}${e.addr.toString(16).padStart(8, "0")}${access}`,
          fields: { arch, index: e.addr, access },
        };
      }
      case "hypercall": {
        if (e === undefined || e.kind !== "Hypercall" || typeof e.nr !== "bigint") return undefined;
        return {
          name: `${tag}0x${e.nr.toString(16)}`,
          order: `${tag}${e.nr.toString(16).padStart(16, "0")}`,
          fields: { arch, nr: e.nr },
        };
      }
      default: {
        const parts: string[] = [];
        const fields: { vcpu?: number; pid?: number } = {};
        if (st.vcpu >= 0) {
          parts.push(`vcpu ${st.vcpu}`);
          fields.vcpu = st.vcpu;
        }
        if (st.pid >= 0) {
          parts.push(`pid ${st.pid}`);
          fields.pid = st.pid;
        }
        if (parts.length === 0) parts.push(st.cpu >= 0 ? `cpu ${st.cpu}` : "(no vCPU)");
        const name = parts.join(" ");
        const order =
          st.vcpu >= 0 ? st.vcpu * 2 ** 22 + Math.max(0, st.pid) : 2 ** 52 + Math.max(0, st.pid);
        return { name, order, fields };
      }
    }
  }

  /** Ends the trace (closes the exits still open) and returns the report. */
  report(): TraceStatReport {
    withoutStacks(() => {
      this.#splitter.end(this.#scanner);
      this.#scanner.end();
    });
    const all: Row[] = [];
    for (const rows of Object.values(this.#reasons)) for (const row of rows.values()) all.push(row);
    for (const row of this.#rows.values()) all.push(row);
    if (this.#other !== undefined) all.push(this.#other);
    let timeSum = 0;
    for (const row of all) timeSum += row.totalNs;
    all.sort(comparator(this.#sort));
    const reasons = all.map((row) => toRow(row, this.#total, timeSum));
    const s = this.#scanner;
    const b = this.#base;
    return {
      by: this.#by,
      decoded: this.#decodes,
      lines: b.lines + s.lines - this.#rescanned,
      exits: b.exits + s.exits,
      total: this.#total,
      entries: b.entries + s.entries,
      companions: b.companions + s.companions,
      unpaired: b.unpaired + s.unpaired,
      other: b.other + s.other,
      skipped: b.skipped + s.skipped,
      timed: this.#timed,
      complete: this.#complete,
      partial: this.#partial,
      undecoded: this.#undecoded,
      folded: this.#folded,
      evicted: b.evicted + s.joiner.evicted,
      reasons,
      skippedLines: this.#skippedLines.slice(),
    };
  }

  // Reading one trace in shards (in parallel): each shard after the first keeps the lines of each
  // vCPU before its first exit (they complete an exit of the shard before); each shard before the
  // last hands over its still-open exits. `mergeStatShards` stitches them in order.

  /** Lines of this trace counted by earlier shards (the merge), and head lines scanned twice. */
  readonly #base = {
    lines: 0,
    exits: 0,
    entries: 0,
    companions: 0,
    unpaired: 0,
    other: 0,
    skipped: 0,
    evicted: 0,
  };
  #rescanned = 0;

  /** Makes this accumulator a shard after the first: see `StatShard.heads`. */
  keepHeads(): void {
    this.#scanner.heads = new Map();
  }

  /** Ends a shard: its counts and rows, its head lines and, unless it is the last, its open exits. */
  shard(last: boolean): StatShard {
    withoutStacks(() => {
      this.#splitter.end(this.#scanner);
      if (last) this.#scanner.end();
    });
    const s = this.#scanner;
    const rows: { arch?: TraceArch; row: Row }[] = [];
    for (const [arch, map] of Object.entries(this.#reasons)) {
      for (const row of map.values()) rows.push({ arch: arch as TraceArch, row });
    }
    for (const row of this.#rows.values()) rows.push({ row });
    if (this.#other !== undefined) rows.push({ row: this.#other });
    return {
      lines: s.lines,
      exits: s.exits,
      entries: s.entries,
      companions: s.companions,
      unpaired: s.unpaired,
      other: s.other,
      skipped: s.skipped,
      evicted: s.joiner.evicted,
      total: this.#total,
      timed: this.#timed,
      complete: this.#complete,
      partial: this.#partial,
      undecoded: this.#undecoded,
      folded: this.#folded,
      rows,
      skippedLines: this.#skippedLines.slice(),
      heads: s.heads === undefined ? [] : [...s.heads.entries()],
      headLines: s.headLines,
      exitKeys: [...s.exitKeys],
      tails: last ? [] : s.joiner.openStates(),
    };
  }

  /** Adds a shard (in trace order) to this accumulator, which must have been made with the same options. */
  absorb(sh: StatShard, first: boolean): void {
    const b = this.#base;
    const lineOffset = b.lines;
    b.lines += sh.lines;
    b.exits += sh.exits;
    b.entries += sh.entries;
    b.companions += sh.companions;
    b.unpaired += sh.unpaired;
    b.other += sh.other;
    b.skipped += sh.skipped;
    b.evicted += sh.evicted;
    this.#total += sh.total;
    this.#timed += sh.timed;
    this.#complete += sh.complete;
    this.#partial += sh.partial;
    this.#undecoded += sh.undecoded;
    this.#folded += sh.folded;
    for (const { arch, row } of sh.rows) this.#mergeRow(arch, row);
    for (const sl of sh.skippedLines) {
      if (this.#skippedLines.length < SKIPPED_LINES_KEPT) {
        this.#skippedLines.push({ line: sl.line + lineOffset, message: sl.message });
      }
    }
    if (!first) {
      // the head lines complete the exits the shard before left open; then an exit of the same
      // vCPU in this shard closes what is still open
      const s = this.#scanner;
      let kept = 0;
      for (const [, lines] of sh.heads) {
        for (const text of lines) {
          const bytes = bytesOf(text);
          s.line(bytes, 0, bytes.length);
          kept++;
        }
      }
      // the merger's scanner counts the kept head lines as entries/companions/other; their lines
      // are in the shard's count already; head lines past the kept ones count as other
      this.#rescanned += kept;
      b.other += sh.headLines - kept;
      for (const key of sh.exitKeys) s.joiner.closeByExit(key);
    }
    for (const st of sh.tails) this.#scanner.joiner.adopt(Object.assign(new VcpuState(), st));
  }

  #mergeRow(arch: TraceArch | undefined, row: Row): void {
    let target: Row | undefined;
    if (row.name === OTHER_ROW) {
      this.#other ??= newRow(OTHER_ROW, "\uffff", {});
      target = this.#other;
    } else {
      const map = arch !== undefined ? this.#reasons[arch] : this.#rows;
      target = map.get(row.name);
      if (target === undefined) {
        if (this.#groups >= this.#maxGroups) {
          this.#folded += row.count;
          this.#other ??= newRow(OTHER_ROW, "\uffff", {});
          target = this.#other;
        } else {
          this.#groups++;
          target = newRow(row.name, row.order, row.fields);
          map.set(row.name, target);
        }
      }
    }
    target.count += row.count;
    target.timed += row.timed;
    target.totalNs += row.totalNs;
    if (row.minNs < target.minNs) target.minNs = row.minNs;
    if (row.maxNs > target.maxNs) target.maxNs = row.maxNs;
  }
}

/** One shard's share of a trace read in parallel (structured-clone safe). */
export interface StatShard {
  /** Line counts of the shard (head lines are in `lines` only). */
  readonly lines: number;
  /** `kvm_exit` lines. */
  readonly exits: number;
  /** `kvm_entry` lines (heads excluded). */
  readonly entries: number;
  /** Companions joined. */
  readonly companions: number;
  /** Companions without an open exit. */
  readonly unpaired: number;
  /** Other lines (heads excluded). */
  readonly other: number;
  /** Skipped lines. */
  readonly skipped: number;
  /** Exits closed early. */
  readonly evicted: number;
  /** Exits counted in rows. */
  readonly total: number;
  /** Timed exits. */
  readonly timed: number;
  /** Complete exits. */
  readonly complete: number;
  /** Partial exits. */
  readonly partial: number;
  /** Undecoded exits. */
  readonly undecoded: number;
  /** Exits folded into `(other)`. */
  readonly folded: number;
  /** The rows (reason rows with their arch). */
  readonly rows: readonly { readonly arch?: TraceArch; readonly row: Row }[];
  /** Skipped lines, numbered within the shard. */
  readonly skippedLines: readonly SkippedLine[];
  /** Per vCPU, the text of its companion and entry lines before its first exit in the shard. */
  readonly heads: readonly (readonly [number | string, readonly string[]])[];
  /** How many head lines there were (kept or not). */
  readonly headLines: number;
  /** The vCPUs with an exit in the shard. */
  readonly exitKeys: readonly (number | string)[];
  /** The exits still open at the shard's end. */
  readonly tails: readonly VcpuState[];
}

/** The report of a trace read in shards, in trace order, each made by a `TraceStat` with `options`. */
export function mergeStatShards(
  shards: readonly StatShard[],
  options: StatTraceOptions = {},
): TraceStatReport {
  const merger = new TraceStat(options);
  shards.forEach((sh, i) => {
    merger.absorb(sh, i === 0);
  });
  return merger.report();
}

function byName(a: Row, b: Row): number {
  const x = a.order;
  const y = b.order;
  if (typeof x === typeof y) return x < y ? -1 : x > y ? 1 : 0;
  return String(x) < String(y) ? -1 : 1;
}

function comparator(sort: StatSort): (a: Row, b: Row) => number {
  // the (other) row goes last
  const last = (a: Row, b: Row) => (a.name === OTHER_ROW ? 1 : 0) - (b.name === OTHER_ROW ? 1 : 0);
  if (sort === "name") return (a, b) => last(a, b) || byName(a, b);
  if (sort === "time")
    return (a, b) => last(a, b) || b.totalNs - a.totalNs || b.count - a.count || byName(a, b);
  return (a, b) => last(a, b) || b.count - a.count || byName(a, b);
}

/** The reason name of the exit in `st`. */
function reasonName(st: VcpuState): string {
  if (st.exitArch === EXIT_ARM) return armExitName(st.n0, armEc(st), st.n5);
  if (st.exitArch === EXIT_RISCV) {
    const hi = st.hi[R_SCAUSE] as number;
    const lo = st.lo[R_SCAUSE] as number;
    const rv32 = hi === 0 && (lo & 0x8000_0000) !== 0;
    return riscvExitName(rv32 || (hi & 0x8000_0000) !== 0, rv32 ? lo & 0x7fff_ffff : lo);
  }
  return st.reason?.name ?? hexName(0);
}

/** The EC of an arm64 exit: printed on the line, else from a companion's ESR (32-bit ARM), else -1. */
function armEc(st: VcpuState): number {
  if (st.n0 !== TYPE_NONE) return st.n1;
  if (st.saw(EV_GUEST_FAULT) && st.cv[GF_RISCV] === 0)
    return ((st.cv[GF_ESR + 1] as number) >>> 26) & 0x3f;
  if (st.saw(EV_HANDLE_SYS_REG)) return ((st.cv[SR_ESR + 1] as number) >>> 26) & 0x3f;
  return -1;
}

function reasonCode(st: VcpuState): number | undefined {
  if (st.exitArch === EXIT_ARM) {
    const ec = armEc(st);
    return st.n0 === 1 || (st.n0 === TYPE_NONE && ec >= 0) ? ec : undefined;
  }
  if (st.exitArch === EXIT_RISCV) {
    const hi = st.hi[R_SCAUSE] as number;
    const lo = st.lo[R_SCAUSE] as number;
    return hi === 0 && (lo & 0x8000_0000) !== 0 ? lo & 0x7fff_ffff : lo;
  }
  return st.reason?.code;
}

function toRow(row: Row, total: number, timeSum: number): TraceStatRow {
  const out: { -readonly [K in keyof TraceStatRow]: TraceStatRow[K] } = {
    name: row.name,
    ...row.fields,
    count: row.count,
    share: total === 0 ? 0 : row.count / total,
    timed: row.timed,
  };
  if (row.timed > 0) {
    out.minNs = row.minNs;
    out.maxNs = row.maxNs;
    out.avgNs = row.totalNs / row.timed;
    out.totalNs = row.totalNs;
    out.timeShare = timeSum === 0 ? 0 : row.totalNs / timeSum;
  }
  return out;
}

/**
 * Reads a whole trace as a stream and returns its statistics (see `TraceStat`).
 * @example const report = await statTrace(fs.createReadStream("trace.txt"), { by: "mmio" });
 */
export async function statTrace(
  source: TraceSource,
  options: StatTraceOptions = {},
): Promise<TraceStatReport> {
  const stat = new TraceStat(options);
  const every = count(options.progressEvery, "progressEvery", 1) ?? 65536;
  const onProgress = options.onProgress;
  if (onProgress !== undefined) checkArg(onProgress, "function", "options.onProgress");
  let next = every;
  for await (const chunk of chunksOf(source)) {
    stat.push(chunk);
    if (onProgress !== undefined) {
      while (stat.lines >= next) {
        onProgress(next);
        next += every;
      }
    }
  }
  return stat.report();
}
