import { describe, expect, it } from "vitest";
import type { OptionSpec } from "./codec";
import { checkOptions } from "./options";

/** `values` with index `hole` deleted: a sparse array. */
function withHole<T>(values: T[], hole: number): T[] {
  delete values[hole];
  return values;
}

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
    [{ bytes: "x" }, "options.bytes", /a Uint8Array or an array of integers in 0…255/],
    [{ n: "x" }, "options.n", /an integer in 0…0xffffffff, got "x"/],
    [{ bytes: [0x8b, 256] }, "options.bytes", /integers in 0…255, got an array of length 2/],
    [{ bytes: withHole([0x8b, 0, 7], 1) }, "options.bytes", /integers in 0…255/],
    [{ n: -1 }, "options.n", /an integer in 0…0xffffffff, got -1/],
    [{ n: 2 ** 32 }, "options.n", /an integer in 0…0xffffffff/],
    [{ n: Number.NaN }, "options.n", /got NaN/],
    [{ eid: -0 }, "options.eid", /got -0/],
    [{ typo: 1 }, "options.typo", /options.typo is not an option here \(options: abi, base/],
  ])("rejects case %# (options %s)", (options, field, message) => {
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

  it("passes an object it checked again while it holds the same values, checks any change", () => {
    const frozen = Object.freeze({ abi: "kvm", eid: 7, isMmio: () => true });
    checkOptions(frozen, SPECS);
    checkOptions(frozen, SPECS);
    // the same object against other specs is checked against those
    expect(() => checkOptions(frozen, SPECS.slice(0, 1))).toThrow(
      /options\.eid is not an option here \(options: abi\)/,
    );
    // a value that is an object could change inside: an object holding one is checked each time
    const bytes = [1, 2];
    const holder = Object.freeze({ bytes });
    checkOptions(holder, SPECS);
    bytes[1] = 300;
    expect(() => checkOptions(holder, SPECS)).toThrow(/options\.bytes must be/);
    // an object that is not frozen: a changed value, an added key, a deleted one
    const open: Record<string, unknown> = { eid: 1, abi: "kvm" };
    checkOptions(open, SPECS);
    checkOptions(open, SPECS);
    open.eid = -1;
    expect(() => checkOptions(open, SPECS)).toThrow(
      /options\.eid must be an integer in 0…0xffffffff/,
    );
    open.eid = 2;
    checkOptions(open, SPECS);
    open.bogus = 1;
    expect(() => checkOptions(open, SPECS)).toThrow(/options\.bogus is not an option here/);
    delete open.bogus;
    checkOptions(open, SPECS);
    open.eid = 0;
    checkOptions(open, SPECS);
    open.eid = -0;
    expect(() => checkOptions(open, SPECS)).toThrow(/options\.eid must be/);
    delete open.eid;
    open.abi = "xen";
    expect(() => checkOptions(open, SPECS)).toThrow(/options\.abi must be one of "kvm", "axvisor"/);
  });

  it("reads the object's own keys only, as Object.keys gives them", () => {
    const inherits = Object.create({ bogus: 1 }) as Record<string, unknown>;
    inherits.abi = "kvm";
    expect(() => checkOptions(inherits, SPECS)).not.toThrow();
    const hidden = Object.defineProperty({ abi: "kvm" }, "bogus", { value: 1, enumerable: false });
    expect(() => checkOptions(hidden, SPECS)).not.toThrow();
  });
});
