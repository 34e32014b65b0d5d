import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VmExitError } from "../../core/error";
import type { X86MemAccess, X86MemAccessSpec, X86MemAccessUnsupported } from "./access";
import { decodeX86MemAccess } from "./decode";
import { canEncodeX86MemAccess, encodeX86MemAccess } from "./encode";

type W = 1 | 2 | 4 | 8;
const mode = fc.constantFrom<16 | 32 | 64>(16, 32, 64);
const width = fc.constantFrom<W>(1, 2, 4, 8);

/** Any immediate for `w`-byte stores, biased to the edges, sometimes out of range. */
const immediateFor = (w: W) => {
  const max = (1n << BigInt(8 * w)) - 1n;
  return fc.oneof(
    fc.bigInt({ min: 0n, max }),
    fc.constantFrom(0n, max, max >> 1n, (max >> 1n) + 1n, 0x7fff_ffffn, 0x8000_0000n),
    fc.bigInt({ min: -2n, max: max + 2n }),
  );
};

/** Any access, well-formed or not, encodable or not. */
const anySpec: fc.Arbitrary<X86MemAccessSpec> = width.chain((w) =>
  fc.record({
    direction: fc.constantFrom<"read" | "write">("read", "write"),
    width: fc.constant(w),
    regWidth: fc.oneof(fc.constant(w), width),
    signedExt: fc.boolean(),
    reg: fc.option(fc.integer({ min: 0, max: 19 }), { nil: undefined }),
    immediate: fc.option(immediateFor(w), { nil: undefined }),
  }),
);

/** Accesses shaped like the ones the decoder produces (reads with a reg, stores with reg xor immediate). */
const plausibleSpec: fc.Arbitrary<X86MemAccessSpec> = fc.oneof(
  fc.record({
    direction: fc.constant<"read">("read"),
    width,
    regWidth: width,
    signedExt: fc.boolean(),
    reg: fc.integer({ min: 0, max: 19 }),
  }),
  width.chain((w) =>
    fc.record({
      direction: fc.constant<"write">("write"),
      width: fc.constant(w),
      regWidth: fc.constant(w),
      signedExt: fc.constant(false),
      reg: fc.integer({ min: 0, max: 19 }),
    }),
  ),
  width.chain((w) =>
    fc.record({
      direction: fc.constant<"write">("write"),
      width: fc.constant(w),
      regWidth: fc.constant(w),
      signedExt: fc.constant(false),
      immediate: immediateFor(w).filter((v) => v >= 0n && v < 1n << BigInt(8 * w)),
    }),
  ),
);

const isUnsupported = (r: X86MemAccess | X86MemAccessUnsupported): r is X86MemAccessUnsupported =>
  "unsupported" in r;

/** The fields of a decoded access that the encoder takes. */
const specOf = (a: X86MemAccessSpec): X86MemAccessSpec => ({
  direction: a.direction,
  width: a.width,
  regWidth: a.regWidth,
  signedExt: a.signedExt,
  ...(a.reg === undefined ? {} : { reg: a.reg }),
  ...(a.immediate === undefined ? {} : { immediate: a.immediate }),
});

/** Architectural invariants every decoded access satisfies. */
function checkInvariants(a: X86MemAccess, given: number): void {
  expect([1, 2, 4, 8]).toContain(a.width);
  expect([1, 2, 4, 8]).toContain(a.regWidth);
  expect(a.regWidth).toBeGreaterThanOrEqual(a.width);
  expect(a.length).toBeGreaterThanOrEqual(1);
  expect(a.length).toBeLessThanOrEqual(Math.min(15, given));
  if (a.direction === "read") expect(a.reg).toBeDefined();
  expect(a.reg === undefined).toBe(a.immediate !== undefined);
  if (a.reg !== undefined) {
    expect(Number.isInteger(a.reg) && a.reg >= 0 && a.reg <= 19).toBe(true);
    if (a.reg >= 16) expect(a.regWidth).toBe(1);
  }
  if (a.immediate !== undefined) {
    expect(a.immediate >= 0n && a.immediate < 1n << BigInt(8 * a.width)).toBe(true);
  }
  if (a.signedExt) expect(a.direction).toBe("read");
  for (const p of a.prefixes) expect(typeof p).toBe("string");
}

/** Byte strings that start like MOV-family instructions: prefixes, a supported opcode, then anything. */
const movLike = fc
  .tuple(
    fc.array(
      fc.constantFrom(
        0x66,
        0x67,
        0x26,
        0x2e,
        0x36,
        0x3e,
        0x64,
        0x65,
        0xf0,
        0xf3,
        0x40,
        0x41,
        0x44,
        0x48,
        0x4c,
        0x4f,
      ),
      { maxLength: 4 },
    ),
    fc.constantFrom(
      [0x88],
      [0x89],
      [0x8a],
      [0x8b],
      [0xa0],
      [0xa1],
      [0xa2],
      [0xa3],
      [0xc6],
      [0xc7],
      [0x63],
      [0x0f, 0xb6],
      [0x0f, 0xb7],
      [0x0f, 0xbe],
      [0x0f, 0xbf],
    ),
    fc.uint8Array({ maxLength: 12 }),
  )
  .map(([p, op, rest]) => [...p, ...op, ...rest]);

