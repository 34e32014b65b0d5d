import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VmExitError } from "../core/error";
import { parseTraceLine } from "./line";
import type { Aarch64TraceExit, RiscvTraceExit, TraceEntry, VmxTraceExit } from "./types";

function exitOf(line: string) {
  const r = parseTraceLine(line);
  if (r === undefined || r.type !== "exit") throw new Error(`not an exit: ${line}`);
  return r;
}

describe("line prefix", () => {
  it.each([
    // ftrace, 5-char flags (Linux ≥ 5.18), task name with a space and a slash
    [
      "  CPU 0/KVM-4121 [002] d..1. 3481.220026: kvm_exit: vcpu 0 reason HLT rip 0x1",
      { task: "CPU 0/KVM", pid: 4121, cpu: 2, flags: "d..1.", timestamp: 3481_220026_000n },
    ],
    // ftrace, 4-char flags (older kernels)
    [
      "qemu-system-x86-12345 [003] .... 12.000001: kvm_exit: reason HLT rip 0x1",
      { task: "qemu-system-x86", pid: 12345, cpu: 3, flags: "....", timestamp: 12_000001_000n },
    ],
    // trace-cmd report: no flags column, padded event name
    [
      "    qemu-kvm-2841  [001] 102.332086: kvm_exit:             reason HLT rip 0x1 info 0 0",
      { task: "qemu-kvm", pid: 2841, cpu: 1, timestamp: 102_332086_000n },
    ],
    // perf script: pid separated by blanks, `kvm:` system prefix, nanosecond timestamp
    [
      "CPU 1/KVM  4049 [011] 10862.383455123: kvm:kvm_exit: vcpu 1 reason HLT rip 0x1",
      { task: "CPU 1/KVM", pid: 4049, cpu: 11, timestamp: 10862_383455123n },
    ],
    // unknown comm
    [
      "<...>-77 [000] d.h2. 5.5: kvm_exit: reason HLT",
      { task: "<...>", pid: 77, cpu: 0, flags: "d.h2.", timestamp: 5_500000000n },
    ],
    // abbreviated: timestamp only
    ["1.000002: kvm_exit: reason HLT", { timestamp: 1_000002_000n }],
    // abbreviated: the event alone
    ["kvm_exit: reason HLT", {}],
  ])("%s", (line, prefix) => {
    expect(exitOf(line).prefix).toEqual(prefix);
  });

  it("reads any task name, pid, CPU, flags, padding and timestamp (property)", () => {
    // A task (comm, ≤ 15 chars) may hold blanks, slashes, dashes and digits; it starts and ends
    // with a non-blank. The expected prefix is built from the parts, not by the parser.
    const taskChar = fc.constantFrom(..."abcKVMqemu-/ 0123456789:._<>");
    const task = fc
      .array(taskChar, { minLength: 1, maxLength: 15 })
      .map((cs) => cs.join("").trim())
      .filter((t) => t !== "");
    const flags = fc.option(
      fc
        .array(fc.constantFrom(..."dDhHsnNrRbB.0123456789"), { minLength: 4, maxLength: 5 })
        .map((cs) => cs.join("")),
      { nil: undefined },
    );
    const pad = fc.integer({ min: 0, max: 12 }).map((n) => " ".repeat(n));
    const gap = fc.integer({ min: 1, max: 4 }).map((n) => " ".repeat(n));
    fc.assert(
      fc.property(
        fc.record({
          task,
          pid: fc.integer({ min: 0, max: 4_194_304 }),
          cpu: fc.integer({ min: 0, max: 4095 }),
          flags,
          secs: fc.integer({ min: 0, max: 99_999 }),
          usecs: fc.integer({ min: 0, max: 999_999 }),
          pad,
          gap,
          event: fc.constantFrom("kvm_exit:            ", "kvm_exit: ", "kvm:kvm_exit: "),
        }),
        (p) => {
          const cpuCol = `[${String(p.cpu).padStart(3, "0")}]`;
          const frac = String(p.usecs).padStart(6, "0");
          const line =
            `${p.pad}${p.task}-${p.pid}${p.gap}${cpuCol}${p.gap}` +
            `${p.flags === undefined ? "" : `${p.flags}${p.gap}`}${p.secs}.${frac}: ${p.event}reason HLT rip 0x1`;
          const expected: Record<string, unknown> = {
            task: p.task,
            pid: p.pid,
            cpu: p.cpu,
            // secs·10^9 + µs·10^3, exact at any uptime
            timestamp: BigInt(p.secs) * 1_000_000_000n + BigInt(p.usecs) * 1000n,
          };
          if (p.flags !== undefined) expected.flags = p.flags;
          const e = exitOf(line);
          expect(e.prefix).toEqual(expected);
          expect(e.name).toBe("HLT");
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("reads companion and other events and returns undefined for lines without an event column", () => {
    // kvm_pio is a companion event: its fields are read (port 0x3f8 = 1016, value 0x41 = 65)
    expect(
      parseTraceLine("x-1 [000] .... 1.0: kvm_pio: pio_write at 0x3f8 size 1 count 1 val 0x41"),
    ).toEqual({
      type: "companion",
      event: "kvm_pio",
      prefix: { task: "x", pid: 1, cpu: 0, flags: "....", timestamp: 1_000_000_000n },
      access: "write",
      port: 0x3f8,
      size: 1,
      count: 1,
      val: 0x41,
    });
    expect(parseTraceLine("x-1 [000] .... 1.0: kvm_fpu: load")).toEqual({
      type: "other",
      prefix: { task: "x", pid: 1, cpu: 0, flags: "....", timestamp: 1_000_000_000n },
      event: "kvm_fpu",
    });
    expect(parseTraceLine("# tracer: nop")).toBeUndefined();
    expect(parseTraceLine("")).toBeUndefined();
    expect(parseTraceLine("CPU:3 [LOST 12 EVENTS]")).toBeUndefined();
  });
});

describe("x86 kvm_exit", () => {
  it("format 1: reason by full value, `info %llx %llx` (info2 = interruption info)", () => {
    const e = exitOf(
      "kvm_exit: reason EXTERNAL_INTERRUPT rip 0xffffffff8102f5f6 info 0 800000ef",
    ) as VmxTraceExit;
    expect(e.arch).toBe("x86-vmx");
    expect(e.name).toBe("EXTERNAL_INTERRUPT");
    expect(e.code).toBe(1);
    expect(e.vcpu).toBeUndefined();
    expect(e.pc).toBe(0xffffffff8102f5f6n);
    // 0x800000ef: valid (bit 31), type 0 external interrupt, vector 0xef
    expect(e.snapshot).toEqual({
      exitReason: 1,
      exitQualification: 0,
      exitInterruptionInfo: 0x800000ef,
      regs: { rip: 0xffffffff8102f5f6n },
    });
  });

  it("format 1: a failed entry prints the full reason in hex", () => {
    // 0x80000021 = bit 31 (VM-entry failure) | basic 33 INVALID_STATE
    const e = exitOf("kvm_exit: reason 0x80000021 rip 0xfff0 info 0 0") as VmxTraceExit;
    expect(e.name).toBe("INVALID_STATE");
    expect(e.code).toBe(33);
    expect(e.snapshot.exitReason).toBe(0x8000_0021);
  });

  it("format 2: `vcpu N` and bare hex info words", () => {
    // EPT violation qualification 0x181: read (bit 0), GLA valid (7), translation (8)
    const e = exitOf("kvm_exit: vcpu 3 reason EPT_VIOLATION rip 0x7e00 info 181 0") as VmxTraceExit;
    expect(e.vcpu).toBe(3);
    expect(e.snapshot).toEqual({
      exitReason: 48,
      exitQualification: 0x181,
      exitInterruptionInfo: 0,
      regs: { rip: 0x7e00n },
    });
  });

  it("format 3: exit-reason flags after the name, unknown flag bits in hex", () => {
    // FAILED_VMENTRY = bit 31; 0x4000000 = bit 26 (bus lock) printed as a number
    const e = exitOf(
      "kvm_exit: vcpu 0 reason INVALID_STATE FAILED_VMENTRY 0x4000000 rip 0xfff0 info 0 0",
    ) as VmxTraceExit;
    expect(e.snapshot.exitReason).toBe(0x8400_0021);
    expect(e.name).toBe("INVALID_STATE");
  });

  it("format 4: info1/info2/intr_info/error_code (info2 = IDT-vectoring info)", () => {
    // #PF with error code: intr_info 0x80000b0e = valid | deliver-error-code (bit 11) | type 3 | vector 14
    const e = exitOf(
      "kvm_exit: vcpu 1 reason EXCEPTION_NMI rip 0xffffffff81001000 info1 0x00007f0000001000 info2 0x0000000080000020 intr_info 0x80000b0e error_code 0x00000004",
    ) as VmxTraceExit;
    expect(e.code).toBe(0);
    expect(e.snapshot).toEqual({
      exitReason: 0,
      exitQualification: 0x7f0000001000,
      idtVectoringInfo: 0x80000020,
      exitInterruptionInfo: 0x80000b0e,
      exitInterruptionErrorCode: 4,
      regs: { rip: 0xffffffff81001000n },
    });
    expect(e.requests).toBeUndefined();
  });

  it("format 5: trailing `requests`, 64-bit qualification kept exact as bigint", () => {
    const e = exitOf(
      "kvm_exit: vcpu 0 reason CR_ACCESS rip 0x10 info1 0xffffffffffffffff info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000 requests 0x0000000000000400",
    ) as VmxTraceExit;
    expect(e.snapshot.exitQualification).toBe(0xffff_ffff_ffff_ffffn);
    expect(e.requests).toBe(0x400n);
  });

  it("names unknown to Linux print in hex and keep their number", () => {
    // reason 0x4c (76, SEAMCALL) has no Linux string
    const e = exitOf("kvm_exit: vcpu 0 reason 0x4c rip 0x0") as VmxTraceExit;
    expect(e.code).toBe(76);
    expect(e.snapshot.exitReason).toBe(76);
  });

  it("old name PENDING_INTERRUPT is reason 7", () => {
    expect(
      (exitOf("kvm_exit: reason PENDING_INTERRUPT rip 0x0 info 0 0") as VmxTraceExit).code,
    ).toBe(7);
  });

  it("any field after the reason may be missing", () => {
    expect((exitOf("kvm_exit: vcpu 0 reason HLT") as VmxTraceExit).snapshot).toEqual({
      exitReason: 12,
    });
    // a line cut after a key keeps what came before it
    expect((exitOf("kvm_exit: vcpu 0 reason HLT rip 0x1 info1") as VmxTraceExit).snapshot).toEqual({
      exitReason: 12,
      regs: { rip: 1n },
    });
  });

  it("AMD SVM lowercase names (and `PF excp`) are counted by name", () => {
    const npf = exitOf(
      "kvm_exit: vcpu 0 reason npf rip 0xffffffff81000000 info1 0x0000000100000006 info2 0x00000000fee00300 intr_info 0x00000000 error_code 0x00000000",
    );
    // Linux SVM_EXIT_REASONS: npf = SVM_EXIT_NPF 0x400, "PF excp" = SVM_EXIT_EXCP_BASE + 14 = 0x4e,
    // idle-halt = SVM_EXIT_IDLE_HLT 0x0a6
    expect(npf).toMatchObject({ arch: "x86-svm", name: "npf", vcpu: 0, code: 0x400 });
    expect(exitOf("kvm_exit: reason PF excp rip 0x1 info 4 7f00")).toMatchObject({
      name: "PF excp",
      code: 0x4e,
    });
    expect(exitOf("kvm_exit: vcpu 0 reason idle-halt rip 0x1")).toMatchObject({
      name: "idle-halt",
      code: 0xa6,
    });
  });

  it.each([
    ["kvm_exit: vcpu x reason HLT", "vcpu"],
    ["kvm_exit: vcpu 0 HLT", "reason"],
    ["kvm_exit: vcpu 0 reason Hlt? rip 0x1", "reason"],
    ["kvm_exit: vcpu 0 reason HLT BOGUS rip 0x1", "reason"],
    ["kvm_exit: vcpu 0 reason HLT rip 12", "rip"],
    ["kvm_exit: vcpu 0 reason HLT rip 0x1 intr_info 0x100000000", "intr_info"],
    ["kvm_exit: vcpu 0 reason HLT rip 0x1 info2 0x100000000", "info2"],
    ["kvm_exit: reason HLT rip 0x1 info 0 100000000", "info"],
    ["kvm_exit: reason HLT rip 0x1 info zz 0", "info"],
    ["kvm_exit: something else", "kvm_exit"],
  ])("rejects %s naming %s", (line, field) => {
    expect(() => parseTraceLine(line)).toThrow(VmExitError);
    try {
      parseTraceLine(line);
    } catch (e) {
      expect((e as VmExitError).code).toBe("malformed-trace");
      expect((e as VmExitError).field).toBe(field);
    }
  });
});

describe("arm64 kvm_exit", () => {
  it("TRAP with a 16-digit PC", () => {
    const e = exitOf(
      "CPU 0/KVM-2201 [001] d..1. 812.113004: kvm_exit: TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff800080a1b2c4",
    ) as Aarch64TraceExit;
    expect(e).toMatchObject({
      arch: "aarch64",
      name: "DABT_LOW",
      code: 0x24,
      ec: 0x24,
      exceptionType: "TRAP",
    });
    expect(e.pc).toBe(0xffff800080a1b2c4n);
  });

  it("old 8-digit PC", () => {
    expect(exitOf("kvm_exit: TRAP: HSR_EC: 0x0016 (HVC64), PC: 0x80001234").pc).toBe(0x80001234n);
  });

  it("IRQ / SERROR / HYP_GONE exits are named by type (EC prints 0)", () => {
    const irq = exitOf(
      "kvm_exit: IRQ: HSR_EC: 0x0000 (UNKNOWN), PC: 0x0000ffff8a2b1c40",
    ) as Aarch64TraceExit;
    expect(irq.name).toBe("IRQ");
    expect(irq.code).toBeUndefined();
    expect(exitOf("kvm_exit: SERROR: HSR_EC: 0x0000 (UNKNOWN), PC: 0x1").name).toBe("SERROR");
    expect(exitOf("kvm_exit: HYP_GONE: HSR_EC: 0x0000 (UNKNOWN), PC: 0x1").name).toBe("HYP_GONE");
    // ARM_EXCEPTION_IL (3) has no name: printed in hex
    expect(exitOf("kvm_exit: 0x3: HSR_EC: 0x0000 (UNKNOWN), PC: 0x1").name).toBe("0x3");
  });

  it("EC names come from the EC table even when Linux prints a number", () => {
    // EC 0x0d (BTI) has no kvm_arm_exception_class string: the tracepoint prints (0xd)
    expect(exitOf("kvm_exit: TRAP: HSR_EC: 0x000d (0xd), PC: 0x1").name).toBe("BTI");
    // an unallocated EC keeps the printed text
    expect(exitOf("kvm_exit: TRAP: HSR_EC: 0x0002 (0x2), PC: 0x1").name).toBe("0x2");
  });

  it("the PC may be missing", () => {
    const e = exitOf("kvm_exit: TRAP: HSR_EC: 0x0001 (WFx)");
    expect(e.name).toBe("WFx");
    expect(e.pc).toBeUndefined();
  });

  it("rejects an EC above 0x3f and unreadable text", () => {
    expect(() => parseTraceLine("kvm_exit: TRAP: HSR_EC: 0x0040 (X), PC: 0x1")).toThrow(/HSR_EC/);
    expect(() => parseTraceLine("kvm_exit: TRAP: HSR_EC: zz")).toThrow(VmExitError);
  });
});

describe("RISC-V kvm_exit", () => {
  it("load guest-page fault with all five fields", () => {
    // GPA 0x10000005: htval = GPA >> 2 = 0x4000001; htinst = transformed lbu a5 (0x4783)
    const e = exitOf(
      "kvm_exit: SEPC:0xffffffff80a0123c, SCAUSE:0x15, STVAL:0xff60000010000005, HTVAL:0x4000001, HTINST:0x4783",
    ) as RiscvTraceExit;
    expect(e).toMatchObject({
      arch: "riscv",
      name: "EXC_LOAD_GUEST_PAGE_FAULT",
      code: 21,
      interrupt: false,
    });
    expect(e.pc).toBe(0xffffffff80a0123cn);
    expect(e.snapshot).toEqual({
      scause: 21,
      stval: 0xff60000010000005n,
      htval: 0x4000001,
      htinst: 0x4783,
      xlen: 64,
    });
  });

  it("RV64 interrupt: bit 63", () => {
    const e = exitOf(
      "kvm_exit: SEPC:0x1, SCAUSE:0x8000000000000005, STVAL:0x0, HTVAL:0x0, HTINST:0x0",
    ) as RiscvTraceExit;
    expect(e).toMatchObject({ name: "IRQ_S_TIMER", code: 5, interrupt: true });
    expect(e.snapshot.xlen).toBe(64);
  });

  it("RV32 interrupt: bit 31 of a 32-bit scause", () => {
    const e = exitOf("kvm_exit: SEPC:0x80001000, SCAUSE:0x80000009, STVAL:0x0") as RiscvTraceExit;
    expect(e).toMatchObject({ name: "IRQ_S_EXT", code: 9, interrupt: true });
    expect(e.snapshot.xlen).toBe(32);
  });

  it("reserved codes get a numeric name; later fields may be missing", () => {
    // exception 14 is reserved; interrupt 4 is reserved
    expect(exitOf("kvm_exit: SEPC:0x1, SCAUSE:0xe").name).toBe("EXC_0xe");
    expect(exitOf("kvm_exit: SEPC:0x1, SCAUSE:0x8000000000000004").name).toBe("IRQ_0x4");
  });

  it("rejects a line without SCAUSE or with an empty value", () => {
    expect(() => parseTraceLine("kvm_exit: SEPC:0x1, STVAL:0x0")).toThrow(/SCAUSE/);
    expect(() => parseTraceLine("kvm_exit: SEPC:0x1, SCAUSE:0x")).toThrow(VmExitError);
  });
});

describe("kvm_entry", () => {
  function entryOf(line: string): TraceEntry {
    const r = parseTraceLine(line);
    if (r?.type !== "entry") throw new Error("not an entry");
    return r;
  }
  it.each([
    [
      "kvm_entry: vcpu 1, rip 0xffffffff81055a74 intr_info 0x00000000 error_code 0x00000000",
      1,
      0xffffffff81055a74n,
    ],
    ["kvm_entry: vcpu 2, rip 0x7e00", 2, 0x7e00n],
    // current x86 format "vcpu %u, rip 0x%lx%s": "[immediate exit]" follows the digits directly
    ["kvm_entry: vcpu 3, rip 0xffffffff81000000[immediate exit]", 3, 0xffffffff81000000n],
    // arm64's old "PC: 0x%08lx": 8 digits with a leading "016" are a PC, not the RISC-V typo
    ["kvm_entry: PC: 0x01612340", undefined, 0x01612340n],
    ["kvm_entry: vcpu 0", 0, undefined],
    ["kvm_entry: PC: 0x0000ffff8a2b1c40", undefined, 0xffff8a2b1c40n],
    // RISC-V's first format "PC: 0x016%lx": "016" then the unpadded value
    ["kvm_entry: PC: 0x016ffffffff80001234", undefined, 0xffffffff80001234n],
    ["kvm_entry: PC: 0x0160000000080001234", undefined, 0x80001234n],
    ["kvm_entry: ", undefined, undefined],
  ])("%s", (line, vcpu, pc) => {
    const e = entryOf(line);
    expect(e.vcpu).toBe(vcpu);
    expect(e.pc).toBe(pc);
  });

  it("rejects a bad vcpu number", () => {
    expect(() => parseTraceLine("kvm_entry: vcpu x")).toThrow(/vcpu/);
  });
});

describe("fuzz", () => {
  const prefixes = [
    "",
    "kvm_exit: ",
    "kvm_entry: ",
    "a-1 [000] d..1. 1.5: kvm_exit: ",
    "1.0: kvm_exit: vcpu 0 reason ",
  ];
  it("returns a line, undefined, or throws VmExitError — nothing else", () => {
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.string({ maxLength: 120 }), (p, s) => {
        try {
          const r = parseTraceLine(p + s);
          if (r !== undefined) expect(["exit", "entry", "other"]).toContain(r.type);
        } catch (e) {
          expect(e).toBeInstanceOf(VmExitError);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("survives mutated real lines", () => {
    const real = [
      "CPU 0/KVM-4121 [002] d..1. 3481.220026: kvm_exit: vcpu 0 reason IO_INSTRUCTION rip 0xf0e2d info1 0x000000000cf80003 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000 requests 0x0000000000000000",
      "CPU 0/KVM-2201 [001] d..1. 812.113004: kvm_exit: TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff800080a1b2c4",
      "CPU 1/KVM-732 [001] d..1. 95.220168: kvm_exit: SEPC:0xffffffff80a0123c, SCAUSE:0xa, STVAL:0x0, HTVAL:0x0, HTINST:0x0",
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...real),
        fc.nat(200),
        fc.nat(200),
        fc.string({ maxLength: 8 }),
        (line, at, len, ins) => {
          const mutated = line.slice(0, at) + ins + line.slice(at + (len % 12));
          try {
            parseTraceLine(mutated);
          } catch (e) {
            expect(e).toBeInstanceOf(VmExitError);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
