import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TraceStat } from "../src/trace/stat";
import type { BenchSuite } from "./harness";
import type { FloorCount } from "./trace-floor";
import { mixedTrace } from "./trace-workload";

const N = 20_000;
const lines: string[] = [];
mixedTrace(N, (l) => lines.push(l), 6);
const text = `${lines.join("\n")}\n`;
const bytes = new TextEncoder().encode(text);
let sink = 0;

/**
 * Lines per second through the `vmexit stat` pipeline in process: by reason (scan as far as the
 * count needs, pair, count) and by kind (scan, join, reconstruct, decode, count).
 */
export const suites: BenchSuite[] = [
  {
    name: "trace: vmexit stat pipeline in process (lines/s, mixed x86/arm64/RISC-V with companions)",
    itemsPerOp: N,
    tasks: {
      "TraceStat.push(bytes) by reason": () => {
        const stat = new TraceStat();
        stat.push(bytes);
        sink += stat.report().total;
        return sink;
      },
      "TraceStat.push(bytes) by kind (decodes every exit)": () => {
        const stat = new TraceStat({ by: "kind" });
        stat.push(bytes);
        sink += stat.report().total;
        return sink;
      },
    },
  },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** `mawk` when installed (the fastest awk), else `awk`. */
function awkCommand(): string {
  return spawnSync("mawk", ["-W", "version"]).status === 0 ? "mawk" : "awk";
}

/**
 * Times `vmexit stat` (the built binary, Node start-up included), an awk one-liner that only
 * counts reasons, `wc -l`, `vmexit stat --by kind` and the floor reader (`bench/trace-floor.ts`,
 * run from the bench bundle `bench`: one thread, and two processes on half the file each) on the
 * same generated 2,000,000-line file, interleaved, `runs` times each; prints the median wall
 * seconds, lines/s and CPU seconds of each, the ratio vmexit / awk and the floor's.
 */
export function compareWithShell(bench: string, count = 2_000_000, runs = 5): void {
  const dir = mkdtempSync(join(tmpdir(), "vmexit-bench-"));
  const file = join(dir, "mixed.trace");
  const out: string[] = [];
  mixedTrace(count, (l) => out.push(l), 7);
  writeFileSync(file, `${out.join("\n")}\n`);
  out.length = 0;
  const size = statSync(file).size;
  const half = Math.floor(size / 2);
  // `npm run bench` runs from the package root (the bench itself is bundled elsewhere).
  const cli = join(process.cwd(), "dist", "cli.js");
  const awk = awkCommand();
  const program =
    '/kvm_exit:/ { for (i = 1; i < NF; i++) if ($i == "reason") { n[$(i+1)]++; break } } END { for (r in n) print n[r], r }';
  // by reason (the default) stat reads each line only as far as pairing and the reason need; by
  // kind it reads, reconstructs and decodes every exit (the cost of full decoding, for reference)
  const rows: readonly (readonly [string, string, readonly string[]])[] = [
    ["vmexit stat FILE (node dist/cli.js)", process.execPath, [cli, "stat", file]],
    [`${awk} (count reasons)`, awk, [program, file]],
    ["wc -l", "wc", ["-l", file]],
    [
      "vmexit stat --by kind FILE (decodes every exit)",
      process.execPath,
      [cli, "stat", "--by", "kind", file],
    ],
    // the floor of a JS reader (bench/trace-floor.ts): one thread, then two processes reading half
    // the file each at once, as `vmexit stat` reads a large file on two threads
    [FLOOR_1, process.execPath, floorArgs(bench, file, 0, size)],
    [
      FLOOR_2,
      "sh",
      [
        "-c",
        `"$0" ${floorArgs(bench, file, 0, half).map(quote).join(" ")} & "$0" ${floorArgs(bench, file, half, size).map(quote).join(" ")}; wait`,
        process.execPath,
      ],
    ],
  ];
  // On a shared machine wall time depends on the other jobs; the CPU time of each command (user +
  // system, from GNU time when installed) says what the command itself costs.
  const gnuTime = spawnSync("/usr/bin/time", ["-f", "%U %S", "true"]).status === 0;
  const times: number[][] = rows.map(() => []);
  const cpu: number[][] = rows.map(() => []);
  for (let r = 0; r < runs; r++) {
    rows.forEach(([, cmd, args], i) => {
      const start = performance.now();
      const run = gnuTime
        ? spawnSync("/usr/bin/time", ["-f", "%U %S", cmd, ...args], { maxBuffer: 1 << 26 })
        : spawnSync(cmd, args, { maxBuffer: 1 << 26 });
      (times[i] as number[]).push((performance.now() - start) / 1000);
      if (run.status !== 0) throw new Error(`bench: ${cmd} ${args.join(" ")} failed`);
      // a floor reader that skipped or read twice some lines would not be the floor
      const task = (rows[i] as (typeof rows)[number])[0];
      if ((task === FLOOR_1 || task === FLOOR_2) && floorLines(run.stdout.toString()) !== count) {
        throw new Error(`bench: ${task} did not read the ${count} lines`);
      }
      if (gnuTime) {
        const last = run.stderr.toString().trim().split("\n").pop() ?? "";
        const [user, sys] = last.split(" ").map(Number);
        (cpu[i] as number[]).push((user ?? 0) + (sys ?? 0));
      }
    });
  }
  console.log(
    `\n## trace: vmexit stat vs ${awk} vs wc -l (${count.toLocaleString("en-US")} mixed lines with companions, median of ${runs} interleaved runs)`,
  );
  const medians = times.map(median);
  const cpuMedians = cpu.map((c) => (c.length === 0 ? Number.NaN : median(c)));
  console.table(
    rows.map(([task], i) => ({
      task,
      seconds: (medians[i] as number).toFixed(3),
      "lines/s": Math.round(count / (medians[i] as number)).toLocaleString("en-US"),
      "cpu s": gnuTime ? (cpuMedians[i] as number).toFixed(2) : "n/a",
    })),
  );
  const ratio = (medians[1] as number) / (medians[0] as number);
  console.log(
    `bar: vmexit stat / ${awk} = ${ratio.toFixed(2)}× the lines/s (needs ≥ 1×) ${ratio >= 1 ? "PASS" : "FAIL"}` +
      (gnuTime
        ? `; CPU time ${awk} / vmexit stat = ${((cpuMedians[1] as number) / (cpuMedians[0] as number)).toFixed(2)}×`
        : ""),
  );
  const floor = (medians[1] as number) / (medians[rows.length - 1] as number);
  console.log(
    `floor: the hand-written floor reader on two threads = ${floor.toFixed(2)}× ${awk}'s lines/s, vmexit stat --by kind ${((medians[1] as number) / (medians[3] as number)).toFixed(2)}× (the most any JS reader that parses every line can reach here is the first)`,
  );
  rmSync(dir, { recursive: true, force: true });
}

const FLOOR_1 = "floor reader: prefix + every body number, no pairing or decoding (one thread)";
const FLOOR_2 = "floor reader, two processes on half the file each";

/** The arguments that run the floor reader of the bench bundle `bench` over `file[start, end)`. */
function floorArgs(bench: string, file: string, start: number, end: number): string[] {
  return [bench, "--floor", file, String(start), String(end)];
}

/** `s` quoted for `sh`. */
function quote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** The lines the floor reader's processes report (one JSON count per process, summed). */
function floorLines(stdout: string): number {
  return stdout
    .split("\n")
    .filter((l) => l !== "")
    .reduce((n, l) => n + (JSON.parse(l) as FloorCount).lines, 0);
}
