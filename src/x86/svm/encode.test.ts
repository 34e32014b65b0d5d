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
import { decodeSvm } from "./decode";
import { canEncodeSvm, encodeSvm } from "./encode";
import type { SvmEncodeOptions, SvmSnapshot } from "./snapshot";

// The snapshots below are written by hand from the layouts (see decode.test.ts): EXITCODE, the
// EXITINFO1 the hardware would write for the instruction, and the registers it reads.
const ENCODED: readonly (readonly [VmExit, SvmSnapshot, SvmEncodeOptions?])[] = [
  [
    hypercall({ nr: 1, args: [2, 3, 4, 5, 6, 7] }),
    { exitCode: 0x81, regs: { rax: 1n, rdi: 2n, rsi: 3n, rdx: 4n, rcx: 5n, r8: 6n, r9: 7n } },
  ],
  [
    hypercall({ nr: 5, args: [0, 3, 0, 0, 0, 0] }),
    { exitCode: 0x81, regs: { rax: 5n, rbx: 0n, rcx: 3n, rdx: 0n, rsi: 0n } },
    { hypercallAbi: "kvm" },
  ],
  // mov [rsi], eax (89 06): a 4-byte store from EAX; NPF error code GUEST_FINAL | US | RW
  [
    mmioWrite({ addr: 0xfebf_0000, width: 4, data: 0xcafe }),
    {
      exitCode: 0x400,
      exitInfo1: 0x1_0000_0006n,
      exitInfo2: 0xfebf_0000n,
      instructionBytes: Uint8Array.of(0x89, 0x06),
      regs: { rax: 0xcafen, rsi: 0xfebf_0000n },
    },
  ],
  // mov ecx, [rsi] (8B 0E); NPF error code GUEST_FINAL | US
  [
    mmioRead({ addr: 0x1000, width: 4, reg: 1, regWidth: 4, signedExt: false }),
    {
      exitCode: 0x400,
      exitInfo1: 0x1_0000_0004n,
      exitInfo2: 0x1000n,
      instructionBytes: Uint8Array.of(0x8b, 0x0e),
      regs: { rsi: 0x1000n },
    },
  ],
  // the AMD reading of 66 63 /r: movsxd bx, [rsi] reads 4 bytes (ModRM 00 011 110 = 1E)
  [
    mmioRead({ addr: 0x2000, width: 4, reg: 3, regWidth: 2, signedExt: true }),
    {
      exitCode: 0x400,
      exitInfo1: 0x1_0000_0004n,
      exitInfo2: 0x2000n,
      instructionBytes: Uint8Array.of(0x66, 0x63, 0x1e),
      regs: { rsi: 0x2000n },
    },
  ],
  [
    sysRegRead({ addr: 0x1b, reg: 0 }),
    { exitCode: 0x7c, exitInfo1: 0, exitInfo2: 0, regs: { rcx: 0x1b } },
  ],
  [
    sysRegWrite({ addr: 0xc000_0080, value: 0x1_0000_0d01n }),
    {
      exitCode: 0x7c,
      exitInfo1: 1,
      exitInfo2: 0,
      regs: { rcx: 0xc000_0080, rax: 0xd01n, rdx: 1n },
    },
  ],
  // in al, dx from 0x60: 0x60 << 16 | A64 0x200 | SZ8 0x10 | TYPE IN
  [
    ioRead({ port: 0x60, width: 1 }),
    { exitCode: 0x7b, exitInfo1: 0x0060_0211, regs: { rdx: 0x60 } },
  ],
  // out dx, eax to 0xCF8 in 32-bit code: A32 0x100 | SZ32 0x40
  [
    ioWrite({ port: 0xcf8, width: 4, data: 0x8000_f800 }),
    { exitCode: 0x7b, exitInfo1: 0x0cf8_0140, regs: { rax: 0x8000_f800n, rdx: 0xcf8 } },
    { cpuMode: 32 },
  ],
  // 16-bit code: A16 0x80 | SZ16 0x20
  [
    ioWrite({ port: 0x3f8, width: 2, data: 0x4142 }),
    { exitCode: 0x7b, exitInfo1: 0x03f8_00a0, regs: { rax: 0x4142n, rdx: 0x3f8 } },
    { cpuMode: 16 },
  ],
  [externalInterrupt({ vector: 0xec }), { exitCode: 0x60, interruptVector: 0xec }],
  [
    nestedPageFault({ addr: 0x5000, accessFlags: 1 }),
    { exitCode: 0x400, exitInfo1: 0x1_0000_0004n, exitInfo2: 0x5000n },
  ],
  [
    nestedPageFault({ addr: 0x5000, accessFlags: 2 }),
    { exitCode: 0x400, exitInfo1: 0x1_0000_0006n, exitInfo2: 0x5000n },
  ],
  // an instruction fetch: ID (bit 4) | US | GUEST_FINAL
  [
    nestedPageFault({ addr: 0x5000, accessFlags: 4 }),
    { exitCode: 0x400, exitInfo1: 0x1_0000_0014n, exitInfo2: 0x5000n },
  ],
  [halt(), { exitCode: 0x78 }],
  // Start-up (mode 6) with page 0x9A to x2APIC ID 1: WRMSR 0x830, EDX:EAX = 1:0x69A
  [
    cpuUp({ targetCpu: 1, entryPoint: 0x9a000, arg: 0 }),
    { exitCode: 0x7c, exitInfo1: 1, exitInfo2: 0, regs: { rcx: 0x830, rax: 0x69an, rdx: 1n } },
  ],
  [cpuDown({ state: 0 }), { exitCode: 0x63 }],
  [systemDown(), { exitCode: 0x7f }],
  [nothing(), { exitCode: 0x72 }],
  [
    failEntry({ hardwareEntryFailureReason: 0xffff_ffff_ffff_ffffn }),
    { exitCode: 0xffff_ffff_ffff_ffffn },
  ],
  [
    failEntry({ hardwareEntryFailureReason: 0xffff_ffff_ffff_fffcn }),
    { exitCode: 0xffff_ffff_ffff_fffcn },
  ],
  // Fixed, shorthand 10 (all including self) = 0x80000, vector 0xEC
  [
    sendIpi({ targetCpu: 0, targetCpuAux: 0, sendToAll: true, sendToSelf: true, vector: 0xec }),
    { exitCode: 0x7c, exitInfo1: 1, exitInfo2: 0, regs: { rcx: 0x830, rax: 0x8_00ecn, rdx: 0n } },
  ],
];

