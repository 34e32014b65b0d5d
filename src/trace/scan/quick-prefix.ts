// The usual ftrace line prefix, `<task>-<pid> [<cpu>] <flags> <secs>.<frac>: <event>: `, read in
// one pass: the fast path of `scanPrefix`, and all the lite reading of statistics by reason
// reads of most lines. -1 (having changed nothing the scanner relies on) for any other line,
// which the general readers of `scanPrefix` then read.
import { isIdentPart, isIdentStart } from "./bytes";
import { EV_ENTRY, EV_EXIT, EV_OTHER, eventId } from "./events";
import type { LineRecord } from "./record";

// The searches read several bytes a step (four for the CPU column, two for the event name's end,
// which keeps the engine inlining it): the engine checks the buffer (its map, its data pointer,
// its length) once per iteration of a loop, so a byte a step costs about a third more
// instructions (callgrind: 918 → 709 for a 48-byte scan; this reader, with the one-step reads
// of the usual fraction and flags, 1883 → 1578 a line over the generated trace).

/** 10^(9 − n): scales a fraction of n < 9 digits to nanoseconds. */
const NSEC_SCALE = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10];

/** The first position of `byte` in `buf[from, stop)`, `stop` when there is none. */
function byteAt(buf: Uint8Array, byte: number, from: number, stop: number): number {
  let i = from;
  for (; i + 3 < stop; i += 4) {
    if (buf[i] === byte) return i;
    if (buf[i + 1] === byte) return i + 1;
    if (buf[i + 2] === byte) return i + 2;
    if (buf[i + 3] === byte) return i + 3;
  }
  while (i < stop && buf[i] !== byte) i++;
  return i;
}

/** The first position of `:` or a space in `buf[from, stop)`, `stop` when there is none. */
function colonOrSpaceAt(buf: Uint8Array, from: number, stop: number): number {
  let i = from;
  for (; i + 1 < stop; i += 2) {
    const c0 = buf[i] as number;
    if (c0 === 0x3a || c0 === 0x20) return i;
    const c1 = buf[i + 1] as number;
    if (c1 === 0x3a || c1 === 0x20) return i + 1;
  }
  return i < stop && buf[i] !== 0x3a && buf[i] !== 0x20 ? stop : i;
}

/** Whether `buf[at + 1, at + 5)` are no blanks and `buf[at + 5]` is one (`buf[at]` is known to be none). */
function isFiveFlags(buf: Uint8Array, at: number): boolean {
  const c1 = buf[at + 1];
  const c2 = buf[at + 2];
  const c3 = buf[at + 3];
  const c4 = buf[at + 4];
  const c5 = buf[at + 5];
  return (
    c1 !== 0x20 &&
    c1 !== 0x09 &&
    c2 !== 0x20 &&
    c2 !== 0x09 &&
    c3 !== 0x20 &&
    c3 !== 0x09 &&
    c4 !== 0x20 &&
    c4 !== 0x09 &&
    (c5 === 0x20 || c5 === 0x09)
  );
}

/**
 * Six decimal digits at `buf[at]` not followed by a seventh, as nanoseconds (the digits are
 * microseconds); -1 for anything else. `buf[at + 6]` must be within the line.
 */
function sixDigitsAt(buf: Uint8Array, at: number): number {
  const d0 = (buf[at] as number) - 0x30;
  const d1 = (buf[at + 1] as number) - 0x30;
  const d2 = (buf[at + 2] as number) - 0x30;
  const d3 = (buf[at + 3] as number) - 0x30;
  const d4 = (buf[at + 4] as number) - 0x30;
  const d5 = (buf[at + 5] as number) - 0x30;
  const d6 = (buf[at + 6] as number) - 0x30;
  // a byte below "0" makes d negative, so d >>> 0 > 9 too
  if (
    d0 >>> 0 > 9 ||
    d1 >>> 0 > 9 ||
    d2 >>> 0 > 9 ||
    d3 >>> 0 > 9 ||
    d4 >>> 0 > 9 ||
    d5 >>> 0 > 9 ||
    d6 >>> 0 <= 9
  ) {
    return -1;
  }
  return (d0 * 100_000 + d1 * 10_000 + d2 * 1000 + d3 * 100 + d4 * 10 + d5) * 1000;
}

/**
 * Reads the prefix of `buf[start, end)` into `r` when the line has the usual ftrace shape: sets the
 * prefix fields and the event, and returns the position after the event's `:` (-1: another shape).
 */
