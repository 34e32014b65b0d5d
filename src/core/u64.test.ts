import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VmExitError } from "./error";
import {
  highHalf,
  joinU64,
  splitBigintLow,
  splitU64,
  splitU64Low,
  toInt,
  toU64,
  type U64Halves,
} from "./u64";

describe("splitU64Low / splitBigintLow / highHalf", () => {
  it("return bits 31:0 and keep bits 63:32 until the next split", () => {
    // 0x1_2345_6789 = 1 × 2^32 + 0x23456789
    expect(splitU64Low(0x1_2345_6789, "x")).toBe(0x2345_6789);
    expect(highHalf()).toBe(1);
    expect(splitU64Low(0xdead_beef_0000_0001n, "x")).toBe(1);
    expect(highHalf()).toBe(0xdead_beef);
    expect(splitBigintLow(0x8000_0000_ffff_ffffn)).toBe(0xffff_ffff);
    expect(highHalf()).toBe(0x8000_0000);
  });
  it("agree with BigInt shifts on every u64", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (v) => {
        expect(splitU64Low(v, "x")).toBe(Number(v & 0xffff_ffffn));
        expect(highHalf()).toBe(Number(v >> 32n));
      }),
    );
  });
  it("reject what splitU64 rejects, naming the field", () => {
    expect(() => splitU64Low(-1n, "htval")).toThrow("htval must be in 0…2^64−1");
    expect(() => splitU64Low(2n ** 64n, "htval")).toThrow("htval must be in 0…2^64−1");
    expect(() => splitU64Low(0.5, "htval")).toThrow("htval must be a non-negative safe integer");
    expect(() => splitU64Low("1", "htval")).toThrow(VmExitError);
  });
});

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
  it("splits bigints on both sides of 2^53", () => {
    // 2^53 − 1 = 0x001F_FFFF_FFFF_FFFF → hi 0x1FFFFF, lo all ones.
    expect(splitU64(0x1f_ffff_ffff_ffffn, "far", out)).toEqual({ lo: 0xffff_ffff, hi: 0x1f_ffff });
    // 2^53 = 0x0020_0000_0000_0000 → hi 0x200000, lo 0.
    expect(splitU64(0x20_0000_0000_0000n, "far", out)).toEqual({ lo: 0, hi: 0x20_0000 });
    // HPFAR with FIPA 0x9000 << 4 = 0x90000 → lo 0x90000, hi 0.
    expect(splitU64(0x9_0000n, "hpfar", out)).toEqual({ lo: 0x9_0000, hi: 0 });
    // 2^32 + 5 → hi 1, lo 5.
    expect(splitU64(0x1_0000_0005n, "far", out)).toEqual({ lo: 5, hi: 1 });
  });
  it("gives bits 31:0 and 63:32 of every u64, bigint or number", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.bigInt({ min: 0n, max: 0xffff_ffff_ffff_ffffn }),
          fc.bigInt({ min: 0n, max: 1n << 53n }),
          fc.bigInt({ min: (1n << 53n) - 4096n, max: (1n << 53n) + 4096n }),
        ),
        (v) => {
          // The halves by BigInt arithmetic, the definition the buffer view must match.
          const expected = { lo: Number(v & 0xffff_ffffn), hi: Number(v >> 32n) };
          expect(splitU64(v, "x1", out)).toEqual(expected);
          if (v <= BigInt(Number.MAX_SAFE_INTEGER)) {
            expect(splitU64(Number(v), "x1", out)).toEqual(expected);
          }
        },
      ),
    );
  });
  it("rejects bad values with the code and the field", () => {
    const rejects = (v: unknown, code: string, field: string) =>
      expect(() => splitU64(v, field, out)).toThrow(expect.objectContaining({ code, field }));
    rejects(-1n, "out-of-range", "hpfar");
    rejects(1n << 64n, "out-of-range", "far");
    rejects(1.5, "invalid-argument", "x3");
    rejects("7", "invalid-argument", "x3");
  });
  it("joins halves below and above 2^53", () => {
    // hi 0x1FFFFF, lo all ones = 2^53 − 1.
    expect(joinU64(0xffff_ffff, 0x1f_ffff)).toBe(0x1f_ffff_ffff_ffffn);
    // hi 0x200000, lo 1 = 2^53 + 1, which a double cannot hold.
    expect(joinU64(1, 0x20_0000)).toBe(0x20_0000_0000_0001n);
    expect(joinU64(0xffff_ffff, 0xffff_ffff)).toBe(0xffff_ffff_ffff_ffffn);
    // Both sides of the 0…255 cache, and halves taken modulo 2^32 (−1 → 0xFFFFFFFF).
    expect(joinU64(255, 0)).toBe(255n);
    expect(joinU64(256, 0)).toBe(256n);
    expect(joinU64(-1, 0)).toBe(0xffff_ffffn);
    expect(joinU64(0, -1)).toBe(0xffff_ffff_0000_0000n);
  });
  it("joins every pair of halves to hi · 2^32 + lo", () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffff_ffff }), fc.nat({ max: 0xffff_ffff }), (lo, hi) => {
        expect(joinU64(lo, hi)).toBe(BigInt(hi) * 0x1_0000_0000n + BigInt(lo));
      }),
    );
  });
  it("toU64 and toInt report codes", () => {
    expect(() => toU64(2 ** 60, "v")).toThrow(expect.objectContaining({ code: "out-of-range" }));
    expect(() => toInt("1", "v", 0, 1)).toThrow(
      expect.objectContaining({ code: "invalid-argument" }),
    );
  });
});
