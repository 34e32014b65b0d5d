// Each companion pattern of the reconstruction, one test per exit reason and its companions.
// Expected exits are derived by hand from the tracepoint formats and the architecture manuals (the
// derivation beside each value), never from the reader's output.
import { describe, expect, it } from "vitest";
import { exits, ftrace, items, onlyExit } from "./test-helpers";

const X = (t: string, event: string, body: string) => ftrace(4121, 2, t, event, body);
const vmxExit = (t: string, reason: string, info1: string, intr = "0x00000000") =>
  X(
    t,
    "kvm_exit",
    `vcpu 0 reason ${reason} rip 0xffffffff81000000 info1 ${info1} info2 0x0000000000000000 intr_info ${intr} error_code 0x00000000 requests 0x0000000000000000`,
  );
const vmxEntry = (t: string) =>
  X(t, "kvm_entry", "vcpu 0, rip 0xffffffff81000002 intr_info 0x00000000 error_code 0x00000000");

describe("x86 EPT violation / misconfiguration", () => {
  it("kvm_page_fault + kvm_emulate_insn + kvm_mmio write → MmioWrite", async () => {
    // qualification 0x182: write (bit 1), GLA valid (7), translation (8). 89 07 = MOV r/m32, r32
    // with ModRM 07 (mod 00, reg 000 = EAX, rm 111 = [RDI]): a 4-byte store of EAX, whose value
    // is the one kvm_mmio shows
    const e = await onlyExit([
      vmxExit("1.000000", "EPT_VIOLATION", "0x0000000000000182"),
      X(
        "1.000001",
        "kvm_page_fault",
        "vcpu 0 rip 0xffffffff81000000 address 0x00000000febf0020 error_code 0x182",
      ),
      X("1.000001", "kvm_emulate_insn", "0:ffffffff81000000:89 07 (prot64)"),
      X("1.000002", "kvm_mmio", "mmio write len 4 gpa 0xfebf0020 val 0x4bdc"),
      vmxEntry("1.000010"),
    ]);
    expect(e.exit).toEqual({ kind: "MmioWrite", addr: 0xfebf0020n, width: 4, data: 0x4bdcn });
    expect(e.companions.map((c) => c.companion.event)).toEqual([
      "kvm_page_fault",
      "kvm_emulate_insn",
      "kvm_mmio",
    ]);
    expect(e.cause).toMatchObject({ arch: "x86-vmx", name: "EPT_VIOLATION" });
    // 1.000010 − 1.000000
    expect(e.handlingNs).toBe(10_000);
  });

  it("a read's value arrives after the userspace round trip, before kvm_entry → MmioRead", async () => {
    // 8b 07 = MOV r32, r/m32: EAX ← 4 bytes at [RDI]; regWidth 4 (a 32-bit destination)
    const e = await onlyExit([
      vmxExit("1.000000", "EPT_VIOLATION", "0x0000000000000181"),
      X(
        "1.000001",
        "kvm_page_fault",
        "vcpu 0 rip 0xffffffff81000000 address 0x00000000febf1004 error_code 0x181",
      ),
      X("1.000001", "kvm_emulate_insn", "0:ffffffff81000000:8b 07 (prot64)"),
      X("1.000002", "kvm_mmio", "mmio unsatisfied-read len 4 gpa 0xfebf1004 val 0x0"),
      X("1.000003", "kvm_userspace_exit", "reason KVM_EXIT_MMIO (6)"),
      X("1.000040", "kvm_mmio", "mmio read len 4 gpa 0xfebf1004 val 0x1234"),
      vmxEntry("1.000041"),
    ]);
    expect(e.exit).toEqual({
      kind: "MmioRead",
      addr: 0xfebf1004n,
      width: 4,
      reg: 0,
      regWidth: 4,
      signedExt: false,
    });
    expect(e.companions).toHaveLength(4); // kvm_userspace_exit is not a companion
    expect(e.companions[3]?.companion).toMatchObject({
      event: "kvm_mmio",
      access: "read",
      val: 0x1234n,
    });
  });

  it("kvm_mmio without the instruction: a write is complete, a read lacks the register", async () => {
    const write = await onlyExit([
      vmxExit("1.0", "EPT_MISCONFIG", "0x0000000000000000"),
      X("1.1", "kvm_mmio", "mmio write len 2 gpa 0xfe001000 val 0xbeef"),
      vmxEntry("1.2"),
    ]);
    expect(write.exit).toEqual({ kind: "MmioWrite", addr: 0xfe001000n, width: 2, data: 0xbeefn });
    const read = await onlyExit([
      vmxExit("1.0", "EPT_MISCONFIG", "0x0000000000000000"),
      X("1.1", "kvm_mmio", "mmio read len 8 gpa 0xfe001008 val 0x1"),
      vmxEntry("1.2"),
    ]);
    expect(read.exit).toBeUndefined();
    expect(read.partial).toEqual({ kind: "MmioRead", addr: 0xfe001008n, width: 8 });
    expect(read.missing).toEqual(["reg", "regWidth", "signedExt"]);
  });

  it("kvm_fast_mmio: an MMIO write of unknown width and data", async () => {
    const e = await onlyExit([
      vmxExit("1.0", "EPT_MISCONFIG", "0x0000000000000000"),
      X("1.1", "kvm_fast_mmio", "fast mmio at gpa 0xfe003000"),
      vmxEntry("1.2"),
    ]);
    expect(e.partial).toEqual({ kind: "MmioWrite", addr: 0xfe003000n });
    expect(e.missing).toEqual(["width", "data"]);
  });

  it("a fault on guest RAM (no emulation) → NestedPageFault with the GPA of kvm_page_fault", async () => {
    // qualification 0x181: read (bit 0) → accessFlags READ (1)
    const e = await onlyExit([
      vmxExit("1.0", "EPT_VIOLATION", "0x0000000000000181"),
      X(
        "1.1",
        "kvm_page_fault",
        "vcpu 0 rip 0xffffffff81000000 address 0x0000000000007e00 error_code 0x181",
      ),
      vmxEntry("1.2"),
    ]);
    expect(e.exit).toEqual({ kind: "NestedPageFault", addr: 0x7e00n, accessFlags: 1 });
  });

  it("without kvm_page_fault the GPA is missing", async () => {
    const e = await onlyExit([
      vmxExit("1.0", "EPT_VIOLATION", "0x0000000000000184"),
      vmxEntry("1.2"),
    ]);
    // qualification 0x184: instruction fetch (bit 2) → EXECUTE (4)
    expect(e.partial).toEqual({ kind: "NestedPageFault", accessFlags: 4 });
    expect(e.missing).toEqual(["addr"]);
    expect(e.error?.code).toBe("missing-register");
  });

  it("APIC_ACCESS with the instruction and kvm_mmio → MmioWrite at the APIC page", async () => {
    // qualification 0x1300: offset 0x300 (ICR low), access type 1 (linear write); 89 0f = MOV
    // [RDI], ECX; address = APIC base 0xfee00000 + 0x300
    const e = await onlyExit([
      vmxExit("1.0", "APIC_ACCESS", "0x0000000000001300"),
      X("1.1", "kvm_emulate_insn", "0:ffffffff81000000:89 0f (prot64)"),
      X("1.1", "kvm_mmio", "mmio write len 4 gpa 0xfee00300 val 0xc4500"),
      X("1.1", "kvm_apic", "apic_write APIC_ICR = 0xc4500"),
      vmxEntry("1.2"),
    ]);
    expect(e.exit).toEqual({ kind: "MmioWrite", addr: 0xfee00300n, width: 4, data: 0xc4500n });
  });
});