describe("encode → decode round trip", () => {
  it("encodes exactly what canEncode accepts, and every encoding decodes back to the access", () => {
    fc.assert(
      fc.property(fc.oneof(anySpec, plausibleSpec), mode, (spec, m) => {
        let bytes: Uint8Array;
        try {
          bytes = encodeX86MemAccess(spec, m);
        } catch (e) {
          expect(e).toBeInstanceOf(VmExitError);
          expect(canEncodeX86MemAccess(spec, m)).toBe(false);
          return;
        }
        expect(canEncodeX86MemAccess(spec, m)).toBe(true);
        const decoded = decodeX86MemAccess(bytes, m);
        if (isUnsupported(decoded))
          throw new Error(`encoding did not decode: ${decoded.unsupported}`);
        expect(decoded.length).toBe(bytes.length);
        expect(specOf(decoded)).toStrictEqual(specOf(spec));
      }),
      { numRuns: 3000 },
    );
  });

  it("round-trips every encodable access", () => {
    const encodable = fc
      .tuple(plausibleSpec, mode)
      .filter(([spec, m]) => canEncodeX86MemAccess(spec, m));
    fc.assert(
      fc.property(encodable, ([spec, m]) => {
        const decoded = decodeX86MemAccess(encodeX86MemAccess(spec, m), m);
        expect(isUnsupported(decoded) ? decoded : specOf(decoded)).toStrictEqual(specOf(spec));
      }),
      { numRuns: 2000 },
    );
  });

  it("can encode every access the decoder produces, in the same mode", () => {
    fc.assert(
      fc.property(movLike, mode, (bytes, m) => {
        const decoded = decodeX86MemAccess(bytes, m);
        if (isUnsupported(decoded)) return;
        const again = decodeX86MemAccess(encodeX86MemAccess(decoded, m), m);
        expect(isUnsupported(again) ? again : specOf(again)).toStrictEqual(specOf(decoded));
      }),
      { numRuns: 3000 },
    );
  });
});

describe("decoding arbitrary bytes", () => {
  it("returns an access or an unsupported reason for any 0–16 bytes in any mode", () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 16 }), movLike), mode, (bytes, m) => {
        const r = decodeX86MemAccess(bytes, m);
        if (isUnsupported(r)) {
          expect(typeof r.unsupported).toBe("string");
          expect(r.unsupported.length).toBeGreaterThan(0);
        } else {
          checkInvariants(r, bytes.length);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it("depends only on the instruction's own bytes", () => {
    fc.assert(
      fc.property(movLike, fc.uint8Array({ maxLength: 4 }), mode, (bytes, junk, m) => {
        const r = decodeX86MemAccess(bytes, m);
        if (isUnsupported(r)) return;
        // exactly the instruction, or the instruction plus junk, decodes the same
        expect(decodeX86MemAccess(bytes.slice(0, r.length), m)).toStrictEqual(r);
        expect(decodeX86MemAccess([...bytes.slice(0, r.length), ...junk], m)).toStrictEqual(r);
        // one byte short is reported as unsupported (truncated or prefixes only)
        expect(decodeX86MemAccess(bytes.slice(0, r.length - 1), m)).toHaveProperty("unsupported");
      }),
      { numRuns: 3000 },
    );
  });

  it("throws only VmExitError for arrays holding anything", () => {
    const element = fc.oneof(
      fc.integer({ min: 0, max: 255 }),
      fc.integer(),
      fc.double(),
      fc.string(),
      fc.constant(undefined),
      fc.bigInt(),
    );
    fc.assert(
      fc.property(
        fc.array(element, { maxLength: 16 }),
        fc.constantFrom<unknown>(16, 32, 64, 0, "64"),
        (bytes, m) => {
          try {
            const r = decodeX86MemAccess(bytes as number[], m as 64);
            if (!isUnsupported(r)) checkInvariants(r, bytes.length);
          } catch (e) {
            expect(e).toBeInstanceOf(VmExitError);
            expect((e as VmExitError).code).toBe("invalid-argument");
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("canEncode never throws, whatever it is given", () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (access, m) => {
        const ok = canEncodeX86MemAccess(access as X86MemAccessSpec, m as 64);
        expect(typeof ok).toBe("boolean");
        if (!ok)
          expect(() => encodeX86MemAccess(access as X86MemAccessSpec, m as 64)).toThrow(
            VmExitError,
          );
      }),
    );
  });
});
