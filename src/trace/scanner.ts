// The reader's engine: each line is scanned into the reused record, classified, and handed to the
// joiner (exits, companions, entries). What happens to a closed exit is the sink's business
// (statistics count it, the item reader yields it).
import { checkArg } from "../core/check-arg";
import { show, VmExitError } from "../core/error";
import { Joiner, type JoinSink, vcpuKey } from "./join/joiner";
import type { VcpuState } from "./join/state";
import { quickArmReason, TYPE_NONE } from "./scan/arm-exit";
import { EV_ENTRY, EV_EXIT, EV_NESTED_VMEXIT, EV_NONE, EV_OTHER } from "./scan/events";
import { EXIT_ARM, EXIT_RISCV, EXIT_X86, scanBody } from "./scan/line";
import { scanPrefix } from "./scan/prefix";
import { quickPrefix } from "./scan/quick-prefix";
import { LineRecord } from "./scan/record";
import { quickRiscvCause } from "./scan/riscv-exit";
import { textOf } from "./scan/text";
import { quickX86Reason } from "./scan/x86-exit";
import { type X86Flavour, x86Reason } from "./scan/x86-reason";
import type { LineConsumer } from "./stream";

/** A `kvm_exit` line (its exit is open until the vCPU re-enters). */
export const L_EXIT = 1;
/** A `kvm_entry` line. */
export const L_ENTRY = 2;
/** A companion event joined to its vCPU's open exit. */
export const L_COMPANION = 3;
/** A companion event of a vCPU with no open exit. */
export const L_UNPAIRED = 4;
/** Another event. */
export const L_OTHER = 5;
/** A blank line, a `#` comment or a `trace-cmd report` header. */
export const L_COMMENT = 6;
/** A line that could not be read. */
export const L_SKIPPED = 7;
/** A companion or entry of a vCPU before its first exit in a shard (kept as text for the merge). */
export const L_HEAD = 8;

/** Lines kept per vCPU before its first exit in a shard. */
const HEAD_LINES = 64;

/** Hooks for the item reader, called as each line is scanned (the record is valid during the call). */
export interface LineHooks {
  /** A `kvm_exit` opened `st`. */
  exit(st: VcpuState, r: LineRecord, line: number): void;
  /** A companion joined `st` (`st` undefined: no open exit). */
  companion(st: VcpuState | undefined, r: LineRecord, line: number): void;
  /** A `kvm_entry` line (after it closed its vCPU's exit, if any). */
  entry(r: LineRecord, line: number): void;
  /** Another event, a comment or a skipped line (`kind` is `L_OTHER`, `L_COMMENT` or `L_SKIPPED`). */
  other(r: LineRecord, line: number, kind: number, error: VmExitError | undefined): void;
}

// `trace-cmd report` headers: `cpus=4`, `version = 7`, `CPU 3 is empty`.
const TRACE_CMD_HEADER = /^(?:cpus=\d+|version = \S+|CPU \d+ is empty)\s*$/;

/** A line that is no event but expected in a trace: blank, a `#` comment or header of ftrace, or a `trace-cmd report` header. */
export function isCommentLine(line: string): boolean {
  checkArg(line, "string", "line");
  const t = line.trimStart();
  return t === "" || t.startsWith("#") || TRACE_CMD_HEADER.test(t);
}

function isCommentBytes(buf: Uint8Array, start: number, end: number): boolean {
  let p = start;
  while (p < end && (buf[p] === 0x20 || buf[p] === 0x09 || buf[p] === 0x0d)) p++;
  if (p === end || buf[p] === 0x23) return true;
  const c = buf[p];
  // only `cpus=`, `version = ` and `CPU n is empty` can be headers: check those few lines as text
  if ((c === 0x63 || c === 0x76 || c === 0x43) && end - p <= 64) {
    return TRACE_CMD_HEADER.test(textOf(buf, p, end));
  }
  return false;
}

/** The error for a line that is neither an event, a comment nor a header. */
export function notAnEvent(text: string): VmExitError {
  return new VmExitError(
    "malformed-trace",
    `line is not a trace event (no "event:" column): ${show(text)}`,
    "line",
  );
}

