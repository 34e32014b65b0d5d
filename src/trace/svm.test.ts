// AMD SVM: the reader builds the SvmSnapshot a `kvm_exit` line and its companions determine and
// decodes it with codecs["x86-svm"]. Expected exits are derived from the field layouts (AMD APM
// Vol. 2 §15 as Linux's SVM_IOIO_*, PFERR_* and svm.c read them) and from what each companion
// event says (arch/x86/kvm/trace.h), not from the decoder.
import { describe, expect, it } from "vitest";
import { statTrace } from "./stat";
import { exits, ftrace, onlyExit } from "./test-helpers";

const S = (t: string, event: string, body: string) => ftrace(5001, 3, t, event, body);

describe("SVM exits through codecs['x86-svm']", () => {
  it("new format: EXITCODE by name, EXITINFO1/2, EXITINTINFO; kvm_pio's value in RAX", async () => {
    // OUT dx, al to 0x3f8: EXITINFO1 = port << 16 | SZ8 (bit 4) = 0x03f80010, EXITINFO2 = next RIP;
    // kvm_pio gives the byte written: IoWrite { 0x3f8, 1, 0x41 }
    const e = await onlyExit([
      S(
        "1.0",
        "kvm_exit",
        "vcpu 0 reason io rip 0x1000 info1 0x0000000003f80010 info2 0x0000000000001001 intr_info 0x00000000 error_code 0x00000000",
      ),
      S("1.1", "kvm_pio", "pio_write at 0x3f8 size 1 count 1 val 0x41 "),
      S("1.2", "kvm_entry", "vcpu 0, rip 0x1001"),
    ]);
    expect(e.exit).toEqual({ kind: "IoWrite", port: 0x3f8, width: 1, data: 0x41n });
    expect(e.trace).toMatchObject({
      arch: "x86-svm",
      code: 0x7b,
      name: "io",
      snapshot: { exitCode: 0x7b, exitInfo1: 0x3f80010 },
    });
    expect(e.snapshot).toEqual({
      exitCode: 0x7b,
      exitInfo1: 0x3f80010,
      exitInfo2: 0x1001,
      exitIntInfo: 0,
      exitIntInfoErrorCode: 0,
      regs: { rip: 0x1000, rax: 0x41 },
    });
    expect(e.cause).toMatchObject({ class: "io", port: 0x3f8, size: 1, nextRip: 0x1001n });
  });

  it("plugin format with EXIT_ names: `info A B` are EXITINFO1 and EXITINFO2", async () => {
    // EXITINFO1 0x100000006 = GUEST_FINAL (bit 32) | US | RW: a write at the final GPA 0xfee00300
    // that no instruction bytes describe → NestedPageFault WRITE
    const e = await onlyExit([
      S("1.0", "kvm_exit", "reason EXIT_NPF rip 0xffffffff81000000 info 100000006 fee00300"),
    ]);
    expect(e.snapshot).toMatchObject({
      exitCode: 0x400,
      exitInfo1: 0x100000006,
      exitInfo2: 0xfee00300,
    });
    expect(e.snapshot).not.toHaveProperty("exitIntInfo");
    expect(e.exit).toEqual({ kind: "NestedPageFault", addr: 0xfee00300n, accessFlags: 2 });
    expect(e.trace).toMatchObject({ name: "npf", code: 0x400 });
  });

  it("plugin IOIO (APM worked example `in al, 0x60`): IoRead { 0x60, 1 }", async () => {
    // EXITINFO1 0x600211 = PORT 0x60 << 16 | A64 (bit 9) | SZ8 (bit 4) | TYPE IN (bit 0)
    const e = await onlyExit([
      S("1.0", "kvm_exit", "reason EXIT_IOIO rip 0x1000 info 600211 1002"),
    ]);
    expect(e.exit).toEqual({ kind: "IoRead", port: 0x60, width: 1 });
  });

  it("NPF: the GPA from kvm_page_fault when the line lacks EXITINFO2, MMIO data in the registers", async () => {
    // 89 07 = mov [rdi], eax: a 4-byte store; kvm_mmio says it wrote 7 at 0xfebf0000
    const e = await onlyExit([
      S("1.0", "kvm_exit", "vcpu 0 reason npf rip 0x2000"),
      S(
        "1.1",
        "kvm_page_fault",
        "vcpu 0 rip 0x2000 address 0x00000000febf0000 error_code 0x100000006",
      ),
      S("1.1", "kvm_emulate_insn", "0:2000:89 07 (prot64)"),
      S("1.2", "kvm_mmio", "mmio write len 4 gpa 0xfebf0000 val 0x7"),
      S("1.3", "kvm_entry", "vcpu 0, rip 0x2002"),
    ]);
    expect(e.snapshot).toMatchObject({
      exitCode: 0x400,
      exitInfo1: 0x100000006,
      exitInfo2: 0xfebf0000,
      instructionBytes: new Uint8Array([0x89, 0x07]),
    });
    // the decoder reads the store's data from EAX, which the trace fills with kvm_mmio's value
    expect(e.exit).toEqual({ kind: "MmioWrite", addr: 0xfebf0000n, width: 4, data: 7n });
  });

  it("EXITINTINFO from intr_info / error_code reaches the cause", async () => {
    // intr_info 0x80000b0e: V (31), EV (11), type 3 (exception), vector 14 (#PF); error code 6
    const e = await onlyExit([
      S(
        "1.0",
        "kvm_exit",
        "vcpu 0 reason npf rip 0x3000 info1 0x0000000100000004 info2 0x0000000000123000 intr_info 0x80000b0e error_code 0x00000006",
      ),
    ]);
    expect(e.exit).toEqual({ kind: "NestedPageFault", addr: 0x123000n, accessFlags: 1 });
    expect(e.cause).toMatchObject({
      class: "npf",
      exitIntInfo: { valid: true, type: "exception", vector: 14, exception: "#PF", errorCode: 6 },
    });
  });

  it("MSR writes: kvm_msr gives ECX and EDX:EAX; without it the kind is unknown", async () => {
    // WRMSR 0x830 = 0x1000000fd: x2APIC ICR, destination 1 (EDX), Fixed, vector 0xfd → SendIPI
    const got = await exits([
      S(
        "1.0",
        "kvm_exit",
        "vcpu 0 reason msr rip 0x3000 info1 0x0000000000000001 info2 0x0000000000000000",
      ),
      S("1.1", "kvm_msr", "msr_write 830 = 0x1000000fd"),
      S("1.2", "kvm_entry", "vcpu 0, rip 0x3002"),
      S(
        "1.3",
        "kvm_exit",
        "vcpu 0 reason msr rip 0x3000 info1 0x0000000000000001 info2 0x0000000000000000",
      ),
      S("1.4", "kvm_entry", "vcpu 0, rip 0x3002"),
    ]);
    expect(got[0]?.snapshot).toMatchObject({ regs: { rcx: 0x830, rax: 0xfd, rdx: 1 } });
    expect(got[0]?.exit).toEqual({
      kind: "SendIPI",
      targetCpu: 1n,
      targetCpuAux: 0n,
      sendToAll: false,
      sendToSelf: false,
      vector: 0xfdn,
    });
    expect(got[1]?.missing).toEqual(["kind"]);
    expect(got[1]?.error?.field).toBe("regs.rcx");
  });

  it("RDMSR (EXITINFO1 0) with kvm_msr: SysRegRead { ECX }", async () => {
    const e = await onlyExit([
      S("1.0", "kvm_exit", "vcpu 0 reason msr rip 0x3000 info1 0x0000000000000000 info2 0x0"),
      S("1.1", "kvm_msr", "msr_read 1b = 0xfee00900"),
      S("1.2", "kvm_entry", "vcpu 0, rip 0x3002"),
    ]);
    expect(e.exit).toEqual({ kind: "SysRegRead", addr: 0x1b, reg: 0 });
  });

  it("VMMCALL: kvm_hypercall's nr and a0–a3 in RAX, RBX, RCX, RDX, RSI (the KVM ABI)", async () => {
    const e = await onlyExit([
      S("1.0", "kvm_exit", "reason EXIT_VMMCALL rip 0x4000 info 0 0"),
      S("1.1", "kvm_hypercall", "nr 0x5 a0 0x0 a1 0x1 a2 0x2 a3 0x3"),
    ]);
    expect(e.snapshot).toMatchObject({ regs: { rax: 5, rbx: 0, rcx: 1, rdx: 2, rsi: 3 } });
    expect(e.exit).toEqual({ kind: "Hypercall", nr: 5n, args: [0n, 1n, 2n, 3n, 0n, 0n] });
  });

  it("HLT, SHUTDOWN and a VMRUN failure printed as 0xffffffff (the u32 exit_reason of −1)", async () => {
    const got = await exits([
      S("1.0", "kvm_exit", "vcpu 0 reason hlt rip 0x1 info1 0x0 info2 0x0"),
      S("1.1", "kvm_exit", "vcpu 1 reason shutdown rip 0x1 info1 0x0 info2 0x0"),
      S("1.2", "kvm_exit", "vcpu 2 reason 0xffffffff rip 0x1 info1 0x0 info2 0x0"),
      S("1.3", "kvm_exit", "vcpu 3 reason invalid_guest_state rip 0x1 info1 0x0 info2 0x0"),
    ]);
    expect(got.map((e) => e.exit)).toEqual([
      { kind: "Halt" },
      { kind: "SystemDown" },
      { kind: "FailEntry", hardwareEntryFailureReason: 0xffff_ffff_ffff_ffffn },
      { kind: "FailEntry", hardwareEntryFailureReason: 0xffff_ffff_ffff_ffffn },
    ]);
    expect(got.map((e) => [e.trace.name, e.trace.code])).toEqual([
      ["hlt", 0x78],
      ["shutdown", 0x7f],
      ["invalid_guest_state", -1],
      ["invalid_guest_state", -1],
    ]);
  });

  it("INTR lines carry no vector: the exit is partial, the vector missing", async () => {
    const e = await onlyExit([S("1.0", "kvm_exit", "vcpu 0 reason interrupt rip 0x1 info1 0x0")]);
    expect(e.exit).toBeUndefined();
    expect(e.partial).toEqual({ kind: "ExternalInterrupt" });
    expect(e.missing).toEqual(["vector"]);
  });
});

