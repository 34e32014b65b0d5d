// The line prefix of ftrace, `trace-cmd report` and `perf script` text:
//
//   ftrace        <task>-<pid> [(<tgid>)] [<cpu>] <flags> <secs>.<usecs>: <event>: <body>
//   trace-cmd     <task>-<pid> [<cpu>] <secs>.<usecs>: <event>:<padding> <body>
//   perf script   <task> <pid> [<cpu>] <secs>.<nsecs>: [<period>] kvm:<event>: <body>
//   abbreviated   [<secs>.<frac>:] <event>: <body>
//
// The scanner walks the line once from the left looking for the first `[<cpu>]` column or
// `<timestamp>:` that is followed by an event name; each candidate is checked with a bounded
// look-around, so a hostile line costs time linear in its length.
import { isIdentPart, isIdentStart, skipBlanks } from "./bytes";
import { EV_NONE, EV_OTHER, eventId } from "./events";
import { quickPrefix } from "./quick-prefix";
import type { LineRecord } from "./record";

const MAX_NAME = 64;

/** Reads `[system:]event:` at `pos`; sets the event and returns the position after `:`, or -1. */
function eventAt(r: LineRecord, pos: number, end: number): number {
  const buf = r.buf;
  if (pos >= end || !isIdentStart(buf[pos] as number)) return -1;
  let p = pos + 1;
  while (p < end && isIdentPart(buf[p] as number)) if (++p - pos > MAX_NAME) return -1;
  if (p >= end || buf[p] !== 0x3a) return -1;
  let start = pos;
  let stop = p;
  if (p + 1 < end && isIdentStart(buf[p + 1] as number)) {
    // `kvm:kvm_exit:`: a system prefix, then the event
    start = p + 1;
    p = start + 1;
    while (p < end && isIdentPart(buf[p] as number)) if (++p - start > MAX_NAME) return -1;
    if (p >= end || buf[p] !== 0x3a) return -1;
    stop = p;
  }
  p++;
  if (p < end && buf[p] !== 0x20 && buf[p] !== 0x09) return -1;
  r.nameStart = start;
  r.nameEnd = stop;
  r.event = eventId(buf, start, stop);
  return p;
}

/**
 * Reads `<secs>[.<frac>]:` ending at the `:` at `colon`, preceded by the line start or a blank.
 * Sets the timestamp and returns where its digits start, or -1.
 */
function timestampBefore(r: LineRecord, lineStart: number, colon: number): number {
  const buf = r.buf;
  let p = colon - 1;
  let fracDigits = 0;
  let frac = 0;
  let dot = -1;
  // at most 20 digits of seconds and 12 of fraction
  while (p >= lineStart && colon - p <= 34) {
    const c = buf[p] as number;
    if (c === 0x2e && dot < 0) dot = p;
    else if (c < 0x30 || c > 0x39) break;
    p--;
  }
  const first = p + 1;
  if (first >= colon) return -1;
  if (p >= lineStart && buf[p] !== 0x20 && buf[p] !== 0x09) return -1;
  const intEnd = dot < 0 ? colon : dot;
  if (intEnd === first || (dot >= 0 && dot + 1 === colon)) return -1;
  if (intEnd - first > 20 || (dot >= 0 && colon - dot - 1 > 12)) return -1;
  if (dot >= 0) {
    // nanoseconds: the first 9 fraction digits, scaled
    for (let i = dot + 1; i < colon && fracDigits < 9; i++, fracDigits++) {
      frac = frac * 10 + ((buf[i] as number) - 0x30);
    }
    for (; fracDigits < 9; fracDigits++) frac *= 10;
    r.sec = digitsValue(buf, first, intEnd);
    r.nsec = frac;
  } else {
    // a bare integer is nanoseconds: the last 9 digits are the fraction
    const split = Math.max(first, intEnd - 9);
    r.sec = split === first ? 0 : digitsValue(buf, first, split);
    r.nsec = digitsValue(buf, split, intEnd);
  }
  return first;
}

function digitsValue(buf: Uint8Array, start: number, end: number): number {
  let v = 0;
  for (let i = start; i < end; i++) v = v * 10 + ((buf[i] as number) - 0x30);
  return v;
}

/** After `<timestamp>:` at `pos`: blanks, an optional perf period, then the event. */
function afterTimestamp(r: LineRecord, pos: number, end: number): number {
  const buf = r.buf;
  const p = skipBlanks(buf, pos, end);
  if (p === pos && p < end) return -1;
  let e = eventAt(r, p, end);
  if (e >= 0) return e;
  // `perf script` may print the sample period before the event
  let q = p;
  while (q < end && (buf[q] as number) >= 0x30 && (buf[q] as number) <= 0x39 && q - p < 20) q++;
  if (q === p || q >= end || (buf[q] !== 0x20 && buf[q] !== 0x09)) return -1;
  e = eventAt(r, skipBlanks(buf, q, end), end);
  return e;
}

