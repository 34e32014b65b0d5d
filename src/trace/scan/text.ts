// Strings from trace bytes: built only where an item needs one (a task name, a reason that is not
// in a table), and interned so that repeated names cost one lookup, not one string per line.

const decoder: TextDecoder = /* @__PURE__ */ new TextDecoder();

/** The text of `buf[start, end)` (UTF-8; ASCII without a decoder call). */
export function textOf(buf: Uint8Array, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if ((buf[i] as number) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (!ascii || end - start > 64) return decoder.decode(buf.subarray(start, end));
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i] as number);
  return s;
}

/** FNV-1a of `buf[start, end)`. */
export function hashOf(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
  return h >>> 0;
}

interface Entry<T> {
  readonly bytes: Uint8Array;
  readonly text: string;
  readonly value: T;
  readonly next: Entry<T> | undefined;
}

/**
 * Byte strings mapped to their text and a derived value (a reason's code, an event's id), so that
 * a name seen a million times is decoded once. Holds at most `limit` entries: past it, `get`
 * still answers (through `make`) but nothing more is kept, so hostile input cannot grow it.
 */
export class Interner<T> {
  readonly #buckets = new Map<number, Entry<T>>();
  #size = 0;
  readonly #limit: number;
  readonly #make: (text: string) => T;

  constructor(make: (text: string) => T, limit = 4096) {
    this.#make = make;
    this.#limit = limit;
  }

  /** The entry for `buf[start, end)`, made and kept on first sight. */
  get(buf: Uint8Array, start: number, end: number): { readonly text: string; readonly value: T } {
    const h = hashOf(buf, start, end);
    const n = end - start;
    for (let e = this.#buckets.get(h); e !== undefined; e = e.next) {
      const b = e.bytes;
      if (b.length !== n) continue;
      let i = 0;
      while (i < n && b[i] === buf[start + i]) i++;
      if (i === n) return e;
    }
    const text = textOf(buf, start, end);
    const entry: Entry<T> = {
      bytes: buf.slice(start, end),
      text,
      value: this.#make(text),
      next: this.#buckets.get(h),
    };
    if (this.#size < this.#limit) {
      this.#buckets.set(h, entry);
      this.#size++;
    }
    return entry;
  }
}
