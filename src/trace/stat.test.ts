import { describe, expect, it } from "vitest";
import { formatTraceStat } from "./format-stat";
import { SKIPPED_LINES_KEPT, statTrace, TraceStat } from "./stat";

// Two vCPU threads (pid 10 on CPU 0, pid 20 on CPU 1). Handling times by hand:
//   HLT #1: 1.000100 − 1.000000 = 100 µs;  HLT #2: 1.000250 − 1.000200 = 50 µs
//   EPT #1: 1.000004 − 1.000001 = 3 µs;    EPT #2: no kvm_entry follows → untimed
const TRACE = [
  "# tracer: nop",
  "a-10 [000] .... 1.000000: kvm_exit: vcpu 0 reason HLT rip 0x1",
  "b-20 [001] .... 1.000001: kvm_exit: vcpu 1 reason EPT_VIOLATION rip 0x2 info1 0x181",
  "b-20 [001] .... 1.000002: kvm_page_fault: vcpu 1 rip 0x2 address 0x1000 error_code 0x1",
  "a-10 [000] .... 1.000100: kvm_entry: vcpu 0",
  "b-20 [001] .... 1.000004: kvm_entry: vcpu 1",
  "a-10 [000] .... 1.000200: kvm_exit: vcpu 0 reason HLT rip 0x1",
  "a-10 [000] .... 1.000250: kvm_entry: vcpu 0",
  "this is not a trace line",
  "a-10 [000] .... 1.000300: kvm_exit: vcpu 0 reason EPT_VIOLATION rip 0x3",
  "b-20 [001] .... 1.000400: kvm_entry: vcpu 1",
  "",
];

describe("TraceStat", () => {
  it("counts per reason, times exit→entry per vCPU, accounts for every line", () => {
    const stat = new TraceStat();
    for (const line of TRACE) stat.addLine(line);
    const r = stat.report();
    expect(r).toMatchObject({ lines: 12, total: 4, entries: 4, other: 3, skipped: 1, timed: 3 });
    expect(r.skippedLines).toEqual([
      {
        line: 9,
        message: 'line is not a trace event (no "event:" column): "this is not a trace line"',
      },
    ]);
    // equal counts sort by name
    expect(r.reasons).toEqual([
      {
        name: "EPT_VIOLATION",
        arch: "x86-vmx",
        code: 48,
        count: 2,
        share: 0.5,
        timed: 1,
        minNs: 3000,
        maxNs: 3000,
        avgNs: 3000,
        totalNs: 3000,
        timeShare: 3000 / 153000,
      },
      {
        name: "HLT",
        arch: "x86-vmx",
        code: 12,
        count: 2,
        share: 0.5,
        timed: 2,
        minNs: 50000,
        maxNs: 100000,
        avgNs: 75000,
        totalNs: 150000,
        timeShare: 150000 / 153000,
      },
    ]);
    // the total equals the sum of the rows
    expect(r.reasons.reduce((s, row) => s + row.count, 0)).toBe(r.total);
  });

  it("sorts by count first and pairs by CPU or vCPU when there is no pid", () => {
    const stat = new TraceStat();
    // no pid: key by CPU column
    stat.addLine("[003] 2.000000: kvm_exit: TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0x1");
    stat.addLine("[003] 2.000010: kvm_entry: PC: 0x1");
    // no pid, no CPU: key by vcpu
    stat.addLine("2.000020: kvm_exit: vcpu 4 reason CPUID rip 0x1");
    stat.addLine("2.000021: kvm_exit: vcpu 5 reason CPUID rip 0x1");
    stat.addLine("2.000025: kvm_entry: vcpu 4");
    // no timestamp at all: counted, never timed
    stat.addLine("kvm_exit: SEPC:0x1, SCAUSE:0xa");
    stat.addLine("kvm_entry: PC: 0x1");
    const r = stat.report();
    expect(r.reasons.map((x) => [x.name, x.count, x.timed])).toEqual([
      ["CPUID", 2, 1],
      ["DABT_LOW", 1, 1],
      ["EXC_SUPERVISOR_SYSCALL", 1, 0],
    ]);
    expect(r.reasons[0]?.minNs).toBe(5000); // 2.000025 − 2.000020
    expect(r.reasons[1]?.minNs).toBe(10000); // 2.000010 − 2.000000
  });

  it("pairs by thread, not by host CPU: a blocked HLT lets another vCPU run on its CPU", () => {
    const stat = new TraceStat();
    // vCPU thread 10 halts on CPU 0 at 1.000000 and blocks; thread 20 exits and re-enters on
    // CPU 0 meanwhile; thread 10 wakes on CPU 1 and enters at 1.000500.
    stat.addLine("CPU 0/KVM-10 [000] d..1. 1.000000: kvm_exit: reason HLT rip 0x1 info 0 0");
    stat.addLine("CPU 1/KVM-20 [000] d..1. 1.000100: kvm_exit: reason CPUID rip 0x2 info 0 0");
    stat.addLine("CPU 1/KVM-20 [000] d..1. 1.000102: kvm_entry: vcpu 1");
    stat.addLine("CPU 0/KVM-10 [001] d..1. 1.000500: kvm_entry: vcpu 0");
    const r = stat.report();
    // HLT: 1.000500 − 1.000000 = 500 µs; CPUID: 1.000102 − 1.000100 = 2 µs
    expect(r.reasons.map((x) => [x.name, x.minNs])).toEqual([
      ["CPUID", 2000],
      ["HLT", 500000],
    ]);
  });

  it("a later exit of the same vCPU replaces an unanswered one; an entry closes only one exit", () => {
    const stat = new TraceStat();
    stat.addLine("a-1 [000] .... 1.000000: kvm_exit: vcpu 0 reason HLT"); // lost its entry
    stat.addLine("a-1 [000] .... 1.000010: kvm_exit: vcpu 0 reason CPUID");
    stat.addLine("a-1 [000] .... 1.000013: kvm_entry: vcpu 0"); // CPUID: 3 µs
    stat.addLine("a-1 [000] .... 1.000020: kvm_entry: vcpu 0"); // nothing open
    const r = stat.report();
    expect(r.timed).toBe(1);
    expect(r.reasons.find((x) => x.name === "CPUID")?.maxNs).toBe(3000);
    expect(r.reasons.find((x) => x.name === "HLT")?.timed).toBe(0);
  });

  it("counts trace-cmd report headers as other lines, not skipped", () => {
    const stat = new TraceStat();
    for (const line of ["cpus=4", "version = 7", "CPU 2 is empty", "CPU:3 [LOST 12 EVENTS]"]) {
      stat.addLine(line);
    }
    expect(stat.report()).toMatchObject({ lines: 4, other: 3, skipped: 1 });
  });

  it("ignores an entry before its exit and keeps only the first skipped lines", () => {
    const stat = new TraceStat();
    stat.addLine("a-1 [000] .... 5.000010: kvm_exit: vcpu 0 reason HLT");
    stat.addLine("a-1 [000] .... 5.000000: kvm_entry: vcpu 0"); // clock went back: not timed
    for (let i = 0; i < SKIPPED_LINES_KEPT + 3; i++) stat.addLine(`junk ${i}`);
    const r = stat.report();
    expect(r.timed).toBe(0);
    expect(r.skipped).toBe(SKIPPED_LINES_KEPT + 3);
    expect(r.skippedLines).toHaveLength(SKIPPED_LINES_KEPT);
  });
});

