import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { X86MemAccess } from "./access";
import { decodeCommonX86MemAccess } from "./common-forms";
import {
  decodeGeneralX86MemAccess,
  decodeX86MemAccessFields,
  newX86MemAccessFields,
  sharedX86MemAccessOf,
  X86_MEM_ACCESS_FIELDS,
  type X86MemAccessFields,
  x86MemAccessOf,
} from "./decode";

/** The fields a reader uses: `immediate` only for an immediate store (else it is left over). */
const used = (f: X86MemAccessFields) => ({
  ...f,
  immediate: f.reg < 0 ? f.immediate : 0n,
  key: -1,
});

/** The general decoder's fields for `bytes`, or its reason. */
function general(bytes: readonly number[], mode: 32 | 64): X86MemAccessFields | string {
  const why = decodeGeneralX86MemAccess(bytes, bytes.length, mode, "intel");
  return why ?? used(X86_MEM_ACCESS_FIELDS);
}

describe("common MOV forms", () => {
  it("decode the forms guest MMIO uses without the general decoder", () => {
    // (bytes, mode) → fields, from the SDM's encodings: 8B /r MOV r32, r/m32 with ModRM 03
    // (mod 00, reg 000 = EAX, rm 011 = [RBX]); 89 /r with ModRM 10 (reg 010 = EDX, [RAX]); REX.W
    // (48) 8B 0B: RCX ← [RBX], 8 bytes; 0F B6 /r MOVZX r32, r/m8; C7 /0 id MOV r/m32, imm32 with
    // ModRM 00 ([RAX]) and imm 0x12345678; REX.WR (4C) 89 20: [RAX] ← R12 (reg 100 + REX.R = 12);
    // 88 /r with ModRM 27 (reg 100 without REX = AH, index 16); REX.W C7 /0 with imm 0x80000000,
    // sign-extended to 64 bits; 8A 44 24 08: MOV AL, [RSP+8] (SIB 24, disp8)
    const cases: [number[], 32 | 64, Partial<X86MemAccessFields>][] = [
      [[0x8b, 0x03], 64, { width: 4, reg: 0, regWidth: 4, length: 2, prefixEnd: 0, rex: 0 }],
      [[0x89, 0x10], 32, { width: 4, reg: 2, regWidth: 4, length: 2 }],
      [[0x48, 0x8b, 0x0b], 64, { width: 8, reg: 1, regWidth: 8, length: 3, prefixEnd: 1 }],
      [[0x0f, 0xb6, 0x03], 64, { width: 1, reg: 0, regWidth: 4, length: 3 }],
      [[0xc7, 0x00, 0x78, 0x56, 0x34, 0x12], 64, { width: 4, reg: -1, immediate: 0x12345678n }],
      [[0x4c, 0x89, 0x20], 64, { width: 8, reg: 12, regWidth: 8, length: 3, rex: 0x4c }],
      [[0x88, 0x27], 64, { width: 1, reg: 16, regWidth: 1, length: 2 }],
      [[0x48, 0xc7, 0x00, 0, 0, 0, 0x80], 64, { width: 8, immediate: 0xffff_ffff_8000_0000n }],
      [[0x8a, 0x44, 0x24, 0x08], 64, { width: 1, reg: 0, regWidth: 1, length: 4 }],
    ];
    for (const [bytes, mode, want] of cases) {
      const f = newX86MemAccessFields();
      expect(decodeCommonX86MemAccess(bytes, bytes.length, mode === 64, f)).toBe(true);
      expect(f).toMatchObject(want);
    }
  });

  it("leave prefixes, moffs, MOVSXD, register operands and truncation to the general decoder", () => {
    // 66 89 03 (operand-size prefix), A1 (moffs), 48 63 03 (MOVSXD), 8B C3 (mod 11), C7 08
    // (C7 /1), 8B (no ModRM), 8B 04 (no SIB), C7 00 78 56 (imm32 cut short), F3 89 03 (REP)
    const cases = [
      [0x66, 0x89, 0x03],
      [0xa1, 0, 0, 0, 0, 0, 0, 0, 0],
      [0x48, 0x63, 0x03],
      [0x8b, 0xc3],
      [0xc7, 0x08, 0, 0, 0, 0],
      [0x8b],
      [0x8b, 0x04],
      [0xc7, 0x00, 0x78, 0x56],
      [0xf3, 0x89, 0x03],
      [0x8b, 0x80, 0x00],
    ];
    for (const bytes of cases) {
      expect(decodeCommonX86MemAccess(bytes, bytes.length, true, newX86MemAccessFields())).toBe(
        false,
      );
    }
  });

  it("give the general decoder's fields whenever they decode (differential)", () => {
    const rex = fc.option(fc.integer({ min: 0x40, max: 0x4f }), { nil: undefined });
    const opcode = fc.oneof(
      fc.constantFrom([0x88], [0x89], [0x8a], [0x8b], [0xc6], [0xc7], [0x63], [0xa1]),
      fc.constantFrom([0x0f, 0xb6], [0x0f, 0xb7], [0x0f, 0xbe], [0x0f, 0xbf], [0x0f, 0xb8]),
      fc.integer({ min: 0, max: 255 }).map((b) => [b]),
    );
    const bytes = fc
      .tuple(
        rex,
        opcode,
        fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 12 }),
        fc.nat({ max: 16 }),
      )
      .map(([r, op, tail, cut]) => [...(r === undefined ? [] : [r]), ...op, ...tail].slice(0, cut));
    let decoded = 0;
    fc.assert(
      fc.property(bytes, fc.constantFrom<32 | 64>(32, 64), (b, mode) => {
        const f = newX86MemAccessFields();
        if (decodeCommonX86MemAccess(b, b.length, mode === 64, f)) {
          decoded++;
          expect(general(b, mode)).toEqual(used(f));
        }
      }),
      { numRuns: 5000 },
    );
    // the common path took a good share of the inputs (else the property says little)
    expect(decoded).toBeGreaterThan(250);
  });

  it("share one frozen access per key, and the key determines the access", () => {
    // 48 8B 0B: MOV RCX, [RBX] (REX.W, reg 001); decoded twice, one object, the same as built fresh
    const bytes = [0x48, 0x8b, 0x0b];
    decodeX86MemAccessFields(bytes, 3, 64, "intel");
    const a = sharedX86MemAccessOf(bytes);
    decodeX86MemAccessFields(bytes, 3, 64, "intel");
    expect(sharedX86MemAccessOf(bytes)).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(a).toEqual({
      mnemonic: "MOV",
      opcode: "8B",
      direction: "read",
      width: 8,
      reg: 1,
      regWidth: 8,
      signedExt: false,
      length: 3,
      prefixes: ["REX.W"],
    });
    // an immediate store is never shared: C7 00 imm32
    const store = [0xc7, 0x00, 1, 0, 0, 0];
    decodeX86MemAccessFields(store, 6, 64, "intel");
    expect(X86_MEM_ACCESS_FIELDS.key).toBe(-1);

    const seen = new Map<number, X86MemAccess>();
    const common = fc
      .tuple(
        fc.option(fc.integer({ min: 0x40, max: 0x4f }), { nil: undefined }),
        fc.constantFrom([0x88], [0x89], [0x8a], [0x8b], [0x0f, 0xb6], [0x0f, 0xbf]),
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 9 }),
      )
      .map(([r, op, tail]) => [...(r === undefined ? [] : [r]), ...op, ...tail]);
    fc.assert(
      fc.property(common, fc.constantFrom<32 | 64>(32, 64), (b, mode) => {
        const f = newX86MemAccessFields();
        if (!decodeCommonX86MemAccess(b, b.length, mode === 64, f)) return;
        expect(decodeX86MemAccessFields(b, b.length, mode, "intel")).toBeUndefined();
        const access = x86MemAccessOf(b);
        const before = seen.get(f.key);
        if (before === undefined) seen.set(f.key, access);
        else expect(access).toEqual(before);
      }),
      { numRuns: 3000 },
    );
    expect(seen.size).toBeGreaterThan(50);
  });
});
