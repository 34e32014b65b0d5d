// Tasks are timed in interleaved rounds — every task once per round, in a rotated order — so that
// the machine's load, which drifts over seconds on a shared machine, weighs on every task alike.
// Each task's rate is the median of its rounds, and each bar's ratio the median of the ratios of
// the rounds (two tasks measured side by side), with the spread of those ratios. A process that
// is given a results descriptor (`BAR_FD_ENV`) also writes each bar's ratio there, one JSON line
// per bar, for the parent that runs the suite in several processes (`bench/index.ts`).
import { writeSync } from "node:fs";

/** The environment variable naming the file descriptor bar results are written to. */
export const BAR_FD_ENV = "VMEXIT_BENCH_BAR_FD";

/** One bar's outcome in one process, as written to the results descriptor. */
export interface BarResult {
  /** The suite's title. */
  readonly suite: string;
  /** The bar's faster task. */
  readonly fast: string;
  /** The task it is compared with. */
  readonly slow: string;
  /** The ratio the bar needs. */
  readonly needed: number;
  /** The measured ratio (median of the rounds'). */
  readonly ratio: number;
}

/** A speed bar: task `fast` must reach `ratio` × the ops/s of task `slow` (printed, not asserted). */
export interface BenchBar {
  /** The task that must be faster. */
  readonly fast: string;
  /** The task it is compared with. */
  readonly slow: string;
  /** The ratio `fast` / `slow` must reach. */
  readonly ratio: number;
}

/** A group of benchmark tasks printed as one table, with optional speed bars between tasks. */
export interface BenchSuite {
  /** Table title. */
  readonly name: string;
  /** Task name → one operation (each call does the work once; keep results alive to avoid DCE). */
  readonly tasks: Readonly<Record<string, () => unknown>>;
  /** Optional bars, each printed with its measured ratio (never asserted). */
  readonly bar?: BenchBar | readonly BenchBar[];
  /** Optional: how many items one operation processes (e.g. a batch of 1000 snapshots). */
  readonly itemsPerOp?: number;
}

/** Rounds per suite. */
const ROUNDS = 9;

/** Operations per second of `fn` run for about `ms` milliseconds. */
function rate(fn: () => unknown, ms: number): number {
  let ops = 0;
  const t0 = performance.now();
  let t = t0;
  do {
    fn();
    fn();
    ops += 2;
    t = performance.now();
  } while (t - t0 < ms);
  return (ops * 1000) / (t - t0);
}

/** The median of `xs` (non-empty). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/**
 * Runs a suite: each task warmed up for 100 ms, then `ROUNDS` rounds of `time / ROUNDS` ms per
 * task; prints each task's median rate (items/s when batched) with the spread of its rounds, and
 * each bar's median per-round ratio.
 */
export async function runSuite(suite: BenchSuite, time = 1000): Promise<void> {
  const names = Object.keys(suite.tasks);
  const fns = names.map((n) => suite.tasks[n] as () => unknown);
  for (const fn of fns) rate(fn, 100);
  const slice = time / ROUNDS;
  const rounds: number[][] = names.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < names.length; k++) {
      const i = (k + r) % names.length;
      (rounds[i] as number[]).push(rate(fns[i] as () => unknown, slice));
    }
    // let timers and pending work of the process run between rounds
    await new Promise((resolve) => setImmediate(resolve));
  }
  const per = suite.itemsPerOp ?? 1;
  const unit = per === 1 ? "ops/s" : "items/s";
  console.log(`\n## ${suite.name}`);
  const rows = names.map((task, i) => {
    const hz = rounds[i] as number[];
    const m = median(hz);
    return {
      task,
      [unit]: Math.round(m * per).toLocaleString("en-US"),
      "rounds min–max": `${Math.round((Math.min(...hz) * per) / 1000).toLocaleString("en-US")}k–${Math.round((Math.max(...hz) * per) / 1000).toLocaleString("en-US")}k`,
    };
  });
  console.table(rows);
  const bars = suite.bar === undefined ? [] : "fast" in suite.bar ? [suite.bar] : suite.bar;
  for (const bar of bars) {
    const f = rounds[names.indexOf(bar.fast)];
    const sl = rounds[names.indexOf(bar.slow)];
    if (f === undefined || sl === undefined) throw new Error(`bench: bar names an unknown task`);
    const ratios = f.map((x, r) => x / (sl[r] as number));
    const ratio = median(ratios);
    const ok = ratio >= bar.ratio;
    console.log(
      `bar: ${bar.fast} / ${bar.slow} = ${ratio.toFixed(2)}× (rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}; needs ≥ ${bar.ratio}×) ${ok ? "PASS" : "FAIL"}`,
    );
    const fd = process.env[BAR_FD_ENV];
    if (fd !== undefined) {
      const result: BarResult = {
        suite: suite.name,
        fast: bar.fast,
        slow: bar.slow,
        needed: bar.ratio,
        ratio,
      };
      writeSync(Number(fd), `${JSON.stringify(result)}\n`);
    }
  }
}

/** A small deterministic PRNG (mulberry32) so every bench workload is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
