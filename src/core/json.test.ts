import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { vmExit } from "../arbitraries/index";
import { hypercall, mmioRead, nestedPageFault, sendIpi } from "./constructors";
import { VmExitError } from "./error";
import type { VmExit } from "./exit";
import { isVmExit } from "./guards";
import { exitFromJSON, exitToJSON } from "./json";

function jsonError(value: unknown): VmExitError {
  try {
    exitFromJSON(value);
  } catch (e) {
    expect(e).toBeInstanceOf(VmExitError);
    return e as VmExitError;
  }
  return expect.unreachable("exitFromJSON accepted the value");
}

describe("exitToJSON", () => {
  it("writes bigints as lowercase 0x strings and other numbers as numbers", () => {
    const e = mmioRead({ addr: 0xfee0_0000, width: 4, reg: 3, regWidth: 8, signedExt: false });
    expect(exitToJSON(e)).toEqual({
      kind: "MmioRead",
      addr: "0xfee00000",
      width: 4,
      reg: 3,
      regWidth: 8,
      signedExt: false,
    });
    expect(exitToJSON(hypercall({ nr: 0xabcdef, args: [0, 1, 2, 3, 4, 2n ** 64n - 1n] }))).toEqual({
      kind: "Hypercall",
      nr: "0xabcdef",
      args: ["0x0", "0x1", "0x2", "0x3", "0x4", "0xffffffffffffffff"],
    });
    expect(JSON.stringify(exitToJSON(nestedPageFault({ addr: 0n, accessFlags: 5 })))).toBe(
      '{"kind":"NestedPageFault","addr":"0x0","accessFlags":5}',
    );
  });
});