/** Reads the `task-pid`, `task pid`, `pid` or `task` text in `[start, end)` (trimmed). */
function taskAndPid(r: LineRecord, start: number, end: number): void {
  const buf = r.buf;
  let e = end;
  while (e > start && (buf[e - 1] === 0x20 || buf[e - 1] === 0x09)) e--;
  let s = start;
  while (s < e && (buf[s] === 0x20 || buf[s] === 0x09)) s++;
  if (s === e) return;
  // an ftrace tgid column `(  1234)` or `(-------)` before the CPU
  if (buf[e - 1] === 0x29) {
    let o = e - 2;
    while (o > s && e - o < 14 && buf[o] !== 0x28) o--;
    if (buf[o] === 0x28 && o > s) {
      e = o;
      while (e > s && (buf[e - 1] === 0x20 || buf[e - 1] === 0x09)) e--;
    }
  }
  let d = e;
  while (d > s && e - d <= 10 && (buf[d - 1] as number) >= 0x30 && (buf[d - 1] as number) <= 0x39) {
    d--;
  }
  if (d === e || e - d > 10) {
    r.taskStart = s;
    r.taskEnd = e;
    return;
  }
  if (d === s) {
    r.pid = digitsValue(buf, d, e);
    return;
  }
  const sep = buf[d - 1];
  if (sep === 0x2d) {
    // task-pid
    r.pid = digitsValue(buf, d, e);
    let t = d - 1;
    while (t > s && (buf[t - 1] === 0x20 || buf[t - 1] === 0x09)) t--;
    if (t > s) {
      r.taskStart = s;
      r.taskEnd = t;
    }
  } else if (sep === 0x20 || sep === 0x09) {
    // perf script: task, blanks, pid
    r.pid = digitsValue(buf, d, e);
    let t = d - 1;
    while (t > s && (buf[t - 1] === 0x20 || buf[t - 1] === 0x09)) t--;
    r.taskStart = s;
    r.taskEnd = t;
  } else {
    r.taskStart = s;
    r.taskEnd = e;
  }
}

/**
 * The `[cpu]` column at `open` (a `[`): reads the CPU, the optional flags and the timestamp after
 * it and the event; returns the position after the event's `:`, or -1 when this is not the column.
 */
function cpuColumn(r: LineRecord, lineStart: number, open: number, end: number): number {
  const buf = r.buf;
  let p = open + 1;
  let cpu = 0;
  while (p < end && (buf[p] as number) >= 0x30 && (buf[p] as number) <= 0x39) {
    cpu = cpu * 10 + ((buf[p] as number) - 0x30);
    if (++p - open > 7) return -1;
  }
  if (p === open + 1 || p >= end || buf[p] !== 0x5d) return -1;
  let q = skipBlanks(buf, p + 1, end);
  if (q === p + 1) return -1;
  // either the timestamp, or a flags column then the timestamp
  let flagsStart = -1;
  let flagsEnd = -1;
  let colon = tsColon(buf, q, end);
  if (colon < 0) {
    const f = q;
    while (q < end && buf[q] !== 0x20 && buf[q] !== 0x09 && q - f <= 8) q++;
    if (q - f > 8 || q >= end) return -1;
    flagsStart = f;
    flagsEnd = q;
    const t = skipBlanks(buf, q, end);
    if (t === q) return -1;
    q = t;
    colon = tsColon(buf, q, end);
    if (colon < 0) return -1;
  }
  if (timestampBefore(r, q, colon) !== q) return -1;
  const after = afterTimestamp(r, colon + 1, end);
  if (after < 0) {
    r.sec = -1;
    return -1;
  }
  r.cpu = cpu;
  r.flagsStart = flagsStart;
  r.flagsEnd = flagsEnd;
  taskAndPid(r, lineStart, open);
  return after;
}

/** The `:` ending a `digits[.digits]` run at `pos`, or -1. */
function tsColon(buf: Uint8Array, pos: number, end: number): number {
  let p = pos;
  while (p < end && p - pos <= 33) {
    const c = buf[p] as number;
    if (c === 0x3a) return p > pos ? p : -1;
    if ((c < 0x30 || c > 0x39) && c !== 0x2e) return -1;
    p++;
  }
  return -1;
}

// The next path, for a line the usual-shape reader (quick-prefix.ts) left: its timestamp is right
// before one of the first `:` that is followed by an event name (perf's `kvm:kvm_exit:`, a prefix
// without a `[cpu]` column), so the prefix is read backwards from there ([cpu], flags, task-pid)
// and the event forwards.

/** The next `:` at or after `pos` and before `end`, or -1. */
function nextColon(buf: Uint8Array, pos: number, end: number): number {
  for (let p = pos; p < end; p++) if (buf[p] === 0x3a) return p;
  return -1;
}

