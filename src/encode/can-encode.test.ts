import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeAarch64 } from "../aarch64/encode";
import { vmExit } from "../arbitraries/index";
import { failEntry, halt, ioRead, sysRegWrite } from "../core/constructors";
import type { Arch } from "../core/decoded";
import { VmExitError } from "../core/error";
import type { VmExit } from "../core/exit";
import { encodeRiscv } from "../riscv/encode";
import { encodeVmx } from "../x86/encode";
import { canEncode } from "./can-encode";

const ENCODE: Record<Arch, (exit: VmExit) => unknown> = {
  "x86-vmx": encodeVmx,
  aarch64: encodeAarch64,
  riscv: encodeRiscv,
};

function encodes(arch: Arch, exit: VmExit): boolean {
  try {
    ENCODE[arch](exit);
    return true;
  } catch (e) {
    expect(e).toBeInstanceOf(VmExitError);
    expect((e as VmExitError).code).toBe("unrepresentable");
    return false;
  }
}

describe("canEncode", () => {
  it("follows the expressibility rules of DESIGN.md §4", () => {
    // Port I/O exists only on x86; VM-entry failure only on VMX; HLT/WFI/WFI exist everywhere.
    expect(canEncode("x86-vmx", ioRead({ port: 0x60, width: 1 }))).toBe(true);
    expect(canEncode("aarch64", ioRead({ port: 0x60, width: 1 }))).toBe(false);
    expect(canEncode("riscv", ioRead({ port: 0x60, width: 1 }))).toBe(false);
    expect(canEncode("x86-vmx", failEntry({ hardwareEntryFailureReason: 0x80000021 }))).toBe(true);
    expect(canEncode("riscv", failEntry({ hardwareEntryFailureReason: 0x80000021 }))).toBe(false);
    for (const arch of ["x86-vmx", "aarch64", "riscv"] as const) {
      expect(canEncode(arch, halt())).toBe(true);
    }
    // A RISC-V CSR number is 12 bits: 0x1000 has no encoding.
    expect(canEncode("riscv", sysRegWrite({ addr: 0xfff, value: 1 }))).toBe(true);
    expect(canEncode("riscv", sysRegWrite({ addr: 0x1000, value: 1 }))).toBe(false);
  });

  it("agrees exactly with each encoder", () => {
    fc.assert(
      fc.property(fc.constantFrom<Arch>("x86-vmx", "aarch64", "riscv"), vmExit(), (arch, exit) => {
        expect(canEncode(arch, exit)).toBe(encodes(arch, exit));
      }),
      { numRuns: 600 },
    );
  });

  it("rejects an unknown arch by name", () => {
    expect(() => canEncode("arm" as Arch, halt())).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "arch" }),
    );
    expect(() => canEncode("toString" as Arch, halt())).toThrow('got "toString"');
  });
});
