import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbitrariesByArch, vmExit } from "./arbitraries/index";
import { ARCHES, canEncode, codecByName, codecOf, codecs } from "./codecs";
import type { AnyCodec } from "./core/codec";
import { failEntry, halt, ioRead, sysRegWrite } from "./core/constructors";
import type { Arch } from "./core/decoded";
import { VmExitError } from "./core/error";
import type { VmExit } from "./core/exit";
import { isVmExit } from "./core/guards";

function encodes(arch: Arch, exit: VmExit): boolean {
  try {
    (codecs[arch] as AnyCodec).encode(exit);
    return true;
  } catch (e) {
    expect(e).toBeInstanceOf(VmExitError);
    expect((e as VmExitError).code).toBe("unrepresentable");
    return false;
  }
}

describe("the codec registry", () => {
  it("keys every codec by its own arch, and names resolve to it", () => {
    for (const arch of ARCHES) {
      const codec: AnyCodec = codecs[arch];
      expect(codec.arch).toBe(arch);
      expect(codecByName(arch)).toBe(codec);
      for (const name of codec.names) expect(codecByName(name)).toBe(codec);
      // every codec has exactly one required snapshot key: the register the exit class is read from
      expect(codec.snapshotKeys.filter((k) => k.required === true)).toHaveLength(1);
    }
    expect(codecByName("sparc")).toBeUndefined();
  });

  it("canEncode follows the expressibility of each format", () => {
    // Port I/O exists only on x86; VM-entry failure only on VMX; HLT/WFI/WFI exist everywhere.
    expect(canEncode("x86-vmx", ioRead({ port: 0x60, width: 1 }))).toBe(true);
    expect(canEncode("aarch64", ioRead({ port: 0x60, width: 1 }))).toBe(false);
    expect(canEncode("riscv", ioRead({ port: 0x60, width: 1 }))).toBe(false);
    expect(canEncode("x86-vmx", failEntry({ hardwareEntryFailureReason: 0x80000021 }))).toBe(true);
    expect(canEncode("riscv", failEntry({ hardwareEntryFailureReason: 0x80000021 }))).toBe(false);
    for (const arch of ARCHES) expect(canEncode(arch, halt())).toBe(true);
    // A RISC-V CSR number is 12 bits: 0x1000 has no encoding.
    expect(canEncode("riscv", sysRegWrite({ addr: 0xfff, value: 1 }))).toBe(true);
    expect(canEncode("riscv", sysRegWrite({ addr: 0x1000, value: 1 }))).toBe(false);
  });

  it("canEncode agrees exactly with each encoder", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ARCHES), vmExit(), (arch, exit) => {
        expect(canEncode(arch, exit)).toBe(encodes(arch, exit));
      }),
      { numRuns: 600 },
    );
  });

  it("rejects an unknown arch by name", () => {
    expect(() => canEncode("arm" as Arch, halt())).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "arch" }),
    );
    expect(() => codecOf("toString" as Arch)).toThrow('got "toString"');
    expect(() => codecOf(undefined as never)).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "arch" }),
    );
    // a name that is not a string was a TypeError from name.toLowerCase()
    expect(() => codecByName(5 as never)).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "name" }),
    );
    expect(codecByName("VMX")).toBe(codecs["x86-vmx"]);
  });

  it("canEncode checks options the same way for every arch", () => {
    // encodeRiscv(halt(), 5) used to succeed where decodeRiscv rejected the same options
    for (const arch of ARCHES) {
      expect(() => canEncode(arch, halt(), 5)).toThrow(
        expect.objectContaining({ code: "invalid-argument", field: "options" }),
      );
      expect(() => canEncode(arch, halt(), { bogus: 1 })).toThrow(
        expect.objectContaining({ code: "invalid-argument", field: "options.bogus" }),
      );
      expect(canEncode(arch, halt(), {})).toBe(true);
      expect(canEncode(arch, { kind: "Halt", extra: 1 } as never)).toBe(false);
    }
  });
});

/** The outcome of a call: the value, or the `VmExitError` code (anything else fails the test). */
function outcome<T>(f: () => T): { ok: T } | { code: string } {
  try {
    return { ok: f() };
  } catch (e) {
    if (!(e instanceof VmExitError)) throw e;
    return { code: e.code };
  }
}

describe.each(ARCHES)("every codec: %s", (arch) => {
  const codec: AnyCodec = codecs[arch];
  const arbs = arbitrariesByArch[arch];

  it("round-trips every expressible exit", () => {
    fc.assert(
      fc.property(arbs.expressibleExit(), (exit) => {
        expect(codec.decode(codec.encode(exit)).exit).toEqual(exit);
      }),
      { numRuns: 300 },
    );
  });

  it("decodes garbage to a valid exit or a VmExitError; decodeExit is the same exit", () => {
    fc.assert(
      fc.property(arbs.garbage(), (snapshot) => {
        const full = outcome(() => codec.decode(snapshot));
        const exitOnly = outcome(() => codec.decodeExit(snapshot));
        if ("ok" in full) {
          expect(isVmExit(full.ok.exit)).toBe(true);
          expect(exitOnly).toEqual({ ok: full.ok.exit });
        } else {
          expect(exitOnly).toEqual(full);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("refuses to encode what is not a VmExit (sparse args, inherited kind, -0)", () => {
    const sparse = { kind: "Hypercall", nr: 0n, args: new Array(6) };
    const inherited = Object.assign(Object.create({ kind: "CpuDown" }), { state: 0n, x: 1 });
    const negativeZero = { kind: "SysRegRead", addr: -0, reg: 0 };
    for (const exit of [sparse, inherited, negativeZero] as unknown as VmExit[]) {
      expect(() => codec.encode(exit)).toThrow(
        expect.objectContaining({ code: "invalid-argument", field: "exit" }),
      );
      expect(codec.canEncode(exit)).toBe(false);
    }
  });

  it("names the rejected field in the message of every rejection", () => {
    fc.assert(
      fc.property(fc.oneof(arbs.snapshot(), arbs.garbage()), (snapshot) => {
        for (const call of [() => codec.decode(snapshot), () => codec.explain(snapshot)]) {
          try {
            call();
          } catch (e) {
            expect(e).toBeInstanceOf(VmExitError);
            const { field, message } = e as VmExitError;
            if (field !== undefined) expect(message).toContain(field);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on valid hardware state with arbitrary guest-controlled values", () => {
    fc.assert(
      fc.property(arbs.guestControlled(), (snapshot) => {
        const { exit } = codec.decode(snapshot);
        expect(isVmExit(exit)).toBe(true);
        expect(codec.decodeExit(snapshot)).toEqual(exit);
        expect(() => codec.explain(snapshot)).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });

  it("explains what it decodes, and rejects bad values the way decode does", () => {
    fc.assert(
      fc.property(fc.oneof(arbs.snapshot(), arbs.garbage()), (snapshot) => {
        const decoded = outcome(() => codec.decode(snapshot));
        const explained = outcome(() => codec.explain(snapshot));
        // a missing register stops a decode, not an explanation of the registers that are there
        if ("code" in decoded && decoded.code === "missing-register") return;
        if ("ok" in decoded) expect(explained).toHaveProperty("ok");
        else expect(explained).toEqual(decoded);
      }),
      { numRuns: 500 },
    );
  });
});
