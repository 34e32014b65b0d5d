// Byte-level reading of trace text: every function takes the buffer and a position, reads at most
// to `end`, and never looks back further than a fixed number of bytes, so a line is read in time
// linear in its length whatever it holds.

/**
 * What the last `hexAt` / `decAt` / `smallDecAt` read: the value as two unsigned 32-bit halves,
 * and for `smallDecAt` the position after the digits (`end`).
 */
export const num = { hi: 0, lo: 0, end: 0 };

/** Position after the blanks (spaces and tabs) at `pos`. */
export function skipBlanks(buf: Uint8Array, pos: number, end: number): number {
  while (pos < end) {
    const c = buf[pos] as number;
    if (c !== 0x20 && c !== 0x09) break;
    pos++;
  }
  return pos;
}

/** Position after the token (non-blank run) at `pos`. */
export function tokenEnd(buf: Uint8Array, pos: number, end: number): number {
  while (pos < end) {
    const c = buf[pos] as number;
    if (c === 0x20 || c === 0x09) break;
    pos++;
  }
  return pos;
}

/** Hex digit values by byte (-1: not a hex digit). */
const HEX: Int8Array = /* @__PURE__ */ (() => {
  const t = new Int8Array(256).fill(-1);
  for (let i = 0; i < 10; i++) t[0x30 + i] = i;
  for (let i = 0; i < 6; i++) {
    t[0x41 + i] = 10 + i;
    t[0x61 + i] = 10 + i;
  }
  return t;
})();

/** The value of hex digit `c`, or -1. */
export function hexDigit(c: number): number {
  return HEX[c & 0xff] as number;
}

/**
 * Reads 1–16 hex digits at `pos` (no `0x`) into `num`; returns the position after them, or -1
 * when there is no digit or more than 16 significant ones (leading zeros are not counted).
 */
export function hexAt(buf: Uint8Array, pos: number, end: number): number {
  let p = pos;
  while (p < end && buf[p] === 0x30) p++;
  const first = p;
  let hi = 0;
  let lo = 0;
  while (p < end) {
    const d = HEX[buf[p] as number] as number;
    if (d < 0) break;
    // (hi:lo) = (hi:lo) * 16 + d, each half below 2^32
    hi = hi * 16 + (lo >>> 28);
    lo = (lo & 0x0fff_ffff) * 16 + d;
    p++;
  }
  if (p === pos || p - first > 16) return -1;
  num.hi = hi;
  num.lo = lo;
  return p;
}

/** Reads `0x` + hex digits at `pos` into `num` (see `hexAt`), or returns -1. */
export function prefixedHexAt(buf: Uint8Array, pos: number, end: number): number {
  if (pos + 2 > end || buf[pos] !== 0x30 || ((buf[pos + 1] as number) | 0x20) !== 0x78) return -1;
  return hexAt(buf, pos + 2, end);
}

/** Reads hex digits with or without `0x` at `pos` into `num`, or returns -1. */
export function anyHexAt(buf: Uint8Array, pos: number, end: number): number {
  const p = prefixedHexAt(buf, pos, end);
  return p >= 0 ? p : hexAt(buf, pos, end);
}

/** Reads up to 20 decimal digits (a u64) at `pos` into `num`; returns the position after them or -1. */
export function decAt(buf: Uint8Array, pos: number, end: number): number {
  // Accumulate in two base-10^8 limbs checked against 2^64 at the end.
  let p = pos;
  let v = 0; // exact while below 2^53
  let big = 0n;
  let useBig = false;
  while (p < end) {
    const d = (buf[p] as number) - 0x30;
    if (d < 0 || d > 9) break;
    if (p - pos >= 20) return -1;
    if (!useBig) {
      const next = v * 10 + d;
      if (next > 9007199254740991) {
        useBig = true;
        big = BigInt(v) * 10n + BigInt(d);
      } else v = next;
    } else big = big * 10n + BigInt(d);
    p++;
  }
  if (p === pos) return -1;
  if (useBig) {
    if (big > 0xffff_ffff_ffff_ffffn) return -1;
    num.hi = Number(big >> 32n);
    num.lo = Number(big & 0xffff_ffffn);
  } else {
    num.hi = Math.floor(v / 4294967296);
    num.lo = v >>> 0;
  }
  return p;
}

/** A small unsigned decimal (≤ 10 digits, ≤ 2^32 − 1) at `pos`, or -1 for none; `num.end` is after it. */
export function smallDecAt(buf: Uint8Array, pos: number, end: number): number {
  let v = 0;
  let p = pos;
  while (p < end) {
    const d = (buf[p] as number) - 0x30;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
    p++;
    if (p - pos > 10) return -1;
  }
  if (p === pos || v > 0xffff_ffff) return -1;
  num.end = p;
  return v;
}

/** True when the bytes at `pos` spell `word` (ASCII). */
export function startsWith(buf: Uint8Array, pos: number, end: number, word: Uint8Array): boolean {
  const n = word.length;
  if (pos + n > end) return false;
  for (let i = 0; i < n; i++) if (buf[pos + i] !== word[i]) return false;
  return true;
}

/** The ASCII bytes of a literal. */
export function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** Position of the first `word` at or after `pos` (before `end`), or -1; linear in `end - pos`. */
export function indexOfWord(buf: Uint8Array, pos: number, end: number, word: Uint8Array): number {
  const first = word[0] as number;
  const n = word.length;
  for (let p = pos; p + n <= end; p++) {
    if (buf[p] !== first) continue;
    let i = 1;
    while (i < n && buf[p + i] === word[i]) i++;
    if (i === n) return p;
  }
  return -1;
}

/** True when `c` can start an identifier (`[A-Za-z_]`). */
export function isIdentStart(c: number): boolean {
  const l = c | 0x20;
  return (l >= 0x61 && l <= 0x7a) || c === 0x5f;
}

/** True when `c` can continue an identifier (`[A-Za-z0-9_]`). */
export function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 0x30 && c <= 0x39);
}

/** The 64-bit value in `num` as a number when it is a safe integer, else a bigint. */
export function numValue(hi: number, lo: number): number | bigint {
  if (hi < 0x200000) return hi * 4294967296 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** The 64-bit value as a bigint. */
export function bigValue(hi: number, lo: number): bigint {
  return hi === 0 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo);
}
