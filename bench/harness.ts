import { Bench } from "tinybench";

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

/** Runs a suite with tinybench and prints ops/s (items/s when batched) and the bar check. */
export async function runSuite(suite: BenchSuite, time = 500): Promise<void> {
  const bench = new Bench({ name: suite.name, time, warmupTime: 100 });
  for (const [name, fn] of Object.entries(suite.tasks)) bench.add(name, fn);
  await bench.run();
  const per = suite.itemsPerOp ?? 1;
  const unit = per === 1 ? "ops/s" : "items/s";
  console.log(`\n## ${suite.name}`);
  const rows = bench.tasks.map((task) => {
    const result = task.result as { throughput?: { mean: number }; latency?: { rme: number } };
    const hz = (result.throughput?.mean ?? 0) * per;
    return {
      task: task.name,
      [unit]: Math.round(hz).toLocaleString("en-US"),
      "±%": (result.latency?.rme ?? 0).toFixed(2),
      hz,
    };
  });
  console.table(rows.map(({ hz: _hz, ...row }) => row));
  const bars = suite.bar === undefined ? [] : "fast" in suite.bar ? [suite.bar] : suite.bar;
  for (const bar of bars) {
    const fast = rows.find((r) => r.task === bar.fast)?.hz ?? 0;
    const slow = rows.find((r) => r.task === bar.slow)?.hz ?? 1;
    const ratio = fast / slow;
    const ok = ratio >= bar.ratio;
    console.log(
      `bar: ${bar.fast} / ${bar.slow} = ${ratio.toFixed(2)}× (needs ≥ ${bar.ratio}×) ${ok ? "PASS" : "FAIL"}`,
    );
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