describe("encodeSvm: hand-written snapshots", () => {
  it.each(ENCODED.map(([exit, snapshot, options]) => ({ exit, snapshot, options })))(
    "$exit.kind %#",
    ({ exit, snapshot, options }) => {
      expect(encodeSvm(exit, options)).toEqual(snapshot);
      expect(canEncodeSvm(exit, options)).toBe(true);
      expect(decodeSvm(snapshot, options).exit).toEqual(exit);
    },
  );
});

// biome-ignore format: one case per line
const UNENCODABLE: readonly (readonly [VmExit, string, RegExp, SvmEncodeOptions?])[] = [
  [hypercall({ nr: 1, args: [0, 0, 0, 0, 1, 0] }), "args", /4 arguments/, { hypercallAbi: "kvm" }],
  [mmioRead({ addr: 0, width: 4, reg: 20, regWidth: 4, signedExt: false }), "reg", /not an x86 register/],
  [mmioRead({ addr: 0, width: 8, reg: 0, regWidth: 8, signedExt: false }), "width", /32-bit mode/, { cpuMode: 32 }],
  [mmioWrite({ addr: 0, width: 2, data: 0x10000 }), "data", /does not fit in 2 byte/],
  [sysRegRead({ addr: 0x10, reg: 1 }), "reg", /EDX:EAX/],
  [sysRegWrite({ addr: 0x830, value: 0xfd }), "value", /x2APIC ICR/],
  [ioRead({ port: 0x60, width: 8 }), "width", /1, 2 or 4 bytes/],
  [ioWrite({ port: 0x60, width: 1, data: 0x100 }), "data", /does not fit/],
  [externalInterrupt({ vector: 0x100 }), "vector", /8 bits/],
  // an NPF reports exactly one access
  [nestedPageFault({ addr: 0, accessFlags: 0 }), "accessFlags", /one access/],
  [nestedPageFault({ addr: 0, accessFlags: 3 }), "accessFlags", /got 0x3/],
  [nestedPageFault({ addr: 0, accessFlags: 8 }), "accessFlags", /one access/],
  [cpuUp({ targetCpu: 1, entryPoint: 0x9a000, arg: 1 }), "arg", /no argument/],
  [cpuDown({ state: 1 }), "state", /no state/],
  [failEntry({ hardwareEntryFailureReason: 0x8000_0021 }), "hardwareEntryFailureReason", /−1 … −4/],
  [failEntry({ hardwareEntryFailureReason: 0xffff_ffff }), "hardwareEntryFailureReason", /got 0xffffffff/],
  [sendIpi({ targetCpu: 1, targetCpuAux: 1, sendToAll: false, sendToSelf: false, vector: 2 }), "targetCpuAux", /one destination/],
];

describe("encodeSvm: what SVM cannot express", () => {
  it.each(
    UNENCODABLE.map(([exit, field, message, options]) => ({ exit, field, message, options })),
  )("$exit.kind → $field", ({ exit, field, message, options }) => {
    expect(() => encodeSvm(exit, options)).toThrow(
      expect.objectContaining({
        code: "unrepresentable",
        field,
        message: expect.stringMatching(message),
      }),
    );
    expect(canEncodeSvm(exit, options)).toBe(false);
  });

  it("refuses what is not an exit, and bad options, as invalid arguments", () => {
    expect(() => encodeSvm({ kind: "Halt", x: 1 } as never)).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "exit" }),
    );
    expect(() => encodeSvm(halt(), { cpuMode: 8 } as never)).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "options.cpuMode" }),
    );
    expect(() => encodeSvm(halt(), { x2apic: true } as never)).toThrow(VmExitError);
    expect(canEncodeSvm(halt(), { cpuMode: 8 } as never)).toBe(false);
    expect(canEncodeSvm(null as never)).toBe(false);
  });
});
