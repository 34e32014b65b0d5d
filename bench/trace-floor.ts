// The floor of a trace reader in JavaScript: the least a reader that parses every line fully can
// do, written by hand for the bench's generated trace. Per line it reads the ftrace prefix (pid,
// CPU, seconds, microseconds) and the event name, and for every event but `kvm_entry` every number
// of the body (hex after `0x`, else decimal) into two 32-bit halves, summed into a checksum. It
// pairs nothing, builds no snapshot, decodes nothing, checks nothing and allocates nothing per
// line: a reader that also recognises the fields, joins companions and decodes exits does all of
// this and more.
// `vmexit stat --by kind` is compared with it in `npm run bench` (see `compareWithShell`).
import { closeSync, openSync, readSync } from "node:fs";
import { hexDigit } from "../src/trace/scan/bytes";

/** What the floor reader read: lines, `kvm_exit` lines, body numbers, and a checksum. */
export interface FloorCount {
  lines: number;
  exits: number;
  numbers: number;
  sum: number;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Reads one line `b[s, e)` (no LF) into `out`. */
function readLine(b: Uint8Array, s: number, e: number, out: FloorCount): void {
  out.lines++;
  // the CPU column: digits before the first `]`, the pid before the blanks before `[`
  let p = s;
  while (p < e && b[p] !== 0x5d) p++;
  let q = p - 1;
  let cpu = 0;
  for (let mul = 1; q > s && isDigit(b[q] as number); q--, mul *= 10) {
    cpu += ((b[q] as number) - 0x30) * mul;
  }
  q--;
  while (q > s && b[q] === 0x20) q--;
  let pid = 0;
  for (let mul = 1; q > s && isDigit(b[q] as number); q--, mul *= 10) {
    pid += ((b[q] as number) - 0x30) * mul;
  }
  // blanks, the flags (when the next word is no number: trace-cmd prints none), blanks, seconds
  // `.` microseconds `: `
  p++;
  while (p < e && b[p] === 0x20) p++;
  if (!isDigit(b[p] as number)) {
    while (p < e && b[p] !== 0x20) p++;
    while (p < e && b[p] === 0x20) p++;
  }
  let sec = 0;
  for (; p < e && b[p] !== 0x2e; p++) sec = sec * 10 + (b[p] as number) - 0x30;
  p++;
  let usec = 0;
  for (; p < e && b[p] !== 0x3a; p++) usec = usec * 10 + (b[p] as number) - 0x30;
  p += 2;
  // the event name, hashed
  const name = p;
  let hash = 0;
  for (; p < e && b[p] !== 0x3a; p++) hash = (Math.imul(hash, 31) + (b[p] as number)) | 0;
  p++;
  let sum = (out.sum + pid + cpu + sec + usec + hash) | 0;
  // `kvm_entry` has nothing to read; `kvm_exit` is counted
  if (b[name + 4] === 0x65) {
    if (b[name + 5] === 0x6e) {
      out.sum = sum;
      return;
    }
    if (b[name + 5] === 0x78) out.exits++;
  }
  // every number of the body
  while (p < e) {
    const c = b[p] as number;
    if (c === 0x30 && b[p + 1] === 0x78) {
      p += 2;
      let hi = 0;
      let lo = 0;
      for (; p < e; p++) {
        const d = hexDigit(b[p] as number);
        if (d < 0) break;
        hi = (hi << 4) | (lo >>> 28);
        lo = (lo << 4) | d;
      }
      sum = (sum + lo + hi) | 0;
      out.numbers++;
    } else if (isDigit(c) && (b[p - 1] === 0x20 || b[p - 1] === 0x28)) {
      let v = 0;
      // modulo 2^32, as the hex numbers' halves are, so that the checksum of a file is the sum
      // of its parts'
      for (; p < e && isDigit(b[p] as number); p++) v = (v * 10 + (b[p] as number) - 0x30) | 0;
      sum = (sum + v) | 0;
      out.numbers++;
    } else p++;
  }
  out.sum = sum;
}

/** Bytes read at a time. */
const CHUNK = 1 << 20;

/**
 * Reads the lines of `path` that start in bytes `[start, end)` (a line that starts before `end`
 * is read to its end), as one of several threads reading a file in parts would.
 */
export function floorRead(path: string, start: number, end: number): FloorCount {
  const out: FloorCount = { lines: 0, exits: 0, numbers: 0, sum: 0 };
  const fd = openSync(path, "r");
  try {
    let buf = Buffer.allocUnsafe(CHUNK);
    let have = 0;
    // a part that starts inside a line leaves that line to the part before: read from the byte
    // before `start` and skip up to the first line end
    let skipFirst = start > 0;
    let pos = skipFirst ? start - 1 : start;
    for (;;) {
      if (have === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, have);
        buf = bigger;
      }
      const n = readSync(fd, buf, have, buf.length - have, pos);
      pos += n;
      const stop = have + n;
      let s = 0;
      for (;;) {
        const nl = buf.indexOf(10, s);
        if (nl < 0 || nl >= stop) break;
        if (skipFirst) skipFirst = false;
        else {
          // the first byte of this line, as a file offset: past `end`, the part is done
          if (pos - stop + s >= end) return out;
          readLine(buf, s, nl, out);
        }
        s = nl + 1;
      }
      if (n === 0) {
        if (s < stop && !skipFirst && pos - stop + s < end) readLine(buf, s, stop, out);
        return out;
      }
      buf.copy(buf, 0, s, stop);
      have = stop - s;
    }
  } finally {
    closeSync(fd);
  }
}
