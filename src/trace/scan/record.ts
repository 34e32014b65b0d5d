import { show, VmExitError } from "../../core/error";
import { EV_NONE } from "./events";
import { textOf } from "./text";
import type { X86Reason } from "./x86-reason";

/** How many 64-bit values one event line can hold. */
export const SLOTS = 8;

/**
 * One scanned line, reused for every line of a trace: where the prefix parts, the event name and
 * the body are in the buffer, and the numbers read from the body (64-bit values as two unsigned
 * 32-bit halves in `hi`/`lo`, with bit i of `set` telling that slot i was read; small fields in
 * `n0`…`n7`, whose meaning depends on the event). Nothing here allocates per line.
 */
export class LineRecord {
  /** The bytes the line is in. */
  buf: Uint8Array = new Uint8Array(0);
  /** Start of the line. */
  start = 0;
  /** End of the line (exclusive, line end excluded). */
  end = 0;
  /** Task name, or -1. */
  taskStart = -1;
  /** End of the task name. */
  taskEnd = -1;
  /** Thread id, or -1. */
  pid = -1;
  /** Host CPU column, or -1. */
  cpu = -1;
  /** Latency flags column, or -1. */
  flagsStart = -1;
  /** End of the flags column. */
  flagsEnd = -1;
  /** Whole seconds of the timestamp, or -1 when the line has none. */
  sec = -1;
  /** Nanoseconds within the second. */
  nsec = 0;
  /** Event id (`EV_*`). */
  event = EV_NONE;
  /** Event name in the buffer. */
  nameStart = 0;
  /** End of the event name. */
  nameEnd = 0;
  /** Event text, without leading blanks. */
  bodyStart = 0;
  /** End of the event text, without trailing blanks. */
  bodyEnd = 0;
  /** The `vcpu N` (or `vcpu=N`, `VCPU: N`) field, or -1. */
  vcpu = -1;
  /** Upper halves of the 64-bit values. */
  readonly hi = new Uint32Array(SLOTS);
  /** Lower halves of the 64-bit values. */
  readonly lo = new Uint32Array(SLOTS);
  /** Bit i set: slot i was read. */
  set = 0;
  /** Small fields, by event. */
  n0 = 0;
  /** Small fields, by event. */
  n1 = 0;
  /** Small fields, by event. */
  n2 = 0;
  /** Small fields, by event. */
  n3 = 0;
  /** Small fields, by event. */
  n4 = 0;
  /** Small fields, by event. */
  n5 = 0;
  /** Small fields, by event. */
  n6 = 0;
  /** Small fields, by event. */
  n7 = 0;
  /** Instruction bytes (`kvm_emulate_insn`). */
  readonly bytes = new Uint8Array(15);
  /** Text of one field of interest (a reason name, a register name), or -1. */
  textStart = -1;
  /** End of that text. */
  textEnd = -1;
  /** `kvm_exit`: the exit format (`EXIT_X86`, `EXIT_ARM`, `EXIT_RISCV`), 0 before it is known. */
  exitArch = 0;
  /** x86 `kvm_exit`: what the reason text names. */
  reason: X86Reason | undefined = undefined;
  /** The field that could not be read, when the body was malformed. */
  errField = "";
  /** What was expected of it. */
  errExpected = "";
  /** Where its text is. */
  errStart = 0;
  /** End of its text. */
  errEnd = 0;

  /** Clears the per-line state (the buffer and bounds are set by the scanner). */
  reset(): void {
    this.taskStart = -1;
    this.taskEnd = -1;
    this.pid = -1;
    this.cpu = -1;
    this.flagsStart = -1;
    this.flagsEnd = -1;
    this.sec = -1;
    this.nsec = 0;
    this.event = EV_NONE;
    this.clearBody();
  }

  /** Clears what a body scan writes (a quick reader that gave up leaves the record as it found it). */
  clearBody(): void {
    this.vcpu = -1;
    this.set = 0;
    this.n0 = 0;
    this.n1 = 0;
    this.n2 = 0;
    this.n3 = 0;
    this.n4 = 0;
    this.n5 = 0;
    this.n6 = 0;
    this.n7 = 0;
    this.textStart = -1;
    this.textEnd = -1;
    this.exitArch = 0;
    this.reason = undefined;
    this.errField = "";
  }

  /** Sets the body bounds: from `after` (past the event's `:`) and its blanks to the line end, trailing blanks and a CR trimmed. */
  body(after: number): void {
    const buf = this.buf;
    let b = after;
    let e = this.end;
    while (b < e && (buf[b] === 0x20 || buf[b] === 0x09)) b++;
    while (e > b && (buf[e - 1] === 0x20 || buf[e - 1] === 0x09 || buf[e - 1] === 0x0d)) e--;
    this.bodyStart = b;
    this.bodyEnd = e;
  }

  /** Stores the value in `hi`/`lo` into slot `i`. */
  put(i: number, hi: number, lo: number): void {
    this.hi[i] = hi;
    this.lo[i] = lo;
    this.set |= 1 << i;
  }

  /** True when slot `i` was read. */
  has(i: number): boolean {
    return (this.set & (1 << i)) !== 0;
  }

  /** Records why the body cannot be read; returns false for the caller to return. */
  fail(field: string, start: number, end: number, expected = "a hex number"): false {
    this.errField = field;
    this.errStart = start;
    this.errEnd = end;
    this.errExpected = expected;
    return false;
  }

  /** The `VmExitError` for the failure recorded by `fail`. */
  error(): VmExitError {
    const value = textOf(this.buf, this.errStart, Math.min(this.errEnd, this.errStart + 200));
    return new VmExitError(
      "malformed-trace",
      `${this.errField} must be ${this.errExpected}, got ${show(value)}`,
      this.errField,
    );
  }
}
