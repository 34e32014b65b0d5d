import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { vmxExpressibleExit } from "../../arbitraries/x86";
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
import { decodeVmx } from "./decode";
import { canEncodeVmx, encodeVmx } from "./encode";
import type { VmxEncodeOptions, VmxSnapshot } from "./snapshot";

// Each expected snapshot is built by hand from the SDM layouts (arch-spec.md A.2–A.6).
const ENCODINGS: readonly {
  name: string;
  exit: VmExit;
  options?: VmxEncodeOptions;
  snapshot: VmxSnapshot;
}[] = [
  {
    name: "Halt → HLT (12), length 1",
    exit: halt(),
    snapshot: { exitReason: 12, instructionLength: 1 },
  },
  {
    name: "SystemDown → TRIPLE_FAULT (2)",
    exit: systemDown(),
    snapshot: { exitReason: 2 },
  },
  {
    name: "CpuDown { 0 } → INIT_SIGNAL (3)",
    exit: cpuDown({ state: 0 }),
    snapshot: { exitReason: 3 },
  },
  {
    name: "Nothing → CPUID (10), length 2 (0F A2)",
    exit: nothing(),
    snapshot: { exitReason: 10, instructionLength: 2 },
  },
  {
    name: "ExternalInterrupt 0xEF → intr-info 0x800000EF",
    exit: externalInterrupt({ vector: 0xef }),
    snapshot: { exitReason: 1, exitInterruptionInfo: 0x8000_00ef },
  },
  {
    name: "FailEntry 0x80000021",
    exit: failEntry({ hardwareEntryFailureReason: 0x8000_0021 }),
    snapshot: { exitReason: 0x8000_0021 },
  },
  {
    name: "IoRead port 0x60 width 1 → IN (bit 3) | port << 16 = 0x00600008",
    exit: ioRead({ port: 0x60, width: 1 }),
    snapshot: {
      exitReason: 30,
      exitQualification: 0x0060_0008,
      instructionLength: 1,
      regs: { rdx: 0x60 },
    },
  },
  {
    name: "IoWrite port 0xCFC width 4 → size-1 3 | port << 16 = 0x0CFC0003",
    exit: ioWrite({ port: 0xcfc, width: 4, data: 0x8000_0000 }),
    snapshot: {
      exitReason: 30,
      exitQualification: 0x0cfc_0003,
      instructionLength: 1,
      regs: { rax: 0x8000_0000n, rdx: 0xcfc },
    },
  },
  {
    name: "IoRead port 0xFFFF width 2 → 0xFFFF0009 (unsigned)",
    exit: ioRead({ port: 0xffff, width: 2 }),
    snapshot: {
      exitReason: 30,
      exitQualification: 0xffff_0009,
      instructionLength: 1,
      regs: { rdx: 0xffff },
    },
  },
  {
    name: "SysRegRead 0x1B → RDMSR, ECX",
    exit: sysRegRead({ addr: 0x1b, reg: 0 }),
    snapshot: { exitReason: 31, instructionLength: 2, regs: { rcx: 0x1b } },
  },
  {
    name: "SysRegWrite → WRMSR, value split into EDX:EAX",
    exit: sysRegWrite({ addr: 0x6e0, value: 0x12_3456_7890n }),
    snapshot: {
      exitReason: 32,
      instructionLength: 2,
      regs: { rcx: 0x6e0, rax: 0x3456_7890n, rdx: 0x12n },
    },
  },
  {
    // ICR low 0x41F86BFE: bits 10:8 = 0b011 = 3, the reserved delivery mode, so the raw WRMSR is the exit
    name: "SysRegWrite to 0x830 with delivery mode 3 → WRMSR of that value",
    exit: sysRegWrite({ addr: 0x830, value: 0x41f8_6bfen }),
    snapshot: {
      exitReason: 32,
      instructionLength: 2,
      regs: { rcx: 0x830, rax: 0x41f8_6bfen, rdx: 0n },
    },
  },
  {
    name: "SendIPI all-excluding-self 0xFD → ICR 0x000C00FD",
    exit: sendIpi({
      targetCpu: 0,
      targetCpuAux: 0,
      sendToAll: true,
      sendToSelf: false,
      vector: 0xfd,
    }),
    snapshot: {
      exitReason: 32,
      instructionLength: 2,
      regs: { rcx: 0x830, rax: 0xc_00fdn, rdx: 0n },
    },
  },
  {
    name: "SendIPI self → shorthand 1 << 18",
    exit: sendIpi({
      targetCpu: 3,
      targetCpuAux: 0,
      sendToAll: false,
      sendToSelf: true,
      vector: 0x20,
    }),
    snapshot: {
      exitReason: 32,
      instructionLength: 2,
      regs: { rcx: 0x830, rax: 0x4_0020n, rdx: 3n },
    },
  },
  {
    name: "SendIPI all-including-self → shorthand 2 << 18",
    exit: sendIpi({
      targetCpu: 0,
      targetCpuAux: 0,
      sendToAll: true,
      sendToSelf: true,
      vector: 0x21,
    }),
    snapshot: {
      exitReason: 32,
      instructionLength: 2,
      regs: { rcx: 0x830, rax: 0x8_0021n, rdx: 0n },
    },
  },
  {
    // (sendToAll, sendToSelf) = (T, T) → shorthand 2 << 18 = 0x80000 | vector 0x22; EDX = 0xFFFFFFFF
    name: "SendIPI all-including-self to 0xFFFFFFFF keeps the destination",
    exit: sendIpi({
      targetCpu: 0xffff_ffff,
      targetCpuAux: 0,
      sendToAll: true,
      sendToSelf: true,
      vector: 0x22,
    }),
    snapshot: {
      exitReason: 32,
      instructionLength: 2,
      regs: { rcx: 0x830, rax: 0x8_0022n, rdx: 0xffff_ffffn },
    },
  },
  {
    name: "CpuUp APIC 1 at 0x9A000 → ICR 0x1_0000069A",
    exit: cpuUp({ targetCpu: 1, entryPoint: 0x9a000, arg: 0 }),
    snapshot: { exitReason: 32, instructionLength: 2, regs: { rcx: 0x830, rax: 0x69an, rdx: 1n } },
  },
  {
    name: "NestedPageFault READ|WRITE → EPT violation q = 3",
    exit: nestedPageFault({ addr: 0x1000, accessFlags: 3 }),
    snapshot: { exitReason: 48, exitQualification: 3, guestPhysicalAddress: 0x1000n },
  },
  {
    name: "Hypercall, axvisor ABI",
    exit: hypercall({ nr: 1, args: [2, 3, 4, 5, 6, 7] }),
    snapshot: {
      exitReason: 18,
      instructionLength: 3,
      regs: { rax: 1n, rdi: 2n, rsi: 3n, rdx: 4n, rcx: 5n, r8: 6n, r9: 7n },
    },
  },
  {
    name: "Hypercall, kvm ABI",
    exit: hypercall({ nr: 9, args: [2, 3, 4, 5, 0, 0] }),
    options: { hypercallAbi: "kvm" },
    snapshot: {
      exitReason: 18,
      instructionLength: 3,
      regs: { rax: 9n, rbx: 2n, rcx: 3n, rdx: 4n, rsi: 5n },
    },
  },
];

