// Writes the sample traces of examples/ from the generated vCPU models (seeded: the same files on
// every run): `npx tsx bench/trace-samples.ts`. Each sample shows one family of companion events.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { arm64, mixedTrace, perfScript, riscv, svm, type Vcpu, x86New } from "./trace-workload";

const FTRACE_HEADER = [
  "# tracer: nop",
  "#",
  "#                                _-----=> irqs-off/BH-disabled",
  "#                               / _----=> need-resched",
  "#                              | / _---=> hardirq/softirq",
  "#                              || / _--=> preempt-depth",
  "#                              ||| / _-=> migrate-disable",
  "#                              |||| /     delay",
  "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION",
  "#              | |         |   |||||     |         |",
];

function sample(
  name: string,
  header: readonly string[],
  lines: number,
  seed: number,
  vcpus: Vcpu[],
): void {
  const out = [...header];
  mixedTrace(lines, (l) => out.push(l), seed, vcpus);
  writeFileSync(join(import.meta.dirname, "..", "examples", name), `${out.join("\n")}\n`);
}

sample("x86-mmio.trace", FTRACE_HEADER, 480, 21, [
  x86New("CPU 0/KVM", 6301, 4, 0),
  x86New("CPU 1/KVM", 6302, 5, 1),
]);
sample("x86-perf-script.trace", [], 160, 22, [perfScript(7101, 2, 0), perfScript(7102, 3, 1)]);
sample("arm64-companions.trace", FTRACE_HEADER, 420, 23, [
  arm64("CPU 0/KVM", 3301, 1),
  arm64("CPU 1/KVM", 3302, 2),
]);
sample("riscv-mmio.trace", FTRACE_HEADER, 200, 24, [
  riscv("CPU 0/KVM", 901, 0),
  riscv("CPU 1/KVM", 902, 1),
]);
sample("svm-guest.trace", FTRACE_HEADER, 200, 25, [
  svm("CPU 0/KVM", 8801, 6, 0),
  svm("CPU 1/KVM", 8802, 7, 1),
]);
