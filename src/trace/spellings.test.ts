// The spellings real tools print: the kernel's formats of each generation and libtraceevent's
// (perf script, trace-cmd report), each with the exit or event it stands for.
import { describe, expect, it } from "vitest";
import { codecs } from "../codecs";
import { VmExitError } from "../core/error";
import { decodeTraceExit } from "./decode";
import { parseTraceLine } from "./line";
import { statTrace } from "./stat";
import { exits, items, onlyExit } from "./test-helpers";
import type { TraceExit } from "./types";

function parsed(line: string) {
  const r = parseTraceLine(line);
  if (r === undefined) throw new Error(`no event: ${line}`);
  return r;
}

describe("libtraceevent's kvm plugin (perf script, trace-cmd report)", () => {
  it("`reason X rip … info A B` on a new kernel: A is the qualification", async () => {
    const line =
      "CPU 1/KVM  4049 [011] 10862.383455123: kvm:kvm_exit: reason EPT_VIOLATION rip 0xffffffff8105e8a2 info 182 0";
    expect(parsed(line)).toMatchObject({
      arch: "x86-vmx",
      name: "EPT_VIOLATION",
      code: 48,
      prefix: { task: "CPU 1/KVM", pid: 4049, cpu: 11, timestamp: 10862_383455123n },
      snapshot: { exitReason: 48, exitQualification: 0x182 },
    });
    // with its (plugin-spelled) kvm_page_fault, the fault on RAM is a NestedPageFault WRITE
    const e = await onlyExit([
      line,
      "CPU 1/KVM  4049 [011] 10862.383455999: kvm:kvm_page_fault: vcpu 1 rip 0xffffffff8105e8a2 address 0x0000000012345678 error_code 0x182",
      "CPU 1/KVM  4049 [011] 10862.383457000: kvm:kvm_entry: vcpu 1, rip 0xffffffff8105e8a4",
    ]);
    expect(e.exit).toEqual({ kind: "NestedPageFault", addr: 0x12345678n, accessFlags: 2 });
    expect(e.handlingNs).toBe(1877);
  });

  it("the sample period perf prints before the event", () => {
    expect(
      parsed(
        "qemu-system-x86 27539 [001] 1010613.453843:          1 kvm:kvm_exit: reason HLT rip 0x1 info 0 0",
      ),
    ).toMatchObject({
      name: "HLT",
      prefix: { task: "qemu-system-x86", pid: 27539, cpu: 1, timestamp: 1010613_453843000n },
    });
  });

  it("SVM names with the EXIT_ prefix, and Linux's lower-case names", () => {
    expect(
      parsed("kvm_exit: reason EXIT_NPF rip 0xffffffff81000000 info 100000006 fee00300"),
    ).toMatchObject({
      // one name per exit code, however it was spelled: SVM_EXIT_NPF = 0x400, printed "npf"
      arch: "x86-svm",
      name: "npf",
      code: 0x400,
    });
    expect(parsed("kvm_exit: reason EXIT_EXCP_PF rip 0x1 info 4 7f0000")).toMatchObject({
      arch: "x86-svm",
      name: "PF excp",
      code: 0x4e,
    });
    expect(
      parsed(
        "kvm_exit: vcpu 0 reason npf rip 0x1 info1 0x0000000100000006 info2 0x00000000fee00300 intr_info 0x00000000 error_code 0x00000000",
      ),
    ).toMatchObject({
      arch: "x86-svm",
      name: "npf",
      vcpu: 0,
    });
  });

  it("without the x86-svm codec an SVM exit says so and stays undetermined", async () => {
    // a build without the SVM codec: the registry entry taken away for this test
    const registry = codecs as unknown as Record<string, unknown>;
    const svm = registry["x86-svm"];
    delete registry["x86-svm"];
    try {
      const e = await onlyExit([
        "a-1 [000] .... 1.0: kvm_exit: reason EXIT_IOIO rip 0x1000 info 600211 1002",
      ]);
      expect(e.missing).toEqual(["kind"]);
      expect(e.error?.message).toContain("x86-svm codec");
      const line = decodeTraceExit(parsed("kvm_exit: vcpu 0 reason npf rip 0x1") as TraceExit);
      expect(line.error?.code).toBe("unknown-exit-reason");
    } finally {
      registry["x86-svm"] = svm;
    }
  });

  it("`reason UNKNOWN (n)`: a VMX reason by number, or SVM once the trace named SVM exits", async () => {
    // 76 = SEAMCALL has no name in the plugin's table
    expect(parsed("kvm_exit: reason UNKNOWN (76) rip 0x1 info 0 0")).toMatchObject({
      arch: "x86-vmx",
      code: 76,
    });
    const got = await exits([
      "a-1 [000] .... 1.0: kvm_exit: reason EXIT_HLT rip 0x1 info 0 0",
      "a-1 [000] .... 1.1: kvm_exit: reason UNKNOWN (1027) rip 0x1 info 0 0",
    ]);
    // EXIT_HLT = SVM_EXIT_HLT 0x078; 1027 = 0x403 VMGEXIT, named as Linux prints it
    expect(got.map((e) => [e.trace.arch, e.trace.code, e.trace.name])).toEqual([
      ["x86-svm", 0x78, "hlt"],
      ["x86-svm", 1027, "vmgexit"],
    ]);
  });

  it("`CAN'T FIND FIELD` blurbs before the kernel's own text", () => {
    // kvm_nested_vmexit is an L2 exit seen by L0, not an exit of the traced guest
    expect(
      parsed(
        `kvm_nested_vmexit: CAN'T FIND FIELD "rip"<CANT FIND FIELD exit_code>vcpu 0 reason EPT_VIOLATION rip 0x1 info1 0x0`,
      ),
    ).toEqual({ type: "other", prefix: {}, event: "kvm_nested_vmexit" });
    expect(parsed(`kvm_exit: CAN'T FIND FIELD "isa" vcpu 2 reason HLT rip 0x1`)).toMatchObject({
      name: "HLT",
      vcpu: 2,
    });
  });

  it("`[FAILED TO PARSE]` dumps: kvm_sys_access, kvm_exit, kvm_entry", async () => {
    const sys =
      "a-7 [000] .... 1.1: kvm_sys_access: [FAILED TO PARSE] vcpu_pc=0xffff800080012e40 is_write=0 name=0xffff800081234567 Op0=3 Op1=3 CRn=14 CRm=0 Op2=2";
    expect(parsed(sys)).toMatchObject({
      event: "kvm_sys_access",
      op0: 3,
      op1: 3,
      crn: 14,
      crm: 0,
      op2: 2,
      write: false,
    });
    // CNTVCT_EL0 = Op0 3, Op2 2, Op1 3, CRn 14, CRm 0 → 0x34f800; Rt is not in the dump
    const e = await onlyExit([
      "a-7 [000] .... 1.0: kvm_exit: TRAP: HSR_EC: 0x0018 (SYS64), PC: 0xffff800080012e40",
      sys,
    ]);
    expect(e.partial).toEqual({ kind: "SysRegRead", addr: 0x34f800 });
    // exit_reason 12 = HLT; isa 1 = VMX
    expect(
      parsed(
        "kvm_exit: [FAILED TO PARSE] exit_reason=12 guest_rip=0xffffffff81000000 isa=1 info1=0 info2=0 intr_info=0 error_code=0 vcpu_id=3",
      ),
    ).toMatchObject({
      arch: "x86-vmx",
      name: "HLT",
      vcpu: 3,
      pc: 0xffffffff81000000n,
    });
    expect(
      parsed("kvm_exit: [FAILED TO PARSE] ret=2 esr_ec=36 vcpu_pc=0xffff800080012e40"),
    ).toMatchObject({
      arch: "aarch64",
      name: "DABT_LOW",
      code: 0x24,
    });
    expect(parsed("kvm_entry: [FAILED TO PARSE] vcpu_id=1 rip=0xffffffff81000002")).toMatchObject({
      type: "entry",
      vcpu: 1,
      pc: 0xffffffff81000002n,
    });
  });

  it("kvm_emulate_insn: the plugin's `%llx:%llx: %s%s` (no mode, FAIL) and the kernel's `failed`", () => {
    expect(parsed("kvm_emulate_insn: 0:ffffffff81000000: 89 07")).toMatchObject({
      bytes: [0x89, 0x07],
      failed: false,
    });
    expect(parsed("kvm_emulate_insn: 0:ffffffff81000000: 0f 0b FAIL")).toMatchObject({
      bytes: [0x0f, 0x0b],
      failed: true,
    });
    expect(parsed("kvm_emulate_insn: 0:ffffffff81000000:0f 0b (prot64) failed")).toMatchObject({
      cpuMode: 64,
      failed: true,
    });
    // built with udis86, the plugin prints a disassembly instead of bytes: no bytes are taken
    const dis = parsed("kvm_emulate_insn: 0:ffffffff81000000: mov %eax,(%rdi)");
    expect(dis).not.toHaveProperty("bytes");
  });
});