describe("encodeVmx", () => {
  for (const c of ENCODINGS) {
    it(c.name, () => {
      expect(encodeVmx(c.exit, c.options)).toEqual(c.snapshot);
      expect(canEncodeVmx(c.exit, c.options)).toBe(true);
      expect(decodeVmx(c.snapshot, c.options).exit).toEqual(c.exit);
    });
  }
});

// The encode boundary: exits VMX cannot express (docs/x86.md has the same table).
const UNREPRESENTABLE: readonly {
  name: string;
  exit: VmExit;
  field: string;
  options?: VmxEncodeOptions;
}[] = [
  { name: "SysRegRead reg ≠ 0", exit: sysRegRead({ addr: 0x10, reg: 1 }), field: "reg" },
  // ICR 0xFD: delivery mode (bits 10:8) 0, Fixed: a WRMSR of it decodes as SendIPI, not SysRegWrite
  {
    name: "SysRegWrite to 0x830 that is an IPI",
    exit: sysRegWrite({ addr: 0x830, value: 0xfd }),
    field: "value",
  },
  { name: "IoRead width 8", exit: ioRead({ port: 0x60, width: 8 }), field: "width" },
  { name: "IoWrite width 8", exit: ioWrite({ port: 0x60, width: 8, data: 0 }), field: "width" },
  {
    name: "IoWrite data wider than width",
    exit: ioWrite({ port: 0x60, width: 1, data: 0x100 }),
    field: "data",
  },
  {
    name: "ExternalInterrupt vector > 0xFF",
    exit: externalInterrupt({ vector: 0x100 }),
    field: "vector",
  },
  {
    name: "NestedPageFault with USER",
    exit: nestedPageFault({ addr: 0, accessFlags: 0x9 }),
    field: "accessFlags",
  },
  {
    name: "CpuUp arg ≠ 0",
    exit: cpuUp({ targetCpu: 1, entryPoint: 0x9a000, arg: 1 }),
    field: "arg",
  },
  {
    name: "CpuUp entry not page-aligned",
    exit: cpuUp({ targetCpu: 1, entryPoint: 0x9a010, arg: 0 }),
    field: "entryPoint",
  },
  {
    name: "CpuUp entry ≥ 1 MiB",
    exit: cpuUp({ targetCpu: 1, entryPoint: 0x10_0000, arg: 0 }),
    field: "entryPoint",
  },
  {
    name: "CpuUp target ≥ 2^32",
    exit: cpuUp({ targetCpu: 2n ** 32n, entryPoint: 0x1000, arg: 0 }),
    field: "targetCpu",
  },
  { name: "CpuDown state ≠ 0", exit: cpuDown({ state: 1 }), field: "state" },
  {
    name: "FailEntry without bit 31",
    exit: failEntry({ hardwareEntryFailureReason: 12 }),
    field: "hardwareEntryFailureReason",
  },
  {
    name: "FailEntry ≥ 2^32",
    exit: failEntry({ hardwareEntryFailureReason: 2n ** 32n }),
    field: "hardwareEntryFailureReason",
  },
  {
    name: "FailEntry undefined basic",
    exit: failEntry({ hardwareEntryFailureReason: 0x8000_0023 }),
    field: "hardwareEntryFailureReason",
  },
  {
    // x2APIC: destination 0xFFFFFFFF with shorthand 00 is the broadcast, so it decodes as
    // sendToAll + sendToSelf; a SendIPI naming CPU 0xFFFFFFFF alone has no encoding
    name: "SendIPI to CPU 0xFFFFFFFF without a shorthand",
    exit: sendIpi({
      targetCpu: 0xffff_ffff,
      targetCpuAux: 0,
      sendToAll: false,
      sendToSelf: false,
      vector: 0x20,
    }),
    field: "targetCpu",
  },
  {
    // a Start-up IPI to the broadcast destination is not one CpuUp
    name: "CpuUp to APIC 0xFFFFFFFF",
    exit: cpuUp({ targetCpu: 0xffff_ffff, entryPoint: 0x1000, arg: 0 }),
    field: "targetCpu",
  },
  {
    name: "SendIPI targetCpuAux ≠ 0",
    exit: sendIpi({
      targetCpu: 0,
      targetCpuAux: 1,
      sendToAll: false,
      sendToSelf: false,
      vector: 0x20,
    }),
    field: "targetCpuAux",
  },
  {
    name: "SendIPI target ≥ 2^32",
    exit: sendIpi({
      targetCpu: 2n ** 32n,
      targetCpuAux: 0,
      sendToAll: false,
      sendToSelf: false,
      vector: 0x20,
    }),
    field: "targetCpu",
  },
  {
    name: "SendIPI vector > 0xFF",
    exit: sendIpi({
      targetCpu: 0,
      targetCpuAux: 0,
      sendToAll: false,
      sendToSelf: false,
      vector: 0x100,
    }),
    field: "vector",
  },
  {
    name: "Hypercall with 6 args under kvm",
    exit: hypercall({ nr: 0, args: [0, 0, 0, 0, 1, 0] }),
    field: "args",
    options: { hypercallAbi: "kvm" },
  },
  {
    name: "MmioRead reg ≥ 20",
    exit: mmioRead({ addr: 0, width: 4, reg: 20, regWidth: 4, signedExt: false }),
    field: "reg",
  },
  {
    name: "MmioWrite data wider than width",
    exit: mmioWrite({ addr: 0, width: 2, data: 0x1_0000 }),
    field: "data",
  },
  // MOVSX/MOVSXD sign-extend 1, 2 or 4 bytes; nothing sign-extends an 8-byte load
  {
    name: "MmioRead width 8 signedExt",
    exit: mmioRead({ addr: 0, width: 8, reg: 0, regWidth: 8, signedExt: true }),
    field: "signedExt",
  },
  // MOV r32 zero-extends implicitly but decodes as regWidth 4: no form gives width 4 → regWidth 8 unsigned
  {
    name: "MmioRead width 4 → regWidth 8 unsigned",
    exit: mmioRead({ addr: 0, width: 4, reg: 0, regWidth: 8, signedExt: false }),
    field: "regWidth",
  },
  // AH is a byte register: no MOVZX into AH
  {
    name: "MmioRead AH with regWidth 2",
    exit: mmioRead({ addr: 0, width: 1, reg: 16, regWidth: 2, signedExt: false }),
    field: "reg",
  },
  // no REX outside 64-bit mode
  {
    name: "MmioRead r8 in 32-bit mode",
    exit: mmioRead({ addr: 0, width: 4, reg: 8, regWidth: 4, signedExt: false }),
    field: "reg",
    options: { cpuMode: 32 },
  },
  {
    name: "MmioWrite width 8 in 32-bit mode",
    exit: mmioWrite({ addr: 0, width: 8, data: 0 }),
    field: "width",
    options: { cpuMode: 32 },
  },
  {
    name: "MmioWrite width 8 in 16-bit mode",
    exit: mmioWrite({ addr: 0, width: 8, data: 0 }),
    field: "width",
    options: { cpuMode: 16 },
  },
];

