// Reading `key value`, `key: value`, `key=value` pairs out of an event's text in one pass: each
// lookup starts where the previous one ended, so a line is scanned once however many fields
// its event has.
import { anyHexAt, ascii, decAt, indexOfWord, isIdentPart, skipBlanks, startsWith } from "./bytes";

/** Where the last `after` lookup stopped (the cursor for the next one). */
export const cursor = { pos: 0 };

const FAILED = /* @__PURE__ */ ascii("[FAILED TO PARSE]");

/** True when the text is libtraceevent's `[FAILED TO PARSE] field=value …` dump. */
export function isRawDump(buf: Uint8Array, pos: number, end: number): boolean {
  return startsWith(buf, pos, end, FAILED);
}

/**
 * Finds the word `key` (a whole word: not preceded or followed by an identifier character) at or
 * after `pos`, skips the separators after it (blanks, `:`, `=`), and returns where the value
 * starts, or -1.
 */
export function after(buf: Uint8Array, pos: number, end: number, key: Uint8Array): number {
  let p = pos;
  for (;;) {
    const at = indexOfWord(buf, p, end, key);
    if (at < 0) return -1;
    const stop = at + key.length;
    if (
      (at === 0 || !isIdentPart(buf[at - 1] as number)) &&
      (stop >= end || !isIdentPart(buf[stop] as number))
    ) {
      let v = stop;
      while (v < end) {
        const c = buf[v];
        if (c !== 0x20 && c !== 0x09 && c !== 0x3a && c !== 0x3d) break;
        v++;
      }
      return v;
    }
    p = at + 1;
  }
}

/** Reads a hex value (with or without `0x`) after `key` into `num`; advances `cursor`. */
export function hexAfter(buf: Uint8Array, pos: number, end: number, key: Uint8Array): boolean {
  const v = after(buf, pos, end, key);
  if (v < 0) return false;
  const e = anyHexAt(buf, v, end);
  if (e < 0) return false;
  cursor.pos = e;
  return true;
}

/** Reads a decimal value after `key` into `num`; advances `cursor`. */
export function decAfter(buf: Uint8Array, pos: number, end: number, key: Uint8Array): boolean {
  const v = after(buf, pos, end, key);
  if (v < 0) return false;
  const e = decAt(buf, v, end);
  if (e < 0) return false;
  cursor.pos = e;
  return true;
}

/** Reads a raw-dump value (`0x…` hex or decimal) after `key=`; advances `cursor`. */
export function rawAfter(buf: Uint8Array, pos: number, end: number, key: Uint8Array): boolean {
  const v = after(buf, pos, end, key);
  if (v < 0) return false;
  let e = -1;
  if (buf[v] === 0x30 && ((buf[v + 1] as number) | 0x20) === 0x78) e = anyHexAt(buf, v, end);
  else e = decAt(buf, v, end);
  if (e < 0) return false;
  cursor.pos = skipBlanks(buf, e, end);
  return true;
}

/** The key bytes of a field name. */
export const key = ascii;
