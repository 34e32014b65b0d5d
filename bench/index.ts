import { spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import type { BarResult, BenchSuite } from "./harness";
import { BAR_FD_ENV, median, runSuite } from "./harness";

/** The bench files, each loaded only in the process that runs its suites. */
const GROUPS: Readonly<Record<string, () => Promise<{ suites: BenchSuite[] }>>> = {
  core: () => import("./core"),
  x86: () => import("./x86"),
  svm: () => import("./svm"),
  aarch64: () => import("./aarch64"),
  riscv: () => import("./riscv"),
  trace: () => import("./trace"),
  complete: () => import("./complete"),
  options: () => import("./options"),
};

const [flag, group, filter] = process.argv.slice(2);

/** Processes a group with bars runs in. */
const PROCESSES = 3;

/** Each bar's verdict: the median of its ratios over the processes that measured it, with their range. */
function printVerdicts(results: readonly BarResult[]): void {
  const byBar = new Map<string, BarResult[]>();
  for (const r of results) {
    const key = `${r.suite}\u0000${r.fast}\u0000${r.slow}`;
    byBar.set(key, [...(byBar.get(key) ?? []), r]);
  }
  if (byBar.size > 0) console.log("");
  for (const rs of byBar.values()) {
    const first = rs[0] as BarResult;
    const ratios = rs.map((r) => r.ratio);
    const ratio = median(ratios);
    console.log(
      `verdict (median of ${rs.length} processes): ${first.fast} / ${first.slow} = ${ratio.toFixed(2)}× (processes ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}; needs ≥ ${first.needed}×) ${ratio >= first.needed ? "PASS" : "FAIL"}`,
    );
  }
}

if (flag === "--floor" && group !== undefined) {
  // the floor trace reader over a byte range of a file, in this process (spawned by the shell
  // comparison): `--floor FILE START END`
  const { floorRead } = await import("./trace-floor");
  const [file, start, end] = process.argv.slice(3);
  console.log(JSON.stringify(floorRead(file as string, Number(start), Number(end))));
} else if (flag === "--group" && group !== undefined) {
  // one bench file's suites, in this process (spawned below)
  const load = GROUPS[group];
  if (load === undefined) throw new Error(`bench: no group ${group}`);
  const { suites } = await load();
  for (const suite of suites) {
    if (filter === undefined || suite.name.toLowerCase().includes(filter)) await runSuite(suite);
  }
} else {
  const only = flag?.toLowerCase();
  console.log(
    `vmexit bench — node ${process.version}, ${cpus()[0]?.model ?? "unknown cpu"} × ${cpus().length}`,
  );
  // Each bench file runs in a fresh Node process that loads only that file: loaded together, the
  // modules of other files changed how the engine optimised a suite (the tuned AArch64 decoder ran
  // at 4.6 M/s in one process with the core and trace benches, 13.5 M/s without them).
  // The shell comparison first: it times two busy threads against mawk's one, and after minutes
  // of the suites below on every core this virtual machine ran both, the two threads most, up to
  // 30 % slower (mawk 0.68–0.87 s against 0.66 s when run first).
  if (only === undefined || "shell trace".includes(only)) {
    const { compareWithShell } = await import("./trace");
    compareWithShell(fileURLToPath(import.meta.url));
  }
  const self = fileURLToPath(import.meta.url);
  for (const name of Object.keys(GROUPS)) {
    const args = [self, "--group", name, ...(only === undefined ? [] : [only])];
    // the first process prints its tables; a group with bars runs twice more, quietly, and each
    // bar's verdict is the median of the three processes' ratios: how V8 compiles a suite differs
    // from process to process, and moved one ratio by up to a third between two runs
    const results: BarResult[] = [];
    for (let run = 0; run < PROCESSES; run++) {
      const child = spawnSync(process.execPath, args, {
        stdio: [
          run === 0 ? "inherit" : "ignore",
          run === 0 ? "inherit" : "ignore",
          "inherit",
          "pipe",
        ],
        env: { ...process.env, [BAR_FD_ENV]: "3" },
      });
      if (child.status !== 0) process.exitCode = 1;
      const lines = String(child.output[3] ?? "")
        .split("\n")
        .filter((l) => l !== "");
      results.push(...lines.map((l) => JSON.parse(l) as BarResult));
      if (lines.length === 0) break;
    }
    printVerdicts(results);
  }
}
