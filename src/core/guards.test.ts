import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { vmExit } from "../arbitraries/index";
import { halt, mmioRead } from "./constructors";
import { isExit, isVmExit } from "./guards";

describe("isVmExit", () => {
  it("accepts every arbitrary exit", () => {
    fc.assert(fc.property(vmExit(), (e) => isVmExit(e)));
  });
  it("rejects wrong shapes", () => {
    const good = { kind: "MmioWrite", addr: 1n, width: 4, data: 2n };
    expect(isVmExit(good)).toBe(true);
    expect(isVmExit({ ...good, width: 3 })).toBe(false);
    expect(isVmExit({ ...good, addr: 1 })).toBe(false);
    expect(isVmExit({ ...good, addr: 2n ** 64n })).toBe(false);
    expect(isVmExit({ ...good, extra: 1 })).toBe(false);
    expect(isVmExit({ kind: "MmioWrite", addr: 1n, width: 4 })).toBe(false);
    expect(isVmExit({ kind: "Halt" })).toBe(true);
    expect(isVmExit({ kind: "Halt", x: 1 })).toBe(false);
    expect(isVmExit({ kind: "toString" })).toBe(false);
    expect(isVmExit({ kind: "halt" })).toBe(false);
    expect(isVmExit(null)).toBe(false);
    expect(isVmExit([])).toBe(false);
    expect(isVmExit("Halt")).toBe(false);
    expect(isVmExit({ kind: "SysRegRead", addr: 0, reg: 32 })).toBe(false);
    expect(isVmExit({ kind: "Hypercall", nr: 0n, args: [0n, 0n, 0n, 0n, 0n] })).toBe(false);
    expect(isVmExit({ kind: "NestedPageFault", addr: 0n, accessFlags: 64 })).toBe(false);
    expect(isVmExit({ kind: "IoRead", port: 65536, width: 1 })).toBe(false);
    expect(
      isVmExit({
        kind: "SendIPI",
        targetCpu: 0n,
        targetCpuAux: 0n,
        sendToAll: 0,
        sendToSelf: false,
        vector: 0n,
      }),
    ).toBe(false);
  });
});

describe("isExit", () => {
  it("narrows by kind", () => {
    const e = mmioRead({ addr: 1n, width: 1, reg: 0, regWidth: 8, signedExt: false });
    expect(isExit(e, "MmioRead")).toBe(true);
    expect(isExit(e, "MmioWrite")).toBe(false);
    expect(isExit(halt(), "Halt")).toBe(true);
  });
});