describe("encodeVmx MMIO", () => {
  it("MmioRead → EPT violation 0x181 (read | GLA valid | final translation) with MOV bytes", () => {
    const exit = mmioRead({ addr: 0xfebf_0040n, width: 4, reg: 10, regWidth: 4, signedExt: false });
    const s = encodeVmx(exit);
    expect(s).toMatchObject({
      exitReason: 48,
      exitQualification: 0x181,
      guestPhysicalAddress: 0xfebf_0040n,
    });
    expect(s.instructionLength).toBe(s.instructionBytes?.length);
    const d = decodeVmx(s);
    expect(d.exit).toEqual(exit);
    expect(d.cause).toMatchObject({
      class: "ept-violation",
      instruction: { mnemonic: "MOV", direction: "read", reg: 10 },
    });
  });
  it("MmioWrite → EPT violation 0x182 with the data in RAX", () => {
    const exit = mmioWrite({ addr: 0x1000, width: 2, data: 0xbeef });
    const s = encodeVmx(exit, { cpuMode: 16 });
    expect(s).toMatchObject({ exitReason: 48, exitQualification: 0x182, regs: { rax: 0xbeefn } });
    expect(decodeVmx(s, { cpuMode: 16 }).exit).toEqual(exit);
  });
  it("MOVSX / MOVZX / MOVSXD shapes round-trip", () => {
    for (const [width, regWidth, signedExt] of [
      [1, 4, false],
      [2, 8, true],
      [4, 8, true],
    ] as const) {
      const exit = mmioRead({ addr: 0x2000, width, reg: 3, regWidth, signedExt });
      expect(decodeVmx(encodeVmx(exit)).exit).toEqual(exit);
    }
  });
});

