import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VmExitError } from "./error";
import { joinU64, splitU64, toInt, toU64, type U64Halves } from "./u64";

describe("splitU64 / joinU64", () => {
  const out: U64Halves = { lo: 0, hi: 0 };
  it("splits numbers and bigints into unsigned 32-bit halves", () => {
    expect(splitU64(0x1_2345_6789, "x", out)).toEqual({ lo: 0x23456789, hi: 1 });
    expect(splitU64(0xffff_ffff_ffff_ffffn, "x", out)).toEqual({ lo: 0xffffffff, hi: 0xffffffff });
    expect(splitU64(Number.MAX_SAFE_INTEGER, "x", out)).toEqual({ lo: 0xffffffff, hi: 0x1fffff });
    expect(splitU64(0x8000_0000, "x", out)).toEqual({ lo: 0x80000000, hi: 0 });
  });
  it("is inverted by joinU64", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (v) => {
        const { lo, hi } = splitU64(v, "x", out);
        expect(joinU64(lo, hi)).toBe(v);
      }),
    );
  });
  it("rejects values outside u64 naming the field", () => {
    expect(() => splitU64(-1, "esr", out)).toThrow(VmExitError);
    expect(() => splitU64(2n ** 64n, "esr", out)).toThrow("esr must be in 0…2^64−1");
    expect(() => splitU64(0.5, "esr", out)).toThrow("esr must be a non-negative safe integer");
    expect(() => splitU64(null, "esr", out)).toThrow("esr must be a bigint or a number, got null");
  });
  it("toU64 and toInt report codes", () => {
    expect(() => toU64(2 ** 60, "v")).toThrow(expect.objectContaining({ code: "out-of-range" }));
    expect(() => toInt("1", "v", 0, 1)).toThrow(
      expect.objectContaining({ code: "invalid-argument" }),
    );
  });
});
