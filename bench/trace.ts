import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TraceStat } from "../src/trace/stat";
import type { BenchSuite } from "./harness";
import { mixedTrace } from "./trace-workload";

const N = 20_000;
const lines: string[] = [];
mixedTrace(N, (l) => lines.push(l), 6);
const text = `${lines.join("\n")}\n`;
const bytes = new TextEncoder().encode(text);
let sink = 0;

/** Lines per second through the `vmexit stat` pipeline in process (scan, join, decode, count). */
export const suites: BenchSuite[] = [
  {
    name: "trace: vmexit stat pipeline in process (lines/s, mixed x86/arm64/RISC-V with companions)",
    itemsPerOp: N,
    tasks: {
      "TraceStat.push(bytes)": () => {
        const stat = new TraceStat();
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
 * counts reasons and `wc -l` on the same generated 2,000,000-line file, interleaved, `runs` times
 * each; prints the median lines/s of each and the ratio vmexit / awk.
 */
export function compareWithShell(count = 2_000_000, runs = 5): void {
  const dir = mkdtempSync(join(tmpdir(), "vmexit-bench-"));
  const file = join(dir, "mixed.trace");
  const out: string[] = [];
  mixedTrace(count, (l) => out.push(l), 7);
  writeFileSync(file, `${out.join("\n")}\n`);
  out.length = 0;
  // `npm run bench` runs from the package root (the bench itself is bundled elsewhere).
  const cli = join(process.cwd(), "dist", "cli.js");
  const awk = awkCommand();
  const program =
    '/kvm_exit:/ { for (i = 1; i < NF; i++) if ($i == "reason") { n[$(i+1)]++; break } } END { for (r in n) print n[r], r }';
  const opts = { maxBuffer: 1 << 26, stdio: ["ignore", "pipe", "pipe"] as ("ignore" | "pipe")[] };
  const rows = [
    [
      "vmexit stat FILE (node dist/cli.js)",
      () => execFileSync(process.execPath, [cli, "stat", file], opts),
    ],
    [`${awk} (count reasons)`, () => execFileSync(awk, [program, file], opts)],
    ["wc -l", () => execFileSync("wc", ["-l", file], opts)],
  ] as const;
  const times: number[][] = rows.map(() => []);
  for (let r = 0; r < runs; r++) {
    rows.forEach(([, run], i) => {
      const start = performance.now();
      run();
      (times[i] as number[]).push((performance.now() - start) / 1000);
    });
  }
  console.log(
    `\n## trace: vmexit stat vs ${awk} vs wc -l (${count.toLocaleString("en-US")} mixed lines with companions, median of ${runs} interleaved runs)`,
  );
  const medians = times.map(median);
  console.table(
    rows.map(([task], i) => ({
      task,
      seconds: (medians[i] as number).toFixed(3),
      "lines/s": Math.round(count / (medians[i] as number)).toLocaleString("en-US"),
    })),
  );
  const ratio = (medians[1] as number) / (medians[0] as number);
  console.log(
    `bar: vmexit stat / ${awk} = ${ratio.toFixed(2)}× the lines/s (needs ≥ 1×) ${ratio >= 1 ? "PASS" : "FAIL"}`,
  );
  rmSync(dir, { recursive: true, force: true });
}
