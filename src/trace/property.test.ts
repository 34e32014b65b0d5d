// Properties over generated traces: every `kvm_exit` line yields exactly one item whatever the
// companions around it; a trace read in shards reports what one pass reports.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readTrace } from "./read";
import { mergeStatShards, TraceStat } from "./stat";

const PIDS = [10, 11, 20];

// Lines a vCPU thread may print; `@` is its pid, `#` a timestamp. Exits of every format, companions
// of every kind (in any order, without their exit, twice), entries, junk and comments.
const EXITS = [
  "kvm_exit: vcpu 0 reason EPT_VIOLATION rip 0x10 info1 0x0000000000000182 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000",
  "kvm_exit: vcpu 0 reason IO_INSTRUCTION rip 0x10 info1 0x0000000003f80000",
  "kvm_exit: vcpu 0 reason MSR_WRITE rip 0x10 info1 0x0",
  "kvm_exit: reason HLT rip 0x10 info 0 0",
  "kvm_exit: TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff800080012e40",
  "kvm_exit: TRAP: HSR_EC: 0x0018 (SYS64), PC: 0xffff800080012e40",
  "kvm_exit: IRQ: HSR_EC: 0x0000 (UNKNOWN), PC: 0x1",
  "kvm_exit: SEPC:0x1, SCAUSE:0x17, STVAL:0x10001000, HTVAL:0x4000400, HTINST:0xe02023",
  "kvm_exit: SEPC:0x1, SCAUSE:0xa, STVAL:0x0, HTVAL:0x0, HTINST:0x0",
  "kvm_exit: reason EXIT_NPF rip 0x1 info 100000006 fee00300",
  "kvm_exit: vcpu 0 reason BOGUS rip 0x1",
  "kvm_exit: TRAP: HSR_EC: zz",
];
const OTHERS = [
  "kvm_entry: vcpu 0, rip 0x12",
  "kvm_entry: PC: 0x1",
  "kvm_page_fault: vcpu 0 rip 0x10 address 0x00000000febf0000 error_code 0x182",
  "kvm_emulate_insn: 0:10:89 07 (prot64)",
  "kvm_mmio: mmio write len 4 gpa 0xfebf0000 val 0x7",
  "kvm_mmio: mmio read len 8 gpa 0x9000000 val 0x1",
  "kvm_pio: pio_write at 0x3f8 size 1 count 1 val 0x41 ",
  "kvm_msr: msr_write 830 = 0x1000000fd",
  "kvm_guest_fault: ipa 0x9000000, hsr 0x93820046, hxfar 0xffff800082000000, pc 0x1",
  "kvm_handle_sys_reg: HSR 0x6234f801",
  "kvm_hvc_arm64: HVC at 0x1 (r0: 0x84000001, imm: 0x0)",
  "kvm_mmio: mmio sideways",
  "kvm_fpu: load",
];

interface Step {
  readonly pid: number;
  readonly exit: boolean;
  readonly which: number;
}

const step = fc.record({
  pid: fc.constantFrom(...PIDS),
  exit: fc.boolean(),
  which: fc.nat(100),
});
const extra = fc.constantFrom("# comment", "", "junk line", "CPU:1 [LOST 3 EVENTS]");

function render(
  steps: readonly Step[],
  junk: readonly (string | undefined)[],
): { text: string; exitLines: number[] } {
  const lines: string[] = [];
  const exitLines: number[] = [];
  steps.forEach((s, i) => {
    const j = junk[i];
    if (j !== undefined) lines.push(j);
    const body = s.exit
      ? (EXITS[s.which % EXITS.length] as string)
      : (OTHERS[s.which % OTHERS.length] as string);
    lines.push(`  CPU 0/KVM-${s.pid} [000] d..1. 1.${String(i).padStart(6, "0")}: ${body}`);
    if (s.exit) exitLines.push(lines.length);
  });
  return { text: `${lines.join("\n")}\n`, exitLines };
}

const trace = fc.array(step, { maxLength: 80 }).chain((steps) =>
  fc
    .array(fc.option(extra, { nil: undefined }), {
      minLength: steps.length,
      maxLength: steps.length,
    })
    .map((junk) => render(steps, junk)),
);

describe("every kvm_exit line yields exactly one item", () => {
  it("an exit item (exit, or partial/missing) or a skipped item, whatever the companions", async () => {
    await fc.assert(
      fc.asyncProperty(trace, async ({ text, exitLines }) => {
        const byLine = new Map<number, string[]>();
        for await (const item of readTrace([text])) {
          if (item.type === "exit" || item.type === "skipped") {
            const list = byLine.get(item.line) ?? [];
            list.push(item.type);
            byLine.set(item.line, list);
          }
          if (item.type === "exit") {
            // exactly one of: the exit, or what is missing of it
            expect((item.exit === undefined) !== (item.missing === undefined)).toBe(true);
            if (item.partial !== undefined) expect(item.missing?.length).toBeGreaterThan(0);
          }
        }
        for (const line of exitLines) expect(byLine.get(line)).toHaveLength(1);
        // and nothing else is an exit item
        for (const [line, kinds] of byLine)
          if (kinds.includes("exit")) expect(exitLines).toContain(line);
      }),
      { numRuns: 300 },
    );
  });
});

describe("a trace read in shards", () => {
  it("reports what one pass reports, wherever the cuts fall", () => {
    fc.assert(
      fc.property(trace, fc.array(fc.nat(1000), { maxLength: 3 }), ({ text }, cutsAt) => {
        const lines = text.split("\n");
        lines.pop();
        const one = new TraceStat();
        one.push(text);
        const whole = one.report();
        const cuts = [...new Set(cutsAt.map((c) => c % (lines.length + 1)))].sort((a, b) => a - b);
        const bounds = [0, ...cuts, lines.length];
        const shards = [];
        for (let i = 0; i + 1 < bounds.length; i++) {
          const part = lines.slice(bounds[i], bounds[i + 1]);
          const s = new TraceStat();
          if (i > 0) s.keepHeads();
          s.push(part.length === 0 ? "" : `${part.join("\n")}\n`);
          shards.push(s.shard(i + 2 === bounds.length));
        }
        expect(mergeStatShards(shards)).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });
});
