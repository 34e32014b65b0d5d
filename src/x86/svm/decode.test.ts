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
  mmioRead,
  mmioWrite,
  nestedPageFault,
  nothing,
  sendIpi,
  sysRegRead,
  sysRegWrite,
  systemDown,
} from "../../core/constructors";
import { VmExitError } from "../../core/error";
import type { VmExit } from "../../core/exit";
import { decodeSvm, decodeSvmExit } from "./decode";
import type { SvmDecodeOptions, SvmSnapshot } from "./snapshot";

interface Case {
  readonly name: string;
  readonly snapshot: SvmSnapshot;
  readonly options?: SvmDecodeOptions;
  readonly exit: VmExit;
  readonly cause?: Readonly<Record<string, unknown>>;
}

const U64 = 0xffff_ffff_ffff_ffffn;

// Every case: the raw values are derived by hand from the EXITCODE / EXITINFO layouts of AMD APM
// Vol. 2 §15 and Appendix C as Linux (arch/x86/include/uapi/asm/svm.h, arch/x86/kvm/svm/svm.c,
// avic.c, sev.c), Xen (hvm/svm/vmcb.h) and QEMU (target/i386/svm.h) encode them; the expected exit
// from the mapping in docs/svm.md. Bits: IOIO EXITINFO1 TYPE 0, STR 2, REP 3, SZ8/16/32 4/5/6,
// A16/32/64 7/8/9, PORT 31:16; NPF EXITINFO1 P 0, RW 1, US 2, RSVD 3, ID 4, GUEST_FINAL 32,
// GUEST_PAGE 33; x2APIC ICR vector 7:0, delivery mode 10:8, destination mode 11, shorthand 19:18.
const CASES: readonly Case[] = [
  // ---- the negative codes (APM Table C-1): all 64 bits set, VMRUN failed
  {
    name: "VMEXIT_INVALID (−1): VMRUN consistency check failed",
    snapshot: { exitCode: U64 },
    exit: failEntry({ hardwareEntryFailureReason: U64 }),
    cause: { code: -1, name: "invalid_guest_state", class: "entry-failure", exitCode: U64 },
  },
  {
    name: "VMEXIT_BUSY (−2)",
    snapshot: { exitCode: U64 - 1n, exitInfo1: 0, exitInfo2: 0 },
    exit: failEntry({ hardwareEntryFailureReason: U64 - 1n }),
    cause: { code: -2, name: "VMEXIT_BUSY", exitInfo1: 0n, exitInfo2: 0n },
  },
  {
    name: "VMEXIT_IDLE_REQUIRED (−3)",
    snapshot: { exitCode: U64 - 2n },
    exit: failEntry({ hardwareEntryFailureReason: U64 - 2n }),
    cause: { code: -3, name: "VMEXIT_IDLE_REQUIRED" },
  },
  {
    name: "VMEXIT_INVALID_PMC (−4)",
    snapshot: { exitCode: U64 - 3n },
    exit: failEntry({ hardwareEntryFailureReason: U64 - 3n }),
    cause: { code: -4, name: "VMEXIT_INVALID_PMC", class: "entry-failure" },
  },
  // ---- 0x060–0x063: INTR (the host acknowledged the vector), NMI, SMI, INIT
  {
    name: "INTR with the vector the host acknowledged",
    snapshot: { exitCode: 0x60, interruptVector: 0xec },
    exit: externalInterrupt({ vector: 0xec }),
    cause: { code: 0x60, name: "interrupt", class: "interrupt", vector: 0xec },
  },
  {
    name: "INTR with vector 0",
    snapshot: { exitCode: 0x60n, interruptVector: 0 },
    exit: externalInterrupt({ vector: 0 }),
  },
  {
    name: "NMI",
    snapshot: { exitCode: 0x61 },
    exit: nothing(),
    cause: { name: "nmi", class: "other", exitInfo1: undefined },
  },
  { name: "SMI", snapshot: { exitCode: 0x62 }, exit: nothing(), cause: { name: "smi" } },
  {
    name: "INIT",
    snapshot: { exitCode: 0x63 },
    exit: cpuDown({ state: 0 }),
    cause: { name: "init", class: "other" },
  },
  // ---- HLT 0x078, IDLE_HLT 0x0A6, MWAIT 0x08B; MWAIT_COND 0x08C is not one
  { name: "HLT", snapshot: { exitCode: 0x78 }, exit: halt(), cause: { name: "hlt" } },
  {
    name: "IDLE_HLT",
    snapshot: { exitCode: 0xa6 },
    exit: halt(),
    cause: { name: "idle-halt", code: 0xa6 },
  },
  { name: "MWAIT", snapshot: { exitCode: 0x8b }, exit: halt(), cause: { name: "mwait" } },
  {
    name: "MWAIT_COND (no Linux string: the APM / Xen name)",
    snapshot: { exitCode: 0x8c },
    exit: nothing(),
    cause: { name: "VMEXIT_MWAIT_CONDITIONAL", class: "other" },
  },
  // ---- IOIO 0x07B
  {
    name: "in al, 0x60 (64-bit): 0x60 << 16 | A64 0x200 | SZ8 0x10 | IN",
    snapshot: { exitCode: 0x7b, exitInfo1: 0x0060_0211, exitInfo2: 0x1002 },
    exit: ioRead({ port: 0x60, width: 1 }),
    cause: {
      class: "io",
      name: "io",
      direction: "in",
      size: 1,
      string: false,
      rep: false,
      addressSize: 64,
      port: 0x60,
      nextRip: 0x1002n,
      count: undefined,
      note: undefined,
    },
  },
  {
    name: "out dx, ax (32-bit), DX = 0x3F8: 0x3F8 << 16 | A32 0x100 | SZ16 0x20; data = AX",
    snapshot: {
      exitCode: 0x7b,
      exitInfo1: 0x03f8_0120,
      exitInfo2: 0x2002,
      regs: { rax: 0xffff_1234 },
    },
    exit: ioWrite({ port: 0x3f8, width: 2, data: 0x1234 }),
    cause: { direction: "out", size: 2, addressSize: 32, port: 0x3f8 },
  },
  {
    name: "in eax, dx from 0xCFC: SZ32 0x40 | IN, no address-size bit",
    snapshot: { exitCode: 0x7b, exitInfo1: 0x0cfc_0041 },
    exit: ioRead({ port: 0xcfc, width: 4 }),
    cause: { size: 4, addressSize: undefined, nextRip: undefined },
  },
  {
    name: "out 0x80, al: the data is AL of RAX",
    snapshot: { exitCode: 0x7b, exitInfo1: 0x0080_0010, regs: { rax: 0xdead_beefn } },
    exit: ioWrite({ port: 0x80, width: 1, data: 0xef }),
  },
  {
    name: "out dx, eax to 0xCF8: RAX bits 63:32 are not written",
    snapshot: { exitCode: 0x7b, exitInfo1: 0x0cf8_0040, regs: { rax: 0x8000_0000_8000_f800n } },
    exit: ioWrite({ port: 0xcf8, width: 4, data: 0x8000_f800 }),
  },
  {
    name: "rep outsb to 0x3F8: SZ8 | REP 0x8 | STR 0x4 → Nothing, RCX the count",
    snapshot: { exitCode: 0x7b, exitInfo1: 0x03f8_001c, regs: { rcx: 0x10 } },
    exit: nothing(),
    cause: {
      string: true,
      rep: true,
      count: 0x10n,
      note: "OUTS with REP: not a single port access",
    },
  },
  {
    name: "insw from 0x60: SZ16 0x20 | STR | IN",
    snapshot: { exitCode: 0x7b, exitInfo1: 0x0060_0025 },
    exit: nothing(),
    cause: { string: true, rep: false, count: undefined, note: "INS: not a single port access" },
  },
  {
    name: "rep in al, dx: REP without STR is not a single access either",
    snapshot: { exitCode: 0x7b, exitInfo1: 0x0060_0019 },
    exit: nothing(),
    cause: { note: "IN with REP: not a single port access" },
  },
  {
    name: "IOIO SEG field (bits 12:10) of an OUTS: segment 3",
    snapshot: { exitCode: 0x7b, exitInfo1: 0x03f8_0c14 },
    exit: nothing(),
    cause: { segment: 3, string: true },
  },
  // ---- MSR 0x07C: EXITINFO1 0 RDMSR, 1 WRMSR
  {
    name: "RDMSR 0x1B (IA32_APIC_BASE)",
    snapshot: { exitCode: 0x7c, exitInfo1: 0, exitInfo2: 0, nextRip: 0x3002, regs: { rcx: 0x1b } },
    exit: sysRegRead({ addr: 0x1b, reg: 0 }),
    cause: { class: "msr", index: 0x1b, direction: "read", value: undefined },
  },
  {
    name: "RDMSR: only ECX counts",
    snapshot: { exitCode: 0x7c, exitInfo1: 0n, regs: { rcx: 0xffff_ffff_c000_0080n } },
    exit: sysRegRead({ addr: 0xc000_0080, reg: 0 }),
  },
  {
    name: "WRMSR EFER = EDX:EAX = 0:0xD01",
    snapshot: { exitCode: 0x7c, exitInfo1: 1, regs: { rcx: 0xc000_0080, rax: 0xd01, rdx: 0 } },
    exit: sysRegWrite({ addr: 0xc000_0080, value: 0xd01 }),
    cause: { direction: "write", value: 0xd01n, icr: undefined, note: undefined },
  },
  {
    name: "WRMSR TSC_DEADLINE (0x6E0) = 0x1:0x23456789, upper register halves ignored",
    snapshot: {
      exitCode: 0x7c,
      exitInfo1: 1,
      regs: { rcx: 0x6e0, rax: 0xffff_ffff_2345_6789n, rdx: 0xffff_ffff_0000_0001n },
    },
    exit: sysRegWrite({ addr: 0x6e0, value: 0x1_2345_6789n }),
  },
  {
    name: "WRMSR x2APIC ICR: Fixed, vector 0xFD, destination 1",
    snapshot: { exitCode: 0x7c, exitInfo1: 1, regs: { rcx: 0x830, rax: 0xfd, rdx: 1 } },
    exit: sendIpi({
      targetCpu: 1,
      targetCpuAux: 0,
      sendToAll: false,
      sendToSelf: false,
      vector: 0xfd,
    }),
    cause: { icr: expect.objectContaining({ deliveryMode: "Fixed", destination: 1 }) },
  },
  {
    name: "WRMSR x2APIC ICR: INIT (mode 5, level assert 0xC500) to APIC 1 → Nothing",
    snapshot: { exitCode: 0x7c, exitInfo1: 1, regs: { rcx: 0x830, rax: 0xc500, rdx: 1 } },
    exit: nothing(),
    cause: { note: "INIT IPI (ICR delivery mode 5)" },
  },
  {
    name: "WRMSR x2APIC ICR: Start-up (mode 6) page 0x9A to APIC 1 → CpuUp at 0x9A000",
    snapshot: { exitCode: 0x7c, exitInfo1: 1, regs: { rcx: 0x830, rax: 0x69a, rdx: 1 } },
    exit: cpuUp({ targetCpu: 1, entryPoint: 0x9a000, arg: 0 }),
  },
  {
    name: "WRMSR x2APIC ICR: NMI (mode 4) to APIC 2 → SendIPI vector 2",
    snapshot: { exitCode: 0x7c, exitInfo1: 1, regs: { rcx: 0x830, rax: 0x400, rdx: 2 } },
    exit: sendIpi({
      targetCpu: 2,
      targetCpuAux: 0,
      sendToAll: false,
      sendToSelf: false,
      vector: 2,
    }),
  },
  {
    name: "WRMSR x2APIC ICR: shorthand 11 (all excluding self), vector 0xEC",
    snapshot: { exitCode: 0x7c, exitInfo1: 1, regs: { rcx: 0x830, rax: 0xc_00ec, rdx: 0 } },
    exit: sendIpi({
      targetCpu: 0,
      targetCpuAux: 0,
      sendToAll: true,
      sendToSelf: false,
      vector: 0xec,
    }),
  },
  {
    name: "WRMSR x2APIC ICR: destination 0xFFFFFFFF, no shorthand: the broadcast",
    snapshot: { exitCode: 0x7c, exitInfo1: 1, regs: { rcx: 0x830, rax: 0xec, rdx: 0xffff_ffff } },
    exit: sendIpi({
      targetCpu: 0xffff_ffff,
      targetCpuAux: 0,
      sendToAll: true,
      sendToSelf: true,
      vector: 0xec,
    }),
  },
  {
    name: "WRMSR x2APIC ICR: the reserved delivery mode 3 is the raw write",
    snapshot: { exitCode: 0x7c, exitInfo1: 1, regs: { rcx: 0x830, rax: 0x3fd, rdx: 0 } },
    exit: sysRegWrite({ addr: 0x830, value: 0x3fd }),
    cause: { note: expect.stringContaining("reserved") },
  },
  // ---- SHUTDOWN 0x07F, VMMCALL 0x081
  {
    name: "SHUTDOWN (triple fault)",
    snapshot: { exitCode: 0x7f },
    exit: systemDown(),
    cause: { name: "shutdown" },
  },
  {
    name: "VMMCALL, axvisor ABI: nr RAX, args RDI, RSI, RDX, RCX, R8, R9",
    snapshot: {
      exitCode: 0x81,
      regs: { rax: 1, rdi: 2, rsi: 3, rdx: 4, rcx: 5, r8: 6, r9: 7 },
    },
    exit: hypercall({ nr: 1, args: [2, 3, 4, 5, 6, 7] }),
    cause: { class: "vmmcall", name: "hypercall", hypercallAbi: "axvisor" },
  },
  {
    name: "VMMCALL, kvm ABI: KVM_HC_KICK_CPU (5), a0 RBX, a1 RCX (APIC ID 3)",
    snapshot: { exitCode: 0x81, regs: { rax: 5, rbx: 0, rcx: 3, rdx: 0, rsi: 0 } },
    options: { hypercallAbi: "kvm" },
    exit: hypercall({ nr: 5, args: [0, 3, 0, 0, 0, 0] }),
    cause: { hypercallAbi: "kvm" },
  },
  // ---- NPF 0x400: EXITINFO1 the error code, EXITINFO2 the GPA
  {
    name: "NPF on an MMIO GPA, first access: GUEST_FINAL | US | RW, mov [rdi], eax",
    snapshot: {
      exitCode: 0x400,
      exitInfo1: 0x1_0000_0006n,
      exitInfo2: 0xfebf_0000n,
      instructionBytes: [0x89, 0x07],
      regs: { rax: 0x1111_2222_cafe_f00dn, rdi: 0xfebf_0000n },
    },
    exit: mmioWrite({ addr: 0xfebf_0000, width: 4, data: 0xcafe_f00d }),
    cause: {
      class: "npf",
      gpa: 0xfebf_0000n,
      errorCode: 0x1_0000_0006n,
      fault: {
        present: false,
        write: true,
        user: true,
        finalTranslation: true,
        pageTableAccess: false,
      },
      notMmio: undefined,
      instruction: expect.objectContaining({ mnemonic: "MOV", opcode: "89", width: 4 }),
    },
  },
  {
    name: "NPF read: mov eax, [rdi] (8B 07) into EAX",
    snapshot: {
      exitCode: 0x400,
      exitInfo1: 0x1_0000_0004n,
      exitInfo2: 0xfebf_0010n,
      instructionBytes: [0x8b, 0x07],
    },
    exit: mmioRead({ addr: 0xfebf_0010, width: 4, reg: 0, regWidth: 4, signedExt: false }),
  },
  {
    name: "NPF read: movzx ecx, byte [rdi] (0F B6 0F)",
    snapshot: {
      exitCode: 0x400,
      exitInfo1: 0x1_0000_0004n,
      exitInfo2: 0x1000n,
      instructionBytes: [0x0f, 0xb6, 0x0f],
    },
    exit: mmioRead({ addr: 0x1000, width: 1, reg: 1, regWidth: 4, signedExt: false }),
  },
  {
    name: "NPF read: 66 63 07 (MOVSXD ax) reads 4 bytes on an AMD processor",
    snapshot: {
      exitCode: 0x400,
      exitInfo1: 0x1_0000_0004n,
      exitInfo2: 0x2000n,
      instructionBytes: [0x66, 0x63, 0x07],
    },
    exit: mmioRead({ addr: 0x2000, width: 4, reg: 0, regWidth: 2, signedExt: true }),
  },
  {
    name: "NPF write: mov byte [rdi], 0x5A (C6 07 5A), the immediate is the data",
    snapshot: {
      exitCode: 0x400,
      exitInfo1: 0x1_0000_0006n,
      exitInfo2: 0x3000n,
      instructionBytes: [0xc6, 0x07, 0x5a],
    },
    exit: mmioWrite({ addr: 0x3000, width: 1, data: 0x5a }),
  },
  {
    name: "NPF on KVM's MMIO SPTE: RSVD | P set too, still decoded",
    snapshot: {
      exitCode: 0x400,
      exitInfo1: 0x1_0000_000fn,
      exitInfo2: 0xfebf_0004n,
      instructionBytes: [0x89, 0x07],
      regs: { rax: 0x7 },
    },
    exit: mmioWrite({ addr: 0xfebf_0004, width: 4, data: 7 }),
    cause: { fault: { reservedBit: true, present: true } },
  },
  {
    name: "NPF read with no decode-assist bytes → NestedPageFault READ",
    snapshot: { exitCode: 0x400, exitInfo1: 0x1_0000_0004n, exitInfo2: 0x8000_0000n },
    exit: nestedPageFault({ addr: 0x8000_0000, accessFlags: 1 }),
    cause: { notMmio: "no instructionBytes to decode the access from" },
  },
  {
    name: "NPF write to a read-only RAM page under dirty logging (P | RW | US | FINAL)",
    snapshot: { exitCode: 0x400, exitInfo1: 0x1_0000_0007n, exitInfo2: 0x1234_5000n },
    exit: nestedPageFault({ addr: 0x1234_5000, accessFlags: 2 }),
  },
  {
    name: "NPF instruction fetch (ID bit 4) → EXECUTE, never MMIO",
    snapshot: {
      exitCode: 0x400,
      exitInfo1: 0x1_0000_0015n,
      exitInfo2: 0x10_0000n,
      instructionBytes: [0x8b, 0x07],
    },
    exit: nestedPageFault({ addr: 0x10_0000, accessFlags: 4 }),
    cause: { fault: { fetch: true }, notMmio: expect.stringContaining("instruction fetch") },
  },
  {
    name: "NPF on a guest page-table walk (GUEST_PAGE bit 33) → NestedPageFault",
    snapshot: {
      exitCode: 0x400,
      exitInfo1: 0x2_0000_0006n,
      exitInfo2: 0x7000n,
      instructionBytes: [0x89, 0x07],
      regs: { rax: 1 },
    },
    exit: nestedPageFault({ addr: 0x7000, accessFlags: 2 }),
    cause: {
      fault: { pageTableAccess: true },
      notMmio: expect.stringContaining("guest page table"),
    },
  },
  {
    name: "NPF write whose bytes are a load: the direction disagrees",
    snapshot: {
      exitCode: 0x400,
      exitInfo1: 0x1_0000_0006n,
      exitInfo2: 0x4000n,
      instructionBytes: [0x8b, 0x07],
    },
    exit: nestedPageFault({ addr: 0x4000, accessFlags: 2 }),
    cause: { notMmio: "the instruction reads memory but the exit reports a write" },
  },
  {
    name: "NPF with options.isMmio saying no → NestedPageFault",
    snapshot: {
      exitCode: 0x400,
      exitInfo1: 0x1_0000_0004n,
      exitInfo2: 0x4000n,
      instructionBytes: [0x8b, 0x07],
    },
    options: { isMmio: () => false },
    exit: nestedPageFault({ addr: 0x4000, accessFlags: 1 }),
    cause: { notMmio: "options.isMmio(0x4000) returned false" },
  },
  {
    name: "NPF with an unsupported opcode (01 07 add [rdi], eax)",
    snapshot: {
      exitCode: 0x400,
      exitInfo1: 0x1_0000_0006n,
      exitInfo2: 0x4000n,
      instructionBytes: [0x01, 0x07],
    },
    exit: nestedPageFault({ addr: 0x4000, accessFlags: 2 }),
    cause: { notMmio: expect.stringContaining("opcode 01") },
  },
  {
    name: "NPF in 32-bit code: 66 89 07 = mov [edi], ax",
    snapshot: {
      exitCode: 0x400,
      exitInfo1: 0x1_0000_0006n,
      exitInfo2: 0xfed0_0000n,
      instructionBytes: [0x66, 0x89, 0x07],
      regs: { rax: 0xabcd_1234 },
    },
    options: { cpuMode: 32 },
    exit: mmioWrite({ addr: 0xfed0_0000, width: 2, data: 0x1234 }),
  },
  {
    name: "NPF 8-byte read: 48 8B 07 = mov rax, [rdi]",
    snapshot: {
      exitCode: 0x400,
      exitInfo1: 0x1_0000_0004n,
      exitInfo2: 0xfebf_0008n,
      instructionBytes: [0x48, 0x8b, 0x07],
    },
    exit: mmioRead({ addr: 0xfebf_0008, width: 8, reg: 0, regWidth: 8, signedExt: false }),
  },
  {
    name: "NPF during delivery of a #PF: EXITINTINFO V | EV | exception | 14, error code 6",
    snapshot: {
      exitCode: 0x400,
      exitInfo1: 0x1_0000_0004n,
      exitInfo2: 0x9000n,
      exitIntInfo: 0x8000_0b0e,
      exitIntInfoErrorCode: 6,
    },
    exit: nestedPageFault({ addr: 0x9000, accessFlags: 1 }),
    cause: {
      exitIntInfo: {
        raw: 0x8000_0b0e,
        vector: 14,
        type: "exception",
        errorCodeValid: true,
        errorCode: 6,
        valid: true,
        exception: "#PF",
      },
    },
  },
  // ---- AVIC_INCOMPLETE_IPI 0x401: EXITINFO1 the ICR, EXITINFO2 cause 63:32 and index 8:0
  {
    name: "x2AVIC: Fixed 0xFD to APIC ID 3, not running (cause 1, index 3)",
    snapshot: { exitCode: 0x401, exitInfo1: 0x3_0000_00fdn, exitInfo2: 0x1_0000_0003n },
    options: { x2apic: true },
    exit: sendIpi({
      targetCpu: 3,
      targetCpuAux: 0,
      sendToAll: false,
      sendToSelf: false,
      vector: 0xfd,
    }),
    cause: {
      class: "avic-incomplete-ipi",
      apicMode: "x2apic",
      failure: "target-not-running",
      index: 3,
      icr: expect.objectContaining({ destination: 3, vector: 0xfd }),
    },
  },
  {
    name: "the same ICR read in xAPIC mode: the destination is bits 63:56 (0)",
    snapshot: { exitCode: 0x401, exitInfo1: 0x3_0000_00fdn },
    exit: sendIpi({
      targetCpu: 0,
      targetCpuAux: 0,
      sendToAll: false,
      sendToSelf: false,
      vector: 0xfd,
    }),
    cause: { apicMode: "xapic", failure: undefined, index: undefined },
  },
  {
    name: "xAPIC: Fixed 0xEC to APIC 2 (ICR[63:56] = 2)",
    snapshot: { exitCode: 0x401, exitInfo1: 0x0200_0000_0000_00ecn, exitInfo2: 0x2_0000_0002n },
    exit: sendIpi({
      targetCpu: 2,
      targetCpuAux: 0,
      sendToAll: false,
      sendToSelf: false,
      vector: 0xec,
    }),
    cause: { failure: "invalid-target" },
  },
  {
    name: "xAPIC: destination 0xFF with no shorthand is the broadcast",
    snapshot: { exitCode: 0x401, exitInfo1: 0xff00_0000_0000_00ecn },
    exit: sendIpi({
      targetCpu: 0xff,
      targetCpuAux: 0,
      sendToAll: true,
      sendToSelf: true,
      vector: 0xec,
    }),
  },
  {
    name: "xAPIC: INIT to APIC 1 (0x010000000000C500), cause 0 → Nothing",
    snapshot: { exitCode: 0x401, exitInfo1: 0x0100_0000_0000_c500n, exitInfo2: 0n },
    exit: nothing(),
    cause: { failure: "invalid-int-type", note: "INIT IPI (ICR delivery mode 5)" },
  },
  {
    name: "xAPIC: Start-up page 0x9A to APIC 1 → CpuUp",
    snapshot: { exitCode: 0x401, exitInfo1: 0x0100_0000_0000_069an },
    exit: cpuUp({ targetCpu: 1, entryPoint: 0x9a000, arg: 0 }),
  },
  {
    name: "AVIC ICR with the reserved delivery mode 3 → Nothing (no MSR write to report)",
    snapshot: { exitCode: 0x401, exitInfo1: 0x0100_0000_0000_03fdn, exitInfo2: 0x7_0000_0000n },
    exit: nothing(),
    cause: { failure: "reserved", note: expect.stringContaining("reserved") },
  },
  // ---- AVIC_UNACCELERATED_ACCESS 0x402: offset 11:4, write bit 32, vector EXITINFO2
  {
    name: "read of TPR (offset 0x80, a fault): mov eax, [rdi] → MmioRead at APIC base + 0x80",
    snapshot: { exitCode: 0x402, exitInfo1: 0x80, exitInfo2: 0, instructionBytes: [0x8b, 0x07] },
    exit: mmioRead({ addr: 0xfee0_0080, width: 4, reg: 0, regWidth: 4, signedExt: false }),
    cause: {
      class: "avic-unaccelerated-access",
      offset: 0x80,
      register: "TPR",
      write: false,
      trap: false,
      gpa: 0xfee0_0080n,
    },
  },
  {
    name: "write of TMICT (0x380, a trap): done already → Nothing",
    snapshot: { exitCode: 0x402, exitInfo1: 0x1_0000_0380n, exitInfo2: 0 },
    exit: nothing(),
    cause: { offset: 0x380, register: "TMICT", write: true, trap: true, vector: 0, gpa: undefined },
  },
  {
    name: "write of ICR2 (0x310, a fault) with apicBase 0xFED00000: mov [rdi], eax",
    snapshot: {
      exitCode: 0x402,
      exitInfo1: 0x1_0000_0310n,
      instructionBytes: [0x89, 0x07],
      regs: { rax: 0x0300_0000 },
    },
    options: { apicBase: 0xfed0_0000n },
    exit: mmioWrite({ addr: 0xfed0_0310, width: 4, data: 0x0300_0000 }),
  },
  {
    name: "EOI write (0xB0, a trap), vector 0x31 in EXITINFO2",
    snapshot: { exitCode: 0x402, exitInfo1: 0x1_0000_00b0n, exitInfo2: 0x31 },
    exit: nothing(),
    cause: { register: "EOI", trap: true, vector: 0x31 },
  },
  {
    name: "a fault with no bytes → Nothing",
    snapshot: { exitCode: 0x402, exitInfo1: 0x90 },
    exit: nothing(),
    cause: { register: "APR", notMmio: "no instructionBytes to decode the access from" },
  },
  // ---- VMGEXIT 0x403 and the SEV-ES software exit codes
  {
    name: "VMGEXIT with a GHCB MSR termination request (0x100, reason code 0x15)",
    snapshot: { exitCode: 0x403, ghcbGpa: 0x15_0100 },
    exit: nothing(),
    cause: {
      class: "vmgexit",
      ghcbGpa: 0x15_0100n,
      msrProtocol: {
        value: 0x15_0100n,
        request: 0x100,
        requestName: "termination request",
        data: 0x150n,
      },
    },
  },
  {
    name: "VMGEXIT with a GHCB MSR CPUID request: function 0x8000001F, register EBX",
    snapshot: { exitCode: 0x403, ghcbGpa: 0x8000_001f_4000_0004n },
    exit: nothing(),
    cause: { msrProtocol: expect.objectContaining({ request: 4, requestName: "CPUID request" }) },
  },
  {
    name: "VMGEXIT with a GHCB page (bits 11:0 zero)",
    snapshot: { exitCode: 0x403, ghcbGpa: 0x1234_5000 },
    exit: nothing(),
    cause: { ghcbGpa: 0x1234_5000n, msrProtocol: undefined },
  },
  {
    name: "software code vmgexit_mmio_read: SW_EXITINFO1 the GPA, SW_EXITINFO2 the length",
    snapshot: { exitCode: 0x8000_0001, exitInfo1: 0xfebf_0000n, exitInfo2: 4 },
    exit: nothing(),
    cause: {
      code: 0x8000_0001,
      name: "vmgexit_mmio_read",
      class: "vmgexit",
      exitInfo1: 0xfebf_0000n,
      exitInfo2: 4n,
    },
  },
  {
    name: "software code AP_HLT_LOOP",
    snapshot: { exitCode: 0x8000_0004 },
    exit: nothing(),
    cause: { name: "vmgexit_ap_hlt_loop" },
  },
  {
    name: "software code TERM_REQUEST (no Linux string)",
    snapshot: { exitCode: 0x8000_fffen },
    exit: nothing(),
    cause: { name: "SVM_VMGEXIT_TERM_REQUEST" },
  },
  // ---- CR / DR accesses, write traps
  {
    name: "MOV to CR0 from RBX with decode assists: EXITINFO1 bit 63 | 3",
    snapshot: { exitCode: 0x10, exitInfo1: 0x8000_0000_0000_0003n },
    exit: nothing(),
    cause: {
      class: "cr-access",
      name: "write_cr0",
      cr: 0,
      direction: "write",
      movValid: true,
      gpr: 3,
    },
  },
  {
    name: "MOV from CR3 to RBP",
    snapshot: { exitCode: 0x03, exitInfo1: 0x8000_0000_0000_0005n },
    exit: nothing(),
    cause: { name: "read_cr3", cr: 3, direction: "read", gpr: 5 },
  },
  {
    name: "CR1 read has no Linux string: Xen's VMEXIT_CR1_READ",
    snapshot: { exitCode: 0x01 },
    exit: nothing(),
    cause: { name: "VMEXIT_CR1_READ", movValid: undefined, gpr: undefined },
  },
  {
    name: "selective CR0 write (LMSW, no decode assist: bit 63 clear)",
    snapshot: { exitCode: 0x65, exitInfo1: 0 },
    exit: nothing(),
    cause: { name: "cr0_sel_write", cr: 0, direction: "write", selective: true, movValid: false },
  },
  {
    name: "MOV to DR7 from RCX",
    snapshot: { exitCode: 0x37, exitInfo1: 0x8000_0000_0000_0001n },
    exit: nothing(),
    cause: { class: "dr-access", name: "write_dr7", dr: 7, direction: "write", gpr: 1 },
  },
  {
    name: "CR4 write trap: EXITINFO1 the new CR4",
    snapshot: { exitCode: 0x94, exitInfo1: 0x35_06f0 },
    exit: nothing(),
    cause: { class: "cr-write-trap", name: "write_cr4_trap", register: "CR4", value: 0x35_06f0n },
  },
  {
    name: "EFER write trap",
    snapshot: { exitCode: 0x8f, exitInfo1: 0xd01 },
    exit: nothing(),
    cause: { register: "EFER", value: 0xd01n },
  },
  // ---- exceptions 0x040 + vector
  {
    name: "#PF intercept: error code 6 (write, user), CR2 0x7F0000 in EXITINFO2",
    snapshot: { exitCode: 0x4e, exitInfo1: 6, exitInfo2: 0x7f_0000 },
    exit: nothing(),
    cause: {
      class: "exception",
      name: "PF excp",
      vector: 14,
      exception: "#PF",
      errorCode: 6,
      pageFaultAddress: 0x7f_0000n,
    },
  },
  {
    name: "#GP intercept with error code 0",
    snapshot: { exitCode: 0x4d, exitInfo1: 0 },
    exit: nothing(),
    cause: { name: "GP excp", exception: "#GP", errorCode: 0, pageFaultAddress: undefined },
  },
  {
    name: "#UD pushes no error code",
    snapshot: { exitCode: 0x46, exitInfo1: 0x1234 },
    exit: nothing(),
    cause: { name: "UD excp", errorCode: undefined },
  },
  {
    name: "the NMI vector (2) has no Linux string",
    snapshot: { exitCode: 0x42 },
    exit: nothing(),
    cause: { name: "VMEXIT_EXCEPTION_NMI", exception: "NMI" },
  },
  // ---- INVLPG, task switch, CPUID, the software and newest codes
  {
    name: "INVLPG with decode assists: EXITINFO1 the linear address",
    snapshot: { exitCode: 0x79, exitInfo1: 0xffff_8000_0000_1000n },
    exit: nothing(),
    cause: { class: "invlpg", linearAddress: 0xffff_8000_0000_1000n },
  },
  {
    name: "task switch by IRET (EXITINFO2 bit 36) to TSS selector 0x28",
    snapshot: { exitCode: 0x7d, exitInfo1: 0x28, exitInfo2: 0x10_0000_0000n },
    exit: nothing(),
    cause: {
      class: "task-switch",
      selector: 0x28,
      source: "iret",
      errorCode: undefined,
      rf: false,
    },
  },
  {
    name: "task switch by far JMP (bit 38)",
    snapshot: { exitCode: 0x7d, exitInfo1: 0x30, exitInfo2: 0x40_0000_0000n },
    exit: nothing(),
    cause: { source: "jmp" },
  },
  {
    name: "task switch through an IDT task gate (#DF being delivered), error code valid (bit 44)",
    snapshot: {
      exitCode: 0x7d,
      exitInfo1: 0x38,
      exitInfo2: 0x1000_0000_0000n,
      exitIntInfo: 0x8000_0b08,
    },
    exit: nothing(),
    cause: { source: "task-gate", errorCode: 0 },
  },
  {
    name: "CPUID",
    snapshot: { exitCode: 0x72, exitInfo1: 0, exitInfo2: 0 },
    exit: nothing(),
    cause: { class: "other", name: "cpuid", exitInfo1: 0n, exitInfo2: 0n },
  },
  {
    name: "0xF0000000, reserved for software (Hyper-V's enlightened exits)",
    snapshot: { exitCode: 0xf000_0000 },
    exit: nothing(),
    cause: { code: 0xf000_0000, name: "VMEXIT_SW" },
  },
  {
    name: "BUS_LOCK (0x0A5)",
    snapshot: { exitCode: 0xa5 },
    exit: nothing(),
    cause: { name: "buslock" },
  },
];

