import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { vmExit } from "../arbitraries/index";
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
} from "./constructors";
import { VmExitError } from "./error";
import { EXIT_KINDS } from "./exit";
import { EXIT_FIELDS } from "./fields";
import { isVmExit } from "./guards";

function rejectsField(fn: () => unknown, code: string, field: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(VmExitError);
  expect(caught).toMatchObject({ code, field });
}

const U64_MAX = 2n ** 64n - 1n;

describe("constructors", () => {
  it("build each variant with kind first and bigints for u64 fields", () => {
    const args = [1, 2n, 3, 4n, 5, 6] as const;
    const h = hypercall({ nr: 0x10, args });
    expect(Object.keys(h)).toEqual(["kind", "nr", "args"]);
    expect(h).toEqual({ kind: "Hypercall", nr: 16n, args: [1n, 2n, 3n, 4n, 5n, 6n] });
    expect(mmioRead({ addr: 0x9000000, width: 4, reg: 3, regWidth: 8, signedExt: true })).toEqual({
      kind: "MmioRead",
      addr: 0x9000000n,
      width: 4,
      reg: 3,
      regWidth: 8,
      signedExt: true,
    });
    expect(mmioWrite({ addr: 1n, width: 8, data: U64_MAX })).toEqual({
      kind: "MmioWrite",
      addr: 1n,
      width: 8,
      data: U64_MAX,
    });
    expect(sysRegRead({ addr: 0x32f800, reg: 31 })).toEqual({
      kind: "SysRegRead",
      addr: 0x32f800,
      reg: 31,
    });
    expect(sysRegWrite({ addr: 0x830, value: 0x40n })).toEqual({
      kind: "SysRegWrite",
      addr: 0x830,
      value: 0x40n,
    });
    expect(ioRead({ port: 0xffff, width: 1 })).toEqual({ kind: "IoRead", port: 0xffff, width: 1 });
    expect(ioWrite({ port: 0x3f8, width: 2, data: 0x41 })).toEqual({
      kind: "IoWrite",
      port: 0x3f8,
      width: 2,
      data: 0x41n,
    });
    expect(externalInterrupt({ vector: 0xec })).toEqual({
      kind: "ExternalInterrupt",
      vector: 236n,
    });
    expect(nestedPageFault({ addr: 0xfee00000n, accessFlags: 6 })).toEqual({
      kind: "NestedPageFault",
      addr: 0xfee00000n,
      accessFlags: 6,
    });
    expect(halt()).toEqual({ kind: "Halt" });
    expect(cpuUp({ targetCpu: 1, entryPoint: 0x9f000, arg: 0 })).toEqual({
      kind: "CpuUp",
      targetCpu: 1n,
      entryPoint: 0x9f000n,
      arg: 0n,
    });
    expect(cpuDown({ state: 0 })).toEqual({ kind: "CpuDown", state: 0n });
    expect(systemDown()).toEqual({ kind: "SystemDown" });
    expect(nothing()).toEqual({ kind: "Nothing" });
    expect(failEntry({ hardwareEntryFailureReason: 0x80000021 })).toEqual({
      kind: "FailEntry",
      hardwareEntryFailureReason: 0x80000021n,
    });
    expect(
      sendIpi({ targetCpu: 0, targetCpuAux: 0b11, sendToAll: false, sendToSelf: true, vector: 2 }),
    ).toEqual({
      kind: "SendIPI",
      targetCpu: 0n,
      targetCpuAux: 3n,
      sendToAll: false,
      sendToSelf: true,
      vector: 2n,
    });
  });

  it("put kind first and the fields in the order of EXIT_FIELDS", () => {
    fc.assert(
      fc.property(vmExit(), (e) => {
        expect(Object.keys(e)).toEqual(["kind", ...EXIT_FIELDS[e.kind].map(([name]) => name)]);
      }),
    );
  });

  it("return a fresh plain object each call", () => {
    const a = halt();
    const b = halt();
    expect(a).not.toBe(b);
    expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
    const input = { nr: 1n, args: [0n, 0n, 0n, 0n, 0n, 0n] } as const;
    expect(hypercall(input).args).not.toBe(input.args);
  });

  it("validate every field at its boundaries", () => {
    expect(mmioRead({ addr: U64_MAX, width: 1, reg: 31, regWidth: 1, signedExt: false }).reg).toBe(
      31,
    );
    rejectsField(
      () => mmioRead({ addr: 2n ** 64n, width: 4, reg: 3, regWidth: 8, signedExt: false }),
      "out-of-range",
      "addr",
    );
    rejectsField(
      () => mmioRead({ addr: -1n, width: 4, reg: 3, regWidth: 8, signedExt: false }),
      "out-of-range",
      "addr",
    );
    rejectsField(
      () => mmioRead({ addr: 0n, width: 3, reg: 3, regWidth: 8, signedExt: false }),
      "out-of-range",
      "width",
    );
    rejectsField(
      () => mmioRead({ addr: 0n, width: 4, reg: 32, regWidth: 8, signedExt: false }),
      "out-of-range",
      "reg",
    );
    rejectsField(
      () => mmioRead({ addr: 0n, width: 4, reg: 3, regWidth: 16, signedExt: false }),
      "out-of-range",
      "regWidth",
    );
    rejectsField(
      () =>
        mmioRead({ addr: 0n, width: 4, reg: 3, regWidth: 8, signedExt: 1 as unknown as boolean }),
      "invalid-argument",
      "signedExt",
    );
    rejectsField(() => ioRead({ port: 0x10000, width: 1 }), "out-of-range", "port");
    rejectsField(() => ioWrite({ port: 0x60, width: 1, data: -1 }), "invalid-argument", "data");
    rejectsField(() => sysRegRead({ addr: 2 ** 32, reg: 0 }), "out-of-range", "addr");
    rejectsField(() => sysRegRead({ addr: 0, reg: -1 }), "out-of-range", "reg");
    rejectsField(() => sysRegWrite({ addr: 0, value: 2n ** 64n }), "out-of-range", "value");
    rejectsField(
      () => nestedPageFault({ addr: 0n, accessFlags: 0x40 }),
      "out-of-range",
      "accessFlags",
    );
    rejectsField(
      () =>
        hypercall({ nr: 0n, args: [0n, 0n, 0n] as unknown as readonly [0n, 0n, 0n, 0n, 0n, 0n] }),
      "invalid-argument",
      "args",
    );
    rejectsField(
      () => hypercall({ nr: 0n, args: [0n, 0n, 0n, 0n, 0n, -5n] }),
      "out-of-range",
      "args[5]",
    );
    rejectsField(
      () => cpuUp({ targetCpu: 0, entryPoint: 1.5, arg: 0 }),
      "invalid-argument",
      "entryPoint",
    );
    rejectsField(() => cpuDown({ state: 2n ** 64n }), "out-of-range", "state");
    rejectsField(
      () =>
        sendIpi({ targetCpu: 0, targetCpuAux: 0, sendToAll: false, sendToSelf: false, vector: -1 }),
      "invalid-argument",
      "vector",
    );
    rejectsField(
      () => externalInterrupt({ vector: "1" as unknown as number }),
      "invalid-argument",
      "vector",
    );
    rejectsField(
      () => failEntry({ hardwareEntryFailureReason: 2n ** 64n }),
      "out-of-range",
      "hardwareEntryFailureReason",
    );
  });

  it("reject a non-object argument with a VmExitError", () => {
    expect(() => cpuDown(null as unknown as { state: 0n })).toThrow(VmExitError);
    expect(() => cpuDown(undefined as unknown as { state: 0n })).toThrow(
      "CpuDown fields must be an object",
    );
  });

  it("cover every kind of EXIT_KINDS in the Rust order", () => {
    expect(EXIT_KINDS).toEqual([
      "Hypercall",
      "MmioRead",
      "MmioWrite",
      "SysRegRead",
      "SysRegWrite",
      "IoRead",
      "IoWrite",
      "ExternalInterrupt",
      "NestedPageFault",
      "Halt",
      "CpuUp",
      "CpuDown",
      "SystemDown",
      "Nothing",
      "FailEntry",
      "SendIPI",
    ]);
  });
});

describe("constructors and -0", () => {
  it("store +0 for -0, so the result is a VmExit", () => {
    const e = sysRegRead({ addr: -0, reg: -0 });
    expect(Object.is(e.addr, 0) && Object.is(e.reg, 0)).toBe(true);
    expect(isVmExit(e)).toBe(true);
    expect(isVmExit(ioRead({ port: -0, width: 1 }))).toBe(true);
    expect(isVmExit(nestedPageFault({ addr: 0, accessFlags: -0 }))).toBe(true);
  });
});
