// Chunks of trace bytes (or text) to lines: LF, CRLF and a lone CR each end a line. Lines are
// handed out as byte ranges of the chunk they are in; only an unfinished last line is copied, and
// it may not grow past `MAX_TRACE_LINE` bytes, so memory stays constant in the trace length.
import { checkArg } from "../core/check-arg";
import { VmExitError } from "../core/error";
import { traceChunk, traceSource } from "./check";
import { textOf } from "./scan/text";

/** Text or bytes a trace can be read from: a web `ReadableStream`, a Node stream, or any (async) iterable of chunks or lines. */
export type TraceSource =
  | ReadableStream<string | Uint8Array>
  | AsyncIterable<string | Uint8Array>
  | Iterable<string | Uint8Array>;

/** The longest line in bytes (1 MiB, line end excluded): a longer line means the input is not a text trace. */
export const MAX_TRACE_LINE = 1 << 20;

// The first bytes of binary trace files a user may pass by mistake.
const BINARY_FORMATS: readonly (readonly [string, string])[] = [
  ["\x17\x08Dtracing", 'a trace-cmd binary file (trace.dat): convert it with "trace-cmd report"'],
  ["PERFILE2", 'a perf.data file: convert it with "perf script"'],
];
const HEAD = 10;

/** Receives each line as `buf[start, end)` (valid only during the call). */
export interface LineConsumer {
  /** One line, without its line end. */
  line(buf: Uint8Array, start: number, end: number): void;
}

const encoder: TextEncoder = /* @__PURE__ */ new TextEncoder();

/** The bytes of a chunk (strings are UTF-8 encoded); anything else is a `VmExitError` naming it. */
export function bytesOf(chunk: string | Uint8Array): Uint8Array {
  if (typeof chunk === "string") return encoder.encode(chunk);
  if (!(chunk instanceof Uint8Array)) checkArg(chunk, traceChunk, "chunk");
  return chunk;
}

function tooLong(): VmExitError {
  return new VmExitError(
    "malformed-trace",
    `a line is longer than ${MAX_TRACE_LINE} bytes: the input is not a text trace`,
    "input",
  );
}

/**
 * A zeroed array of `n` bytes of the same class as `chunk` (its species: a Node `Buffer` for a
 * `Buffer`), so that a line carried over a chunk's end reaches the line readers in the same kind
 * of array as the others: an engine that has only seen one kind there reads it fastest, and a
 * second kind appearing later makes it drop and redo the optimised code of every reader.
 */
function allocLike(chunk: Uint8Array, n: number): Uint8Array {
  const species = (chunk.constructor as { [Symbol.species]?: unknown } | undefined)?.[
    Symbol.species
  ];
  if (typeof species === "function" && species !== Uint8Array) {
    try {
      const out: unknown = new (species as new (length: number) => unknown)(n);
      if (out instanceof Uint8Array && out.length === n && out.byteOffset === 0) return out;
    } catch {
      // a subclass whose constructor does not take a length: a plain array below
    }
  }
  return new Uint8Array(n);
}

/** Splits chunks into lines; see the file comment. */
export class LineSplitter {
  #carry: Uint8Array = new Uint8Array(0);
  #carryLen = 0;
  /** The last chunk ended with CR: an LF first in the next one belongs to it. */
  #pendingCR = false;
  /** The first bytes, until the binary-format check has run. */
  #head: number[] | undefined = [];

  #checkHead(chunk: Uint8Array, final: boolean): void {
    const head = this.#head;
    if (head === undefined) return;
    for (let i = 0; i < chunk.length && head.length < HEAD; i++) head.push(chunk[i] as number);
    if (head.length < HEAD && !final && !head.includes(10) && !head.includes(13)) return;
    const text = String.fromCharCode(...head);
    this.#head = undefined;
    for (const [magic, what] of BINARY_FORMATS) {
      if (text.startsWith(magic)) {
        throw new VmExitError("malformed-trace", `the input is ${what} first`, "input");
      }
    }
  }

  #append(chunk: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (n === 0) return;
    if (this.#carryLen + n > MAX_TRACE_LINE) throw tooLong();
    if (this.#carryLen + n > this.#carry.length) {
      const grown = allocLike(
        chunk,
        Math.min(MAX_TRACE_LINE, Math.max(256, 2 * (this.#carryLen + n))),
      );
      grown.set(this.#carry.subarray(0, this.#carryLen));
      this.#carry = grown;
    }
    this.#carry.set(chunk.subarray(start, end), this.#carryLen);
    this.#carryLen += n;
  }

  /** Splits one chunk, handing complete lines to `out`. */
  push(input: string | Uint8Array, out: LineConsumer): void {
    const chunk = bytesOf(input);
    const n = chunk.length;
    if (n === 0) return;
    let p = 0;
    if (this.#head !== undefined) {
      this.#checkHead(chunk, false);
      // a UTF-8 byte order mark at the very start
      if (this.#carryLen === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf)
        p = 3;
    }
    if (this.#pendingCR) {
      this.#pendingCR = false;
      if (chunk[0] === 10) p = 1;
    }
    let cr = -2;
    while (p < n) {
      const nl = chunk.indexOf(10, p);
      if (cr !== -1 && cr < p) cr = chunk.indexOf(13, p);
      const e = cr >= 0 && (nl < 0 || cr < nl) ? cr : nl;
      if (e < 0) {
        this.#append(chunk, p, n);
        return;
      }
      if (this.#carryLen > 0) {
        this.#append(chunk, p, e);
        out.line(this.#carry, 0, this.#carryLen);
        this.#carryLen = 0;
      } else {
        if (e - p > MAX_TRACE_LINE) throw tooLong();
        out.line(chunk, p, e);
      }
      p = e + 1;
      if (chunk[e] === 13) {
        if (p < n) {
          if (chunk[p] === 10) p++;
        } else this.#pendingCR = true;
      }
    }
  }

  /** Hands out the last line when it had no line end. */
  end(out: LineConsumer): void {
    if (this.#head !== undefined) this.#checkHead(new Uint8Array(0), true);
    if (this.#carryLen > 0) {
      out.line(this.#carry, 0, this.#carryLen);
      this.#carryLen = 0;
    }
  }
}

/** The chunks of a source, one at a time. */
export async function* chunksOf(source: TraceSource | string): AsyncGenerator<string | Uint8Array> {
  checkArg(source, traceSource, "source");
  if (typeof source === "string") {
    yield source;
    return;
  }
  if (typeof (source as ReadableStream).getReader === "function") {
    const reader = (source as ReadableStream<string | Uint8Array>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
    return;
  }
  yield* source as AsyncIterable<string | Uint8Array>;
}

/**
 * Splits a stream of chunks into lines (LF, CRLF or CR) and yields the complete lines of each
 * chunk as one array, holding only the unfinished last line: memory stays constant in the length
 * of the trace. Rejects binary trace files and lines longer than `MAX_TRACE_LINE` bytes with a
 * `VmExitError`.
 */
export async function* traceLineBatches(source: TraceSource | string): AsyncGenerator<string[]> {
  const splitter = new LineSplitter();
  let batch: string[] = [];
  const out: LineConsumer = {
    line(buf, start, end) {
      batch.push(textOf(buf, start, end));
    },
  };
  for await (const chunk of chunksOf(source)) {
    splitter.push(chunk, out);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  splitter.end(out);
  if (batch.length > 0) yield batch;
}

/** Splits a stream of chunks into lines (LF, CRLF or CR), holding only the unfinished last line. */
export async function* traceLines(source: TraceSource | string): AsyncGenerator<string> {
  for await (const batch of traceLineBatches(source)) yield* batch;
}
