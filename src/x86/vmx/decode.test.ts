import { describe, expect, it } from "vitest";
import {
  cpuDown,
  cpuUp,
  externalInterrupt,
  failEntry,
  halt,
  hypercall,
  ioRead,
  ioWrite,
  nestedPageFault,
  nothing,
  sendIpi,
  sysRegRead,
  sysRegWrite,
  systemDown,
} from "../../core/constructors";
import { VmExitError } from "../../core/error";
import type { VmExit } from "../../core/exit";
import { decodeVmx, decodeVmxExit } from "./decode";
import type { VmxDecodeOptions, VmxSnapshot } from "./snapshot";

interface Case {
  readonly name: string;
  readonly snapshot: VmxSnapshot;
  readonly options?: VmxDecodeOptions;
  readonly exit: VmExit;
  readonly cause?: Readonly<Record<string, unknown>>;
}

const REGS = {
  rax: 0x1122_3344_5566_7788n,
  rbx: 0xb0n,
  rcx: 0xc0n,
  rdx: 0xd0n,
  rsi: 0x51n,
  rdi: 0xd1n,
  r8: 0x8n,
  r9: 0x9n,
};

// Every case: the raw values are derived by hand from Intel SDM Vol. 3C ch. 28 (as restated in
// arch-spec.md part A) and Linux arch/x86/include/asm/vmx.h; the expected exit from the mapping in
// docs/x86.md.
const CASES: readonly Case[] = [
  // ---- entry failures: bit 31 | basic
  {
    name: "INVALID_STATE entry failure",
    // 0x80000000 (bit 31 FAILED_VMENTRY) | 33 = 0x80000021; qualification 0 = ENTRY_FAIL_DEFAULT
    snapshot: { exitReason: 0x8000_0021, exitQualification: 0 },
    exit: failEntry({ hardwareEntryFailureReason: 0x8000_0021 }),
    cause: {
      code: 33,
      name: "INVALID_STATE",
      class: "entry-failure",
      qualification: 0n,
      meaning: "default (guest-state check failed)",
    },
  },
  {
    name: "INVALID_STATE with PDPTE failure",
    // qualification 2 = ENTRY_FAIL_PDPTE
    snapshot: { exitReason: 0x8000_0021, exitQualification: 2 },
    exit: failEntry({ hardwareEntryFailureReason: 0x8000_0021 }),
    cause: { class: "entry-failure", qualification: 2n, meaning: "PDPTE load failed" },
  },
  {
    name: "MSR_LOAD_FAIL entry failure",
    // 0x80000000 | 34 = 0x80000022
    snapshot: { exitReason: 0x8000_0022, exitQualification: 3 },
    exit: failEntry({ hardwareEntryFailureReason: 0x8000_0022 }),
    cause: {
      code: 34,
      name: "MSR_LOAD_FAIL",
      class: "entry-failure",
      qualification: 3n,
      meaning: "MSR-load entry 3 failed (1-based)",
    },
  },
  {
    name: "MCE_DURING_VMENTRY entry failure",
    // 0x80000000 | 41 = 0x80000029
    snapshot: { exitReason: 0x8000_0029 },
    exit: failEntry({ hardwareEntryFailureReason: 0x8000_0029 }),
    cause: { code: 41, flags: expect.objectContaining({ failedVmEntry: true }) },
  },
  // ---- simple reasons
  {
    name: "EXTERNAL_INTERRUPT vector 0xEF",
    // intr-info 0x800000EF: valid(31) | type 0 (external) << 8 | vector 0xEF
    snapshot: { exitReason: 1, exitInterruptionInfo: 0x8000_00ef },
    exit: externalInterrupt({ vector: 0xef }),
    cause: {
      interruption: expect.objectContaining({
        vector: 0xef,
        type: "external-interrupt",
        valid: true,
      }),
    },
  },
  {
    name: "EXTERNAL_INTERRUPT vector 0x20",
    // 0x80000000 | 0x20
    snapshot: { exitReason: 1, exitInterruptionInfo: 0x8000_0020 },
    exit: externalInterrupt({ vector: 0x20 }),
  },
  {
    name: "TRIPLE_FAULT",
    // basic reason 2
    snapshot: { exitReason: 2 },
    exit: systemDown(),
    cause: { name: "TRIPLE_FAULT" },
  },
  {
    name: "INIT_SIGNAL",
    // basic reason 3
    snapshot: { exitReason: 3 },
    exit: cpuDown({ state: 0 }),
    cause: { name: "INIT_SIGNAL" },
  },
  {
    name: "HLT",
    // basic reason 12, no qualification
    snapshot: { exitReason: 12, instructionLength: 1 },
    exit: halt(),
    cause: { name: "HLT" },
  },
  {
    name: "MWAIT_INSTRUCTION",
    // basic reason 36
    snapshot: { exitReason: 36 },
    exit: halt(),
    cause: { name: "MWAIT_INSTRUCTION" },
  },
  {
    name: "HLT with a bus lock flag",
    // bit 26 (bus lock detected) | 12 = 0x0400000C
    snapshot: { exitReason: 0x0400_000c },
    exit: halt(),
    cause: {
      code: 12,
      flags: expect.objectContaining({ busLockDetected: true, failedVmEntry: false }),
    },
  },
  {
    name: "CPUID",
    // basic reason 10 → Nothing
    snapshot: { exitReason: 10, regs: { rax: 1 } },
    exit: nothing(),
    cause: { name: "CPUID" },
  },
  {
    name: "enclave-mode flag",
    // bit 27 (enclave mode) | 10 = 0x0800000A
    snapshot: { exitReason: 0x0800_000a },
    exit: nothing(),
    cause: { flags: expect.objectContaining({ enclaveMode: true, pendingMtf: false }) },
  },
  {
    name: "SMM flags",
    // bit 28 (pending MTF) | bit 29 (from VMX root) | 6 (OTHER_SMI) = 0x30000006
    snapshot: { exitReason: 0x3000_0006 },
    exit: nothing(),
    cause: {
      name: "OTHER_SMI",
      flags: expect.objectContaining({ pendingMtf: true, fromVmxRoot: true }),
    },
  },
  // ---- VMCALL under both ABIs
  {
    name: "VMCALL, axvisor ABI",
    // nr = RAX; args = RDI, RSI, RDX, RCX, R8, R9
    snapshot: { exitReason: 18, regs: REGS },
    exit: hypercall({ nr: REGS.rax, args: [0xd1n, 0x51n, 0xd0n, 0xc0n, 8n, 9n] }),
    cause: { class: "vmcall", hypercallAbi: "axvisor" },
  },
  {
    name: "VMCALL, kvm ABI",
    // KVM hypercalls.rst: nr = RAX, a0..a3 = RBX, RCX, RDX, RSI
    snapshot: { exitReason: 18, regs: REGS },
    options: { hypercallAbi: "kvm" },
    exit: hypercall({ nr: REGS.rax, args: [0xb0n, 0xc0n, 0xd0n, 0x51n, 0n, 0n] }),
    cause: { class: "vmcall", hypercallAbi: "kvm" },
  },
  {
    name: "VMCALL KVM_HC_KICK_CPU",
    // nr 5 (KICK_CPU), a1 = APIC ID 3 in RCX
    snapshot: { exitReason: 18, regs: { rax: 5, rbx: 0, rcx: 3, rdx: 0, rsi: 0 } },
    options: { hypercallAbi: "kvm" },
    exit: hypercall({ nr: 5, args: [0, 3, 0, 0, 0, 0] }),
  },
  // ---- I/O: every size and direction
  {
    name: "out dx, al to 0x3F8",
    // size-1 = 0 (bits 2:0), OUT (bit 3 = 0), DX (bit 6 = 0), port 0x3F8 << 16 = 0x03F80000
    snapshot: { exitReason: 30, exitQualification: 0x03f8_0000, regs: { rax: 0x1234_5678n } },
    exit: ioWrite({ port: 0x3f8, width: 1, data: 0x78 }),
    cause: { class: "io", size: 1, direction: "out", port: 0x3f8 },
  },
  {
    name: "out dx, ax",
    // size-1 = 1, port 0x1F0 << 16 = 0x01F00001
    snapshot: { exitReason: 30, exitQualification: 0x01f0_0001, regs: { rax: 0x1234_5678n } },
    exit: ioWrite({ port: 0x1f0, width: 2, data: 0x5678 }),
  },
  {
    name: "out dx, eax",
    // size-1 = 3, port 0xCF8 << 16 = 0x0CF80003; data = EAX (RAX[31:0])
    snapshot: {
      exitReason: 30,
      exitQualification: 0x0cf8_0003,
      regs: { rax: 0xffff_ffff_8000_0010n },
    },
    exit: ioWrite({ port: 0xcf8, width: 4, data: 0x8000_0010 }),
  },
  {
    name: "out 0x80, al (immediate)",
    // imm (bit 6) 0x40 | port 0x80 << 16 = 0x00800040
    snapshot: { exitReason: 30, exitQualification: 0x0080_0040, regs: { rax: 0xab } },
    exit: ioWrite({ port: 0x80, width: 1, data: 0xab }),
    cause: { immediate: true },
  },
  {
    name: "in al, 0x60",
    // IN (bit 3) 0x8 | imm (bit 6) 0x40 | port 0x60 << 16 = 0x00600048
    snapshot: { exitReason: 30, exitQualification: 0x0060_0048 },
    exit: ioRead({ port: 0x60, width: 1 }),
    cause: { direction: "in", immediate: true },
  },
  {
    name: "in ax, dx",
    // IN 0x8 | size-1 1 | port 0x1CE << 16 = 0x01CE0009
    snapshot: { exitReason: 30, exitQualification: 0x01ce_0009 },
    exit: ioRead({ port: 0x1ce, width: 2 }),
  },
  {
    name: "in eax, dx at port 0xFFFF",
    // IN 0x8 | size-1 3 | port 0xFFFF << 16 = 0xFFFF000B
    snapshot: { exitReason: 30, exitQualification: 0xffff_000b },
    exit: ioRead({ port: 0xffff, width: 4 }),
  },
  {
    name: "rep insw",
    // size-1 1 | IN 0x8 | string 0x10 | REP 0x20 | port 0x1F0 << 16 = 0x01F00039; count = RCX
    snapshot: {
      exitReason: 30,
      exitQualification: 0x01f0_0039,
      guestLinearAddress: 0x7000,
      regs: { rcx: 256 },
    },
    exit: nothing(),
    cause: {
      string: true,
      rep: true,
      count: 256n,
      linearAddress: 0x7000n,
      note: "INS with REP: not a single port access",
    },
  },
  {
    name: "outsb",
    // string 0x10 | port 0x3F8 << 16 = 0x03F80010 (OUT, size 1, no REP)
    snapshot: { exitReason: 30, exitQualification: 0x03f8_0010 },
    exit: nothing(),
    cause: { string: true, rep: false, direction: "out", note: expect.stringContaining("OUTS") },
  },
  // ---- MSR
  {
    name: "RDMSR IA32_APIC_BASE",
    // ECX = 0x1B; reg 0 (EDX:EAX)
    snapshot: { exitReason: 31, regs: { rcx: 0x1b } },
    exit: sysRegRead({ addr: 0x1b, reg: 0 }),
    cause: { class: "msr", index: 0x1b, direction: "read" },
  },
  {
    name: "RDMSR uses ECX only",
    // RCX = 0xFFFFFFFF_C0000080: ECX = 0xC0000080 (EFER)
    snapshot: { exitReason: 31, regs: { rcx: 0xffff_ffff_c000_0080n } },
    exit: sysRegRead({ addr: 0xc000_0080, reg: 0 }),
  },
  {
    name: "WRMSR EFER",
    // value = EDX:EAX = 0x00000000:0x00000D01; high RAX/RDX bits ignored
    snapshot: {
      exitReason: 32,
      regs: { rcx: 0xc000_0080, rax: 0xdead_0000_0000_0d01n, rdx: 0xdead_0000_0000_0000n },
    },
    exit: sysRegWrite({ addr: 0xc000_0080, value: 0xd01 }),
  },
  {
    name: "WRMSR TSC deadline (64-bit value)",
    // MSR 0x6E0, EDX = 0x12, EAX = 0x34567890 → 0x12_34567890
    snapshot: { exitReason: 32, regs: { rcx: 0x6e0, rax: 0x3456_7890, rdx: 0x12 } },
    exit: sysRegWrite({ addr: 0x6e0, value: 0x12_3456_7890n }),
  },
  // ---- x2APIC ICR (MSR 0x830): delivery modes × shorthands × destination modes
  {
    name: "ICR Fixed, physical, no shorthand",
    // EAX = vector 0x31 | Fixed 0 << 8 | shorthand 0; EDX = destination 5
    snapshot: { exitReason: 32, regs: { rcx: 0x830, rax: 0x31, rdx: 5 } },
    exit: sendIpi({
      targetCpu: 5,
      targetCpuAux: 0,
      sendToAll: false,
      sendToSelf: false,
      vector: 0x31,
    }),
    cause: {
      class: "msr",
      index: 0x830,
      direction: "write",
      value: 0x5_0000_0031n,
      icr: expect.objectContaining({
        deliveryMode: "Fixed",
        shorthand: "none",
        destinationMode: "physical",
      }),
    },
  },
  {
    name: "ICR Fixed to self",
    // shorthand 1 << 18 = 0x40000 | vector 0xEC
    snapshot: { exitReason: 32, regs: { rcx: 0x830, rax: 0x4_00ec, rdx: 0 } },
    exit: sendIpi({
      targetCpu: 0,
      targetCpuAux: 0,
      sendToAll: false,
      sendToSelf: true,
      vector: 0xec,
    }),
  },
  {
    name: "ICR Fixed to all including self",
    // shorthand 2 << 18 = 0x80000 | vector 0x40
    snapshot: { exitReason: 32, regs: { rcx: 0x830, rax: 0x8_0040, rdx: 0 } },
    exit: sendIpi({
      targetCpu: 0,
      targetCpuAux: 0,
      sendToAll: true,
      sendToSelf: true,
      vector: 0x40,
    }),
  },
  {
    name: "ICR Fixed 0xFD to all excluding self (arch-spec A.6 vector)",
    // 0x0000_0000_000C_00FD: shorthand 3 << 18 = 0xC0000 | vector 0xFD
    snapshot: { exitReason: 32, regs: { rcx: 0x830, rax: 0x000c_00fd, rdx: 0 } },
    exit: sendIpi({
      targetCpu: 0,
      targetCpuAux: 0,
      sendToAll: true,
      sendToSelf: false,
      vector: 0xfd,
    }),
  },
  {
    name: "ICR LowestPrio, logical destination",
    // LowestPrio 1 << 8 = 0x100 | logical (bit 11) 0x800 | vector 0x50 = 0x950; EDX = cluster 1 << 16 | bit 2
    snapshot: { exitReason: 32, regs: { rcx: 0x830, rax: 0x950, rdx: 0x1_0004 } },
    exit: sendIpi({
      targetCpu: 0x1_0004,
      targetCpuAux: 0,
      sendToAll: false,
      sendToSelf: false,
      vector: 0x50,
    }),
    cause: {
      icr: expect.objectContaining({ deliveryMode: "LowestPrio", destinationMode: "logical" }),
    },
  },
  {
    name: "ICR Fixed to the x2APIC broadcast destination",
    // EAX = Fixed 0 | shorthand 0 | vector 0x30; EDX = 0xFFFFFFFF = x2APIC broadcast (all incl. self)
    snapshot: { exitReason: 32, regs: { rcx: 0x830, rax: 0x30, rdx: 0xffff_ffff } },
    exit: sendIpi({
      targetCpu: 0xffff_ffff,
      targetCpuAux: 0,
      sendToAll: true,
      sendToSelf: true,
      vector: 0x30,
    }),
  },
  {
    name: "ICR Fixed, logical, destination 0xFFFFFFFF is also the broadcast",
    // EAX = logical 0x800 | vector 0x31 = 0x831; EDX = 0xFFFFFFFF
    snapshot: { exitReason: 32, regs: { rcx: 0x830, rax: 0x831, rdx: 0xffff_ffff } },
    exit: sendIpi({
      targetCpu: 0xffff_ffff,
      targetCpuAux: 0,
      sendToAll: true,
      sendToSelf: true,
      vector: 0x31,
    }),
  },
  {
    name: "ICR NMI → vector 2",
    // NMI 4 << 8 = 0x400 (vector field ignored, 0x00); destination 7
    snapshot: { exitReason: 32, regs: { rcx: 0x830, rax: 0x400, rdx: 7 } },
    exit: sendIpi({
      targetCpu: 7,
      targetCpuAux: 0,
      sendToAll: false,
      sendToSelf: false,
      vector: 2,
    }),
  },
  {
    name: "ICR NMI to all excluding self",
    // 0xC0000 | 0x400 = 0xC0400
    snapshot: { exitReason: 32, regs: { rcx: 0x830, rax: 0xc_0400, rdx: 0 } },
    exit: sendIpi({ targetCpu: 0, targetCpuAux: 0, sendToAll: true, sendToSelf: false, vector: 2 }),
  },
  {
    name: "ICR Start-up to APIC 1 at 0x9A000 (arch-spec A.6 vector)",
    // 0x0000_0001_0000_069A: StartUp 6 << 8 = 0x600 | page 0x9A; entry = 0x9A << 12 = 0x9A000
    snapshot: { exitReason: 32, regs: { rcx: 0x830, rax: 0x69a, rdx: 1 } },
    exit: cpuUp({ targetCpu: 1, entryPoint: 0x9a000, arg: 0 }),
  },
  {
    name: "ICR Start-up to all excluding self is Nothing",
    // 0xC0000 | 0x600 | 0x10 = 0xC0610: broadcast SIPI cannot be one CpuUp
    snapshot: { exitReason: 32, regs: { rcx: 0x830, rax: 0xc_0610, rdx: 0 } },
    exit: nothing(),
    cause: { note: expect.stringContaining("all-excluding-self") },
  },
  {
    name: "ICR Start-up to the broadcast destination is Nothing",
    // EAX = Start-up 0x600 | page 0x9A = 0x69A; EDX = 0xFFFFFFFF (every CPU)
    snapshot: { exitReason: 32, regs: { rcx: 0x830, rax: 0x69a, rdx: 0xffff_ffff } },
    exit: nothing(),
    cause: { note: expect.stringContaining("broadcast") },
  },
  {
    name: "ICR Start-up to a logical destination is Nothing",
    // EAX = logical 0x800 | Start-up 0x600 | page 0x9A = 0xE9A; EDX = cluster 0 bit 1 (not an APIC ID)
    snapshot: { exitReason: 32, regs: { rcx: 0x830, rax: 0xe9a, rdx: 2 } },
    exit: nothing(),
    cause: {
      note: expect.stringContaining("logical"),
      icr: expect.objectContaining({ destinationMode: "logical" }),
    },
  },
  {
    name: "ICR Start-up to self is Nothing",
    // 0x40000 (self) | 0x600 | 0x10 = 0x40610
    snapshot: { exitReason: 32, regs: { rcx: 0x830, rax: 0x4_0610, rdx: 0 } },
    exit: nothing(),
    cause: { note: expect.stringContaining("self") },
  },
  {
    name: "ICR INIT assert (arch-spec A.6 vector)",
    // 0x0000_0001_0000_C500: level-trigger 0x8000 | assert 0x4000 | INIT 0x500
    snapshot: { exitReason: 32, regs: { rcx: 0x830, rax: 0xc500, rdx: 1 } },
    exit: nothing(),
    cause: {
      note: expect.stringContaining("INIT"),
      icr: expect.objectContaining({ level: "assert", triggerMode: "level" }),
    },
  },
  {
    name: "ICR INIT de-assert",
    // 0x8500: level-trigger 0x8000 | INIT 0x500, level bit 14 clear
    snapshot: { exitReason: 32, regs: { rcx: 0x830, rax: 0x8500, rdx: 1 } },
    exit: nothing(),
    cause: { icr: expect.objectContaining({ level: "deassert" }) },
  },
  {
    name: "ICR SMI",
    // SMI 2 << 8 = 0x200
    snapshot: { exitReason: 32, regs: { rcx: 0x830, rax: 0x200, rdx: 0 } },
    exit: nothing(),
    cause: { note: expect.stringContaining("SMI") },
  },
  {
    name: "ICR ExtINT",
    // ExtINT 7 << 8 = 0x700
    snapshot: { exitReason: 32, regs: { rcx: 0x830, rax: 0x700, rdx: 0 } },
    exit: nothing(),
    cause: { note: expect.stringContaining("ExtINT") },
  },
  // ---- EPT violation / misconfig without instruction bytes
  {
    name: "EPT violation read, not present (0x181)",
    // bits 0 (read), 7 (GLA valid), 8 (final translation) = 0x181
    snapshot: {
      exitReason: 48,
      exitQualification: 0x181,
      guestPhysicalAddress: 0xfebf_0000n,
      guestLinearAddress: 0xffff_8000_0000_1000n,
    },
    exit: nestedPageFault({ addr: 0xfebf_0000n, accessFlags: 1 }),
    cause: {
      class: "ept-violation",
      gpa: 0xfebf_0000n,
      fault: {
        read: true,
        write: false,
        fetch: false,
        readable: false,
        linearAddressValid: true,
        finalTranslation: true,
      },
      linearAddress: 0xffff_8000_0000_1000n,
      notMmio: "no instructionBytes to decode the access from",
    },
  },
  {
    name: "EPT violation write to R-X page (0x1AA)",
    // bits 1 (write), 3 (readable), 5 (executable), 7, 8 = 0x1AA → WRITE
    snapshot: { exitReason: 48, exitQualification: 0x1aa, guestPhysicalAddress: 0x1000 },
    exit: nestedPageFault({ addr: 0x1000, accessFlags: 2 }),
    cause: { fault: { write: true, readable: true, writable: false, executable: true } },
  },
  {
    name: "EPT violation write, advanced info (0x582)",
    // bits 1, 7, 8, 10 (linear address writable) = 0x582
    snapshot: { exitReason: 48, exitQualification: 0x582, guestPhysicalAddress: 0x2000 },
    exit: nestedPageFault({ addr: 0x2000, accessFlags: 2 }),
    cause: { fault: { linearWritable: true, userMode: false } },
  },
  {
    name: "EPT violation instruction fetch",
    // bit 2 (fetch) | bit 3 (readable) = 0xC → EXECUTE
    snapshot: { exitReason: 48, exitQualification: 0xc, guestPhysicalAddress: 0x10_0000 },
    exit: nestedPageFault({ addr: 0x10_0000, accessFlags: 4 }),
  },
  {
    name: "EPT violation read+write with NMI unblocking",
    // bits 0, 1 | bit 12 (NMI unblocking) = 0x1003 → READ | WRITE
    snapshot: { exitReason: 48, exitQualification: 0x1003, guestPhysicalAddress: 0x3000 },
    exit: nestedPageFault({ addr: 0x3000, accessFlags: 3 }),
    cause: { fault: { nmiUnblocking: true } },
  },
  {
    name: "EPT violation user/XD advanced bits",
    // bits 0, 6 (user-exec), 9 (user), 11 (XD) = 0xA41
    snapshot: { exitReason: 48, exitQualification: 0xa41, guestPhysicalAddress: 0x4000 },
    exit: nestedPageFault({ addr: 0x4000, accessFlags: 1 }),
    cause: { fault: { userExecutable: true, userMode: true, executeDisable: true } },
  },
  {
    name: "EPT violation at a 52-bit GPA",
    // GPA 0xF_FFFF_FFFF_F000 as bigint, read
    snapshot: { exitReason: 48, exitQualification: 1n, guestPhysicalAddress: 0xf_ffff_ffff_f000n },
    exit: nestedPageFault({ addr: 0xf_ffff_ffff_f000n, accessFlags: 1 }),
  },
  {
    name: "EPT misconfig without bytes",
    // reason 49: qualification undefined; flags 0
    snapshot: { exitReason: 49, guestPhysicalAddress: 0xfed0_0000n },
    exit: nestedPageFault({ addr: 0xfed0_0000n, accessFlags: 0 }),
    cause: { class: "ept-misconfig", gpa: 0xfed0_0000n },
  },
  // ---- APIC access without decodable bytes, and other reasons that dissect a qualification
  {
    name: "APIC access, linear write to EOI, no bytes",
    // offset 0x0B0 | type 1 (linear write) << 12 = 0x10B0
    snapshot: { exitReason: 44, exitQualification: 0x10b0 },
    exit: nothing(),
    cause: {
      class: "apic-access",
      offset: 0xb0,
      accessType: 1,
      gpa: 0xfee0_00b0n,
      notMmio: expect.stringContaining("instructionBytes"),
    },
  },
  {
    name: "APIC access during event delivery",
    // type 3 << 12 = 0x3000 | offset 0x300
    snapshot: { exitReason: 44, exitQualification: 0x3300 },
    exit: nothing(),
    cause: { accessType: 3, accessTypeName: "linear access during event delivery" },
  },
  {
    name: "CR access: mov cr3, rax",
    // CR 3 | type 0 (MOV to CR) | GPR 0 = 0x3
    snapshot: { exitReason: 28, exitQualification: 0x3 },
    exit: nothing(),
    cause: {
      class: "cr-access",
      cr: 3,
      accessType: "mov-to-cr",
      lmswMemoryOperand: false,
      gpr: 0,
      lmswSourceData: 0,
    },
  },
  {
    name: "CR access: mov rax, cr3",
    // CR 3 | type 1 << 4 = 0x13
    snapshot: { exitReason: 28, exitQualification: 0x13 },
    exit: nothing(),
    cause: { cr: 3, accessType: "mov-from-cr" },
  },
  {
    name: "CR access: mov cr4, r8",
    // CR 4 | GPR 8 << 8 = 0x804
    snapshot: { exitReason: 28, exitQualification: 0x804 },
    exit: nothing(),
    cause: { cr: 4, gpr: 8 },
  },
  {
    name: "CR access: clts",
    // type 2 << 4 = 0x20
    snapshot: { exitReason: 28, exitQualification: 0x20 },
    exit: nothing(),
    cause: { accessType: "clts" },
  },
  {
    name: "CR access: lmsw ax with AX = 1",
    // type 3 << 4 = 0x30 | source data 1 << 16 = 0x10030
    snapshot: { exitReason: 28, exitQualification: 0x1_0030 },
    exit: nothing(),
    cause: { accessType: "lmsw", lmswSourceData: 1 },
  },
  {
    name: "MOV DR: mov dr7, rcx",
    // DR 7 | direction 0 | GPR 1 << 8 = 0x107
    snapshot: { exitReason: 29, exitQualification: 0x107 },
    exit: nothing(),
    cause: { class: "dr-access", dr: 7, direction: "to-dr", gpr: 1 },
  },
  {
    name: "MOV DR: mov rdx, dr6",
    // DR 6 | direction 1 << 4 | GPR 2 << 8 = 0x216
    snapshot: { exitReason: 29, exitQualification: 0x216 },
    exit: nothing(),
    cause: { class: "dr-access", dr: 6, direction: "from-dr", gpr: 2 },
  },
  {
    name: "task switch via IRET",
    // source 1 << 30 = 0x40000000 | selector 0x28
    snapshot: { exitReason: 9, exitQualification: 0x4000_0028 },
    exit: nothing(),
    cause: { class: "task-switch", selector: 0x28, source: "iret" },
  },
  {
    name: "task switch via task gate",
    // source 3 << 30 = 0xC0000000 | selector 0x30
    snapshot: { exitReason: 9, exitQualification: 0xc000_0030 },
    exit: nothing(),
    cause: { class: "task-switch", selector: 0x30, source: "task-gate" },
  },
  {
    name: "INVLPG",
    // qualification = linear-address operand
    snapshot: { exitReason: 14, exitQualification: 0xffff_8880_0000_0000n },
    exit: nothing(),
    cause: { class: "invlpg", linearAddress: 0xffff_8880_0000_0000n },
  },
  {
    name: "#PF exception with error code",
    // intr-info 0x80000B0E: valid | error code valid 0x800 | hw exception 3 << 8 | vector 14
    snapshot: {
      exitReason: 0,
      exitQualification: 0x7f00_1000,
      exitInterruptionInfo: 0x8000_0b0e,
      exitInterruptionErrorCode: 6,
    },
    exit: nothing(),
    cause: {
      class: "exception-nmi",
      pageFaultAddress: 0x7f00_1000n,
      interruption: expect.objectContaining({
        exception: "#PF",
        errorCodeValid: true,
        errorCode: 6,
      }),
    },
  },
  {
    name: "#DB single step",
    // intr-info 0x80000301 (hw exception, vector 1); qualification 0x4000 = BS (bit 14)
    snapshot: { exitReason: 0, exitQualification: 0x4000, exitInterruptionInfo: 0x8000_0301 },
    exit: nothing(),
    cause: {
      class: "exception-nmi",
      debug: { breakpoints: 0, bd: false, bs: true, rtm: false },
    },
  },
  {
    name: "#DB breakpoint 2 via ICEBP",
    // intr-info 0x80000501 (privileged sw exception 5 << 8, vector 1); B2 = bit 2 → 0x4
    snapshot: { exitReason: 0, exitQualification: 0x4, exitInterruptionInfo: 0x8000_0501 },
    exit: nothing(),
    cause: {
      debug: expect.objectContaining({ breakpoints: 4 }),
      interruption: expect.objectContaining({ type: "privileged-software-exception" }),
    },
  },
  {
    name: "#UD exception",
    // 0x80000306: hw exception, vector 6
    snapshot: { exitReason: 0, exitInterruptionInfo: 0x8000_0306 },
    exit: nothing(),
    cause: { interruption: expect.objectContaining({ exception: "#UD", vector: 6 }) },
  },
  {
    name: "NMI",
    // 0x80000202: type 2 (NMI) << 8 | vector 2
    snapshot: { exitReason: 0, exitInterruptionInfo: 0x8000_0202 },
    exit: nothing(),
    cause: { interruption: expect.objectContaining({ type: "nmi", exception: "NMI" }) },
  },
  {
    name: "EPT violation during event delivery (IDT-vectoring info)",
    // IDT-vectoring 0x80000B0E: #PF being delivered with error code; q = 0x182 (write)
    snapshot: {
      exitReason: 48,
      exitQualification: 0x182,
      guestPhysicalAddress: 0x5000,
      idtVectoringInfo: 0x8000_0b0e,
    },
    exit: nestedPageFault({ addr: 0x5000, accessFlags: 2 }),
    cause: {
      idtVectoring: expect.objectContaining({
        vector: 14,
        type: "hardware-exception",
        errorCodeValid: true,
        valid: true,
      }),
    },
  },
  {
    name: "EOI_INDUCED: the qualification is the vector",
    // reason 45, qualification = vector 0x31
    snapshot: { exitReason: 45, exitQualification: 0x31 },
    exit: nothing(),
    cause: { name: "EOI_INDUCED", class: "eoi-induced", vector: 0x31 },
  },
  {
    name: "MSR_WRITE_IMM is Nothing",
    // reason 85 (0x55), qualification = MSR index 0x6E0
    snapshot: { exitReason: 85, exitQualification: 0x6e0 },
    exit: nothing(),
    cause: { name: "MSR_WRITE_IMM", class: "other", qualification: 0x6e0n },
  },
  {
    name: "SEAMCALL (no Linux string) keeps the architecture's name",
    // reason 76 (0x4C)
    snapshot: { exitReason: 76 },
    exit: nothing(),
    cause: { name: "SEAMCALL", code: 76, class: "other" },
  },
];