describe("kernel formats of every generation", () => {
  it("old kvm_page_fault `address %lx error_code %x` without 0x", async () => {
    expect(parsed("kvm_page_fault: address 7fc036d000 error_code 582")).toMatchObject({
      address: 0x7fc036d000n,
      errorCode: 0x582n,
    });
    // qualification 0x582 (from the old `info A B`): write (bit 1) → NestedPageFault WRITE
    const e = await onlyExit([
      "    qemu-kvm-2841  [001] 102.332845: kvm_exit:             reason EPT_VIOLATION rip 0xffffffff8105e8a2 info 582 0",
      "    qemu-kvm-2841  [001] 102.332846: kvm_page_fault:       address 7fc036d000 error_code 582",
      "    qemu-kvm-2841  [001] 102.332847: kvm_entry:            vcpu 0",
    ]);
    expect(e.exit).toEqual({ kind: "NestedPageFault", addr: 0x7fc036d000n, accessFlags: 2 });
  });

  it("kvm_pio with and without val, with the trailing (...)", () => {
    expect(parsed("kvm_pio: pio_write at 0x3f8 size 1 count 1 val 0x41 ")).toMatchObject({
      access: "write",
      port: 0x3f8,
      val: 0x41,
    });
    expect(parsed("kvm_pio: pio_read at 0x1f0 size 2 count 256 val 0x4040 (...)")).toMatchObject({
      access: "read",
      count: 256,
      val: 0x4040,
    });
    const old = parsed("kvm_pio: pio_write at 0x80 size 1 count 1");
    expect(old).toMatchObject({ port: 0x80, size: 1, count: 1 });
    expect(old).not.toHaveProperty("val");
  });

  it("kvm_msr with (#GP), kvm_apic, kvm_hypercall, AVIC events", () => {
    expect(parsed("kvm_msr: msr_read c0011029 = 0x0 (#GP)")).toMatchObject({
      index: 0xc0011029,
      gp: true,
    });
    expect(parsed("kvm_apic: apic_write APIC_EOI = 0x0")).toMatchObject({
      access: "write",
      reg: 0xb0,
    });
    expect(parsed("kvm_hypercall: nr 0xc a0 0x1 a1 0x0 a2 0x0 a3 0x0")).toMatchObject({
      nr: 0xcn,
      args: [1n, 0n, 0n, 0n],
    });
    expect(
      parsed("kvm_avic_incomplete_ipi: vcpu=0, icrh:icrl=0x00000003:000000fd, id=1, index=3"),
    ).toMatchObject({
      vcpu: 0,
      icrHigh: 3,
      icrLow: 0xfd,
      id: 1,
      index: 3,
    });
    expect(
      parsed(
        "kvm_avic_unaccelerated_access: vcpu=1, offset=0x300(APIC_ICR), fault, write, vec=0x0",
      ),
    ).toMatchObject({
      vcpu: 1,
      offset: 0x300,
      trap: false,
      write: true,
    });
    // kvm_apic_ipi: vec 236, SIPI (6), logical (bit 11), assert (14), edge, self (01 << 18)
    expect(parsed("kvm_apic_ipi: dst 2 vec 236 (SIPI|logical|assert|edge|self)")).toMatchObject({
      dest: 2,
      icrLow: 236 | (6 << 8) | (1 << 11) | (1 << 14) | (1 << 18),
    });
  });

  it("32-bit ARM: `kvm_exit: PC:` alone, completed by kvm_guest_fault (hsr, hxfar)", async () => {
    const lines = [
      "qemu-1 [000] .... 50.000000: kvm_exit: PC: 0x80001000",
      "qemu-1 [000] .... 50.000001: kvm_guest_fault: ipa 0x10000000, hsr 0x93820046, hxfar 0xf0801004, pc 0x80001000",
      "qemu-1 [000] .... 50.000002: kvm_mmio: mmio write len 4 gpa 0x10000004 val 0x61",
      "qemu-1 [000] .... 50.000009: kvm_entry: PC: 0x80001004",
    ];
    expect(parsed(lines[0] as string)).toMatchObject({
      arch: "aarch64",
      name: "UNKNOWN",
      pc: 0x80001000n,
    });
    // MMIO address = ipa | (hxfar & 0xfff) = 0x10000000 | 0x004
    expect((await onlyExit(lines)).exit).toEqual({
      kind: "MmioWrite",
      addr: 0x10000004n,
      width: 4,
      data: 0x61n,
    });
    // statistics name the exit by the EC of its hsr (0x93820046 >> 26 = 0x24, DABT_LOW)
    expect((await statTrace([lines.join("\n")])).reasons.map((r) => r.name)).toEqual(["DABT_LOW"]);
  });

  it("`esr`/`ESR` for `hsr`/`HSR` (a rename proposed upstream)", () => {
    expect(
      parsed("kvm_guest_fault: ipa 0x9000000, esr 0x93820046, hxfar 0xffff800082000000, pc 0x1"),
    ).toMatchObject({ esr: 0x93820046n });
    expect(parsed("kvm_handle_sys_reg: ESR 0x6234f801")).toMatchObject({ esr: 0x6234f801n });
  });

  it("timestamps are exact to the nanosecond at any uptime", async () => {
    // 1234567890.123456789 s (39 years): beyond 2^53 ns, which a float would round
    expect(
      parsed("a-1 [000] .... 1234567890.123456789: kvm_exit: reason HLT").prefix.timestamp,
    ).toBe(1234567890123456789n);
    // a bare integer is nanoseconds
    expect(parsed("18446744073709551615: kvm_exit: reason HLT").prefix.timestamp).toBe(
      18446744073709551615n,
    );
    const e = await onlyExit([
      "a-1 [000] .... 1234567890.999999999: kvm_exit: vcpu 0 reason HLT rip 0x1",
      "a-1 [000] .... 1234567891.000000001: kvm_entry: vcpu 0, rip 0x2",
    ]);
    expect(e.handlingNs).toBe(2);
  });

  it("the ftrace tgid column", () => {
    expect(parsed("<...>-77 (   77) [000] d.h2. 5.5: kvm_exit: reason HLT").prefix).toEqual({
      task: "<...>",
      pid: 77,
      cpu: 0,
      flags: "d.h2.",
      timestamp: 5_500_000_000n,
    });
  });

  it("a malformed companion is a skipped line naming its field", async () => {
    expect(() => parseTraceLine("kvm_mmio: mmio sideways len 4 gpa 0x1 val 0x2")).toThrow(
      VmExitError,
    );
    const all = await items(["kvm_pio: pio_sideways at 0x3f8 size 1 count 1"]);
    expect(all[0]).toMatchObject({ type: "skipped", line: 1, error: { code: "malformed-trace" } });
  });
});
