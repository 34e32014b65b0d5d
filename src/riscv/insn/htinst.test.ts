// The MMIO fast path of transformed htinst values (`transformedMmioAccess`, literal masks) against
// the record decoder (`transformedInstruction`, which reads the instruction layouts): they must
// agree on every value. The words are built from the privileged ISA's transformation rules: a
// transformed load is a LOAD (0x03) with imm[11:0] zero and the rs1 field holding the Addr.
// Offset; a transformed store a STORE (0x23) with imm[11:5] and imm[4:0] zero; bit 1 clear stands
// for a compressed original.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RiscvGuestPageFaultCause } from "../cause";
import { decodeRiscv } from "../decode";
import type { RiscvSnapshot, RiscvXlen } from "../snapshot";
import { transformedInstruction, transformedMmioAccess } from "./htinst";

/** What the record decoder says the fast path must return for `w`: the packed access, or −1. */
function expected(w: number, store: boolean, xlen: RiscvXlen): number {
  const insn = transformedInstruction(w, xlen);
  const opcode = (w | 2) & 0x7f;
  // the fast path covers LOAD and STORE only (HLV/HSV and AMOs take the record path)
  if (insn === undefined || opcode !== (store ? 0x23 : 0x03)) return -1;
  if (!insn.integer || (insn.access === "store") !== store || insn.addrOffset !== 0) return -1;
  const reg = (store ? insn.rs2 : insn.rd) as number;
  return (insn.width as number) | (insn.signedExt ? 16 : 0) | (reg << 5);
}

describe("transformedMmioAccess agrees with the record decoder", () => {
  it("on every LOAD / STORE / LOAD-FP / STORE-FP / AMO / SYSTEM word with zero or set immediates", () => {
    let mmio = 0;
    const differ: string[] = [];
    for (const xlen of [32, 64] as const) {
      for (const opcode of [0x03, 0x23, 0x07, 0x27, 0x2f, 0x73]) {
        for (let funct3 = 0; funct3 < 8; funct3++) {
          for (let reg = 0; reg < 32; reg++) {
            for (const offset of [0, 1, 16, 31]) {
              // imm[0] and imm[11] of the I-type (a load) and of the S-type (a store)
              for (const [loadImm, storeImm] of [
                [0, 0],
                [1 << 20, 1 << 7],
                [1 << 31, 1 << 31],
              ] as const) {
                for (const long of [0, 2]) {
                  // a load's rd (11:7) and a store's rs2 (24:20)
                  const load = (reg << 7) | (offset << 15) | (funct3 << 12) | loadImm;
                  const store = (reg << 20) | (offset << 15) | (funct3 << 12) | storeImm;
                  for (const [layoutIsStore, w] of [
                    [false, load],
                    [true, store],
                  ] as const) {
                    const word = (w | (opcode & ~2) | long) >>> 0;
                    for (const isStore of [false, true]) {
                      const want = expected(word, isStore, xlen);
                      if (transformedMmioAccess(word, isStore, xlen) !== want) {
                        differ.push(`${word.toString(16)} ${isStore ? "store" : "load"} RV${xlen}`);
                      }
                      // counted on the word of the fault's own layout
                      if (want >= 0 && layoutIsStore === isStore) mmio++;
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    // RV32: 5 loads (lb lh lw lbu lhu) + 3 stores (sb sh sw), RV64: 7 + 4, each at offset 0 with
    // zero immediates: × 32 registers × 2 lengths
    expect(differ).toEqual([]);
    expect(mmio).toBe((5 + 3 + 7 + 4) * 32 * 2);
  });

  it("on any 32-bit value", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff_ffff }),
        fc.boolean(),
        fc.constantFrom<RiscvXlen>(32, 64),
        (w, store, xlen) => {
          expect(transformedMmioAccess(w, store, xlen)).toBe(expected(w, store, xlen));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("a guest-page fault decodes the same through the fast path and the record path", () => {
  // `isMmio: () => true` changes no exit but sends every fault down the record path.
  const always = { isMmio: () => true };
  const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
  const htinst = fc.oneof(
    fc.integer({ min: 0, max: 0xffff_ffff }),
    // transformed loads and stores: funct3, register, Addr. Offset and bit 1 free
    fc
      .record({
        funct3: fc.integer({ min: 0, max: 7 }),
        reg: fc.integer({ min: 0, max: 31 }),
        offset: fc.constantFrom(0, 0, 0, 5),
        store: fc.boolean(),
        long: fc.boolean(),
      })
      .map(({ funct3, reg, offset, store, long }) => {
        const fields = store ? (reg << 20) | 0x21 : (reg << 7) | 0x01;
        return (fields | (offset << 15) | (funct3 << 12) | (long ? 2 : 0)) >>> 0;
      }),
  );
  it("exit and cause, for loads, stores and fetches on RV32 and RV64", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(20, 21, 23),
        fc.constantFrom<RiscvXlen>(32, 64),
        htinst,
        fc.array(u64, { minLength: 32, maxLength: 32 }),
        (scause, xlen, w, x) => {
          const regs = xlen === 32 ? x.map((v) => v & 0xffff_ffffn) : x;
          const s: RiscvSnapshot = {
            scause,
            xlen,
            stval: 0x1234,
            htval: 0x400,
            htinst: w,
            x: regs,
          };
          const fast = decodeRiscv(s);
          const slow = decodeRiscv(s, always);
          expect(fast).toEqual(slow);
          // the fast path hands out the same frozen record the record path does
          const cause = fast.cause as RiscvGuestPageFaultCause;
          expect(cause.instruction).toBe((slow.cause as RiscvGuestPageFaultCause).instruction);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
