// libtraceevent's `[FAILED TO PARSE] field=value …` dumps of each companion event, the variants
// other kernel trees print under the same names, and `classifyLine`.
import { describe, expect, it } from "vitest";
import { VmExitError } from "../core/error";
import { classifyLine } from "./classify";
import { parseTraceLine } from "./line";
import { ftrace, onlyExit } from "./test-helpers";

const raw = (event: string, fields: string) =>
  parseTraceLine(`${event}: [FAILED TO PARSE] ${fields}`);

describe("[FAILED TO PARSE] dumps", () => {
  it.each([
    [
      "kvm_mmio",
      "type=2 len=4 gpa=0xfebf0000 val=0x7",
      { access: "write", len: 4, gpa: 0xfebf0000n, val: 7n },
    ],
    [
      "kvm_pio",
      "rw=1 port=1016 size=1 count=1 val=65",
      { access: "write", port: 0x3f8, size: 1, count: 1, val: 65 },
    ],
    [
      "kvm_msr",
      "write=1 ecx=2096 data=0x1000000fd exception=0",
      { access: "write", index: 0x830, data: 0x1000000fdn, gp: false },
    ],
    ["kvm_hypercall", "nr=5 a0=0 a1=1 a2=0 a3=0", { nr: 5n, args: [0n, 1n, 0n, 0n] }],
    [
      "kvm_page_fault",
      "vcpu_id=1 guest_rip=0x10 fault_address=0xfee00300 error_code=0x182",
      { vcpu: 1, rip: 0x10n, address: 0xfee00300n, errorCode: 0x182n },
    ],
    [
      "kvm_guest_fault",
      "vcpu_pc=0xffff800080012e40 hsr=0x93820046 hxfar=0xffff800082000000 ipa=0x9000000",
      { ipa: 0x9000000n, esr: 0x93820046n, far: 0xffff800082000000n, pc: 0xffff800080012e40n },
    ],
    ["kvm_handle_sys_reg", "hsr=0x6234f801", { esr: 0x6234f801n }],
    ["kvm_hvc_arm64", "vcpu_pc=0x1 r0=0x84000001 imm=0x0", { x0: 0x84000001n, imm: 0n, pc: 1n }],
    ["kvm_wfx_arm64", "vcpu_pc=0x1 is_wfe=1", { wfe: true, pc: 1n }],
    // unsigned longs may be printed in decimal: 18446603338368757312 = 0xffff800080012e40
    [
      "kvm_hvc_arm64",
      "vcpu_pc=18446603338368757312 r0=2214592513 imm=0",
      { pc: 0xffff800080012e40n, x0: 0x84000001n },
    ],
  ])("%s", (event, fields, expected) => {
    expect(raw(event, fields)).toMatchObject({ type: "companion", event, ...expected });
  });

  it("a RISC-V kvm_exit dump", () => {
    expect(
      raw("kvm_exit", "sepc=0x80200000 scause=0x16 stval=0x10500073 htval=0x0 htinst=0x0"),
    ).toMatchObject({
      arch: "riscv",
      code: 22,
      snapshot: { scause: 22, stval: 0x10500073, htval: 0, htinst: 0 },
    });
  });

  it("dumps missing their key field are malformed", () => {
    for (const [event, fields] of [
      ["kvm_mmio", "len=4 gpa=0x1"],
      ["kvm_pio", "port=1"],
      ["kvm_msr", "ecx=1"],
      ["kvm_hypercall", "a0=1"],
      ["kvm_page_fault", "vcpu_id=1"],
      ["kvm_guest_fault", "hsr=0x1"],
      ["kvm_handle_sys_reg", "x=1"],
      ["kvm_hvc_arm64", "imm=0"],
      ["kvm_wfx_arm64", "vcpu_pc=1"],
      ["kvm_sys_access", "Op0=3"],
      ["kvm_exit", "sepc=0x1"],
      ["kvm_exit", "ret=2"],
    ] as const) {
      expect(() => raw(event, fields), `${event} ${fields}`).toThrow(VmExitError);
    }
  });
});

