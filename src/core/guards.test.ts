import { runInNewContext } from "node:vm";
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

describe("isVmExit: own, dense, exactly typed fields only", () => {
  const zeros = [0n, 0n, 0n, 0n, 0n, 0n];

  it("rejects args with holes or extra properties", () => {
    const sparse = new Array(6);
    expect(isVmExit({ kind: "Hypercall", nr: 0n, args: sparse })).toBe(false);
    sparse.fill(0n, 0, 5); // index 5 still a hole
    expect(isVmExit({ kind: "Hypercall", nr: 0n, args: sparse })).toBe(false);
    const extra = Object.assign([...zeros], { note: 1 });
    expect(isVmExit({ kind: "Hypercall", nr: 0n, args: extra })).toBe(false);
    class Args extends Array<bigint> {}
    expect(isVmExit({ kind: "Hypercall", nr: 0n, args: Args.from(zeros) })).toBe(false);
    expect(isVmExit({ kind: "Hypercall", nr: 0n, args: [...zeros] })).toBe(true);
  });

  it("rejects an inherited kind, symbol keys, hidden keys and class instances", () => {
    // an inherited kind plus one extra own key has as many keys as CpuDown's kind and state
    const inherited = Object.assign(Object.create({ kind: "CpuDown" }), { state: 0n, x: 1 });
    expect(isVmExit(inherited)).toBe(false);
    expect(isVmExit(Object.assign(Object.create({ kind: "Halt" }), {}))).toBe(false);
    expect(isVmExit({ kind: "Halt", [Symbol("x")]: 1 })).toBe(false);
    const hidden = { kind: "Halt" };
    Object.defineProperty(hidden, "secret", { value: 1, enumerable: false });
    expect(isVmExit(hidden)).toBe(false);
    class Halted {
      readonly kind = "Halt";
    }
    expect(isVmExit(new Halted())).toBe(false);
  });

  it("rejects -0 in number fields", () => {
    expect(isVmExit({ kind: "SysRegRead", addr: -0, reg: 0 })).toBe(false);
    expect(isVmExit({ kind: "SysRegRead", addr: 0, reg: -0 })).toBe(false);
    expect(isVmExit({ kind: "IoRead", port: -0, width: 1 })).toBe(false);
    expect(isVmExit({ kind: "NestedPageFault", addr: 0n, accessFlags: -0 })).toBe(false);
    expect(isVmExit({ kind: "SysRegRead", addr: 0, reg: 0 })).toBe(true);
  });

  it("accepts frozen exits, null-prototype objects, getters and objects of another realm", () => {
    // a getter is read like any property (observable objects of UI frameworks use them)
    expect(
      isVmExit({
        kind: "CpuDown",
        get state() {
          return 0n;
        },
      }),
    ).toBe(true);
    expect(isVmExit(Object.freeze(halt()))).toBe(true);
    expect(isVmExit(Object.assign(Object.create(null), { kind: "Halt" }))).toBe(true);
    expect(
      isVmExit(runInNewContext('({ kind: "Hypercall", nr: 1n, args: [0n, 0n, 0n, 0n, 0n, 0n] })')),
    ).toBe(true);
    expect(isVmExit(runInNewContext('({ kind: "Hypercall", nr: 1n, args: new Array(6) })'))).toBe(
      false,
    );
  });

  it("never throws for values of any type", () => {
    for (const v of [
      undefined,
      0,
      "Halt",
      Symbol("x"),
      () => 1,
      new Map(),
      /Halt/,
      new Error("x"),
    ]) {
      expect(isVmExit(v)).toBe(false);
    }
    const { proxy, revoke } = Proxy.revocable({ kind: "Halt" }, {});
    expect(isVmExit(proxy)).toBe(true);
    revoke();
    expect(isVmExit(proxy)).toBe(false);
  });
});

describe("isExit with wrongly typed arguments", () => {
  it("is a VmExitError naming the argument", () => {
    expect(() => isExit(null as never, "Halt")).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "exit" }),
    );
    expect(() => isExit(halt(), "Reboot" as never)).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "kind" }),
    );
  });
});