describe("exitFromJSON", () => {
  it("round-trips every exit, also through JSON text", () => {
    fc.assert(
      fc.property(vmExit(), (e) => {
        expect(exitFromJSON(exitToJSON(e))).toStrictEqual(e);
        expect(exitFromJSON(JSON.parse(JSON.stringify(exitToJSON(e))))).toStrictEqual(e);
      }),
    );
  });

  it("accepts uppercase hex digits", () => {
    expect(exitFromJSON({ kind: "CpuDown", state: "0xFF" })).toEqual({
      kind: "CpuDown",
      state: 255n,
    });
  });

  it("names the path of the bad field", () => {
    expect(jsonError({ kind: "Nope" })).toMatchObject({ code: "malformed-json", field: "$.kind" });
    expect(jsonError({})).toMatchObject({ field: "$.kind" });
    expect(jsonError(null)).toMatchObject({ field: "$" });
    expect(jsonError([1])).toMatchObject({ field: "$" });
    expect(jsonError({ kind: "CpuDown" })).toMatchObject({ field: "$.state" });
    expect(jsonError({ kind: "CpuDown", state: 0 })).toMatchObject({ field: "$.state" });
    expect(jsonError({ kind: "CpuDown", state: "0x" })).toMatchObject({ field: "$.state" });
    expect(jsonError({ kind: "CpuDown", state: "0x10000000000000000" })).toMatchObject({
      field: "$.state",
    });
    expect(jsonError({ kind: "CpuDown", state: "-0x1" })).toMatchObject({ field: "$.state" });
    expect(jsonError({ kind: "CpuDown", state: "0x0", extra: 1 })).toMatchObject({
      field: "$.extra",
    });
    expect(jsonError({ kind: "IoRead", port: 0x10000, width: 1 })).toMatchObject({
      field: "$.port",
    });
    expect(jsonError({ kind: "IoRead", port: "0x60", width: 1 })).toMatchObject({
      field: "$.port",
    });
    expect(jsonError({ kind: "IoRead", port: 0x60, width: 3 })).toMatchObject({ field: "$.width" });
    expect(
      jsonError({ kind: "Hypercall", nr: "0x0", args: ["0x0", "0x0", "0x0", "0x0", "0x0", 0] }),
    ).toMatchObject({ field: "$.args[5]" });
    expect(jsonError({ kind: "Hypercall", nr: "0x0", args: "0x0" })).toMatchObject({
      field: "$.args",
    });
    const ipi = exitToJSON(
      sendIpi({ targetCpu: 1, targetCpuAux: 0, sendToAll: false, sendToSelf: false, vector: 2 }),
    );
    expect(jsonError({ ...ipi, sendToAll: "false" })).toMatchObject({ field: "$.sendToAll" });
  });

  it("rejects __proto__ and constructor keys without polluting prototypes", () => {
    const raw = JSON.parse('{"kind":"Halt","__proto__":{"polluted":true}}');
    expect(jsonError(raw)).toMatchObject({ field: "$.__proto__" });
    expect(
      jsonError(JSON.parse('{"kind":"Halt","constructor":{"prototype":{"x":1}}}')),
    ).toMatchObject({
      field: "$.constructor",
    });
    expect(jsonError(JSON.parse('{"__proto__":{"kind":"Halt"}}'))).toMatchObject({
      field: "$.kind",
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("returns a valid exit or throws VmExitError for arbitrary JSON", () => {
    const keys = fc.constantFrom(
      "kind",
      "addr",
      "width",
      "__proto__",
      "constructor",
      "data",
      "nr",
      "args",
    );
    const kinds = fc.constantFrom("Halt", "MmioWrite", "Hypercall", "IoRead", "SendIPI", "x");
    const objects = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(keys, fc.jsonValue()),
      fc
        .record({ kind: kinds }, { requiredKeys: [] })
        .chain((base) => fc.dictionary(keys, fc.jsonValue()).map((rest) => ({ ...rest, ...base }))),
      vmExit().chain((e) =>
        fc.dictionary(keys, fc.jsonValue()).map((rest) => ({ ...exitToJSON(e), ...rest })),
      ),
    );
    fc.assert(
      fc.property(objects, (json) => {
        try {
          expect(isVmExit(exitFromJSON(json))).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(VmExitError);
        }
        expect(({} as Record<string, unknown>).kind).toBeUndefined();
        expect(Object.getPrototypeOf({})).toBe(Object.prototype);
      }),
      { numRuns: 500 },
    );
  });
});

describe("JSON and exits with holes, extra keys or -0", () => {
  const sparse = { kind: "Hypercall", nr: 0n, args: new Array(6) } as unknown as VmExit;

  it("exitToJSON refuses a value that is not a VmExit instead of writing nulls", () => {
    expect(() => exitToJSON(sparse)).toThrow(
      expect.objectContaining({
        code: "invalid-argument",
        field: "exit",
        message: expect.stringContaining("args[0] is a hole"),
      }),
    );
    expect(() => exitToJSON(null as never)).toThrow(
      expect.objectContaining({ code: "invalid-argument" }),
    );
    expect(() => exitToJSON({ kind: "Halt", x: 1 } as never)).toThrow("x is not a field of Halt");
  });

  it("exitFromJSON rejects -0 in number fields", () => {
    // JSON.stringify(-0) is "0": a -0 never comes from exitToJSON
    expect(jsonError(JSON.parse('{"kind":"IoRead","port":-0,"width":1}'))).toMatchObject({
      code: "malformed-json",
      field: "$.port",
      message: "$.port must be an integer in 0…0xffff, got -0",
    });
    expect(jsonError({ kind: "SysRegRead", addr: 0, reg: -0 })).toMatchObject({ field: "$.reg" });
    expect(jsonError({ kind: "NestedPageFault", addr: "0x0", accessFlags: -0 })).toMatchObject({
      field: "$.accessFlags",
    });
  });

  it("exitFromJSON rejects args with holes or extra properties", () => {
    const holes = ["0x0", "0x0", "0x0", "0x0", "0x0"];
    holes.length = 6;
    expect(jsonError({ kind: "Hypercall", nr: "0x0", args: holes })).toMatchObject({
      field: "$.args",
    });
    const extra = Object.assign(["0x0", "0x0", "0x0", "0x0", "0x0", "0x0"], { x: 1 });
    expect(jsonError({ kind: "Hypercall", nr: "0x0", args: extra })).toMatchObject({
      field: "$.args",
    });
  });
});