/** Scans lines, joins exits to their companions, and counts what it saw. */
export class TraceScanner implements LineConsumer {
  /** The record of the line being scanned. */
  readonly record = new LineRecord();
  /** Whether hex x86 reasons are VMX or SVM (the last reason named). */
  readonly flavour: X86Flavour = { arch: "x86-vmx" };
  /** Open exits per vCPU. */
  readonly joiner: Joiner;
  readonly #hooks: LineHooks | undefined;
  /** Lines scanned. */
  lines = 0;
  /** `kvm_exit` lines. */
  exits = 0;
  /** `kvm_entry` lines. */
  entries = 0;
  /** Companion events joined to an exit. */
  companions = 0;
  /** Companion events with no open exit on their vCPU. */
  unpaired = 0;
  /** Lines of other events, comments and blank lines. */
  other = 0;
  /** Lines that could not be read. */
  skipped = 0;
  /** Called with each skipped line's error (built only when this is set). */
  onSkipped: ((line: number, error: VmExitError) => void) | undefined;
  /**
   * When set (a shard of a trace read in parallel, after the first), the companion and entry
   * lines of each vCPU before its first `kvm_exit` here: they belong to an exit of the shard
   * before, and are kept as text (at most 64 per vCPU) for the merge instead of being counted.
   */
  heads: Map<number | string, string[]> | undefined;
  /** With `heads`: head lines seen (kept or not). */
  headLines = 0;
  /** With `heads`: the vCPUs that had a `kvm_exit` in this shard. */
  readonly exitKeys = new Set<number | string>();

  /**
   * Statistics by reason or vCPU: lines of the usual shape are read only as far as pairing and
   * the reason need (the prefix; of a `kvm_exit` its reason; nothing of entries and companions),
   * other lines as always. See `#quick`.
   */
  readonly lite: boolean;

  constructor(sink: JoinSink, hooks?: LineHooks, maxVcpus?: number, lite = false) {
    this.joiner = new Joiner(sink, maxVcpus);
    this.#hooks = hooks;
    this.lite = lite;
  }