describe("encode boundary", () => {
  for (const c of UNREPRESENTABLE) {
    it(`${c.name} is unrepresentable`, () => {
      expect(canEncodeVmx(c.exit, c.options)).toBe(false);
      let caught: unknown;
      try {
        encodeVmx(c.exit, c.options);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(VmExitError);
      expect((caught as VmExitError).code).toBe("unrepresentable");
      expect((caught as VmExitError).field).toBe(c.field);
      expect((caught as VmExitError).message).toContain(c.exit.kind);
    });
  }
  it("rejects non-exits and bad options", () => {
    expect(canEncodeVmx({ kind: "Halt", extra: 1 } as unknown as VmExit)).toBe(false);
    expect(canEncodeVmx(halt(), { cpuMode: 8 } as unknown as VmxEncodeOptions)).toBe(false);
    expect(() => encodeVmx({ kind: "Nope" } as unknown as VmExit)).toThrow(VmExitError);
    expect(() => encodeVmx(halt(), { hypercallAbi: "xen" } as unknown as VmxEncodeOptions)).toThrow(
      /options.hypercallAbi/,
    );
  });
});

/**
 * The base register of the canonical memory operand the encoder writes, read back from the bytes:
 * [66] [REX] opcode [second opcode] ModRM. ModRM.rm with mod 00 names the base: in 32/64-bit
 * addressing rm + 8 × REX.B (SDM Vol. 2 Table 2-2); in 16-bit addressing rm 100 = [SI], 101 = [DI],
 * 111 = [BX] (Table 2-1; the other forms use two registers or none).
 */
function baseRegister(bytes: Uint8Array, cpuMode: 16 | 32 | 64): number {
  let i = 0;
  if (bytes[i] === 0x66) i++;
  let rex = 0;
  if (cpuMode === 64 && ((bytes[i] as number) & 0xf0) === 0x40) rex = bytes[i++] as number;
  if (bytes[i] === 0x0f) i++;
  i++; // opcode
  const modrm = bytes[i] as number;
  expect(modrm >> 6).toBe(0); // mod 00: a register-indirect operand, no displacement
  const rm = modrm & 7;
  if (cpuMode === 16) {
    const base = [undefined, undefined, undefined, undefined, 6, 7, undefined, 3][rm];
    expect(base).toBeDefined();
    return base as number;
  }
  expect(rm === 4 || rm === 5).toBe(false); // neither a SIB byte nor RIP/EIP-relative
  return rm + ((rex & 1) << 3);
}

const REG_BY_INDEX = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi"] as const;

describe("encodeVmx MMIO: state a CPU could be in", () => {
  for (const cpuMode of [16, 32, 64] as const) {
    it(`${cpuMode}-bit: the address register differs from the data register and holds the linear address`, () => {
      fc.assert(
        fc.property(vmxExpressibleExit({ cpuMode }), (exit) => {
          if (exit.kind !== "MmioRead" && exit.kind !== "MmioWrite") return;
          const s = encodeVmx(exit, { cpuMode });
          const bytes = s.instructionBytes as Uint8Array;
          const base = baseRegister(bytes, cpuMode);
          // the data register: the store's source (RAX, 0) or the load's destination (AH…BH are RAX…RBX)
          const data = exit.kind === "MmioWrite" ? 0 : exit.reg >= 16 ? exit.reg - 16 : exit.reg;
          expect(base).not.toBe(data);
          const linear = BigInt(s.regs?.[REG_BY_INDEX[base] as "rax"] ?? -1);
          // the same page offset as the GPA, and an address of the mode: a 16-bit offset, a 32-bit
          // address, or a canonical 64-bit address (bits 63:47 all equal)
          expect(linear & 0xfffn).toBe(exit.addr & 0xfffn);
          if (cpuMode === 16) expect(linear < 0x1_0000n).toBe(true);
          else if (cpuMode === 32) expect(linear < 0x1_0000_0000n).toBe(true);
          else expect(linear >> 47n === 0n || linear >> 47n === 0x1_ffffn).toBe(true);
          // the qualification says the guest linear address is valid: the snapshot gives it
          expect(BigInt(s.guestLinearAddress ?? -1) & 0xfffn).toBe(exit.addr & 0xfffn);
          if (exit.kind === "MmioWrite") expect(s.regs?.rax).toBe(exit.data);
          expect(decodeVmx(s, { cpuMode }).exit).toEqual(exit);
        }),
        { numRuns: 500 },
      );
    });
  }
  it("moves the base to RDI when the register operand is RSI", () => {
    // mov esi, [rdi]: 8B /r, ModRM 00 110 111 = 0x37
    const exit = mmioRead({ addr: 0xfebf_0040n, width: 4, reg: 6, regWidth: 4, signedExt: false });
    const s = encodeVmx(exit);
    expect(Array.from(s.instructionBytes as Uint8Array)).toEqual([0x8b, 0x37]);
    expect(s.regs).toEqual({ rdi: 0xfebf_0040n });
    expect(s.guestLinearAddress).toBe(0xfebf_0040n);
  });
});
