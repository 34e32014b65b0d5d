import { describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/io";
import { run } from "../../src/cli/run";

const LINES = 1_000_000;
const PER_CHUNK = 1000;
const REASONS = ["EPT_VIOLATION", "IO_INSTRUCTION", "HLT", "MSR_WRITE", "EXTERNAL_INTERRUPT"];
const MB = 1024 * 1024;
/** Fixed bound on heap growth; the generated input is ~126 MB of text, so holding it could not fit. */
const HEAP_GROWTH_BOUND = 48 * MB;

describe("vmexit stat on a 1,000,000-line trace with companion events", () => {
  it("streams in constant memory", async () => {
    let inputBytes = 0;
    let peak = 0;
    let baseline = 0;
    const encoder = new TextEncoder();
    // Lines are generated on the fly, one chunk at a time, and never kept: cycles of a kvm_exit,
    // two companion events of its vCPU and its kvm_entry.
    const COMPANIONS: Record<string, readonly [string, string]> = {
      EPT_VIOLATION: [
        "kvm_page_fault: vcpu 0 rip 0xffffffff81e3a0c4 address 0x00000000febf0000 error_code 0x182",
        "kvm_mmio: mmio write len 4 gpa 0xfebf0000 val 0x1",
      ],
      IO_INSTRUCTION: ["kvm_pio: pio_write at 0x3f8 size 1 count 1 val 0x41 ", "kvm_fpu: unload"],
      HLT: ["kvm_fpu: unload", "kvm_vcpu_wakeup: wait time 1000 ns, polling valid"],
      MSR_WRITE: ["kvm_msr: msr_write 6e0 = 0x1000", "kvm_fpu: unload"],
      EXTERNAL_INTERRUPT: ["kvm_fpu: unload", "kvm_fpu: load"],
    };
    const INFO1: Record<string, string> = {
      EPT_VIOLATION: "0x0000000000000182",
      IO_INSTRUCTION: "0x0000000003f80000",
    };
    async function* generate(): AsyncGenerator<Uint8Array> {
      for (let n = 0; n < LINES; ) {
        let text = "";
        for (let i = 0; i < PER_CHUNK; i++, n++) {
          const t = (1000 + n * 0.000004).toFixed(6);
          const head = `  CPU 0/KVM-4121 [002] d..1. ${t}:`;
          const reason = REASONS[(n >> 2) % 5] as string;
          const phase = n % 4;
          if (phase === 0) {
            const intr = reason === "EXTERNAL_INTERRUPT" ? "0x800000ec" : "0x00000000";
            text += `${head} kvm_exit: vcpu 0 reason ${reason} rip 0xffffffff81e3a0c4 info1 ${INFO1[reason] ?? "0x0000000000000000"} info2 0x0000000000000000 intr_info ${intr} error_code 0x00000000 requests 0x0000000000000000\n`;
          } else if (phase < 3) {
            text += `${head} ${(COMPANIONS[reason] as readonly string[])[phase - 1]}\n`;
          } else {
            text += `${head} kvm_entry: vcpu 0, rip 0xffffffff81e3a0c4 intr_info 0x00000000 error_code 0x00000000\n`;
          }
        }
        const bytes = encoder.encode(text);
        inputBytes += bytes.length;
        const heap = process.memoryUsage().heapUsed;
        if (n === 20 * PER_CHUNK) baseline = heap;
        if (n > 20 * PER_CHUNK && heap > peak) peak = heap;
        yield bytes;
      }
    }
    let out = "";
    const io: CliIo = {
      stdout: {
        write(s) {
          out += s;
          return undefined;
        },
      },
      stderr: { write: () => undefined, isTTY: false },
      stdin: generate(),
      openFile: () => Promise.reject(new Error("unused")),
      readTextFile: () => Promise.reject(new Error("unused")),
    };
    // by kind: every exit is reconstructed and decoded (the reading that keeps the most state)
    const code = await run(["stat", "--by", "kind", "--json"], io);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.lines).toBe(LINES);
    expect(report.total).toBe(LINES / 4);
    expect(report.entries).toBe(LINES / 4);
    expect(report.skipped).toBe(0);
    // every reason, hence every kind (Halt, IoWrite, SysRegWrite, MmioWrite, ExternalInterrupt),
    // got a fifth of the exits
    expect(report.reasons).toHaveLength(5);
    for (const row of report.reasons) expect(row.count).toBe(LINES / 20);
    // EPT: page fault + MMIO write; I/O: kvm_pio; MSR: kvm_msr — 4 companions per 5 exits
    expect(report.companions).toBe((LINES / 20) * 4);
    // and every exit is typed completely (HLT, IoWrite, SysRegWrite, MmioWrite, ExternalInterrupt)
    expect(report.complete).toBe(LINES / 4);
    expect(inputBytes).toBeGreaterThan(2 * HEAP_GROWTH_BOUND);
    expect(peak - baseline).toBeLessThan(HEAP_GROWTH_BOUND);
  }, 60_000);
});
