import { spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import type { BenchSuite } from "./harness";
import { runSuite } from "./harness";

/** The bench files, each loaded only in the process that runs its suites. */
const GROUPS: Readonly<Record<string, () => Promise<{ suites: BenchSuite[] }>>> = {
  core: () => import("./core"),
  x86: () => import("./x86"),
  svm: () => import("./svm"),
  aarch64: () => import("./aarch64"),
  riscv: () => import("./riscv"),
  trace: () => import("./trace"),
  complete: () => import("./complete"),
};

const [flag, group, filter] = process.argv.slice(2);

if (flag === "--group" && group !== undefined) {
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
  const self = fileURLToPath(import.meta.url);
  for (const name of Object.keys(GROUPS)) {
    const args = [self, "--group", name, ...(only === undefined ? [] : [only])];
    const run = spawnSync(process.execPath, args, { stdio: "inherit" });
    if (run.status !== 0) process.exitCode = 1;
  }
  if (only === undefined || "shell trace".includes(only)) {
    const { compareWithShell } = await import("./trace");
    compareWithShell();
  }
}
