import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bits,
  explainFields,
  explainRegister,
  field,
  fieldBigint,
  fieldValue,
  flag,
  isSet,
  RESERVED_SET,
  reserved,
} from "./layout";

// The definition a field read must agree with: (v >> lo) & (2^(hi−lo+1) − 1), in BigInt arithmetic.
function reference(v: bigint, hi: number, lo: number): bigint {
  return (v >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n);
}

function halves(v: bigint): { lo: number; hi: number } {
  return { lo: Number(v & 0xffff_ffffn), hi: Number(v >> 32n) };
}

const anyField = fc
  .tuple(fc.integer({ min: 0, max: 63 }), fc.integer({ min: 0, max: 63 }))
  .map(([a, b]) => [Math.max(a, b), Math.min(a, b)] as const);

describe("field reads", () => {
  it("agree with the BigInt definition for every field of every 64-bit value", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), anyField, (v, [hi, lo]) => {
        const f = field("F", hi, lo);
        expect(fieldBigint(f, halves(v))).toBe(reference(v, hi, lo));
        if (hi - lo < 53) expect(fieldValue(f, halves(v))).toBe(Number(reference(v, hi, lo)));
        if (hi < 32 || lo >= 32) {
          const word = hi < 32 ? halves(v).lo : halves(v).hi;
          expect(bits(f, word)).toBe(Number(reference(v, hi, lo)));
          expect(isSet(f, word)).toBe(reference(v, hi, lo) !== 0n);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("read a whole 32-bit half unsigned and a field straddling bit 32", () => {
    expect(bits(field("lo", 31, 0), 0xffff_ffff)).toBe(0xffff_ffff);
    // HPFAR_EL2.FIPA [47:4] of 0x0000_1234_5678_9ab0 is 0x1_2345_6789_ab
    expect(fieldValue(field("FIPA", 47, 4), { lo: 0x5678_9ab0, hi: 0x1234 })).toBe(
      0x1_2345_6789_ab,
    );
  });

  it("rejects a field outside bits 63:0", () => {
    expect(() => field("bad", 64, 0)).toThrow(expect.objectContaining({ name: "VmExitError" }));
    expect(() => field("bad", 3, 4)).toThrow(/not within bits 63:0/);
  });
});

describe("explainFields", () => {
  // ESR_EL2 0x93810047: EC 0x24, IL 1, ISV 1, SAS 2 (word), SRT 1, WnR 1, DFSC 0x07
  const layout = [
    field("EC", 31, 26, (v) => (v === 0x24 ? "DABT_LOW" : undefined)),
    flag("IL", 25, "16-bit", "32-bit"),
    field("ISS", 24, 0, {
      fields: [
        flag("ISV", 24, "no syndrome", "syndrome"),
        field("SAS", 23, 22, ["b", "h", "w", "d"]),
      ],
    }),
    reserved(63, 56),
  ];

  it("gives each field's value, meaning and sub-fields", () => {
    const nodes = explainFields({ lo: 0x9381_0047, hi: 0 }, layout);
    expect(nodes).toEqual([
      { name: "EC", bits: [31, 26], value: 0x24n, meaning: "DABT_LOW" },
      { name: "IL", bits: [25, 25], value: 1n, meaning: "32-bit" },
      {
        name: "ISS",
        bits: [24, 0],
        value: 0x1810047n,
        children: [
          { name: "ISV", bits: [24, 24], value: 1n, meaning: "syndrome" },
          { name: "SAS", bits: [23, 22], value: 2n, meaning: "w" },
        ],
      },
    ]);
  });

  it("shows reserved bits only when they are set", () => {
    const nodes = explainFields({ lo: 0, hi: 0x0100_0000 }, layout);
    expect(nodes.at(-1)).toEqual({
      name: "RES0",
      bits: [63, 56],
      value: 1n,
      meaning: RESERVED_SET,
    });
  });

  it("chooses sub-fields by the register's value and wraps a whole register", () => {
    const pick = (reg: { lo: number }) => (reg.lo & 1 ? [flag("A", 1, "a0", "a1")] : []);
    const node = explainRegister("R", 32, { lo: 3, hi: 0 }, pick, "three");
    expect(node).toEqual({
      name: "R",
      bits: [31, 0],
      value: 3n,
      meaning: "three",
      children: [{ name: "A", bits: [1, 1], value: 1n, meaning: "a1" }],
    });
    expect(explainRegister("R", 64, { lo: 0, hi: 1 }, []).value).toBe(0x1_0000_0000n);
  });
});
