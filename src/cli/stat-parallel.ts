// `vmexit stat FILE` on a large file: one thread per core, each reading a byte range of the file
// (cut at line ends) into a shard — this thread the first, worker threads the others — merged in
// file order (see `mergeStatShards`). Used only where it pays: a regular file of at least
// `PARALLEL_MIN_BYTES` and at least `MIN_CORES` cores.
import { closeSync, openSync, readSync } from "node:fs";
import { open, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import {
  mergeStatShards,
  type StatShard,
  type StatTraceOptions,
  TraceStat,
  type TraceStatReport,
} from "../trace/stat";

/** Files smaller than this are read by one thread (starting workers costs tens of milliseconds). */
export const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;

/** What a worker is asked to read. */
interface ShardJob {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly first: boolean;
  readonly last: boolean;
  readonly options: StatTraceOptions;
}

/** Bytes read at a time (one buffer, reused: the reader copies only a line cut by its end). */
const CHUNK = 1 << 20;

// A worker loads the package's own trace entry as its CommonJS bundle (dist/trace.cjs, beside
// dist/cli.js: one file, a worker ready in ~60 ms where the ES module build, a file per module,
// took ~150)
// and reads its byte range into a shard, as `readShard` does in this thread.
const WORKER = `
const { workerData, parentPort } = require("node:worker_threads");
const { openSync, readSync, closeSync } = require("node:fs");
{
  const { TraceStat } = require(workerData.trace);
  const job = workerData.job;
  const stat = new TraceStat(job.options);
  if (!job.first) stat.keepHeads();
  const fd = openSync(job.path, "r");
  const buf = Buffer.allocUnsafe(${CHUNK});
  for (let pos = job.start; pos <= job.end; ) {
    const n = readSync(fd, buf, 0, Math.min(buf.length, job.end + 1 - pos), pos);
    if (n <= 0) break;
    stat.push(n === buf.length ? buf : buf.subarray(0, n));
    pos += n;
  }
  closeSync(fd);
  parentPort.postMessage(stat.shard(job.last));
}
`;

/** Reads a shard in this thread (the first one, while the workers start and read the others). */
function readShard(job: ShardJob): StatShard {
  const stat = new TraceStat(job.options);
  if (!job.first) stat.keepHeads();
  const fd = openSync(job.path, "r");
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (let pos = job.start; pos <= job.end; ) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, job.end + 1 - pos), pos);
      if (n <= 0) break;
      stat.push(n === buf.length ? buf : buf.subarray(0, n));
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
  return stat.shard(job.last);
}

function runWorker(job: ShardJob, traceModule: string): Promise<StatShard> {
  return new Promise<StatShard>((resolve, reject) => {
    const w = new Worker(WORKER, { eval: true, workerData: { trace: traceModule, job } });
    w.once("message", (m: StatShard) => resolve(m));
    w.once("error", reject);
    w.once("exit", (code) => {
      if (code !== 0) reject(new Error(`a worker reading ${job.path} stopped with code ${code}`));
    });
  });
}

/**
 * How much more of the file this thread reads than its equal share: a worker thread is ready to
 * read some 60 ms after this thread starts reading (starting a thread and loading the CommonJS
 * trace bundle), about 3 % of the time one shard of a large file takes.
 */
const HEAD_START = 0.03;

/** The byte offsets where shards start: `parts` cuts, each moved to just after a line end. */
async function cuts(path: string, size: number, parts: number): Promise<number[]> {
  const out = [0];
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(1 << 16);
    const first = 1 / parts + HEAD_START;
    for (let i = 1; i < parts; i++) {
      const at = first + ((1 - first) * (i - 1)) / (parts - 1);
      let pos = Math.max(out[out.length - 1] as number, Math.floor(size * at));
      let found = -1;
      while (found < 0 && pos < size) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) break;
        // a line ends at LF or at a lone CR: cut after an LF (a CR before it belongs to it)
        const nl = buf.subarray(0, bytesRead).indexOf(10);
        if (nl >= 0) found = pos + nl + 1;
        else pos += bytesRead;
      }
      if (found < 0 || found >= size) break;
      out.push(found);
    }
  } finally {
    await fh.close();
  }
  return out;
}

/** The number of threads to read a file with (1: this thread alone). */
export async function parallelism(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size < PARALLEL_MIN_BYTES) return 1;
  } catch {
    return 1;
  }
  const cores = availableParallelism();
  return cores < MIN_CORES ? 1 : Math.min(4, cores);
}

/**
 * Cores needed before worker threads are used. On the 2-core development machine, quiet, two
 * threads read a 226 MB trace in 0.62–0.71 s against 0.82–1.06 s for one (by reason; by kind
 * 1.54–1.67 s against 2.01–2.06 s: each thread runs slower beside the other, sharing memory and
 * caches with it); loaded by other jobs a worker only competes with them (docs/traces.md).
 */
const MIN_CORES = 2;

/**
 * Reads a file in `workers` shards in parallel (this thread and `workers - 1` worker threads) and
 * merges them. `traceModule` is the path of the CommonJS build of the package's trace entry the
 * workers load (by default the built one beside this file).
 */
export async function parallelStat(
  path: string,
  workers: number,
  options: StatTraceOptions,
  traceModule = fileURLToPath(new URL("./trace.cjs", import.meta.url)),
): Promise<TraceStatReport> {
  const size = (await stat(path)).size;
  const starts = await cuts(path, size, workers);
  const jobs: ShardJob[] = starts.map((start, i) => ({
    path,
    start,
    end: i + 1 < starts.length ? (starts[i + 1] as number) - 1 : size - 1,
    first: i === 0,
    last: i === starts.length - 1,
    options,
  }));
  // the workers start (tens of milliseconds) while this thread reads the first shard
  const others = jobs.slice(1).map((job) => runWorker(job, traceModule));
  const first = readShard(jobs[0] as ShardJob);
  const shards = [first, ...(await Promise.all(others))];
  return mergeStatShards(shards, options);
}