export function quickPrefix(r: LineRecord, buf: Uint8Array, start: number, end: number): number {
  let s = start;
  while (s < end && (buf[s] === 0x20 || buf[s] === 0x09)) s++;
  // the CPU column: the first `]` within 96 bytes, after `[digits`
  const stop = end - s > 96 ? s + 96 : end;
  const close = byteAt(buf, 0x5d, s, stop);
  if (close >= stop) return -1;
  let open = close - 1;
  let cpu = 0;
  let mul = 1;
  while (open > s) {
    const d = (buf[open] as number) - 0x30;
    if (d < 0 || d > 9) break;
    cpu += d * mul;
    mul *= 10;
    open--;
  }
  if (open === close - 1 || buf[open] !== 0x5b || close - open > 7) return -1;
  // `-pid` right before the blanks before `[` (` pid`: perf)
  let q = open;
  while (q > s && (buf[q - 1] === 0x20 || buf[q - 1] === 0x09)) q--;
  if (q === open) return -1;
  let d0 = q;
  let pid = 0;
  mul = 1;
  while (d0 > s && q - d0 < 10) {
    const d = (buf[d0 - 1] as number) - 0x30;
    if (d < 0 || d > 9) break;
    pid += d * mul;
    mul *= 10;
    d0--;
  }
  if (d0 === q || d0 === s) return -1;
  const sep = buf[d0 - 1];
  let taskEnd = d0 - 1;
  if (sep === 0x20 || sep === 0x09) {
    while (taskEnd > s && (buf[taskEnd - 1] === 0x20 || buf[taskEnd - 1] === 0x09)) taskEnd--;
  } else if (sep !== 0x2d) return -1;
  if (taskEnd <= s) return -1;
  // after `]`: blanks, optional flags, blanks, the timestamp
  let p = close + 1;
  if (p >= end || (buf[p] !== 0x20 && buf[p] !== 0x09)) return -1;
  while (p < end && (buf[p] === 0x20 || buf[p] === 0x09)) p++;
  let flagsStart = -1;
  let flagsEnd = -1;
  const c0 = buf[p] as number;
  if (c0 < 0x30 || c0 > 0x39) {
    flagsStart = p;
    // the usual five flag characters (`d..1.`) and a blank in one step, else byte by byte
    if (p + 5 < end && isFiveFlags(buf, p)) p += 5;
    else while (p < end && buf[p] !== 0x20 && buf[p] !== 0x09) p++;
    flagsEnd = p;
    if (flagsEnd - flagsStart > 8) return -1;
    while (p < end && (buf[p] === 0x20 || buf[p] === 0x09)) p++;
  }
  let sec = 0;
  const ts = p;
  while (p < end) {
    const d = (buf[p] as number) - 0x30;
    if (d < 0 || d > 9) break;
    sec = sec * 10 + d;
    p++;
  }
  if (p === ts || p - ts > 15 || p >= end || buf[p] !== 0x2e) return -1;
  p++;
  const fs = p;
  // the usual six digits (microseconds) in one step, else digit by digit (the first nine kept)
  let nsec = p + 6 < end ? sixDigitsAt(buf, p) : -1;
  if (nsec >= 0) p += 6;
  else {
    nsec = 0;
    while (p < end) {
      const d = (buf[p] as number) - 0x30;
      if (d < 0 || d > 9) break;
      if (p - fs < 9) nsec = nsec * 10 + d;
      p++;
    }
    if (p - fs < 9) nsec *= NSEC_SCALE[p - fs] as number;
  }
  if (p === fs || p - fs > 12 || p + 1 >= end || buf[p] !== 0x3a || buf[p + 1] !== 0x20) {
    return -1;
  }
  // `: ` then `event:` (a `system:` prefix takes the general reader)
  p += 2;
  while (p < end && buf[p] === 0x20) p++;
  const ns = p;
  let id = 0;
  if (
    buf[p] === 0x6b &&
    buf[p + 1] === 0x76 &&
    buf[p + 2] === 0x6d &&
    buf[p + 3] === 0x5f &&
    buf[p + 4] === 0x65
  ) {
    // `kvm_exit:` and `kvm_entry:`, the most frequent events
    if (buf[p + 5] === 0x78 && buf[p + 6] === 0x69 && buf[p + 7] === 0x74 && buf[p + 8] === 0x3a) {
      p += 8;
      id = EV_EXIT;
    } else if (
      buf[p + 5] === 0x6e &&
      buf[p + 6] === 0x74 &&
      buf[p + 7] === 0x72 &&
      buf[p + 8] === 0x79 &&
      buf[p + 9] === 0x3a
    ) {
      p += 9;
      id = EV_ENTRY;
    }
  }
  if (id === 0) {
    const nameStop = Math.min(end, ns + 65);
    p = colonOrSpaceAt(buf, p, nameStop);
    if (p >= nameStop || p === ns || buf[p] !== 0x3a) return -1;
    id = eventId(buf, ns, p);
    if (id === EV_OTHER) {
      if (!isIdentStart(buf[ns] as number)) return -1;
      for (let i = ns; i < p; i++) if (!isIdentPart(buf[i] as number)) return -1;
    }
  } else if (p >= end) return -1;
  const ne = p;
  p++;
  if (p < end && buf[p] !== 0x20 && buf[p] !== 0x09) return -1;
  r.taskStart = s;
  r.taskEnd = taskEnd;
  r.pid = pid;
  r.cpu = cpu;
  r.flagsStart = flagsStart;
  r.flagsEnd = flagsEnd;
  r.sec = sec;
  r.nsec = nsec;
  r.nameStart = ns;
  r.nameEnd = ne;
  r.event = id;
  return p;
}
