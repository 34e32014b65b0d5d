import { VmExitError } from "../core/error";

/** Text or bytes a trace can be read from: a web `ReadableStream`, a Node stream, or any (async) iterable of chunks or lines. */
export type TraceSource =
  | ReadableStream<string | Uint8Array>
  | AsyncIterable<string | Uint8Array>
  | Iterable<string | Uint8Array>;

/** The longest line kept while waiting for its end (1 MiB): longer text is not a trace. */
export const MAX_TRACE_LINE = 1 << 20;

// The first bytes of binary trace files a user may pass by mistake.
const BINARY_FORMATS: readonly (readonly [string, string])[] = [
  ["\x17\x08Dtracing", 'a trace-cmd binary file (trace.dat): convert it with "trace-cmd report"'],
  ["PERFILE2", 'a perf.data file: convert it with "perf script"'],
];

async function* chunksOf(source: TraceSource): AsyncGenerator<string | Uint8Array> {
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

function checkStart(text: string): void {
  for (const [magic, what] of BINARY_FORMATS) {
    if (text.startsWith(magic)) {
      throw new VmExitError("malformed-trace", `the input is ${what} first`, "input");
    }
  }
}

/**
 * Splits a stream of chunks into lines (LF or CRLF) and yields the complete lines of each chunk
 * as one array, holding only the unfinished last line: memory stays constant in the length of
 * the trace. Rejects binary trace files and lines longer than `MAX_TRACE_LINE` with a `VmExitError`.
 */
export async function* traceLineBatches(source: TraceSource): AsyncGenerator<string[]> {
  const decoder = new TextDecoder();
  let rest = "";
  let first = true;
  for await (const chunk of chunksOf(source)) {
    const text =
      rest + (typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
    if (first && (text.length >= 8 || text.includes("\n"))) {
      checkStart(text);
      first = false;
    }
    const batch: string[] = [];
    let start = 0;
    for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      batch.push(text.slice(start, end));
      start = nl + 1;
    }
    rest = text.slice(start);
    if (rest.length > MAX_TRACE_LINE) {
      throw new VmExitError(
        "malformed-trace",
        `a line is longer than ${MAX_TRACE_LINE} characters: the input is not a text trace`,
        "input",
      );
    }
    if (batch.length > 0) yield batch;
  }
  rest += decoder.decode();
  if (first) checkStart(rest);
  if (rest !== "") yield [rest.endsWith("\r") ? rest.slice(0, -1) : rest];
}

/**
 * Splits a stream of chunks into lines (LF or CRLF), holding only the unfinished last line:
 * memory stays constant in the length of the trace.
 */
export async function* traceLines(source: TraceSource): AsyncGenerator<string> {
  for await (const batch of traceLineBatches(source)) yield* batch;
}
