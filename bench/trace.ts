import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TraceStat } from "../src/trace/stat";
import { type BenchSuite, seededRandom } from "./harness";

const X86_REASONS = [
  "EPT_VIOLATION",
  "IO_INSTRUCTION",
  "HLT",
  "MSR_WRITE",
  "EXTERNAL_INTERRUPT",
  "CPUID",
];
const ARM_ECS = ["0x0024 (DABT_LOW)", "0x0018 (SYS64)", "0x0016 (HVC64)", "0x0001 (WFx)"];

/** A realistic trace line `n` of a seeded workload: x86 (format 5), arm64 or RISC-V exits, each followed by an entry. */
function line(n: number, rand: () => number, arch: "x86" | "mixed"): string {
  const t = (1000 + n * 0.000004).toFixed(6);
  const head = `  CPU 0/KVM-4121 [002] d..1. ${t}:`;
  const kind = arch === "x86" ? 0 : Math.floor(rand() * 3);
  if (n % 2 === 1) {
    return kind === 0
      ? `${head} kvm_entry: vcpu 0, rip 0xffffffff81e3a0c4 intr_info 0x00000000 error_code 0x00000000`
      : `${head} kvm_entry: PC: 0xffff800080a1b2c4`;
  }
  if (kind === 0) {
    const reason = X86_REASONS[Math.floor(rand() * X86_REASONS.length)];
    return `${head} kvm_exit: vcpu 0 reason ${reason} rip 0xffffffff81e3a0c4 info1 0x0000000000000181 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000 requests 0x0000000000000000`;
  }
  if (kind === 1) {
    const ec = ARM_ECS[Math.floor(rand() * ARM_ECS.length)];
    return `${head} kvm_exit: TRAP: HSR_EC: ${ec}, PC: 0xffff800080a1b2c4`;
  }
  return `${head} kvm_exit: SEPC:0xffffffff80a0123c, SCAUSE:0x15, STVAL:0xff60000010000005, HTVAL:0x4000001, HTINST:0x4783`;
}

const N = 10_000;
const rand = seededRandom(6);
const lines = Array.from({ length: N }, (_, n) => line(n, rand, "mixed"));
let sink = 0;

/** Lines per second through the `vmexit stat` pipeline (parse + per-vCPU timing + counting), in process. */
export const suites: BenchSuite[] = [
  {
    name: "trace: vmexit stat pipeline (lines/s, mixed x86/arm64/RISC-V)",
    itemsPerOp: N,
    tasks: {
      "TraceStat.addLine": () => {
        const stat = new TraceStat();
        for (const l of lines) stat.addLine(l);
        sink += stat.report().total;
        return sink;
      },
    },
  },
];

function seconds(run: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    run();
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return best;
}

/** Times `vmexit stat`, `wc -l` and an awk reason counter on the same generated file (best of 3) and prints lines/s. */
export function compareWithShell(count = 500_000): void {
  const dir = mkdtempSync(join(tmpdir(), "vmexit-bench-"));
  const file = join(dir, "x86.trace");
  const r = seededRandom(7);
  const chunks: string[] = [];
  for (let n = 0; n < count; n++) chunks.push(line(n, r, "x86"));
  writeFileSync(file, `${chunks.join("\n")}\n`);
  chunks.length = 0;
  // `npm run bench` runs from the package root (the bench itself is bundled elsewhere).
  const cli = join(process.cwd(), "dist", "cli.js");
  const awk =
    '/kvm_exit:/ { for (i = 1; i < NF; i++) if ($i == "reason") { n[$(i+1)]++; break } } END { for (r in n) print n[r], r }';
  const opts = { maxBuffer: 1 << 26, stdio: ["ignore", "pipe", "pipe"] as ("ignore" | "pipe")[] };
  const rows = [
    [
      "vmexit stat (node dist/cli.js)",
      () => execFileSync(process.execPath, [cli, "stat", file], opts),
    ],
    ["wc -l", () => execFileSync("wc", ["-l", file], opts)],
    ["awk (count reasons)", () => execFileSync("awk", [awk, file], opts)],
  ] as const;
  console.log(
    `\n## trace: vmexit stat vs wc -l vs awk (${count.toLocaleString("en-US")} lines, best of 3)`,
  );
  const table = rows.map(([task, run]) => {
    const s = seconds(run);
    return {
      task,
      seconds: s.toFixed(3),
      "lines/s": Math.round(count / s).toLocaleString("en-US"),
    };
  });
  console.table(table);
  rmSync(dir, { recursive: true, force: true });
}