describe("variants of other trees and old kernels", () => {
  it("RISC-V's kvm_guest_fault, kvm_mmio_emulate and kvm_sbi_ecall", () => {
    expect(
      parseTraceLine(
        "kvm_guest_fault: VCPU: 1, GPA: 0x10001000, SEPC: 0x1, SCAUSE: 0x17, STVAL: 0x0, HTVAL: 0x4000400, HTINST: 0x0",
      ),
    ).toMatchObject({
      vcpu: 1,
      ipa: 0x10001000n,
    });
    expect(
      parseTraceLine(
        "kvm_mmio_emulate: VCPU: 1, Store MMIO at 0x10001000, len 4, insn 0xe7a023, sepc 0x80200000",
      ),
    ).toMatchObject({
      vcpu: 1,
      instruction: 0xe7a023,
      pc: 0x80200000n,
    });
    expect(
      parseTraceLine(
        "kvm_sbi_ecall: VCPU: 0, SBI ecall at 0x80200000, ext 0x54494d45, fid 0x0, a0 0x1000",
      ),
    ).toMatchObject({
      eid: 0x54494d45n,
      fid: 0n,
      a0: 0x1000n,
    });
    expect(
      parseTraceLine("kvm_exit: VCPU: 3, SEPC: 0x1, SCAUSE: 0x8000000000000005, STVAL: 0x0"),
    ).toMatchObject({ vcpu: 3, code: 5 });
  });

  it("an arm64 abort without a valid syndrome: the instruction from kvm_mmio_emulate", async () => {
    // ESR 0x92000046: DABT_LOW, ISV 0, WnR 1, DFSC translation level 2. b9000001 = STR W1, [X0]
    // (size 10 = 4 bytes, Rt 1): the data is the value kvm_mmio shows
    const A = (t: string, e: string, b: string) => ftrace(2201, 5, t, e, b);
    const e = await onlyExit([
      A("1.0", "kvm_exit", "TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff800080012e40"),
      A(
        "1.1",
        "kvm_guest_fault",
        "ipa 0x9000000, hsr 0x92000046, hxfar 0xffff800082000010, pc 0xffff800080012e40",
      ),
      A(
        "1.1",
        "kvm_mmio_emulate",
        "Emulate MMIO at: 0xffff800080012e40 (instr: b9000001, cpsr: 60000005)",
      ),
      A("1.2", "kvm_mmio", "mmio write len 4 gpa 0x9000010 val 0x55"),
      A("1.3", "kvm_entry", "PC: 0xffff800080012e44"),
    ]);
    expect(e.exit).toEqual({ kind: "MmioWrite", addr: 0x9000010n, width: 4, data: 0x55n });
  });

  it("an AVIC unaccelerated access and an incomplete IPI join their exits", async () => {
    const S = (t: string, e: string, b: string) => ftrace(5001, 3, t, e, b);
    const e = await onlyExit([
      S(
        "1.0",
        "kvm_exit",
        "vcpu 0 reason avic_unaccelerated_access rip 0x1 info1 0x0000000000000300 info2 0x0000000000000000",
      ),
      S(
        "1.1",
        "kvm_avic_unaccelerated_access",
        "vcpu=0, offset=0x300(APIC_ICR), trap, write, vec=0xfd",
      ),
      S("1.1", "kvm_avic_incomplete_ipi", "vcpu=0, icrh:icrl=0x00000003:000000fd, id=1, index=3"),
      S("1.2", "kvm_entry", "vcpu 0, rip 0x2"),
    ]);
    expect(e.companions.map((c) => c.companion.event)).toEqual([
      "kvm_avic_unaccelerated_access",
      "kvm_avic_incomplete_ipi",
    ]);
    // EXITINFO1 0x300: offset 0x300 (ICR), bit 32 clear; ICR is one of the offsets KVM treats as a
    // trap (avic.c is_avic_unaccelerated_access_trap): nothing is left to emulate
    expect(e.exit).toEqual({ kind: "Nothing" });
    expect(e.missing).toBeUndefined();
  });

  it("malformed companions name their field", () => {
    for (const line of [
      "kvm_pio: pio_write at 0x10000 size 1 count 1",
      "kvm_pio: pio_write at 0x3f8 count 1",
      "kvm_msr: msr_sideways 1b = 0x0",
      "kvm_msr: msr_read zz = 0x0",
      "kvm_msr: msr_read 1b 0x0",
      "kvm_apic: apic_sideways APIC_EOI = 0x0",
      "kvm_apic: apic_write APIC_NOPE = 0x0",
      "kvm_apic_ipi: dst 1 vec 999 (Fixed|physical|assert|edge|dst)",
      "kvm_apic_ipi: dst 1 vec 1 (Bogus|physical|assert|edge|dst)",
      "kvm_emulate_insn: zz",
      "kvm_fast_mmio: fast mmio",
      "kvm_guest_fault: ipa 0x1, hxfar 0x2",
      "kvm_hvc_arm64: HVC at 0x1",
      "kvm_wfx_arm64: guest executed wfz at: 0x1",
      "kvm_sys_access: PC: 1 X (3,0,1)",
      "kvm_mmio_emulate: at 0x1",
      "kvm_sbi_ecall: VCPU: 0, SBI ecall at 0x1",
      "kvm_handle_sys_reg: 0x1",
      "kvm_entry: vcpu 0, rip 0xzz",
      "kvm_entry: PC: 0xzz",
    ]) {
      expect(() => parseTraceLine(line), line).toThrow(VmExitError);
    }
  });

  it("an unnamed APIC register prints as a number", () => {
    expect(parseTraceLine("kvm_apic: apic_read 0x3c0 = 0x0")).toMatchObject({
      reg: 0x3c0,
      access: "read",
    });
  });
});

describe("classifyLine", () => {
  it("a line, a comment or header, or a skipped line with the reason; never a throw for a string", () => {
    expect(classifyLine("kvm_exit: reason HLT")).toMatchObject({
      type: "line",
      line: { type: "exit", name: "HLT" },
    });
    expect(classifyLine("# tracer: nop")).toEqual({ type: "comment" });
    expect(classifyLine("cpus=4")).toEqual({ type: "comment" });
    expect(classifyLine("CPU:3 [LOST 12 EVENTS]")).toMatchObject({
      type: "skipped",
      error: { code: "malformed-trace" },
    });
    expect(classifyLine("kvm_exit: reason HLT rip 12")).toMatchObject({
      type: "skipped",
      error: { field: "rip" },
    });
  });

  it("rejects what is not a string with a VmExitError", () => {
    expect(() => classifyLine(null as unknown as string)).toThrow(VmExitError);
    expect(() => parseTraceLine(5 as unknown as string)).toThrow(/line must be a string/);
  });
});
