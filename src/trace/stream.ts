/** Text or bytes a trace can be read from: a web `ReadableStream`, a Node stream, or any (async) iterable of chunks or lines. */
export type TraceSource =
  | ReadableStream<string | Uint8Array>
  | AsyncIterable<string | Uint8Array>
  | Iterable<string | Uint8Array>;

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

/**
 * Splits a stream of chunks into lines (LF or CRLF), holding only the unfinished last line:
 * memory stays constant in the length of the trace.
 */
export async function* traceLines(source: TraceSource): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of chunksOf(source)) {
    const text =
      rest + (typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
    let start = 0;
    for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      yield text.slice(start, end);
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  rest += decoder.decode();
  if (rest !== "") yield rest.endsWith("\r") ? rest.slice(0, -1) : rest;
}