  #skip(r: LineRecord, error: () => VmExitError): number {
    this.skipped++;
    const hooks = this.#hooks;
    if (this.onSkipped !== undefined || hooks !== undefined) {
      const e = error();
      this.onSkipped?.(this.lines, e);
      hooks?.other(r, this.lines, L_SKIPPED, e);
    }
    return L_SKIPPED;
  }

  /**
   * Scans one line (`LineConsumer`); see `scan`. Without hooks (statistics), a line of the usual
   * prefix is read from it: other events and `kvm_entry` lines need nothing more (an entry pairs
   * by its thread id, which the prefix gives, and closes its vCPU's exit), exits and companions
   * have their bodies read (the lite reading: of an exit its reason only).
   */
  line(buf: Uint8Array, start: number, end: number): void {
    if (this.#hooks === undefined) {
      const r = this.record;
      const after = quickPrefix(r, buf, start, end);
      if (after >= 0) {
        r.buf = buf;
        r.start = start;
        r.end = end;
        const event = r.event;
        if (event === EV_OTHER || event === EV_NESTED_VMEXIT) {
          this.lines++;
          this.other++;
          return;
        }
        if (!this.lite) {
          this.#read(r, after);
          return;
        }
        if (this.#quick(r, after)) return;
      }
    }
    this.scan(buf, start, end);
  }

  /**
   * An exit, entry or companion line whose prefix `quickPrefix` read into `r` (the body after
   * `after`), when no hooks are set: an entry is paired from the prefix (unless the line is a
   * shard's head, kept as text), exits and companions are scanned and joined.
   */
  #read(r: LineRecord, after: number): void {
    const event = r.event;
    r.clearBody();
    if (event === EV_ENTRY && (this.heads === undefined || this.exitKeys.has(r.pid))) {
      this.#entry(r, ++this.lines);
      return;
    }
    r.body(after);
    this.#event(r, ++this.lines);
  }

  /**
   * The lite reading of one line (see `lite`) whose prefix `quickPrefix` read: true when done,
   * false (nothing counted) for a line `scan` must read — an exit of another spelling, a
   * companion an open arm64 exit without an EC may need, a line of a vCPU before its first exit
   * in a shard.
   */
  #quick(r: LineRecord, after: number): boolean {
    const event = r.event;
    const heads = this.heads;
    if (event === EV_EXIT) {
      r.clearBody();
      r.body(after);
      const s = r.bodyStart;
      const e = r.bodyEnd;
      const c = r.buf[s];
      if ((c === 0x76 || c === 0x72) && quickX86Reason(r, s, e)) {
        const reason = x86Reason(r, this.flavour);
        if (reason.error !== undefined) return false;
        r.reason = reason;
        r.exitArch = EXIT_X86;
      } else if (c === 0x53 && quickRiscvCause(r, s, e)) r.exitArch = EXIT_RISCV;
      else if (quickArmReason(r, s, e)) r.exitArch = EXIT_ARM;
      else return false;
      if (heads !== undefined) this.exitKeys.add(r.pid);
      const line = ++this.lines;
      this.exits++;
      this.joiner.exit(r, line);
      return true;
    }
    // the lite reading reads no other body: the line pairs by its thread id
    r.vcpu = -1;
    if (heads !== undefined && !this.exitKeys.has(r.pid)) {
      this.lines++;
      this.#head(heads, r.pid, r.buf, r.start, r.end);
      return true;
    }
    if (event === EV_ENTRY) {
      this.#entry(r, ++this.lines);
      return true;
    }
    const st = this.joiner.find(r);
    if (st === undefined) {
      this.lines++;
      this.unpaired++;
      this.other++;
      return true;
    }
    // an arm64 exit line without an EC takes it from a companion's ESR
    if (st.exitArch === EXIT_ARM && st.n0 === TYPE_NONE) return false;
    this.lines++;
    this.companions++;
    this.other++;
    return true;
  }

  /** Scans `buf[start, end)` as the next line and returns what it was (`L_*`). */
  scan(buf: Uint8Array, start: number, end: number): number {
    const line = ++this.lines;
    const r = this.record;
    r.buf = buf;
    r.start = start;
    r.end = end;
    scanPrefix(r);
    const event = r.event;
    const hooks = this.#hooks;
    if (event === EV_NONE) {
      if (isCommentBytes(buf, start, end)) {
        this.other++;
        hooks?.other(r, line, L_COMMENT, undefined);
        return L_COMMENT;
      }
      return this.#skip(r, () => notAnEvent(textOf(buf, start, Math.min(end, start + 200))));
    }
    if (event === EV_OTHER || event === EV_NESTED_VMEXIT) {
      this.other++;
      hooks?.other(r, line, L_OTHER, undefined);
      return L_OTHER;
    }
    return this.#event(r, line);
  }

  /** A `kvm_entry` line counted and paired (its body unread: see `line`). */
  #entry(r: LineRecord, line: number): void {
    this.entries++;
    this.joiner.entry(r, line);
  }

  /** The body of an exit, entry or companion line read and joined; returns what the line was. */
  #event(r: LineRecord, line: number): number {
    const event = r.event;
    const buf = r.buf;
    const start = r.start;
    const end = r.end;
    const hooks = this.#hooks;
    if (!scanBody(r, this.flavour)) return this.#skip(r, () => r.error());
    const heads = this.heads;
    if (heads !== undefined) {
      const key = vcpuKey(r);
      if (event === EV_EXIT) this.exitKeys.add(key);
      else if (!this.exitKeys.has(key)) {
        this.#head(heads, key, buf, start, end);
        return L_HEAD;
      }
    }
    if (event === EV_EXIT) {
      this.exits++;
      const st = this.joiner.exit(r, line);
      hooks?.exit(st, r, line);
      return L_EXIT;
    }
    if (event === EV_ENTRY) {
      this.#entry(r, line);
      hooks?.entry(r, line);
      return L_ENTRY;
    }
    const st = this.joiner.find(r);
    if (st === undefined) {
      this.unpaired++;
      this.other++;
      hooks?.companion(undefined, r, line);
      return L_UNPAIRED;
    }
    this.joiner.join(st, r);
    this.companions++;
    this.other++;
    hooks?.companion(st, r, line);
    return L_COMPANION;
  }

  /** Keeps a line of vCPU `key` before its first exit in the shard (see `heads`). */
  #head(
    heads: Map<number | string, string[]>,
    key: number | string,
    buf: Uint8Array,
    start: number,
    end: number,
  ): void {
    this.headLines++;
    let list = heads.get(key);
    if (list === undefined) {
      list = [];
      heads.set(key, list);
    }
    if (list.length < HEAD_LINES) list.push(textOf(buf, start, end));
  }

  /** Closes every open exit (call once, after the last line). */
  end(): void {
    this.joiner.end();
  }
}