describe("vmexit stat on AMD names", () => {
  it("groups EXIT_ spellings with Linux's lower-case names: one row per exit code", async () => {
    // the mix of a KVM mailing-list report: RSM, NPF and #GP exits, in both spellings
    const lines = [
      S("1.0", "kvm_exit", "reason EXIT_RSM rip 0xfeb0 info 0 0"),
      S("1.1", "kvm_exit", "reason EXIT_NPF rip 0x1000 info 100000004 fee00000"),
      S("1.2", "kvm_exit", "reason EXIT_EXCP_GP rip 0x2000 info 0 0"),
      S("1.3", "kvm_exit", "vcpu 0 reason rsm rip 0xfeb0 info1 0x0 info2 0x0"),
      S("1.4", "kvm_exit", "vcpu 0 reason npf rip 0x1000 info1 0x100000004 info2 0xfee00000"),
      S("1.5", "kvm_exit", "vcpu 0 reason GP excp rip 0x2000 info1 0x0 info2 0x0"),
    ];
    const r = await statTrace([`${lines.join("\n")}\n`]);
    expect(r.total).toBe(6);
    expect(r.skipped).toBe(0);
    expect(r.reasons.map((x) => [x.name, x.count, x.code]).sort()).toEqual([
      ["GP excp", 2, 0x4d],
      ["npf", 2, 0x400],
      ["rsm", 2, 0x73],
    ]);
  });
});