describe("x86 I/O, MSRs, hypercalls, interrupts", () => {
  it("OUT + kvm_pio with val → IoWrite", async () => {
    // qualification 0x03f80000: size field 0 (1 byte), direction 0 (OUT), port 0x3f8 in 31:16
    const e = await onlyExit([
      vmxExit("1.0", "IO_INSTRUCTION", "0x0000000003f80000"),
      X("1.1", "kvm_pio", "pio_write at 0x3f8 size 1 count 1 val 0x41 "),
      vmxEntry("1.2"),
    ]);
    expect(e.exit).toEqual({ kind: "IoWrite", port: 0x3f8, width: 1, data: 0x41n });
  });

  it("IN: complete from the qualification; its kvm_pio value comes late", async () => {
    // 0x00600008: IN (bit 3), port 0x60, 1 byte
    const e = await onlyExit([
      vmxExit("1.0", "IO_INSTRUCTION", "0x0000000000600008"),
      X("1.1", "kvm_userspace_exit", "reason KVM_EXIT_IO (2)"),
      X("1.5", "kvm_pio", "pio_read at 0x60 size 1 count 1 val 0x1c "),
      vmxEntry("1.6"),
    ]);
    expect(e.exit).toEqual({ kind: "IoRead", port: 0x60, width: 1 });
    expect(e.companions[0]?.companion).toMatchObject({
      event: "kvm_pio",
      access: "read",
      val: 0x1c,
    });
  });

  it("OUT + the oldest kvm_pio (no val) → IoWrite without data", async () => {
    const e = await onlyExit([
      vmxExit("1.0", "IO_INSTRUCTION", "0x0000000003f80000"),
      X("1.1", "kvm_pio", "pio_write at 0x3f8 size 1 count 1"),
      vmxEntry("1.2"),
    ]);
    expect(e.partial).toEqual({ kind: "IoWrite", port: 0x3f8, width: 1 });
    expect(e.missing).toEqual(["data"]);
  });

  it("REP OUTSB (count > 1, printed with (...)) → Nothing", async () => {
    // 0x03f80031: string (bit 4), REP (bit 5), OUT, 1 byte
    const e = await onlyExit([
      vmxExit("1.0", "IO_INSTRUCTION", "0x0000000003f80030"),
      X("1.1", "kvm_pio", "pio_write at 0x3f8 size 1 count 16 val 0x41 (...)"),
      vmxEntry("1.2"),
    ]);
    expect(e.exit).toEqual({ kind: "Nothing" });
  });

  it("RDMSR + kvm_msr read → SysRegRead; without it the MSR is missing", async () => {
    const e = await onlyExit([
      vmxExit("1.0", "MSR_READ", "0x0000000000000000"),
      X("1.1", "kvm_msr", "msr_read 1b = 0xfee00900"),
      vmxEntry("1.2"),
    ]);
    expect(e.exit).toEqual({ kind: "SysRegRead", addr: 0x1b, reg: 0 });
    const bare = await onlyExit([
      vmxExit("1.0", "MSR_READ", "0x0000000000000000"),
      vmxEntry("1.2"),
    ]);
    expect(bare.partial).toEqual({ kind: "SysRegRead", reg: 0 });
    expect(bare.missing).toEqual(["addr"]);
  });

  it("WRMSR + kvm_msr write → SysRegWrite (EDX:EAX is the value)", async () => {
    const e = await onlyExit([
      vmxExit("1.0", "MSR_WRITE", "0x0000000000000000"),
      X("1.1", "kvm_msr", "msr_write 6e0 = 0x1a2b3c4d5e6f"),
      vmxEntry("1.2"),
    ]);
    expect(e.exit).toEqual({ kind: "SysRegWrite", addr: 0x6e0, value: 0x1a2b3c4d5e6fn });
  });

  it("an x2APIC ICR write (MSR 0x830) → SendIPI, from kvm_msr or kvm_apic_ipi", async () => {
    // ICR 0x1_000000fd: destination 1 (bits 63:32), fixed delivery (10:8 = 0), vector 0xfd
    const ipi = {
      kind: "SendIPI",
      targetCpu: 1n,
      targetCpuAux: 0n,
      sendToAll: false,
      sendToSelf: false,
      vector: 0xfdn,
    };
    const viaMsr = await onlyExit([
      vmxExit("1.0", "MSR_WRITE", "0x0000000000000000"),
      X("1.1", "kvm_apic_ipi", "dst 1 vec 253 (Fixed|physical|assert|edge|dst)"),
      X("1.1", "kvm_msr", "msr_write 830 = 0x1000000fd"),
      vmxEntry("1.2"),
    ]);
    expect(viaMsr.exit).toEqual(ipi);
    // kvm_apic_ipi alone: vec 253 = 0xfd, Fixed (0 << 8), physical, assert (bit 14), edge, no shorthand
    const viaIpi = await onlyExit([
      vmxExit("1.0", "MSR_WRITE", "0x0000000000000000"),
      X("1.1", "kvm_apic_ipi", "dst 1 vec 253 (Fixed|physical|assert|edge|dst)"),
      vmxEntry("1.2"),
    ]);
    expect(viaIpi.exit).toEqual(ipi);
  });

  it("WRMSR without kvm_msr: not even the kind is known (MSR 0x830 would be an IPI)", async () => {
    const e = await onlyExit([vmxExit("1.0", "MSR_WRITE", "0x0000000000000000"), vmxEntry("1.2")]);
    expect(e.exit).toBeUndefined();
    expect(e.partial).toBeUndefined();
    expect(e.missing).toEqual(["kind"]);
  });

  it("VMCALL + kvm_hypercall → Hypercall under KVM's ABI (nr RAX; RBX, RCX, RDX, RSI)", async () => {
    // KVM_HC_KICK_CPU (5): a0 flags 0, a1 APIC id 1
    const e = await onlyExit([
      vmxExit("1.0", "VMCALL", "0x0000000000000000"),
      X("1.1", "kvm_hypercall", "nr 0x5 a0 0x0 a1 0x1 a2 0x0 a3 0x0"),
      vmxEntry("1.2"),
    ]);
    expect(e.exit).toEqual({ kind: "Hypercall", nr: 5n, args: [0n, 1n, 0n, 0n, 0n, 0n] });
    const bare = await onlyExit([vmxExit("1.0", "VMCALL", "0x0000000000000000"), vmxEntry("1.2")]);
    expect(bare.partial).toEqual({ kind: "Hypercall" });
    expect(bare.missing).toEqual(["nr", "args"]);
  });

  it("under the axvisor ABI, kvm_hypercall gives nr but not RDI, R8, R9", async () => {
    const e = await onlyExit(
      [
        vmxExit("1.0", "VMCALL", "0x0000000000000000"),
        X("1.1", "kvm_hypercall", "nr 0x5 a0 0x0 a1 0x1 a2 0x0 a3 0x0"),
        vmxEntry("1.2"),
      ],
      { options: { "x86-vmx": { hypercallAbi: "axvisor" } } },
    );
    expect(e.partial).toEqual({ kind: "Hypercall", nr: 5n });
    expect(e.missing).toEqual(["args"]);
  });

  it("EXTERNAL_INTERRUPT: the vector from intr_info; the old info pair may lack it", async () => {
    // intr_info 0x800000ec: valid (31), type 0 external interrupt, vector 0xec
    const e = await onlyExit([
      vmxExit("1.0", "EXTERNAL_INTERRUPT", "0x0000000000000000", "0x800000ec"),
      vmxEntry("1.1"),
    ]);
    expect(e.exit).toEqual({ kind: "ExternalInterrupt", vector: 0xecn });
    const old = await onlyExit([
      X("1.0", "kvm_exit", "reason EXTERNAL_INTERRUPT rip 0xffffffff81000000 info 0 0"),
      X("1.1", "kvm_entry", "vcpu 0"),
    ]);
    expect(old.partial).toEqual({ kind: "ExternalInterrupt" });
    expect(old.missing).toEqual(["vector"]);
  });
});

