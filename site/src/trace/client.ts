// Runs a trace summary off the main thread: the worker is this page's own inline script, started
// from a blob: URL (a worker file would not load from file://). Where no worker can start, the
// page computes it itself and says so.
import type { StatGroupBy } from "../lib";
import { summarizeTrace, type TraceSummary } from "./compute";
import { errorMessage, type TraceReply } from "./worker";

// The text of the running classic script, read while it first runs (the only time it is known).
const SOURCE: string | undefined =
  typeof document === "undefined" ? undefined : (document.currentScript?.textContent ?? undefined);

/** What a trace job reports back to the tab. */
export interface TraceHandlers {
  /** Bytes read so far of the file's size. */
  progress(bytes: number, total: number): void;
  /** The summary, and where it was computed (`worker`, or `page` with the reason). */
  done(summary: TraceSummary, where: string): void;
  /** Why the trace could not be read. */
  error(message: string): void;
}

/** A running trace job. */
export interface TraceJob {
  /** Stops the job; no handler is called after this. */
  cancel(): void;
}

function inPage(file: Blob, by: StatGroupBy, on: TraceHandlers, why: string): TraceJob {
  let cancelled = false;
  summarizeTrace(
    file,
    (bytes, total) => {
      if (!cancelled) on.progress(bytes, total);
    },
    by,
  ).then(
    (summary) => {
      if (!cancelled) on.done(summary, `page (${why})`);
    },
    (e: unknown) => {
      if (!cancelled) on.error(errorMessage(e));
    },
  );
  return {
    cancel() {
      cancelled = true;
    },
  };
}

/** Reads `file` in a Web Worker, grouped `by`, reporting progress, then the summary or the error. */
export function runTrace(file: Blob, by: StatGroupBy, on: TraceHandlers): TraceJob {
  if (SOURCE === undefined || SOURCE === "" || typeof Worker === "undefined") {
    return inPage(file, by, on, "this build has no inline script to start a worker from");
  }
  const url = URL.createObjectURL(new Blob([SOURCE], { type: "text/javascript" }));
  let worker: Worker;
  try {
    worker = new Worker(url);
  } catch (e) {
    URL.revokeObjectURL(url);
    return inPage(file, by, on, `no worker: ${errorMessage(e)}`);
  }
  let fallback: TraceJob | undefined;
  let heard = false;
  const stop = () => {
    worker.terminate();
    URL.revokeObjectURL(url);
  };
  worker.onmessage = (event: MessageEvent<TraceReply>) => {
    heard = true;
    const reply = event.data;
    if (reply.type === "progress") on.progress(reply.bytes, reply.total);
    else {
      stop();
      if (reply.type === "done") on.done(reply.summary, "worker");
      else on.error(reply.message);
    }
  };
  worker.onerror = (event) => {
    event.preventDefault();
    stop();
    if (heard) on.error(`the worker failed: ${event.message}`);
    else fallback = inPage(file, by, on, `the worker did not start: ${event.message}`);
  };
  worker.postMessage({ file, by });
  return {
    cancel() {
      stop();
      fallback?.cancel();
    },
  };
}