describe("decodeSvm: hand-derived exits", () => {
  it("has at least 60 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });
  it.each(CASES)("$name", ({ snapshot, options, exit, cause }) => {
    const d = decodeSvm(snapshot, options);
    expect(d.exit).toEqual(exit);
    expect(decodeSvmExit(snapshot, options)).toEqual(exit);
    expect(d.cause.arch).toBe("x86-svm");
    if (cause !== undefined) expect(d.cause).toMatchObject(cause);
  });
});

type Rejected = readonly [
  name: string,
  snapshot: unknown,
  code: string,
  field: string,
  options?: unknown,
];

// biome-ignore format: one case per line
const REJECTED: readonly Rejected[] = [
  ["no EXITCODE", {}, "missing-register", "exitCode"],
  ["not an object", 7, "invalid-argument", "snapshot"],
  ["0x0A7 is between IDLE_HLT and NPF: undefined", { exitCode: 0xa7 }, "unknown-exit-reason", "exitCode"],
  ["0x404 is no mainline code", { exitCode: 0x404 }, "unknown-exit-reason", "exitCode"],
  ["2^64 − 5 is below the negative codes", { exitCode: U64 - 4n }, "unknown-exit-reason", "exitCode"],
  ["IOIO's code with bit 32 set", { exitCode: 0x1_0000_007bn }, "unknown-exit-reason", "exitCode"],
  ["0xFFFFFFFF (−1 cut to 32 bits) is not −1", { exitCode: 0xffff_ffff }, "unknown-exit-reason", "exitCode"],
  ["a negative number", { exitCode: -1 }, "invalid-argument", "exitCode"],
  ["IOIO without EXITINFO1", { exitCode: 0x7b }, "missing-register", "exitInfo1"],
  ["IOIO with no size bit", { exitCode: 0x7b, exitInfo1: 0x0060_0001 }, "reserved-encoding", "exitInfo1"],
  ["IOIO with SZ8 and SZ16", { exitCode: 0x7b, exitInfo1: 0x0060_0031 }, "reserved-encoding", "exitInfo1"],
  ["OUT without RAX", { exitCode: 0x7b, exitInfo1: 0x03f8_0010 }, "missing-register", "regs.rax"],
  ["MSR without EXITINFO1", { exitCode: 0x7c, regs: { rcx: 1 } }, "missing-register", "exitInfo1"],
  ["MSR with EXITINFO1 2", { exitCode: 0x7c, exitInfo1: 2, regs: { rcx: 1 } }, "reserved-encoding", "exitInfo1"],
  ["MSR with EXITINFO1 bit 32", { exitCode: 0x7c, exitInfo1: 0x1_0000_0001n, regs: { rcx: 1 } }, "reserved-encoding", "exitInfo1"],
  ["RDMSR without RCX", { exitCode: 0x7c, exitInfo1: 0 }, "missing-register", "regs.rcx"],
  ["WRMSR without RDX", { exitCode: 0x7c, exitInfo1: 1, regs: { rcx: 1, rax: 0 } }, "missing-register", "regs.rdx"],
  ["NPF without EXITINFO2", { exitCode: 0x400, exitInfo1: 4 }, "missing-register", "exitInfo2"],
  ["NPF without EXITINFO1", { exitCode: 0x400, exitInfo2: 4 }, "missing-register", "exitInfo1"],
  ["INTR without a vector", { exitCode: 0x60 }, "missing-register", "interruptVector"],
  ["INTR with vector 256", { exitCode: 0x60, interruptVector: 256 }, "out-of-range", "interruptVector"],
  ["AVIC IPI without EXITINFO1", { exitCode: 0x401 }, "missing-register", "exitInfo1"],
  ["AVIC access without EXITINFO1", { exitCode: 0x402 }, "missing-register", "exitInfo1"],
  ["VMMCALL without RDI (axvisor ABI)", { exitCode: 0x81, regs: { rax: 1 } }, "missing-register", "regs.rdi"],
  ["EXITINTINFO of 33 bits", { exitCode: 0x78, exitIntInfo: 2 ** 32 }, "out-of-range", "exitIntInfo"],
  ["EXITINFO1 as a string", { exitCode: 0x78, exitInfo1: "1" }, "invalid-argument", "exitInfo1"],
  ["EXITINFO2 above 2^64", { exitCode: 0x78, exitInfo2: 2n ** 64n }, "out-of-range", "exitInfo2"],
  ["a GHCB GPA of −1", { exitCode: 0x403, ghcbGpa: -1n }, "out-of-range", "ghcbGpa"],
  ["bytes that are not bytes", { exitCode: 0x400, exitInfo1: 4, exitInfo2: 0, instructionBytes: [300] }, "invalid-argument", "instructionBytes[0]"],
  ["regs that are not an object", { exitCode: 0x78, regs: 5 }, "invalid-argument", "regs"],
  ["an unaligned apicBase", { exitCode: 0x78 }, "invalid-argument", "options.apicBase", { apicBase: 0xfee0_0900n }],
  ["x2apic that is not a boolean", { exitCode: 0x78 }, "invalid-argument", "options.x2apic", { x2apic: "yes" }],
  ["an unknown option", { exitCode: 0x78 }, "invalid-argument", "options.vendor", { vendor: "amd" }],
];

describe("decodeSvm: rejected host state", () => {
  it.each(REJECTED)("%s", (_name, snapshot, code, field, options) => {
    for (const decode of [decodeSvm, decodeSvmExit]) {
      try {
        decode(snapshot as SvmSnapshot, options as SvmDecodeOptions);
        expect.unreachable("decoded");
      } catch (e) {
        expect(e).toBeInstanceOf(VmExitError);
        expect((e as VmExitError).code).toBe(code);
        expect((e as VmExitError).field).toBe(field);
        expect((e as VmExitError).message).toContain(field);
      }
    }
  });
});

describe("decodeSvm: shared causes", () => {
  it("with no event in delivery, an INTR shares one frozen cause per vector and a RDMSR per index", () => {
    // (the port and RDMSR causes sit in a memo that keeps the first cause of each of its 1024
    // slots: these keys' slots are free when this test runs; a key another test of this file
    // decoded first into one of them would leave these causes fresh, and this test failing)
    const intr = { exitCode: 0x60n, exitInfo1: 0n, exitInfo2: 0n, exitIntInfo: 0 };
    const a = decodeSvm({ ...intr, interruptVector: 0x20 }).cause;
    expect(decodeSvm({ ...intr, interruptVector: 0x20 }).cause).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(a).toMatchObject({ class: "interrupt", vector: 0x20 });
    expect(decodeSvm({ ...intr, interruptVector: 0x21 }).cause).not.toBe(a);
    // EXITINTINFO not given: the snapshot's own cause
    const bare = { exitCode: 0x60n, interruptVector: 0x20 };
    expect(decodeSvm(bare).cause).not.toBe(decodeSvm(bare).cause);
    // 0x7C MSR, EXITINFO1 0: RDMSR of ECX
    const rd = { exitCode: 0x7cn, exitInfo1: 0n, exitIntInfo: 0, regs: { rcx: 0xc000_0080n } };
    const b = decodeSvm(rd).cause;
    expect(decodeSvm({ ...rd, regs: { rcx: 0xc000_0080n, rax: 1n } }).cause).toBe(b);
    expect(b).toMatchObject({ class: "msr", index: 0xc000_0080, direction: "read" });
    // EXITINFO1 1: WRMSR, whose cause carries the value
    const wr = { ...rd, exitInfo1: 1n, regs: { rcx: 0xc000_0080n, rax: 1n, rdx: 0n } };
    expect(decodeSvm(wr).cause).not.toBe(decodeSvm(wr).cause);
  });

  it("an NPF's error-code bits are one frozen fault per value", () => {
    const npf = (exitInfo1: bigint) => {
      const c = decodeSvm({ exitCode: 0x400, exitInfo1, exitInfo2: 0x1000n }).cause;
      if (c.class !== "npf") throw new Error(`class ${c.class}`);
      return c.fault;
    };
    const a = npf(0x1_0000_0006n);
    expect(Object.isFrozen(a)).toBe(true);
    // bits the fault does not dissect (7 and 40) leave it the same object
    expect(npf(0x101_0000_0086n)).toBe(a);
    expect(npf(0x1_0000_0007n)).not.toBe(a);
    // the error code bit by bit (Linux PFERR_*): bits 0, 2, 4, 6, 31 (0x8000_0055) and 32, 34,
    // 36 (0x15)
    expect(npf(0x15_8000_0055n)).toEqual({
      present: true,
      write: false,
      user: true,
      reservedBit: false,
      fetch: true,
      protectionKey: false,
      shadowStack: true,
      rmp: true,
      finalTranslation: true,
      pageTableAccess: false,
      encrypted: true,
      sizeMismatch: false,
      vmpl: true,
    });
    // the other bits: 1, 3, 5 (0x2A) and 33, 35 (0xA)
    expect(npf(0xa_0000_002an)).toEqual({
      present: false,
      write: true,
      user: false,
      reservedBit: true,
      fetch: false,
      protectionKey: true,
      shadowStack: false,
      rmp: false,
      finalTranslation: false,
      pageTableAccess: true,
      encrypted: false,
      sizeMismatch: true,
      vmpl: false,
    });
  });

  it("a HLT with EXITINFO1/2 0 and no event in delivery has one frozen cause", () => {
    const hlt = { exitCode: 0x78n, exitInfo1: 0n, exitInfo2: 0n, exitIntInfo: 0 };
    const a = decodeSvm(hlt).cause;
    expect(decodeSvm(hlt).cause).toBe(a);
    // EXITINFO given as numbers: the same values, so the same cause
    expect(decodeSvm({ exitCode: 0x78, exitInfo1: 0, exitInfo2: 0, exitIntInfo: 0 }).cause).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    // 0x78 is HLT (APM Vol. 2 Appendix C), named "hlt" as Linux's kvm_exit prints it
    expect(a).toEqual({
      arch: "x86-svm",
      code: 0x78,
      name: "hlt",
      class: "other",
      exitIntInfo: {
        raw: 0,
        vector: 0,
        type: "external-interrupt",
        errorCodeValid: false,
        errorCode: undefined,
        valid: false,
        exception: undefined,
      },
      exitInfo1: 0n,
      exitInfo2: 0n,
    });
    // any EXITINFO1 other than 0, or no EXITINTINFO: the snapshot's own cause
    expect(decodeSvm({ ...hlt, exitInfo1: 1n }).cause).not.toBe(a);
    expect(decodeSvm({ exitCode: 0x78n, exitInfo1: 0n, exitInfo2: 0n }).cause).not.toBe(a);
  });
});
