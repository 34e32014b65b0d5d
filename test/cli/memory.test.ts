import { describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/io";
import { run } from "../../src/cli/run";

const LINES = 1_000_000;
const PER_CHUNK = 1000;
const REASONS = ["EPT_VIOLATION", "IO_INSTRUCTION", "HLT", "MSR_WRITE", "EXTERNAL_INTERRUPT"];
const MB = 1024 * 1024;
/** Fixed bound on heap growth; the generated input is ~150 MB of text, so holding it could not fit. */
const HEAP_GROWTH_BOUND = 64 * MB;

describe("vmexit stat on a 1,000,000-line trace", () => {
  it("streams in constant memory", async () => {
    let inputBytes = 0;
    let peak = 0;
    let baseline = 0;
    const encoder = new TextEncoder();
    // Lines are generated on the fly, one chunk at a time, and never kept.
    async function* generate(): AsyncGenerator<Uint8Array> {
      for (let n = 0; n < LINES; ) {
        let text = "";
        for (let i = 0; i < PER_CHUNK; i++, n++) {
          const t = (1000 + n * 0.000004).toFixed(6);
          text +=
            n % 2 === 0
              ? `  CPU 0/KVM-4121 [002] d..1. ${t}: kvm_exit: vcpu 0 reason ${REASONS[(n >> 1) % 5]} rip 0xffffffff81e3a0c4 info1 0x0000000000000181 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000 requests 0x0000000000000000\n`
              : `  CPU 0/KVM-4121 [002] d..1. ${t}: kvm_entry: vcpu 0, rip 0xffffffff81e3a0c4 intr_info 0x00000000 error_code 0x00000000\n`;
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
    const code = await run(["stat", "--json"], io);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.lines).toBe(LINES);
    expect(report.total).toBe(LINES / 2);
    expect(report.entries).toBe(LINES / 2);
    expect(report.skipped).toBe(0);
    // every reason got a fifth of the exits
    for (const row of report.reasons) expect(row.count).toBe(LINES / 10);
    expect(inputBytes).toBeGreaterThan(2 * HEAP_GROWTH_BOUND);
    expect(peak - baseline).toBeLessThan(HEAP_GROWTH_BOUND);
  }, 60_000);
});