describe("statTrace", () => {
  it("streams chunks and reports progress", async () => {
    const seen: number[] = [];
    const r = await statTrace([TRACE.join("\n")], {
      onProgress: (n) => seen.push(n),
      progressEvery: 4,
    });
    expect(r.total).toBe(4);
    expect(seen).toEqual([4, 8]);
    expect((await statTrace([TRACE.join("\n")])).lines).toBe(11); // no line after the last "\n"
  });
});

describe("formatTraceStat", () => {
  it("renders the timed table with totals", async () => {
    const r = await statTrace([TRACE.join("\n")]);
    // Time%: 3000/153000 = 1.96 %, 150000/153000 = 98.04 %; total avg = 153000 / 3 timed = 51 µs
    expect(formatTraceStat(r)).toBe(
      [
        "Reason         Samples  Samples%    Time%  Min Time  Max Time  Avg Time",
        "-------------  -------  --------  -------  --------  --------  --------",
        "EPT_VIOLATION        2    50.00%    1.96%    3.00us    3.00us    3.00us",
        "HLT                  2    50.00%   98.04%   50.00us  100.00us   75.00us",
        "-------------  -------  --------  -------  --------  --------  --------",
        "Total                4   100.00%  100.00%    3.00us  100.00us   51.00us",
        "",
        "11 lines: 4 exits, 4 entries, 2 other, 1 skipped; 3 of 4 exits timed by kvm_entry",
        // by reason, exits are counted, not decoded
        "exits not decoded (grouping by kind decodes them); 1 companion event joined",
        '  skipped line 9: line is not a trace event (no "event:" column): "this is not a trace line"',
      ].join("\n"),
    );
    // HLT ×2 and the first EPT violation (GPA from its kvm_page_fault) are complete; the second
    // EPT violation prints no qualification and has no companion
    const byKind = await statTrace([TRACE.join("\n")], { by: "kind" });
    expect(formatTraceStat(byKind)).toContain(
      "typed exits: 3 complete, 1 partial, 0 undecoded; 1 companion event joined",
    );
  });

  it("leaves out time columns without kvm_entry lines, and lists how many more were skipped", async () => {
    const lines = [
      "kvm_exit: vcpu 0 reason HLT",
      "kvm_exit: vcpu 0 reason HLT",
      "kvm_exit: reason npf",
    ];
    for (let i = 0; i < SKIPPED_LINES_KEPT + 2; i++) lines.push("?");
    const text = formatTraceStat(await statTrace([lines.join("\n")]));
    expect(text.split("\n").slice(0, 6)).toEqual([
      "Reason  Samples  Samples%",
      "------  -------  --------",
      "HLT           2    66.67%",
      "npf           1    33.33%",
      "------  -------  --------",
      "Total         3   100.00%",
    ]);
    expect(text).toContain("10 lines: 3 exits, 0 entries, 0 other, 7 skipped; no kvm_entry timing");
    expect(text).toContain("  … and 2 more skipped");
  });

  it("an empty trace has a total of 0", async () => {
    const text = formatTraceStat(await statTrace([]));
    expect(text).toContain("Total         0         -");
    expect(text).toContain("0 lines: 0 exits, 0 entries, 0 other, 0 skipped");
  });
});