const A = (t: string, event: string, body: string, pid = 2201) => ftrace(pid, 5, t, event, body);
const armExit = (t: string, ec: string, pid = 2201) =>
  A(t, "kvm_exit", `TRAP: HSR_EC: ${ec}, PC: 0xffff800080012e40`, pid);
const armEntry = (t: string, pid = 2201) => A(t, "kvm_entry", "PC: 0xffff800080012e44", pid);

describe("arm64", () => {
  it("DABT_LOW + kvm_guest_fault + kvm_mmio write → MmioWrite at ipa | (hxfar & 0xfff)", async () => {
    // ESR 0x93820046: EC 0x24, IL, ISV 1, SAS 2 (4 bytes), SRT 2, WnR 1, DFSC 0x06 (translation
    // level 2). IPA = 0x9000000 | (0xffff800082000004 & 0xfff) = 0x9000004
    const e = await onlyExit([
      armExit("1.0", "0x0024 (DABT_LOW)"),
      A(
        "1.1",
        "kvm_guest_fault",
        "ipa 0x9000000, hsr 0x93820046, hxfar 0xffff800082000004, pc 0xffff800080012e40",
      ),
      A("1.1", "kvm_mmio", "mmio write len 4 gpa 0x9000004 val 0xe52"),
      armEntry("1.2"),
    ]);
    expect(e.exit).toEqual({ kind: "MmioWrite", addr: 0x9000004n, width: 4, data: 0xe52n });
  });

  it("DABT_LOW read: the syndrome gives the register", async () => {
    // ESR 0x93c38006: ISV, SAS 3 (8 bytes), SSE 0, SRT 3, SF 1 (64-bit register), read
    const e = await onlyExit([
      armExit("1.0", "0x0024 (DABT_LOW)"),
      A(
        "1.1",
        "kvm_guest_fault",
        "ipa 0x8010000, hsr 0x93c38006, hxfar 0xffff800082010018, pc 0xffff800080012e40",
      ),
      A("1.1", "kvm_mmio", "mmio unsatisfied-read len 8 gpa 0x8010018 val 0x0"),
      A("1.3", "kvm_mmio", "mmio read len 8 gpa 0x8010018 val 0x3d6"),
      armEntry("1.4"),
    ]);
    expect(e.exit).toEqual({
      kind: "MmioRead",
      addr: 0x8010018n,
      width: 8,
      reg: 3,
      regWidth: 8,
      signedExt: false,
    });
  });

  it("a write without kvm_mmio lacks its data; without kvm_guest_fault not even the kind is known", async () => {
    const noData = await onlyExit([
      armExit("1.0", "0x0024 (DABT_LOW)"),
      A(
        "1.1",
        "kvm_guest_fault",
        "ipa 0x9000000, hsr 0x93820046, hxfar 0xffff800082000000, pc 0xffff800080012e40",
      ),
      armEntry("1.2"),
    ]);
    expect(noData.partial).toEqual({ kind: "MmioWrite", addr: 0x9000000n, width: 4 });
    expect(noData.missing).toEqual(["data"]);
    const nothing = await onlyExit([armExit("1.0", "0x0024 (DABT_LOW)"), armEntry("1.2")]);
    expect(nothing.missing).toEqual(["kind"]);
  });

  it("IABT_LOW + kvm_guest_fault → NestedPageFault EXECUTE", async () => {
    // ESR 0x82000086: EC 0x20, IL, IFSC 0x06; IPA = 0x40000000 | 0xe44
    const e = await onlyExit([
      armExit("1.0", "0x0020 (IABT_LOW)"),
      A(
        "1.1",
        "kvm_guest_fault",
        "ipa 0x40000000, hsr 0x82000086, hxfar 0xffff800080012e44, pc 0xffff800080012e44",
      ),
      armEntry("1.2"),
    ]);
    expect(e.exit).toEqual({ kind: "NestedPageFault", addr: 0x40000e44n, accessFlags: 4 });
  });

  it("SYS64 + kvm_handle_sys_reg → SysRegRead of the register (ISS & 0x3FFC1E)", async () => {
    // ESR 0x6234f801: EC 0x18, IL; ISS 0x34f801 = Op0 3, Op2 2, Op1 3, CRn 14, Rt 0, CRm 0,
    // read — CNTVCT_EL0; addr = 0x34f801 & 0x3ffc1e = 0x34f800
    const e = await onlyExit([
      armExit("1.0", "0x0018 (SYS64)"),
      A("1.1", "kvm_handle_sys_reg", "HSR 0x6234f801"),
      A("1.1", "kvm_sys_access", "PC: ffff800080012e40 CNTVCT_EL0 (3,3,14,0,2) read"),
      armEntry("1.2"),
    ]);
    expect(e.exit).toEqual({ kind: "SysRegRead", addr: 0x34f800, reg: 0 });
  });

  it("SYS64 with kvm_sys_access only: the register is known, Rt is not", async () => {
    const e = await onlyExit([
      armExit("1.0", "0x0018 (SYS64)"),
      A("1.1", "kvm_sys_access", "PC: ffff800080012e40 CNTVCT_EL0 (3,3,14,0,2) read"),
      armEntry("1.2"),
    ]);
    expect(e.partial).toEqual({ kind: "SysRegRead", addr: 0x34f800 });
    expect(e.missing).toEqual(["reg"]);
  });

  it("a system register write lacks its value; an SGI write lacks even the kind", async () => {
    // ESR 0x6234f826: CNTV_CVAL_EL0 (Op0 3, Op1 3, CRn 14, CRm 3, Op2 2), Rt 1, write;
    // addr = 0x34f826 & 0x3ffc1e = 0x34f806
    const cval = await onlyExit([
      armExit("1.0", "0x0018 (SYS64)"),
      A("1.1", "kvm_handle_sys_reg", "HSR 0x6234f826"),
      armEntry("1.2"),
    ]);
    expect(cval.partial).toEqual({ kind: "SysRegWrite", addr: 0x34f806 });
    expect(cval.missing).toEqual(["value"]);
    // ESR 0x623a3036: ICC_SGI1R_EL1 (3,0,12,11,5), Rt 1, write: SendIPI, or Nothing when RS > 3
    const sgi = await onlyExit([
      armExit("1.0", "0x0018 (SYS64)"),
      A("1.1", "kvm_handle_sys_reg", "HSR 0x623a3036"),
      armEntry("1.2"),
    ]);
    expect(sgi.missing).toEqual(["kind"]);
  });

  it("HVC64 + kvm_hvc_arm64: x0 chooses the PSCI function", async () => {
    const hvc = (fn: string) => [
      armExit("1.0", "0x0016 (HVC64)"),
      A("1.1", "kvm_hvc_arm64", `HVC at 0xffff800080012e40 (r0: ${fn}, imm: 0x0)`),
      armEntry("1.2"),
    ];
    // PSCI CPU_SUSPEND 0x84000001 → Halt; SYSTEM_OFF 0x84000008 → SystemDown
    expect((await onlyExit(hvc("0x0000000084000001"))).exit).toEqual({ kind: "Halt" });
    expect((await onlyExit(hvc("0x0000000084000008"))).exit).toEqual({ kind: "SystemDown" });
    // CPU_ON 0x84000003 → CpuUp { x1, x2, x3 }: none of them is in the trace
    const on = await onlyExit(hvc("0x0000000084000003"));
    expect(on.partial).toEqual({ kind: "CpuUp" });
    expect(on.missing).toEqual(["targetCpu", "entryPoint", "arg"]);
    // a vendor call 0xc6000000 → Hypercall { nr: x0, args: x1…x6 }
    const call = await onlyExit(hvc("0x00000000c6000000"));
    expect(call.partial).toEqual({ kind: "Hypercall", nr: 0xc6000000n });
    expect(call.missing).toEqual(["args"]);
    // without kvm_hvc_arm64, x0 (and so the kind) is unknown
    expect((await onlyExit([armExit("1.0", "0x0016 (HVC64)"), armEntry("1.2")])).missing).toEqual([
      "kind",
    ]);
  });

  it("WFx + kvm_wfx_arm64: WFI → Halt, WFE → Nothing", async () => {
    const wfx = (c: string) => [
      armExit("1.0", "0x0001 (WFx)"),
      A("1.1", "kvm_wfx_arm64", `guest executed wf${c} at: 0xffff800080012e40`),
      armEntry("1.2"),
    ];
    expect((await onlyExit(wfx("i"))).exit).toEqual({ kind: "Halt" });
    expect((await onlyExit(wfx("e"))).exit).toEqual({ kind: "Nothing" });
    expect((await onlyExit([armExit("1.0", "0x0001 (WFx)"), armEntry("1.2")])).missing).toEqual([
      "kind",
    ]);
  });

  it("IRQ: ExternalInterrupt whose INTID the trace does not hold", async () => {
    const e = await onlyExit([
      A("1.0", "kvm_exit", "IRQ: HSR_EC: 0x0000 (UNKNOWN), PC: 0xffff800080012e40"),
      armEntry("1.2"),
    ]);
    expect(e.partial).toEqual({ kind: "ExternalInterrupt" });
    expect(e.missing).toEqual(["vector"]);
  });

  it("HYP_GONE is not a guest exit", async () => {
    const e = await onlyExit([
      A("1.0", "kvm_exit", "HYP_GONE: HSR_EC: 0x0000 (UNKNOWN), PC: 0x1"),
      armEntry("1.2"),
    ]);
    expect(e.missing).toEqual(["kind"]);
    expect(e.error?.message).toContain("HYP_GONE");
  });
});

