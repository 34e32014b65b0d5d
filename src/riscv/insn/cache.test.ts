import { describe, expect, it } from "vitest";
import type { RiscvGuestPageFaultCause, RiscvVirtualInstructionCause } from "../cause";
import { decodeRiscv, decodeRiscvExit } from "../decode";
import type { RiscvSnapshot } from "../snapshot";
import { cachedInstruction, instructionCache, rememberInstruction } from "./cache";
import { decodeRaw32 } from "./decode";

// Transformed loads (privileged ISA, htinst): LOAD opcode 0x03, funct3 << 12, rd << 7, imm and
// rs1 (Addr. Offset) zero. 0x2503 = lw a0 (funct3 2, rd 10); 0x3383 = ld t2 (funct3 3, rd 7).
const load = (htinst: number, xlen: 32 | 64 = 64): RiscvSnapshot => ({
  scause: 21,
  stval: 0x1000_0004,
  htval: 0x0400_0001,
  htinst,
  xlen,
});
function gpf(snapshot: RiscvSnapshot): RiscvGuestPageFaultCause {
  const { cause } = decodeRiscv(snapshot);
  if (cause.class !== "guest-page-fault") throw new Error(`got ${cause.class}`);
  return cause;
}

/** The set a word falls in: the top 9 bits of word × 0x9E3779B9 (mod 2^32), as the cache hashes. */
const setOf = (w: number): number => Math.imul(w, 0x9e37_79b9) >>> 23;

/** Transformed loads (every funct3, rd and Addr. Offset), grouped by the set they hash to. */
function loadsBySet(): Map<number, number[]> {
  const sets = new Map<number, number[]>();
  for (let f3 = 0; f3 < 7; f3++) {
    for (let rd = 1; rd < 32; rd++) {
      for (let offset = 0; offset < 32; offset++) {
        const w = (offset << 15) | (f3 << 12) | (rd << 7) | 0x03;
        sets.set(setOf(w), [...(sets.get(setOf(w)) ?? []), w]);
      }
    }
  }
  return sets;
}

describe("decoded instructions are frozen and shared by decodes of the same bits", () => {
  it("the same htinst gives the same frozen record, from decodeRiscv and after decodeRiscvExit", () => {
    decodeRiscvExit(load(0x2503));
    const a = gpf(load(0x2503)).instruction;
    const b = gpf(load(0x2503)).instruction;
    expect(a).toBe(b);
    expect(Object.isFrozen(a)).toBe(true);
    expect(a).toMatchObject({ mnemonic: "lw", rd: 10, width: 4, source: "htinst" });
  });

  it("a record is kept per XLEN: ld is RV64-only, so on RV32 the same htinst is a custom value", () => {
    expect(gpf(load(0x3383, 64)).instruction).toMatchObject({ mnemonic: "ld", width: 8 });
    const rv32 = gpf(load(0x3383, 32));
    expect(rv32.htinstKind).toBe("custom");
    expect(rv32.instruction).toBeUndefined();
    expect(gpf(load(0x3383, 64)).instruction).toMatchObject({ mnemonic: "ld" });
  });

  it("stval and snapshot.instruction words are kept apart (the record names its source)", () => {
    // csrrs a0, time, x0 = 0xC0102573: from stval on a virtual-instruction trap
    const vi = decodeRiscv({ scause: 22, stval: 0xc010_2573 })
      .cause as RiscvVirtualInstructionCause;
    expect(vi.instruction?.source).toBe("stval");
    const fromWord = decodeRiscv({ scause: 22, stval: 0, instruction: 0xc010_2573 })
      .cause as RiscvVirtualInstructionCause;
    expect(fromWord.instruction?.source).toBe("snapshot");
    expect(fromWord.instruction).toMatchObject({ mnemonic: "csrrs", csr: 0xc01, rd: 10 });
  });

  it("a set keeps its two newest words; a third evicts the oldest, which decodes again the same", () => {
    const words = [...loadsBySet().values()].find((ws) => ws.length >= 3) as number[];
    expect(words.length).toBeGreaterThanOrEqual(3);
    const [w1, w2, w3] = words as [number, number, number];
    const first = gpf(load(w1)).instruction;
    expect(gpf(load(w2)).instruction).toBe(gpf(load(w2)).instruction);
    expect(gpf(load(w1)).instruction).toBe(first); // both fit in the set
    gpf(load(w3)); // w1 is now the oldest of three: dropped
    const again = gpf(load(w1)).instruction;
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  it("the table API: a miss, a remembered record (frozen), the other XLEN a miss", () => {
    const cache = instructionCache();
    const w = 0x0085_a503; // lw a0, 8(a1)
    expect(cachedInstruction(cache, w, 64)).toBeUndefined();
    const record = rememberInstruction(cache, w, 64, decodeRaw32(w, "snapshot", 64));
    expect(cachedInstruction(cache, w, 64)).toBe(record);
    expect(Object.isFrozen(record)).toBe(true);
    expect(cachedInstruction(cache, w, 32)).toBeUndefined();
    expect(record).toMatchObject({ mnemonic: "lw", rd: 10, rs1: 11, imm: 8 });
  });
});

describe("decoding inside isMmio does not disturb the decode that called it", () => {
  it("a store's exit comes from its own snapshot when isMmio decodes another store", () => {
    // sw x5 (rs2 = 5) transformed: 5 << 20 | 2 << 12 | 0x23 = 0x0050_2023; sb x6: 0x0060_0023
    const x = Array.from({ length: 32 }, (_, i) => 0x1111_0000_0000n + BigInt(i));
    const outer: RiscvSnapshot = {
      scause: 23,
      stval: 0x1000_0000,
      htval: 0x0400_0000,
      htinst: 0x0050_2023,
      x,
    };
    const inner: RiscvSnapshot = {
      scause: 23,
      stval: 0x2000_0001,
      htval: 0x0800_0000,
      htinst: 0x0060_0023,
      x,
    };
    const isMmio = (): boolean => {
      decodeRiscv(inner);
      decodeRiscvExit(inner);
      return true;
    };
    // data = x5 & 0xffffffff = 0x0000_0005; GPA = 0x0400_0000 << 2 | 0 = 0x1000_0000
    expect(decodeRiscvExit(outer, { isMmio })).toEqual({
      kind: "MmioWrite",
      addr: 0x1000_0000n,
      width: 4,
      data: 5n,
    });
    expect(decodeRiscv(outer, { isMmio }).exit).toEqual(decodeRiscvExit(outer, { isMmio }));
  });
});