describe("decodeVmx table", () => {
  it("has at least 60 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });
  for (const c of CASES) {
    it(c.name, () => {
      const d = decodeVmx(c.snapshot, c.options);
      expect(d.exit).toEqual(c.exit);
      expect(d.cause.arch).toBe("x86-vmx");
      expect(d.cause.code).toBe(c.snapshot.exitReason & 0xffff);
      if (c.cause !== undefined) expect(d.cause).toMatchObject(c.cause);
    });
  }
});

function rejects(snapshot: unknown, code: string, field?: string, options?: unknown): void {
  rejectsWith(decodeVmx, snapshot, code, field, options);
}

/** `decode` throws a `VmExitError` of `code` (naming `field`, when given) on `snapshot`. */
function rejectsWith(
  decode: (s: VmxSnapshot, o?: VmxDecodeOptions) => unknown,
  snapshot: unknown,
  code: string,
  field?: string,
  options?: unknown,
): void {
  let caught: unknown;
  try {
    decode(snapshot as VmxSnapshot, options as VmxDecodeOptions);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(VmExitError);
  expect((caught as VmExitError).code).toBe(code);
  if (field !== undefined) expect((caught as VmExitError).field).toBe(field);
}

describe("decodeVmx rejections", () => {
  it("rejects regs that are not an object for every defined reason, before reading any field", () => {
    // SDM Vol. 3C Appendix C: basic reasons 0–85 are defined but 35, 38, 42, 82 and 83; with
    // bit 31 (VM-entry failure) set, here on reasons 33, 34 and 48, the exit is an entry failure
    // whatever its basic reason. `regs`, when given, is the
    // guest's register file: anything but an object is the caller's mistake, whatever the reason,
    // and is reported before the reason's own fields are read (none are given here)
    const undefinedReasons = [35, 38, 42, 82, 83];
    const reasons: number[] = [];
    for (let r = 0; r <= 85; r++) if (!undefinedReasons.includes(r)) reasons.push(r);
    reasons.push(0x8000_0021, 0x8000_0022, 0x8000_0030);
    for (const exitReason of reasons) {
      for (const regs of [5, "regs", null, true, 1n]) {
        const snapshot = { exitReason, regs } as unknown as VmxSnapshot;
        rejects(snapshot, "invalid-argument", "regs");
        rejectsWith(decodeVmxExit, snapshot, "invalid-argument", "regs");
      }
    }
  });
  it("rejects undefined basic reasons 35, 38, 42, 82, 83 and > 85", () => {
    for (const r of [35, 38, 42, 82, 83, 86, 0xffff])
      rejects({ exitReason: r }, "unknown-exit-reason", "exitReason");
    // bit 31 does not rescue an undefined basic reason: 0x80000023
    rejects({ exitReason: 0x8000_0023 }, "unknown-exit-reason");
  });
  it("rejects reserved I/O size fields 2, 4–7", () => {
    for (const size of [2, 4, 5, 6, 7]) {
      rejects(
        { exitReason: 30, exitQualification: 0x3f8_0000 | size, regs: { rax: 0 } },
        "reserved-encoding",
        "exitQualification",
      );
    }
  });
  it("names missing registers", () => {
    rejects({ exitReason: 30, exitQualification: 0x3f8_0000 }, "missing-register", "regs.rax");
    rejects({ exitReason: 30 }, "missing-register", "exitQualification");
    rejects({ exitReason: 31 }, "missing-register", "regs.rcx");
    rejects({ exitReason: 32, regs: { rcx: 0x10, rax: 0 } }, "missing-register", "regs.rdx");
    rejects({ exitReason: 18, regs: { rax: 0 } }, "missing-register", "regs.rdi");
    rejects({ exitReason: 18, regs: { rax: 0 } }, "missing-register", "regs.rbx", {
      hypercallAbi: "kvm",
    });
    rejects({ exitReason: 48, exitQualification: 1 }, "missing-register", "guestPhysicalAddress");
    rejects({ exitReason: 48, guestPhysicalAddress: 0 }, "missing-register", "exitQualification");
    rejects({ exitReason: 49 }, "missing-register", "guestPhysicalAddress");
    rejects({ exitReason: 44 }, "missing-register", "exitQualification");
    rejects({ exitReason: 1 }, "missing-register", "exitInterruptionInfo");
    // valid bit clear: 0x000000EF
    rejects(
      { exitReason: 1, exitInterruptionInfo: 0xef },
      "missing-register",
      "exitInterruptionInfo",
    );
  });
  it("rejects an external interrupt whose type is not 0", () => {
    // 0x80000202 = NMI type
    rejects(
      { exitReason: 1, exitInterruptionInfo: 0x8000_0202 },
      "reserved-encoding",
      "exitInterruptionInfo",
    );
  });
  it("rejects malformed inputs with invalid-argument / out-of-range", () => {
    rejects(null, "invalid-argument", "snapshot");
    rejects(7, "invalid-argument", "snapshot");
    // a missing exit reason is a missing register, like every other primary register
    rejects({}, "missing-register", "exitReason");
    rejects({ exitReason: -1 }, "out-of-range", "exitReason");
    rejects({ exitReason: 2 ** 32 }, "out-of-range", "exitReason");
    rejects({ exitReason: 1.5 }, "invalid-argument", "exitReason");
    rejects({ exitReason: 12, regs: 5 }, "invalid-argument", "regs");
    rejects({ exitReason: 31, regs: { rcx: -1 } }, "invalid-argument", "regs.rcx");
    rejects({ exitReason: 31, regs: { rcx: 2n ** 64n } }, "out-of-range", "regs.rcx");
    rejects({ exitReason: 31, regs: { rcx: "1" } }, "invalid-argument", "regs.rcx");
    rejects({ exitReason: 28, exitQualification: 0.5 }, "invalid-argument", "exitQualification");
    // EXCEPTION_NMI reads the interruption information; HLT (and every "other" reason) the
    // IDT-vectoring information
    rejects(
      { exitReason: 0, exitInterruptionInfo: 2 ** 32 },
      "out-of-range",
      "exitInterruptionInfo",
    );
    rejects({ exitReason: 12, idtVectoringInfo: "x" }, "invalid-argument", "idtVectoringInfo");
    // a given qualification is checked wherever the exit keeps it (raw for CPUID)
    rejects({ exitReason: 10, exitQualification: -1 }, "invalid-argument", "exitQualification");
    rejects({ exitReason: 12 }, "invalid-argument", "options", 3);
    rejects({ exitReason: 12 }, "invalid-argument", "options.hypercallAbi", {
      hypercallAbi: "xen",
    });
    rejects({ exitReason: 12 }, "invalid-argument", "options.cpuMode", { cpuMode: 8 });
    rejects({ exitReason: 12 }, "invalid-argument", "options.apicBase", { apicBase: 1 });
    rejects({ exitReason: 12 }, "invalid-argument", "options.isMmio", { isMmio: true });
  });
  it("accepts number registers and qualifications", () => {
    // RCX as a number 0x1B
    expect(decodeVmx({ exitReason: 31, regs: { rcx: 0x1b } }).exit).toEqual(
      sysRegRead({ addr: 0x1b, reg: 0 }),
    );
  });
  it("treats a VM-entry failure reason without bit 31 as FailEntry", () => {
    // basic 33 alone: still an entry-failure reason
    expect(decodeVmx({ exitReason: 33 }).exit).toEqual(
      failEntry({ hardwareEntryFailureReason: 33 }),
    );
    // bit 31 | 12 (HLT): bit 31 wins
    expect(decodeVmx({ exitReason: 0x8000_000c }).exit).toEqual(
      failEntry({ hardwareEntryFailureReason: 0x8000_000c }),
    );
  });
});

describe("guest-chosen values never make decodeVmx throw", () => {
  it("a WRMSR 0x830 with the reserved ICR delivery mode 3 is the raw SysRegWrite", () => {
    // ICR low 0x41F86BFE: bits 10:8 = 0b011 = 3 (reserved); EDX = 0x12 → value 0x12_41F86BFE
    const d = decodeVmx({ exitReason: 32, regs: { rcx: 0x830, rax: 0x41f8_6bfe, rdx: 0x12 } });
    expect(d.exit).toEqual(sysRegWrite({ addr: 0x830, value: 0x12_41f8_6bfen }));
    expect(d.cause).toMatchObject({
      class: "msr",
      index: 0x830,
      value: 0x12_41f8_6bfen,
      icr: expect.objectContaining({ deliveryMode: "reserved", vector: 0xfe }),
      note: expect.stringMatching(/delivery mode \(bits 10:8\) 3 is reserved/),
    });
    // the plain 0x300 (mode 3, vector 0) too, under decodeVmxExit as well
    expect(decodeVmxExit({ exitReason: 32, regs: { rcx: 0x830, rax: 0x300, rdx: 0 } })).toEqual(
      sysRegWrite({ addr: 0x830, value: 0x300 }),
    );
  });
  it("rejects an APIC base that is not page-aligned (host state), naming the value", () => {
    // IA32_APIC_BASE 0xFEE00900 = base 0xFEE00000 | EN (bit 11) | BSP (bit 8): the flags are not part of the address
    expect(() => decodeVmx({ exitReason: 12 }, { apicBase: 0xfee0_0900n })).toThrow(
      expect.objectContaining({
        code: "invalid-argument",
        field: "options.apicBase",
        message: expect.stringContaining("0xfee00900"),
      }),
    );
  });
});

describe("shared parts of causes", () => {
  it("a HLT with no qualification, IDT-vectoring information or flags has one frozen cause", () => {
    const a = decodeVmx({ exitReason: 12 }).cause;
    const b = decodeVmx({ exitReason: 12 }).cause;
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    // the cause of reason 12 (HLT), as for any "other" reason: flags all clear (bits 26–31 of 12)
    expect(a).toEqual({
      arch: "x86-vmx",
      code: 12,
      name: "HLT",
      class: "other",
      exitReason: 12,
      flags: {
        busLockDetected: false,
        enclaveMode: false,
        pendingMtf: false,
        fromVmxRoot: false,
        failedVmEntry: false,
      },
      idtVectoring: undefined,
      qualification: undefined,
    });
    // with a qualification, or a flag bit (26: bus lock), the cause is the snapshot's own
    expect(decodeVmx({ exitReason: 12, exitQualification: 0n }).cause).not.toBe(a);
    expect(decodeVmx({ exitReason: 12 | 0x0400_0000 }).cause.flags.busLockDetected).toBe(true);
  });

  it("a plain IN/OUT, a RDMSR and a valid external interrupt share one frozen cause per value", () => {
    // (the port and RDMSR causes sit in a memo that keeps the first cause of each of its 1024
    // slots: these keys' slots are free when this test runs; a key another test of this file
    // decoded first into one of them would leave these causes fresh, and this test failing)
    // out dx, al to 0x3F8: port 0x3F8 << 16 | size 0 (1 byte) | OUT (bit 3 clear)
    const out = { exitReason: 30, exitQualification: 0x03f8_0000n, regs: { rax: 0x41n } };
    const a = decodeVmx(out).cause;
    expect(decodeVmx({ ...out, regs: { rax: 0x42n } }).cause).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(a).toMatchObject({ class: "io", port: 0x3f8, size: 1, direction: "out", rep: false });
    // another port, a flag bit (26) or a REP (bit 5, RCX given) give the snapshot's own cause
    expect(decodeVmx({ ...out, exitQualification: 0x03f9_0000n }).cause).not.toBe(a);
    expect(decodeVmx({ ...out, exitReason: 30 | 0x0400_0000 }).cause).not.toBe(a);
    const rep = decodeVmx({ exitReason: 30, exitQualification: 0x03f8_0020n, regs: { rcx: 3n } });
    expect(Object.isFrozen(rep.cause)).toBe(false);
    expect(rep.cause).toMatchObject({ rep: true, count: 3n });
    // RDMSR of IA32_APIC_BASE (0x1B): one cause for the index, whatever else the registers hold
    const rdmsr = decodeVmx({ exitReason: 31, regs: { rcx: 0x1bn, rax: 5n } }).cause;
    expect(decodeVmx({ exitReason: 31, regs: { rcx: 0x1bn } }).cause).toBe(rdmsr);
    expect(rdmsr).toMatchObject({ class: "msr", index: 0x1b, direction: "read", value: undefined });
    // WRMSR causes carry the value: never shared
    const wr = { exitReason: 32, regs: { rcx: 0x1bn, rax: 0n, rdx: 0n } };
    expect(decodeVmx(wr).cause).not.toBe(decodeVmx(wr).cause);
    // 0x800000EC: valid, type 0 (external interrupt), vector 0xEC
    const ext = decodeVmx({ exitReason: 1, exitInterruptionInfo: 0x8000_00ec }).cause;
    expect(decodeVmx({ exitReason: 1, exitInterruptionInfo: 0x8000_00ec }).cause).toBe(ext);
    expect(ext).toMatchObject({ class: "external-interrupt", vector: 0xec });
    expect(decodeVmx({ exitReason: 1, exitInterruptionInfo: 0x8000_00ed }).cause).not.toBe(ext);
  });

  it("an EPT violation's qualification bits 12:0 are one frozen fault per value", () => {
    const ept = (q: bigint) => {
      const c = decodeVmx({
        exitReason: 48,
        exitQualification: q,
        guestPhysicalAddress: 0x1000n,
      }).cause;
      if (c.class !== "ept-violation") throw new Error(`class ${c.class}`);
      return c.fault;
    };
    const a = ept(0x181n);
    expect(Object.isFrozen(a)).toBe(true);
    // bits above 12 (16: asynchronous to instruction execution) are not part of the fault
    expect(ept(0x1_0181n)).toBe(a);
    expect(ept(0x182n)).not.toBe(a);
    // the qualification bit by bit (Linux EPT_VIOLATION_*; bit 12 as handle_ept_violation reads
    // it): 0x1555 sets bits 0, 2, 4, 6, 8, 10, 12
    expect(ept(0x1555n)).toEqual({
      read: true,
      write: false,
      fetch: true,
      readable: false,
      writable: true,
      executable: false,
      userExecutable: true,
      linearAddressValid: false,
      finalTranslation: true,
      userMode: false,
      linearWritable: true,
      executeDisable: false,
      nmiUnblocking: true,
    });
    // 0xAAA: the other bits 1, 3, 5, 7, 9, 11
    expect(ept(0xaaan)).toEqual({
      read: false,
      write: true,
      fetch: false,
      readable: true,
      writable: false,
      executable: true,
      userExecutable: false,
      linearAddressValid: true,
      finalTranslation: false,
      userMode: true,
      linearWritable: false,
      executeDisable: true,
      nmiUnblocking: false,
    });
  });

  it("interruption information without an error code is dissected once, with one fresh", () => {
    // 0x800000ec: valid (bit 31), type 0 (external interrupt), vector 0xEC
    const a = decodeVmx({ exitReason: 1, exitInterruptionInfo: 0x8000_00ec }).cause;
    const b = decodeVmx({ exitReason: 1, exitInterruptionInfo: 0x8000_00ec }).cause;
    if (a.class !== "external-interrupt" || b.class !== "external-interrupt") throw new Error();
    expect(b.interruption).toBe(a.interruption);
    expect(a.interruption).toEqual({
      raw: 0x8000_00ec,
      vector: 0xec,
      type: "external-interrupt",
      errorCodeValid: false,
      nmiUnblocking: false,
      valid: true,
    });
    // 0x80000b0e: valid, type 3 (hardware exception), error code valid (bit 11), vector 14 (#PF)
    const pf = { exitReason: 0, exitInterruptionInfo: 0x8000_0b0e, exitInterruptionErrorCode: 6 };
    const c = decodeVmx(pf).cause;
    const d = decodeVmx(pf).cause;
    if (c.class !== "exception-nmi" || d.class !== "exception-nmi") throw new Error();
    expect(d.interruption).not.toBe(c.interruption);
    expect(c.interruption).toEqual({
      raw: 0x8000_0b0e,
      vector: 14,
      type: "hardware-exception",
      errorCodeValid: true,
      errorCode: 6,
      nmiUnblocking: false,
      valid: true,
      exception: "#PF",
    });
  });
});
