import { describe, expect, it } from "vitest";
import type { OptionSpec } from "./codec";
import { checkOptions } from "./options";

const SPECS: readonly OptionSpec[] = [
  { key: "abi", value: { type: "choice", values: ["kvm", "axvisor"] }, help: "" },
  { key: "base", value: { type: "u64" }, help: "" },
  { key: "eid", value: { type: "u32" }, help: "" },
  { key: "on", value: { type: "boolean" }, help: "" },
  { key: "isMmio", value: { type: "function" }, help: "" },
  { key: "bytes", value: { type: "bytes" }, help: "" },
  { key: "n", value: { type: "named", bits: 32, lookup: () => undefined }, help: "" },
];

describe("checkOptions", () => {
  it("accepts absent options, an empty object and values of each type", () => {
    expect(() => checkOptions(undefined, SPECS)).not.toThrow();
    expect(() => checkOptions({}, [])).not.toThrow();
    expect(() =>
      checkOptions(
        {
          abi: "kvm",
          base: 1n,
          eid: 0xffff_ffff,
          on: true,
          isMmio: () => true,
          bytes: [1],
          n: 3,
          eidUnset: undefined,
        },
        [...SPECS, { key: "eidUnset", value: { type: "u32" }, help: "" }],
      ),
    ).not.toThrow();
  });

  it.each([
    [5, "options", /options must be an object, got 5/],
    [null, "options", /got null/],
    [[1], "options", /an array/],
    [{ abi: "xen" }, "options.abi", /options.abi must be one of "kvm", "axvisor", got "xen"/],
    [{ base: 1 }, "options.base", /a bigint in 0…2\^64−1/],
    [{ base: -1n }, "options.base", /got -0x1/],
    [{ eid: 1.5 }, "options.eid", /an integer in 0…0xffffffff/],
    [{ on: 1 }, "options.on", /a boolean/],
    [{ isMmio: 5 }, "options.isMmio", /options.isMmio must be a function, got 5/],
    [{ bytes: "x" }, "options.bytes", /an array of bytes/],
    [{ n: "x" }, "options.n", /a number/],
    [{ typo: 1 }, "options.typo", /options.typo is not an option here \(options: abi, base/],
  ])("rejects %o naming %s", (options, field, message) => {
    expect(() => checkOptions(options, SPECS)).toThrow(
      expect.objectContaining({
        code: "invalid-argument",
        field,
        message: expect.stringMatching(message),
      }),
    );
  });

  it("says when a function takes no options", () => {
    expect(() => checkOptions({ a: 1 }, [])).toThrow("(options: none)");
  });
});