const R = (t: string, event: string, body: string) => ftrace(731, 0, t, event, body);
const rvExit = (t: string, body: string) => R(t, "kvm_exit", body);
const rvEntry = (t: string) => R(t, "kvm_entry", "PC: 0xffffffff80a01240");

describe("RISC-V", () => {
  it("load guest-page fault with htinst → MmioRead", async () => {
    // GPA = HTVAL << 2 | STVAL & 3 = 0x4000001 << 2 | 1 = 0x10000005; htinst 0x4783 = LBU a5
    // (rd 15, funct3 4): 1 byte, zero-extended into a 64-bit register
    const e = await onlyExit([
      rvExit(
        "1.0",
        "SEPC:0xffffffff80a0123c, SCAUSE:0x15, STVAL:0xff60000010000005, HTVAL:0x4000001, HTINST:0x4783",
      ),
      R("1.1", "kvm_mmio", "mmio read len 1 gpa 0x10000005 val 0x60"),
      rvEntry("1.2"),
    ]);
    expect(e.exit).toEqual({
      kind: "MmioRead",
      addr: 0x10000005n,
      width: 1,
      reg: 15,
      regWidth: 8,
      signedExt: false,
    });
  });

  it("store guest-page fault + kvm_mmio → MmioWrite; without kvm_mmio the data is missing", async () => {
    // GPA = 0x4000400 << 2 = 0x10001000; htinst 0xe02023 = SW with rs2 14 (transformed: rs1 and
    // the offset cleared)
    const line =
      "SEPC:0xffffffff80a0123c, SCAUSE:0x17, STVAL:0xff60000010001000, HTVAL:0x4000400, HTINST:0xe02023";
    const e = await onlyExit([
      rvExit("1.0", line),
      R("1.1", "kvm_mmio", "mmio write len 4 gpa 0x10001000 val 0x1234"),
      rvEntry("1.2"),
    ]);
    expect(e.exit).toEqual({ kind: "MmioWrite", addr: 0x10001000n, width: 4, data: 0x1234n });
    const bare = await onlyExit([rvExit("1.0", line), rvEntry("1.2")]);
    expect(bare.partial).toEqual({ kind: "MmioWrite", addr: 0x10001000n, width: 4 });
    expect(bare.missing).toEqual(["data"]);
  });

  it("a store without htinst: the access kvm_mmio shows", async () => {
    const e = await onlyExit([
      rvExit(
        "1.0",
        "SEPC:0xffffffff80a0123c, SCAUSE:0x17, STVAL:0xff60000010001000, HTVAL:0x4000400, HTINST:0x0",
      ),
      R("1.1", "kvm_mmio", "mmio write len 4 gpa 0x10001000 val 0x99"),
      rvEntry("1.2"),
    ]);
    expect(e.exit).toEqual({ kind: "MmioWrite", addr: 0x10001000n, width: 4, data: 0x99n });
  });

  it("an SBI call: the kind needs a7/a6; kvm_sbi_ecall gives them", async () => {
    const call = "SEPC:0xffffffff80a0123c, SCAUSE:0xa, STVAL:0x0, HTVAL:0x0, HTINST:0x0";
    expect((await onlyExit([rvExit("1.0", call), rvEntry("1.2")])).missing).toEqual(["kind"]);
    // HSM (EID 0x48534d) HART_START (FID 0): CpuUp { a0, a1, a2 }; a0 = 1 is printed
    const start = await onlyExit([
      rvExit("1.0", call),
      R(
        "1.1",
        "kvm_sbi_ecall",
        "VCPU: 0, SBI ecall at 0xffffffff80a0123c, ext 0x48534d, fid 0x0, a0 0x1",
      ),
      rvEntry("1.2"),
    ]);
    expect(start.partial).toEqual({ kind: "CpuUp", targetCpu: 1n });
    expect(start.missing).toEqual(["entryPoint", "arg"]);
  });

  it("interrupts and WFI decode from the line alone", async () => {
    const timer = await onlyExit([
      rvExit("1.0", "SEPC:0x1, SCAUSE:0x8000000000000005, STVAL:0x0, HTVAL:0x0, HTINST:0x0"),
      rvEntry("1.1"),
    ]);
    expect(timer.exit).toEqual({ kind: "ExternalInterrupt", vector: 5n });
    // scause 22 (virtual instruction), stval 0x10500073 = WFI
    const wfi = await onlyExit([
      rvExit("1.0", "SEPC:0x1, SCAUSE:0x16, STVAL:0x10500073, HTVAL:0x0, HTINST:0x0"),
      rvEntry("1.1"),
    ]);
    expect(wfi.exit).toEqual({ kind: "Halt" });
  });
});

