// `npm start`: runs the built CLI (dist/cli.js) on the sample traces and snapshots in examples/,
// printing each command before its output.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "dist", "cli.js");
let failed = 0;

function vmexit(args) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) failed++;
  return r;
}

function show(args) {
  console.log(`\n$ vmexit ${args.join(" ")}`);
  const r = vmexit(args);
  process.stdout.write(r.stdout);
  process.stdout.write(r.stderr);
}

// A reconstructed trace: each kvm_exit joined with its companion events, as typed exits.
const FIELDS = [
  "addr",
  "port",
  "sysreg",
  "width",
  "reg",
  "data",
  "value",
  "nr",
  "vector",
  "target_cpu",
];
function reconstructed(file, count) {
  console.log(
    `\n$ vmexit trace ${file} --format ndjson   # the first ${count} exits, a few columns`,
  );
  const rows = vmexit(["trace", file, "--format", "ndjson"])
    .stdout.trim()
    .split("\n")
    .map((text) => JSON.parse(text))
    .sort((a, b) => a.line - b.line)
    .slice(0, count);
  console.log(`${"line".padStart(5)}  ${"vcpu".padEnd(4)}  ${"reason".padEnd(18)}  exit`);
  for (const r of rows) {
    const fields = FIELDS.filter((f) => r[f] !== null).map((f) => {
      const v = r[f];
      return `${f} ${f === "port" || f === "sysreg" ? `0x${v.toString(16)}` : v}`;
    });
    const exit =
      r.kind === null ? "?" : `${r.kind}${r.complete ? "" : " (partial)"} ${fields.join(" ")}`;
    const missing = r.missing === null ? "" : `   missing: ${r.missing}`;
    console.log(
      `${String(r.line).padStart(5)}  ${String(r.vcpu ?? "-").padEnd(4)}  ${r.reason.padEnd(18)}  ${exit.trimEnd()}${missing}`,
    );
  }
}

reconstructed("examples/x86-mmio.trace", 14);
reconstructed("examples/arm64-companions.trace", 10);
for (const args of [
  ["stat", "examples/x86-mmio.trace"],
  ["stat", "examples/x86-mmio.trace", "--by", "mmio"],
  ["stat", "examples/arm64-companions.trace", "--by", "mmio"],
  ["stat", "examples/x86-mmio.trace", "--by", "ioport"],
  ["stat", "examples/x86-legacy.trace"],
  ["stat", "examples/riscv-mmio.trace", "--by", "kind"],
  ["stat", "examples/svm-guest.trace", "--by", "ioport"],
  ["decode", "vmx", "@examples/snapshots/vmx-ept-mmio-write.args"],
  ["decode", "vmx", "@examples/snapshots/vmx-io-out.args"],
  ["decode", "vmx", "@examples/snapshots/vmx-wrmsr-sipi.args", "--json"],
  ["decode", "svm", "@examples/snapshots/svm-npf-mmio-write.args"],
  ["decode", "aarch64", "@examples/snapshots/aarch64-mmio-read.args"],
  ["decode", "aarch64", "@examples/snapshots/aarch64-psci-cpu-on.args"],
  ["decode", "riscv", "@examples/snapshots/riscv-mmio-load.args"],
  ["decode", "riscv", "@examples/snapshots/riscv-sbi-set-timer.args", "--json"],
  ["explain", "esr", "0x93810047"],
  ["explain", "scause", "0x8000000000000005"],
  ["explain", "vmx", "exitReason=IO_INSTRUCTION", "exitQualification=0x03f80000"],
]) {
  show(args);
}
process.exitCode = failed === 0 ? 0 : 1;
