// The Trace tab's Web Worker: the page's own script, started again from a blob: URL, runs this
// instead of the page when it finds no document.
import type { StatGroupBy } from "../lib";
import { summarizeTrace, type TraceSummary } from "./compute";

/** What the page sends the worker: the file to read. */
export interface TraceRequest {
  /** The trace file (or pasted text as a Blob). */
  readonly file: Blob;
  /** The `vmexit stat --by` grouping of the table. */
  readonly by: StatGroupBy;
}

/** What the worker sends back: progress reports, then the summary or the error. */
export type TraceReply =
  | { readonly type: "progress"; readonly bytes: number; readonly total: number }
  | { readonly type: "done"; readonly summary: TraceSummary }
  | { readonly type: "error"; readonly message: string };

/** The part of a dedicated worker's global scope the worker uses. */
export interface WorkerScope {
  onmessage: ((event: MessageEvent<TraceRequest>) => void) | null;
  postMessage(reply: TraceReply): void;
}

/** The message of anything thrown: a `VmExitError`'s message names the line or the input. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Answers each request with progress and then the summary of the trace. */
export function startWorker(scope: WorkerScope): void {
  scope.onmessage = (event) => {
    const { file, by } = event.data;
    summarizeTrace(
      file,
      (bytes, total) => scope.postMessage({ type: "progress", bytes, total }),
      by,
    ).then(
      (summary) => scope.postMessage({ type: "done", summary }),
      (e: unknown) => scope.postMessage({ type: "error", message: errorMessage(e) }),
    );
  };
}