describe("pairing", () => {
  it("interleaved vCPUs each get their own companions (by thread id, never by adjacency)", async () => {
    const a = (t: string, e: string, b: string) => ftrace(10, 0, t, e, b);
    const b = (t: string, e: string, body: string) => ftrace(20, 1, t, e, body);
    const got = await exits([
      a("1.000000", "kvm_exit", "vcpu 0 reason IO_INSTRUCTION rip 0x10 info1 0x0000000003f80000"),
      b("1.000001", "kvm_exit", "vcpu 1 reason IO_INSTRUCTION rip 0x20 info1 0x0000000000700000"),
      // vCPU 1's companion comes first, then vCPU 0's
      b("1.000002", "kvm_pio", "pio_write at 0x70 size 1 count 1 val 0x8f "),
      a("1.000003", "kvm_pio", "pio_write at 0x3f8 size 1 count 1 val 0x41 "),
      b("1.000004", "kvm_entry", "vcpu 1, rip 0x22"),
      a("1.000009", "kvm_entry", "vcpu 0, rip 0x12"),
    ]);
    expect(got.map((e) => e.exit)).toEqual([
      { kind: "IoWrite", port: 0x3f8, width: 1, data: 0x41n },
      { kind: "IoWrite", port: 0x70, width: 1, data: 0x8fn },
    ]);
    // 1.000009 − 1.000000 and 1.000004 − 1.000001
    expect(got.map((e) => e.handlingNs)).toEqual([9000, 3000]);
  });

  it("two VMs with the same vcpu id are told apart by their threads", async () => {
    const got = await exits([
      ftrace(10, 0, "1.0", "kvm_exit", "vcpu 0 reason MSR_READ rip 0x1 info1 0x0000000000000000"),
      ftrace(30, 1, "1.1", "kvm_exit", "vcpu 0 reason MSR_READ rip 0x1 info1 0x0000000000000000"),
      ftrace(30, 1, "1.2", "kvm_msr", "msr_read 10 = 0x5"),
      ftrace(10, 0, "1.3", "kvm_msr", "msr_read 1b = 0xfee00900"),
      ftrace(10, 0, "1.4", "kvm_entry", "vcpu 0, rip 0x3"),
      ftrace(30, 1, "1.5", "kvm_entry", "vcpu 0, rip 0x3"),
    ]);
    expect(got.map((e) => e.exit)).toEqual([
      { kind: "SysRegRead", addr: 0x1b, reg: 0 },
      { kind: "SysRegRead", addr: 0x10, reg: 0 },
    ]);
  });

  it("without thread ids: the vcpu field, else the CPU column", async () => {
    const got = await exits([
      "[001] 1.0: kvm_exit: vcpu 1 reason IO_INSTRUCTION rip 0x1 info1 0x0000000003f80000",
      "[002] 1.1: kvm_exit: vcpu 2 reason IO_INSTRUCTION rip 0x1 info1 0x0000000003f80000",
      // kvm_pio prints no vcpu: joined through its CPU column
      "[002] 1.2: kvm_pio: pio_write at 0x3f8 size 1 count 1 val 0x32 ",
      "[001] 1.3: kvm_pio: pio_write at 0x3f8 size 1 count 1 val 0x31 ",
      "[001] 1.4: kvm_entry: vcpu 1, rip 0x2",
      "[002] 1.5: kvm_entry: vcpu 2, rip 0x2",
    ]);
    expect(got.map((e) => (e.exit as { data?: bigint } | undefined)?.data)).toEqual([0x31n, 0x32n]);
  });

  it("a companion after the entry joins nothing; a lost entry closes at the next exit", async () => {
    const all = await items([
      vmxExit("1.0", "IO_INSTRUCTION", "0x0000000003f80000"),
      vmxEntry("1.1"),
      X("1.2", "kvm_pio", "pio_write at 0x3f8 size 1 count 1 val 0x41 "),
      vmxExit("1.3", "HLT", "0x0000000000000000"),
      vmxExit("1.4", "HLT", "0x0000000000000000"),
    ]);
    const pio = all.find((i) => i.type === "companion");
    expect(pio).toMatchObject({ type: "companion", line: 3 });
    expect(pio && "exitLine" in pio).toBe(false);
    const ex = all.filter((i) => i.type === "exit");
    expect(ex.map((e) => [e.line, e.type === "exit" && e.closedBy])).toEqual([
      [1, "entry"],
      [4, "exit"],
      [5, "end"],
    ]);
  });

  it("at most MAX_COMPANIONS companions are kept per exit; the rest are counted", async () => {
    const lines = [vmxExit("1.0", "IO_INSTRUCTION", "0x0000000003f80000")];
    for (let i = 0; i < 70; i++)
      lines.push(X("1.1", "kvm_pio", "pio_write at 0x3f8 size 1 count 1 val 0x41 "));
    lines.push(vmxEntry("1.2"));
    const e = await onlyExit(lines);
    expect(e.companions).toHaveLength(64);
    expect(e.companionsDropped).toBe(6);
  });
});
