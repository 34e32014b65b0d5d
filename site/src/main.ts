// The playground's script. In the page it builds the tabs; started again as the Trace tab's
// worker (from a blob: URL of this same text) it finds no document and reads traces instead.
import { reportUncaught, startPage } from "./page";
import { startWorker, type WorkerScope } from "./trace/worker";

if (typeof document === "undefined") {
  startWorker(globalThis as unknown as WorkerScope);
} else {
  reportUncaught();
  startPage();
}
