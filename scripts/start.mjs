// `npm start`: runs the built CLI (dist/cli.js) on the sample traces and snapshots in examples/,
// printing each command before its output.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "dist", "cli.js");

const commands = [
  ["stat", "examples/x86-boot.trace"],
  ["stat", "examples/x86-legacy.trace"],
  ["stat", "examples/arm64-guest.trace"],
  ["stat", "examples/riscv-guest.trace"],
  ["decode", "vmx", "@examples/snapshots/vmx-ept-mmio-write.args"],
  ["decode", "vmx", "@examples/snapshots/vmx-io-out.args"],
  ["decode", "vmx", "@examples/snapshots/vmx-wrmsr-sipi.args", "--json"],
  ["decode", "aarch64", "@examples/snapshots/aarch64-mmio-read.args"],
  ["decode", "aarch64", "@examples/snapshots/aarch64-psci-cpu-on.args"],
  ["decode", "riscv", "@examples/snapshots/riscv-mmio-load.args"],
  ["decode", "riscv", "@examples/snapshots/riscv-sbi-set-timer.args", "--json"],
  ["explain", "esr", "0x93810047"],
  ["explain", "scause", "0x8000000000000005"],
  ["explain", "vmx", "exitReason=IO_INSTRUCTION", "exitQualification=0x03f80000"],
];

let failed = 0;
for (const args of commands) {
  console.log(`\n$ vmexit ${args.join(" ")}`);
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8" });
  process.stdout.write(r.stdout);
  process.stdout.write(r.stderr);
  if (r.status !== 0) failed++;
}
// The first lines of `vmexit trace`, one JSON object per kvm_exit.
console.log("\n$ vmexit trace examples/riscv-guest.trace | head -3");
const trace = spawnSync(process.execPath, [cli, "trace", "examples/riscv-guest.trace"], {
  cwd: root,
  encoding: "utf8",
});
console.log(trace.stdout.split("\n").slice(0, 3).join("\n"));
if (trace.status !== 0) failed++;
process.exitCode = failed === 0 ? 0 : 1;