/** After `<timestamp>:` at `colon`: blanks, an optional perf period, then `[system:]event:`. */
function eventAfter(r: LineRecord, colon: number, end: number): number {
  const buf = r.buf;
  let p = colon + 1;
  if (p < end && buf[p] !== 0x20 && buf[p] !== 0x09) return -1;
  p = skipBlanks(buf, p, end);
  if (p < end && (buf[p] as number) >= 0x30 && (buf[p] as number) <= 0x39) {
    // `perf script` may print the sample period before the event
    const q = p;
    while (p < end && (buf[p] as number) >= 0x30 && (buf[p] as number) <= 0x39 && p - q < 20) p++;
    if (p >= end || (buf[p] !== 0x20 && buf[p] !== 0x09)) return -1;
    p = skipBlanks(buf, p, end);
  }
  if (p >= end || !isIdentStart(buf[p] as number)) return -1;
  let n = nextColon(buf, p, Math.min(end, p + MAX_NAME + 1));
  if (n < 0) return -1;
  let s = p;
  if (n + 1 < end && isIdentStart(buf[n + 1] as number)) {
    // `kvm:kvm_exit:`
    s = n + 1;
    n = nextColon(buf, s, Math.min(end, s + MAX_NAME + 1));
    if (n < 0) return -1;
  }
  if (n + 1 < end && buf[n + 1] !== 0x20 && buf[n + 1] !== 0x09) return -1;
  const id = eventId(buf, s, n);
  if (id === EV_OTHER) {
    for (let i = s; i < n; i++) if (!isIdentPart(buf[i] as number)) return -1;
    if (s > p) for (let i = p; i < s - 1; i++) if (!isIdentPart(buf[i] as number)) return -1;
  }
  r.nameStart = s;
  r.nameEnd = n;
  r.event = id;
  return n + 1;
}

const isBlank = (c: number | undefined): boolean => c === 0x20 || c === 0x09;

/** Reads `task-pid [(tgid)] [cpu] [flags]` backwards from the timestamp at `ts`. */
function prefixBefore(r: LineRecord, start: number, ts: number): void {
  const buf = r.buf;
  let q = ts;
  while (q > start && isBlank(buf[q - 1])) q--;
  if (q === start) return;
  let k = q;
  if (buf[k - 1] !== 0x5d) {
    // a flags column, then `]`
    let f = k;
    while (f > start && !isBlank(buf[f - 1]) && k - f <= 8) f--;
    let g = f;
    while (g > start && isBlank(buf[g - 1])) g--;
    if (f === k || k - f > 8 || g === f || g === start || buf[g - 1] !== 0x5d) {
      taskAndPid(r, start, q);
      return;
    }
    r.flagsStart = f;
    r.flagsEnd = k;
    k = g;
  }
  let d = k - 1;
  while (d > start && (buf[d - 1] as number) >= 0x30 && (buf[d - 1] as number) <= 0x39 && k - d < 8)
    d--;
  if (d === k - 1 || d === start || buf[d - 1] !== 0x5b || k - 1 - d > 6) {
    r.flagsStart = -1;
    r.flagsEnd = -1;
    taskAndPid(r, start, q);
    return;
  }
  r.cpu = digitsValue(buf, d, k - 1);
  taskAndPid(r, start, d - 1);
}

/** The usual line; returns the position after the event's `:`, or -1 to take the general path. */
function fastPrefix(r: LineRecord, start: number, end: number): number {
  const buf = r.buf;
  // the timestamp's `:` is within the first few dozen bytes of a usual line
  const stop = Math.min(end, start + 160);
  let c = nextColon(buf, start, stop);
  for (let tries = 0; tries < 4 && c >= 0; tries++) {
    const first = timestampBefore(r, start, c);
    if (first >= 0) {
      const after = eventAfter(r, c, end);
      if (after >= 0) {
        prefixBefore(r, start, first);
        return after;
      }
      r.sec = -1;
    }
    c = nextColon(buf, c + 1, stop);
  }
  return -1;
}

/**
 * Scans the prefix of the line in `r` (`r.buf[r.start, r.end)`): sets the task, pid, CPU, flags,
 * timestamp, event id and name, and the body bounds (blanks trimmed). `r.event` stays `EV_NONE`
 * when the line has no `event:` column.
 */
export function scanPrefix(r: LineRecord): void {
  r.reset();
  const buf = r.buf;
  const end = r.end;
  const start = skipBlanks(buf, r.start, end);
  // The usual ftrace shape is read in one pass; a line that starts with a known event
  // (`kvm_exit: …`) is the abbreviated form; else the prefix is looked for from the left.
  let after = quickPrefix(r, buf, r.start, end);
  if (after < 0 && isIdentStart(buf[start] as number)) {
    after = eventAt(r, start, end);
    if (after >= 0 && r.event === EV_OTHER) after = -1;
  }
  if (after < 0) after = fastPrefix(r, start, end);
  if (after < 0) r.reset();
  for (let p = start; after < 0 && p < end; p++) {
    const c = buf[p];
    if (c === 0x5b) {
      after = cpuColumn(r, start, p, end);
    } else if (c === 0x3a) {
      const first = timestampBefore(r, start, p);
      if (first >= 0) {
        after = afterTimestamp(r, p + 1, end);
        if (after >= 0) taskAndPid(r, start, first);
        else r.sec = -1;
      }
    }
  }
  if (after < 0) after = eventAt(r, start, end);
  if (after < 0) {
    r.event = EV_NONE;
    return;
  }
  r.body(after);
}
